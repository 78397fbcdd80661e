"""compare_to_base_models: same out-of-sample rows, numbers read from the results, planted truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from tr_core.errors import (
    InvalidParameterError,
    MissingColumnError,
    NonFiniteError,
    TrTypeError,
)
from tr_core.splits import WalkForward, checked_folds
from tr_core.synthetic import make_insider_trades
from tr_ensemble.comparison import EnsembleComparison, compare_to_base_models
from tr_ensemble.stacking import TimeSeriesStackingClassifier, TimeSeriesStackingRegressor
from tr_evaluation import assign_buckets
from tr_evaluation.metrics import selection_bias

# The synthetic market's insider features without missing values, and its pure noise
# (about 5% missing, passed to a booster that takes NaN — never filled).
INSIDER = ["ins_log_value", "ins_own_change", "ins_role_score", "ins_cluster_count"]
NOISE = [f"noise_{i}" for i in range(6)]
FEATURES = INSIDER + NOISE
OUTER = WalkForward(3, times="trade_date", label_ends="label_end")
N_BUCKETS = 10


def _on(columns: list[str], *steps: Any) -> Pipeline:
    """A model that sees only ``columns`` of the features."""
    return make_pipeline(ColumnTransformer([("keep", "passthrough", columns)]), *steps)


def _insider() -> Pipeline:
    return _on(INSIDER, StandardScaler(), LogisticRegression())


def _noise() -> Pipeline:
    booster = HistGradientBoostingClassifier(
        max_iter=10, max_leaf_nodes=8, early_stopping=False, random_state=0
    )
    return _on(NOISE, booster)


def _stack(frame: pd.DataFrame, *pairs: tuple[str, Any]) -> TimeSeriesStackingClassifier:
    # The inner splitter carries the times as Series on frame's index: on each outer fold
    # the stack is fit on a subset of the rows, which tr-core matches by label.
    inner = WalkForward(3, times=frame["trade_date"], label_ends=frame["label_end"])
    return TimeSeriesStackingClassifier(
        list(pairs) or [("insider", _insider()), ("noise", _noise())], cv=inner, verbose=False
    )


@pytest.fixture(scope="module", autouse=True)
def _one_thread() -> Any:
    # Many small fits on a shared machine: OpenMP/BLAS threads only contend (10x slower).
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return make_insider_trades(n_trades=3500, n_years=3, random_state=0).frame


@pytest.fixture(scope="module")
def comparison(frame: pd.DataFrame) -> EnsembleComparison:
    before = frame.copy()
    # The role score and noise_4 (a 0/1 draw) take few values: as baseline rankers their
    # top bucket is empty (ties), which the baselines say.
    with pytest.warns(UserWarning, match="leaves the top bucket 9 empty") as caught:
        result = compare_to_base_models(
            _stack(frame),
            frame,
            OUTER,
            features=FEATURES,
            target="alpha",
            n_buckets=N_BUCKETS,
            n_permutations=100,
            verbose=False,
        )
    assert {str(w.message).split("'")[1] for w in caught} == {"ins_role_score", "noise_4"}
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is never changed
    return result


def test_every_candidate_is_scored_on_the_same_out_of_sample_rows(
    frame: pd.DataFrame, comparison: EnsembleComparison
) -> None:
    folds = checked_folds(OUTER, frame, forward=True, disjoint_tests=True)
    tested = folds.tested_rows()
    assert list(comparison.results) == ["insider", "noise", "ensemble"]
    for result in comparison.results.values():
        assert len(result.folds) == len(folds) == 3
        for fold, (train, test) in zip(result.folds, folds, strict=True):
            np.testing.assert_array_equal(fold.train_positions, train)
            np.testing.assert_array_equal(fold.test_positions, test)
        np.testing.assert_array_equal(np.flatnonzero(result.predictions.notna()), tested)
        assert result.oos.n_rows == tested.size
        # Classifiers are ranked by P(class 1), not by their 0/1 predict.
        scores = result.predictions.to_numpy()[tested]
        assert ((scores > 0) & (scores < 1)).all()
        assert np.unique(scores).size > 2 * N_BUCKETS
    assert (comparison.to_frame()["n_oos"] == tested.size).all()


def test_table_reads_the_walk_forward_results(
    frame: pd.DataFrame, comparison: EnsembleComparison
) -> None:
    table = comparison.to_frame()
    assert list(table.index) == ["insider", "noise", "ensemble"]
    assert table["kind"].tolist() == ["base", "base", "ensemble"]
    tested = np.flatnonzero(comparison.results["ensemble"].predictions.notna())
    up = frame["alpha"].to_numpy()[tested] > 0
    for name, result in comparison.results.items():
        row = table.loc[name]
        assert row["top_bucket_return"] == result.oos.top_bucket_return
        assert row["spread"] == result.oos.spread
        assert row["ic"] == result.oos.ic
        assert row["overfit_gap_top"] == result.overfit_gap["top_bucket_return"]
        assert row["overfit_gap_ic"] == result.overfit_gap["ic"]
        scores = result.predictions.to_numpy()[tested]
        assert row["auc"] == pytest.approx(roc_auc_score(up, scores), abs=1e-12)
    best = table["top_bucket_return"].idxmax()
    assert comparison.best == best
    assert table["best"].tolist() == [name == best for name in table.index]
    # to_frame is a copy.
    table.loc["insider", "ic"] = 99.0
    assert comparison.to_frame().loc["insider", "ic"] != 99.0


def test_planted_truth_insider_model_beats_the_noise_model(
    comparison: EnsembleComparison,
) -> None:
    # The synthetic market's alpha depends on the insider features and not on noise_0..5.
    table = comparison.to_frame()
    insider, noise = table.loc["insider"], table.loc["noise"]
    assert insider["top_bucket_return"] > noise["top_bucket_return"] + 0.02
    assert insider["ic"] > noise["ic"] + 0.05
    assert insider["auc"] > 0.54 > noise["auc"]


def test_ensemble_is_refit_on_each_outer_fold_with_its_inner_splitter(
    frame: pd.DataFrame, comparison: EnsembleComparison
) -> None:
    # Nested: on an outer fold the stack is fit on that fold's training rows only, its
    # inner WalkForward matching their times by index label, and the label is alpha > 0.
    result = comparison.results["ensemble"]
    fold = result.folds[-1]
    train, test = fold.train_positions, fold.test_positions
    by_hand = clone(_stack(frame)).fit(
        frame[FEATURES].iloc[train], (frame["alpha"].iloc[train] > 0).to_numpy(dtype=float)
    )
    assert by_hand.folds_.n_rows == train.size
    assert by_hand.folds_.times.max() < frame["trade_date"].iloc[test].min()
    # Planted truth inside the stack: the meta-learner trusts the insider model more.
    insider, noise = by_hand.final_estimator_.coef_[0]
    assert insider > noise + 1.0
    np.testing.assert_allclose(
        result.predictions.iloc[test],
        by_hand.predict_proba(frame[FEATURES].iloc[test])[:, 1],
        rtol=1e-12,
    )


def test_selection_bias_is_measured_on_monthly_top_bucket_returns(
    frame: pd.DataFrame, comparison: EnsembleComparison
) -> None:
    tested = np.flatnonzero(comparison.results["ensemble"].predictions.notna())
    alpha = frame["alpha"].to_numpy()[tested]
    months = frame["trade_date"].dt.to_period("M").astype(str).to_numpy()[tested]
    for name, result in comparison.results.items():
        # By hand: each month's rows bucketed among themselves; the mean of its top bucket.
        scores = result.predictions.to_numpy()[tested]
        expected = {}
        for month in np.unique(months):
            here = months == month
            buckets = np.asarray(assign_buckets(scores[here], N_BUCKETS))
            if (buckets == N_BUCKETS - 1).any():
                expected[month] = alpha[here][buckets == N_BUCKETS - 1].mean()
        got = comparison.period_returns[name].dropna()
        assert list(got.index) == sorted(expected)
        np.testing.assert_allclose(got.to_numpy(), [expected[m] for m in got.index], rtol=1e-12)
    selection = comparison.selection
    assert selection.n_trials == 3
    assert selection.n_periods == len(comparison.period_returns.dropna()) >= 8
    assert 0.0 <= selection.deflated_sharpe <= 1.0
    assert 0.0 <= selection.pbo <= 1.0
    again = selection_bias(comparison.period_returns, comparison.best, n_tried=3, metric="mean")
    assert (again.deflated_sharpe, again.pbo) == (selection.deflated_sharpe, selection.pbo)


def test_summary_baselines_and_plot(comparison: EnsembleComparison, tmp_path: Path) -> None:
    table = comparison.to_frame()
    summary = json.loads(json.dumps(comparison.summary(), allow_nan=False))
    assert summary["n_candidates"] == 3
    assert summary["best"] == comparison.best
    assert summary["ensemble_is_best"] == (comparison.best == "ensemble")
    margin = summary["ensemble_margin"]
    best_base = table.loc[["insider", "noise"], "top_bucket_return"].idxmax()
    assert margin["over"] == best_base
    assert margin["top_bucket_return"] == pytest.approx(
        table.loc["ensemble", "top_bucket_return"] - table.loc[best_base, "top_bucket_return"]
    )
    assert margin["ic"] == pytest.approx(table.loc["ensemble", "ic"] - table.loc[best_base, "ic"])
    assert summary["selection"]["n_trials"] == 3
    assert summary["selection"]["reading"] == comparison.selection.reading
    assert set(summary["candidates"]) == {"insider", "noise", "ensemble"}
    assert summary["candidates"]["noise"]["ic"] == pytest.approx(table.loc["noise", "ic"])
    # The baselines rank the ensemble's pooled out-of-sample scores: same top bucket.
    baselines = comparison.baselines
    assert baselines is not None
    assert baselines.table.loc["model", "top_bucket_return"] == pytest.approx(
        table.loc["ensemble", "top_bucket_return"], rel=1e-12
    )
    assert {"all trades", "random", *FEATURES} <= set(baselines.table.index)
    assert baselines.random_top_returns.size == 100
    assert set(summary["baselines"]["rankers"]) == set(baselines.table.index)
    text = repr(comparison)
    assert text.startswith("EnsembleComparison(n_candidates=3, ")
    assert "\n" not in text
    fig = comparison.plot()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    path = tmp_path / "comparison.png"
    fig.savefig(path)
    assert path.stat().st_size > 5_000


def test_label_as_column_threshold_or_rule_gives_the_same_fits(frame: pd.DataFrame) -> None:
    small = frame.iloc[:1500]
    stack = _stack(
        small,
        ("size", _on(["ins_log_value"], LogisticRegression())),
        ("role", _on(["ins_role_score", "ins_cluster_count"], LogisticRegression())),
    )
    common: dict[str, Any] = {
        "features": INSIDER,
        "target": "alpha",
        "n_buckets": 5,
        "baselines": False,
        "verbose": False,
    }
    default = compare_to_base_models(stack, small, OUTER, **common)
    up = small.assign(up=(small["alpha"] > 0).astype(int))
    by_column = compare_to_base_models(stack, up, OUTER, label="up", **common)
    by_rule = compare_to_base_models(stack, small, OUTER, label=lambda a: a > 0, **common)
    shifted = compare_to_base_models(stack, small, OUTER, label=0.05, **common)
    assert "alpha_class" not in small.columns
    for name, result in default.results.items():
        for other in (by_column, by_rule):
            pd.testing.assert_series_equal(other.results[name].predictions, result.predictions)
        # Another threshold is another class: other fits.
        assert not np.allclose(
            shifted.results[name].predictions.dropna(), result.predictions.dropna()
        )
    assert default.baselines is None
    assert default.selection.n_trials == 3


class _GappyRegressor(RegressorMixin, BaseEstimator):  # type: ignore[misc]
    """Predicts noise_0 itself, NaN where it is missing."""

    def fit(self, X: pd.DataFrame, y: Any) -> _GappyRegressor:
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: pd.DataFrame) -> Any:
        return X["noise_0"].to_numpy()


def test_a_candidate_that_leaves_rows_unscored_is_refused(frame: pd.DataFrame) -> None:
    # The check that every candidate scored the same rows is made, not assumed: NaN scores
    # would silently drop rows from one candidate's buckets.
    small = frame.iloc[:1500]
    stack = TimeSeriesStackingRegressor(
        [("insider", _on(INSIDER, LinearRegression())), ("gappy", _GappyRegressor())],
        cv=WalkForward(3, times=small["trade_date"]),
        verbose=False,
    )
    common: dict[str, Any] = {"features": FEATURES, "target": "alpha", "verbose": False}
    with pytest.raises(NonFiniteError, match="candidate 'gappy' returned NaN scores for"):
        compare_to_base_models(stack, small, OUTER, n_buckets=5, **common)
    with pytest.raises(InvalidParameterError, match=r"`label`=0\.0 is a class rule"):
        compare_to_base_models(stack, small, OUTER, label=0.0, **common)


def test_bad_input(frame: pd.DataFrame) -> None:
    small = frame.iloc[:600]
    stack = _stack(small)
    common: dict[str, Any] = {"features": FEATURES, "target": "alpha", "verbose": False}
    with pytest.raises(InvalidParameterError, match="`ensemble` must be an unfitted ensemble"):
        compare_to_base_models(LogisticRegression(), small, OUTER, **common)
    with pytest.raises(InvalidParameterError, match="`ensemble` must be"):
        compare_to_base_models(TimeSeriesStackingClassifier, small, OUTER, **common)
    odd = TimeSeriesStackingClassifier("insider")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match=r"`ensemble` .* `estimators` is not a list"):
        compare_to_base_models(odd, small, OUTER, **common)
    with pytest.raises(InvalidParameterError, match="`estimators` is empty"):
        compare_to_base_models(TimeSeriesStackingClassifier([]), small, OUTER, **common)
    named = TimeSeriesStackingClassifier([("ensemble", _insider()), ("noise", _noise())])
    with pytest.raises(InvalidParameterError, match="`ensemble` has a base model named 'ens"):
        compare_to_base_models(named, small, OUTER, **common)
    with pytest.raises(TrTypeError, match="`frame` must be a DataFrame"):
        compare_to_base_models(stack, small.to_numpy(), OUTER, **common)
    with pytest.raises(InvalidParameterError, match="`cv` is None"):
        compare_to_base_models(stack, small, None, **common)
    with pytest.raises(MissingColumnError, match=r"`features` names \['nope'\]"):
        compare_to_base_models(stack, small, OUTER, features=["nope"], target="alpha")
    with pytest.raises(MissingColumnError, match=r"`target` names \['ret'\]"):
        compare_to_base_models(stack, small, OUTER, features=FEATURES, target="ret")
    with pytest.raises(InvalidParameterError, match="`n_permutations` must be a positive"):
        compare_to_base_models(stack, small, OUTER, n_permutations=0, **common)
    with pytest.raises(InvalidParameterError, match="`baselines` must be True or False"):
        compare_to_base_models(stack, small, OUTER, baselines="yes", **common)
    # The inner splitter cannot read a column the ensemble is not given.
    by_name = TimeSeriesStackingClassifier(
        [("insider", _insider())], cv=WalkForward(3, times="trade_date")
    )
    with pytest.raises(InvalidParameterError, match=r"`ensemble.cv` reads its times from"):
        compare_to_base_models(by_name, small, OUTER, **common)
    # evaluate_walk_forward's own checks reach the caller, naming the candidate.
    signs = small.assign(sign=np.sign(small["alpha"]))
    with pytest.raises(InvalidParameterError, match="`label` 'sign' holds") as info:
        compare_to_base_models(stack, signs, OUTER, label="sign", **common)
    assert any("candidate 'insider'" in note for note in info.value.__notes__)
    with pytest.raises(InvalidParameterError, match=r"`features` contains \['alpha'\]"):
        compare_to_base_models(stack, small, OUTER, features=["alpha", *INSIDER], target="alpha")
