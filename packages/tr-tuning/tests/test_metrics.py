"""Metrics: tr-evaluation's bucket metrics, scikit-learn's class metrics, each with a direction."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from tr_core.errors import InsufficientDataError, InvalidParameterError, TrTypeError
from tr_evaluation.buckets import BucketAnalyzer
from tr_tuning import METRICS, Metric, ModelOptimizer
from tr_tuning.metrics import resolve_metric

# Features of the synthetic market without missing values (cheap sklearn models need no NaN).
COMPLETE_FEATURES = ["ins_log_value", "ins_own_change", "ins_role_score", "noise_0", "noise_1"]


def _hand_made() -> tuple[np.ndarray, np.ndarray]:
    """40 rows with distinct scores: with 20 buckets the top bucket is the 2 highest scores."""
    rng = np.random.default_rng(3)
    score = rng.permutation(40).astype(np.float64)
    alpha = rng.normal(0.0, 0.05, 40)
    return score, alpha


def test_top_bucket_return_is_the_mean_of_the_two_highest_scores() -> None:
    score, alpha = _hand_made()
    metric = resolve_metric("top_bucket_return", 20)
    top2 = alpha[np.argsort(score)[-2:]].mean()
    assert metric(None, score, alpha) == pytest.approx(top2, rel=1e-12)
    expected = BucketAnalyzer(n_buckets=20).analyze(score, alpha).top_bucket_return
    assert metric(None, score, alpha) == pytest.approx(expected, rel=1e-12)
    assert metric.direction == "maximize"
    assert metric.builtin
    assert not metric.needs_classes


def test_spread_and_ic_are_the_bucket_analyzers() -> None:
    score, alpha = _hand_made()
    result = BucketAnalyzer(n_buckets=20).analyze(score, alpha)
    order = np.argsort(score)
    spread = alpha[order[-2:]].mean() - alpha[order[:2]].mean()
    assert resolve_metric("spread", 20)(None, score, alpha) == pytest.approx(spread, rel=1e-12)
    assert resolve_metric("spread", 20)(None, score, alpha) == pytest.approx(result.spread)
    rank_ic = pd.Series(score).corr(pd.Series(alpha), method="spearman")
    assert resolve_metric("ic", 20)(None, score, alpha) == pytest.approx(rank_ic, rel=1e-12)
    assert resolve_metric("ic", 20).direction == "maximize"


def test_n_buckets_changes_the_top_bucket() -> None:
    score, alpha = _hand_made()
    top4 = alpha[np.argsort(score)[-4:]].mean()
    assert resolve_metric("top_bucket_return", 10)(None, score, alpha) == pytest.approx(top4)


def test_auc_equals_the_hand_computed_pair_count() -> None:
    # positives score 0.9, 0.4, 0.35; negatives 0.8, 0.3, 0.1: of the 9 (pos, neg) pairs the
    # positive ranks higher in 0.9>all 3, 0.4>0.3,0.1, 0.35>0.3,0.1 -> 7 of 9.
    y = np.array([1, 0, 1, 1, 0, 0])
    score = np.array([0.9, 0.8, 0.4, 0.35, 0.3, 0.1])
    metric = resolve_metric("auc", 20)
    assert metric(y, score, np.zeros(6)) == pytest.approx(7 / 9)
    assert metric.needs_classes
    assert metric.direction == "maximize"


def test_auc_without_one_class_is_refused() -> None:
    with pytest.raises(InsufficientDataError, match=r"no positive class.*AUC is undefined"):
        resolve_metric("auc", 20)(np.zeros(5), np.linspace(0, 1, 5), np.zeros(5))
    with pytest.raises(InsufficientDataError, match=r"no negative class"):
        resolve_metric("auc", 20)(np.ones(5), np.linspace(0, 1, 5), np.zeros(5))


def test_logloss_is_minimized_and_matches_the_formula() -> None:
    y = np.array([1, 0, 1, 0])
    p = np.array([0.8, 0.3, 0.6, 0.1])
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    metric = resolve_metric("logloss", 20)
    assert metric.direction == "minimize"
    assert metric(y, p, np.zeros(4)) == pytest.approx(expected)
    # A better forecast has a lower loss: minimizing it is right.
    assert metric(y, np.array([0.9, 0.1, 0.9, 0.1]), np.zeros(4)) < metric(y, p, np.zeros(4))
    # P(class 1) of exactly 0 or 1 is clipped, so the loss stays finite.
    assert np.isfinite(metric(y, np.array([0.0, 1.0, 0.0, 1.0]), np.zeros(4)))


def test_directions_of_the_builtins() -> None:
    assert METRICS == {
        "top_bucket_return": "maximize",
        "spread": "maximize",
        "ic": "maximize",
        "auc": "maximize",
        "logloss": "minimize",
    }


def test_bucket_19_return_is_the_top_of_20_buckets() -> None:
    score, alpha = _hand_made()
    alias = resolve_metric("bucket_19_return", 20)
    assert alias.name == "top_bucket_return"
    assert alias(None, score, alpha) == resolve_metric("top_bucket_return", 20)(None, score, alpha)
    with pytest.raises(InvalidParameterError, match=r"top bucket of 20, but n_buckets=10"):
        resolve_metric("bucket_19_return", 10)


@pytest.mark.parametrize("bad", ["sharpe", "AUC", 3, None])
def test_unknown_metric_lists_the_valid_ones(bad: Any) -> None:
    with pytest.raises(InvalidParameterError, match=r"unknown; valid metrics are") as info:
        resolve_metric(bad, 20)
    for name in (*METRICS, "bucket_19_return"):
        assert name in str(info.value)


def test_a_bare_callable_is_refused_wrap_it_in_metric() -> None:
    def my_score(y: Any, s: Any, a: Any, w: Any) -> float:
        return 0.0

    with pytest.raises(TrTypeError, match=r"'my_score' without a direction.*Metric\(func"):
        resolve_metric(my_score, 20)
    custom = Metric(my_score, "minimize")
    assert resolve_metric(custom, 20) is custom
    assert custom.name == "my_score"
    assert not custom.builtin


def test_metric_checks_its_own_fields() -> None:
    with pytest.raises(TrTypeError, match=r"Metric.func must be callable"):
        Metric("auc", "maximize")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"'maximize' or 'minimize', got 'max'"):
        Metric(lambda *a: 0.0, "max")  # type: ignore[arg-type]


def _mse(y_true: Any, score: Any, alpha: Any, sample_weight: Any) -> float:
    return float(np.mean((np.asarray(y_true) - score) ** 2))


def test_a_custom_minimized_metric_runs_end_to_end(frame: pd.DataFrame, columns: dict) -> None:
    opt = ModelOptimizer(
        Ridge(),
        {"alpha": ("float", 1e-2, 1e4, "log")},
        metric=Metric(_mse, "minimize", name="mse"),
        n_trials=5,
        pruner="none",
        random_state=0,
        verbose=False,
    )
    result = opt.optimize(
        frame,
        features=COMPLETE_FEATURES,
        target=columns["target"],
        times=columns["times"],
        label_ends=columns["label_ends"],
    )
    assert result.direction == "minimize"
    assert result.metric == "mse"
    done = result.trials[result.trials["state"] == "COMPLETE"]
    assert len(done) == 5
    assert result.best_value == done["value"].min()
    assert result.best_trial == done["value"].idxmin()
    # The trial value is the mean of its fold scores.
    folds = done[[f"fold_{k}" for k in range(result.n_folds)]]
    np.testing.assert_allclose(done["value"], folds.mean(axis=1))


def test_tied_top_scores_use_the_highest_occupied_bucket() -> None:
    # 0/1 scores on 100 rows: the 30 ones share bucket ceil(84.5*20/99)-1 = 17; bucket 19 is
    # empty, so the top rows are the occupied bucket 17 and the bottom ones bucket 6.
    score = (np.arange(100) >= 70).astype(np.float64)
    alpha = np.linspace(-1.0, 1.0, 100)
    top = resolve_metric("top_bucket_return", 20)(None, score, alpha)
    assert top == pytest.approx(alpha[70:].mean())
    spread = resolve_metric("spread", 20)(None, score, alpha)
    assert spread == pytest.approx(alpha[70:].mean() - alpha[:70].mean())


def test_a_constant_score_ranks_nothing() -> None:
    alpha = np.linspace(-1.0, 2.0, 50)
    score = np.full(50, 0.3)
    assert resolve_metric("top_bucket_return", 20)(None, score, alpha) == pytest.approx(0.5)
    assert resolve_metric("spread", 20)(None, score, alpha) == 0.0
    assert resolve_metric("ic", 20)(None, score, alpha) == 0.0
