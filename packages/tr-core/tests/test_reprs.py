"""Result objects print a one-line summary, never their arrays or frames."""

from __future__ import annotations

import numpy as np

from tr_core import complete_rows, make_insider_trades
from tr_core.splits import WalkForward, checked_folds


def test_reprs_are_short_single_lines() -> None:
    market = make_insider_trades(3_000, random_state=0)
    _, audit = complete_rows(market.frame, ["noise_0", "noise_1"])
    folds = checked_folds(WalkForward(3, times="trade_date"), market.frame)
    for obj, start in [
        (market, "SyntheticMarket(3000 trades x"),
        (market.truth, "GroundTruth(n_trades=3000"),
        (audit, "NanAudit(columns=['noise_0', 'noise_1'], rows_in=3000"),
        (folds, "CheckedFolds(3 folds over 3000 rows"),
    ]:
        text = repr(obj)
        assert text.startswith(start), text
        assert "\n" not in text
        assert len(text) < 300
        assert "array" not in text
    assert np.isfinite(audit.kept_share)
