"""Metrics of a scored slice, checked against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from tr_core.errors import InvalidParameterError
from tr_feature_selection.scoring import ScoredSlice, resolve_metric

# Eight rows, four buckets of two: scores 1..8 put rows (0,1) in bucket 0, ..., (6,7) in bucket 3.
SCORES = np.arange(1.0, 9.0)
TARGET = np.array([-0.04, -0.02, 0.00, 0.01, -0.01, 0.03, 0.02, 0.06])
LABELS = (TARGET > 0).astype(np.int8)


def scored(n_buckets: int = 4) -> ScoredSlice:
    return ScoredSlice(TARGET, SCORES, LABELS, n_buckets=n_buckets)


def test_bucket_metrics_by_hand() -> None:
    s = scored()
    assert resolve_metric("bucket_3_return", n_buckets=4)(s) == pytest.approx(0.04)
    assert resolve_metric("bucket_0_return", n_buckets=4)(s) == pytest.approx(-0.03)
    assert resolve_metric("top_bucket_return", n_buckets=4)(s) == pytest.approx(0.04)
    assert resolve_metric("spread", n_buckets=4)(s) == pytest.approx(0.07)


def test_auc_by_hand() -> None:
    # Positives at scores 4, 6, 7, 8; negatives at 1, 2, 3, 5: of the 16 pairs only (4, 5)
    # is ordered wrongly, so AUC = 15/16.
    assert resolve_metric("auc")(scored()) == pytest.approx(15 / 16)


def test_ic_is_the_spearman_correlation() -> None:
    ranks = np.argsort(np.argsort(TARGET)) + 1.0
    expected = np.corrcoef(SCORES, ranks)[0, 1]
    assert resolve_metric("ic")(scored()) == pytest.approx(expected)


def test_one_class_slice_has_no_auc() -> None:
    s = ScoredSlice(TARGET, SCORES, np.ones(8, dtype=np.int8), n_buckets=4)
    assert np.isnan(s.auc)


def test_callable_metric_gets_copies() -> None:
    def vandal(target: np.ndarray, scores: np.ndarray) -> float:
        target[:] = 0.0
        return float(np.corrcoef(target + scores, scores)[0, 1])

    s = scored()
    metric = resolve_metric(vandal)
    assert metric.name == "vandal"
    assert metric(s) == pytest.approx(1.0)
    np.testing.assert_array_equal(s.target, TARGET)


def test_default_bucket_19_is_the_top_of_twenty() -> None:
    rng = np.random.default_rng(0)
    scores = rng.normal(size=400)
    target = 0.01 * scores + rng.normal(scale=0.02, size=400)
    s = ScoredSlice(target, scores, (target > 0).astype(np.int8))
    top = np.sort(target[np.argsort(scores)[-20:]]).mean()
    assert resolve_metric("bucket_19_return")(s) == pytest.approx(top)
    assert s.n_rows == 400


@pytest.mark.parametrize(
    ("metric", "match"),
    [
        ("bucket_20_return", "n_buckets=20 has buckets 0..19"),
        ("sharpe", "unknown `evaluation_metric` 'sharpe'"),
        (3, "name .* or a callable"),
    ],
)
def test_bad_metrics(metric: object, match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        resolve_metric(metric)  # type: ignore[arg-type]


def test_errors_use_the_callers_argument_name() -> None:
    with pytest.raises(InvalidParameterError, match="unknown `metric` 'sharpe'"):
        resolve_metric("sharpe", argument="metric")


def test_repr_is_one_short_line() -> None:
    assert repr(ScoredSlice(TARGET, SCORES, LABELS, n_buckets=4)) == (
        f"ScoredSlice(n_rows={TARGET.size}, n_buckets=4)"
    )
