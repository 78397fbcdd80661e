"""The package's public surface."""

from __future__ import annotations

import tr_evaluation


def test_top_level_exports() -> None:
    for name in tr_evaluation.__all__:
        assert getattr(tr_evaluation, name) is not None
    assert tr_evaluation.metrics.sharpe_ratio is not None
