"""Blender: exact blends of column-reading models, optimized weights, the time-safe blend slice."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    clone,
    is_classifier,
    is_regressor,
)
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler

from tr_core.errors import (
    FoldError,
    IndexAlignmentError,
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
)
from tr_core.splits import WalkForward
from tr_ensemble.blending import Blender
from tr_ensemble.objectives import log_loss, roc_auc

# ----------------------------------------------------------------- test models


def _column(X: Any, column: Any) -> np.ndarray:
    if isinstance(X, pd.DataFrame):
        return X[column].to_numpy(dtype=float)
    return np.asarray(X, dtype=float)[:, column]


class ColumnProba(ClassifierMixin, BaseEstimator):
    """'Predicts' column ``column`` of X as P(class 1); records what it was fitted on."""

    def __init__(self, column: Any = 0) -> None:
        self.column = column

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> ColumnProba:
        self.classes_ = np.unique(y)
        self.fit_rows_ = _column(X, self.column).copy()
        self.fit_weight_ = None if sample_weight is None else np.asarray(sample_weight)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        p = _column(X, self.column)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[(_column(X, self.column) > 0.5).astype(int)]


class ColumnRegressor(RegressorMixin, BaseEstimator):
    """'Predicts' column ``column`` of X."""

    def __init__(self, column: Any = 0) -> None:
        self.column = column

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> ColumnRegressor:
        self.fit_rows_ = _column(X, self.column).copy()
        return self

    def predict(self, X: Any) -> np.ndarray:
        return _column(X, self.column)


class NoProba(ClassifierMixin, BaseEstimator):
    def fit(self, X: Any, y: Any) -> NoProba:
        self.classes_ = np.unique(y)
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.zeros(len(X), dtype=int)


def two_column_models() -> list[tuple[str, Any]]:
    return [("a", ColumnProba(0)), ("b", ColumnProba(1))]


def blender(**params: Any) -> Blender:
    params.setdefault("verbose", False)
    return Blender(params.pop("estimators", two_column_models()), **params)


# Ten rows in time order; the last two (blend_cv=0.2) are the blend slice.
A = np.array([0.2, 0.7, 0.4, 0.6, 0.3, 0.8, 0.1, 0.9, 0.9, 0.2])
B = np.array([0.5, 0.5, 0.6, 0.3, 0.2, 0.7, 0.4, 0.6, 0.5, 0.4])
Y = np.array([0, 1, 0, 1, 0, 1, 0, 1, 1, 0])
X10 = np.column_stack([A, B])


def planted(n: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Column 0 is the true P(y = 1), column 1 is noise."""
    rng = np.random.default_rng(seed)
    truth = rng.uniform(0.05, 0.95, n)
    noise = rng.uniform(0.0, 1.0, n)
    y = (rng.uniform(size=n) < truth).astype(int)
    return np.column_stack([truth, noise]), y


# ------------------------------------------------------------- exact blends


def test_equal_weights_blend_is_the_exact_average() -> None:
    model = blender(weights="equal").fit(X10, Y)
    assert model.blend_rows_.tolist() == [8, 9]
    assert model.base_rows_.tolist() == list(range(8))
    assert model.weights_.to_dict() == {"a": 0.5, "b": 0.5}
    new = np.array([[0.1, 0.3], [0.9, 0.6], [0.25, 0.75]])
    proba = model.predict_proba(new)
    np.testing.assert_allclose(proba[:, 1], [0.2, 0.75, 0.5], rtol=1e-15)
    np.testing.assert_allclose(proba[:, 0], [0.8, 0.25, 0.5], rtol=1e-15)
    assert model.predict(new).tolist() == [0, 1, 0]  # 0.5 is not above one half
    # blend slice: rows 8 (y=1, p=(0.9+0.5)/2=0.7) and 9 (y=0, p=(0.2+0.4)/2=0.3)
    assert model.objective_value_ == pytest.approx(-math.log(0.7))


def test_candidates_table_by_hand() -> None:
    model = blender(weights="equal").fit(X10, Y)
    table = model.candidates_
    assert table.index.tolist() == ["a", "b", "equal", "rank_average"]
    assert table.columns.tolist() == ["a", "b", "blend", "objective_value", "chosen"]
    assert table[["a", "b"]].to_numpy().tolist() == [[1, 0], [0, 1], [0.5, 0.5], [0.5, 0.5]]
    assert table["blend"].tolist() == ["scores", "scores", "scores", "ranks"]
    assert table["chosen"].tolist() == [False, False, True, False]
    expected = [
        -(math.log(0.9) + math.log(0.8)) / 2,  # a alone: 0.9 for y=1, 0.2 for y=0
        -(math.log(0.5) + math.log(0.6)) / 2,  # b alone: 0.5, 0.4
        -math.log(0.7),  # equal: 0.7, 0.3
        -math.log(0.75),  # ranks on two rows: both models rank row 8 first -> 0.75, 0.25
    ]
    np.testing.assert_allclose(table["objective_value"], expected, rtol=1e-12)


def test_rank_average_by_hand_on_five_rows() -> None:
    model = blender(weights="rank_average").fit(X10, Y)
    assert model.blend_ == "ranks"
    assert model.candidates_.loc["rank_average", "chosen"]
    new = np.column_stack([[0.1, 0.5, 0.3, 0.9, 0.7], [0.8, 0.2, 0.2, 0.4, 0.6]])
    # a's ranks 1,3,2,5,4 -> (r - 1/2)/5 = .1,.5,.3,.9,.7
    # b's ranks 5,1.5,1.5,3,4 -> .9,.2,.2,.5,.7
    np.testing.assert_allclose(
        model.predict_proba(new)[:, 1], [0.5, 0.35, 0.25, 0.7, 0.7], rtol=1e-15
    )
    assert model.predict(new).tolist() == [0, 0, 0, 1, 1]


@pytest.mark.parametrize(
    "weights", [[1, 3], np.array([2.0, 6.0]), pd.Series({"b": 3.0, "a": 1.0}), {"b": 3, "a": 1}]
)
def test_given_weights_are_normalized(weights: Any) -> None:
    model = blender(weights=weights).fit(X10, Y)
    np.testing.assert_allclose(model.weights_.to_numpy(), [0.25, 0.75])
    assert model.weights_.index.tolist() == ["a", "b"]
    new = np.array([[0.2, 0.6], [1.0, 0.0]])
    np.testing.assert_allclose(model.predict_proba(new)[:, 1], [0.5, 0.25])
    table = model.candidates_
    assert table.index.tolist() == ["a", "b", "equal", "rank_average", "given"]
    assert table.loc["given", "chosen"]
    assert table["chosen"].sum() == 1
    # row 8: .25*.9 + .75*.5 = .6 (y=1); row 9: .25*.2 + .75*.4 = .35 (y=0)
    assert model.objective_value_ == pytest.approx(-(math.log(0.6) + math.log(0.65)) / 2)


# ---------------------------------------------------------------- optimized


def test_optimized_logloss_finds_the_true_probability_column() -> None:
    X, y = planted()
    model = blender(blend_cv=0.5).fit(X, y)
    assert model.weights_["a"] > 0.95
    assert model.weights_.sum() == pytest.approx(1.0)
    assert (model.weights_ >= 0).all()
    assert model.optimize_result_.success
    table = model.candidates_
    assert table.index.tolist() == ["a", "b", "equal", "rank_average", "optimize"]
    assert table.loc["optimize", "chosen"]
    assert model.objective_value_ <= table["objective_value"].min() + 1e-12
    # ... and it is the minimum of the (convex) log loss over a fine grid of the simplex.
    blend = model.blend_rows_
    grid = np.linspace(0.0, 1.0, 2001)
    losses = [log_loss(y[blend], w * X[blend, 0] + (1 - w) * X[blend, 1]) for w in grid]
    assert model.objective_value_ <= min(losses) + 1e-9
    assert model.weights_["a"] == pytest.approx(grid[int(np.argmin(losses))], abs=1e-3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_optimized_auc_is_deterministic_and_beats_the_candidates(seed: int) -> None:
    X, y = planted(600, seed=seed)
    first = blender(objective="auc", blend_cv=0.5, random_state=7).fit(X, y)
    again = blender(objective="auc", blend_cv=0.5, random_state=7).fit(X, y)
    pd.testing.assert_series_equal(first.weights_, again.weights_)
    pd.testing.assert_frame_equal(first.candidates_, again.candidates_)
    table = first.candidates_
    assert first.objective_value_ >= table["objective_value"].max() - 1e-12
    blend = first.blend_rows_
    assert first.objective_value_ == pytest.approx(
        roc_auc(y[blend], X[blend] @ first.weights_.to_numpy())
    )
    # Close to the best AUC over a fine grid of the (one-dimensional) simplex.
    grid = np.linspace(0.0, 1.0, 1001)
    best = max(roc_auc(y[blend], w * X[blend, 0] + (1 - w) * X[blend, 1]) for w in grid)
    assert first.objective_value_ >= best - 1e-3
    assert first.weights_["a"] > 0.5


def test_optimized_top_bucket_return_of_regressors() -> None:
    rng = np.random.default_rng(3)
    n = 800
    signal, noise = rng.normal(size=n), rng.normal(size=n)
    y = signal + rng.normal(size=n)  # realized return: the signal plus luck
    X = np.column_stack([signal, noise])
    models = [("signal", ColumnRegressor(0)), ("noise", ColumnRegressor(1))]
    params = {"estimators": models, "objective": "top_bucket_return", "n_buckets": 10}
    first = blender(blend_cv=0.5, random_state=0, **params).fit(X, y)
    again = blender(blend_cv=0.5, random_state=0, **params).fit(X, y)
    pd.testing.assert_series_equal(first.weights_, again.weights_)
    assert is_regressor(first)
    assert not is_classifier(first)
    table = first.candidates_
    assert first.objective_value_ >= table["objective_value"].max() - 1e-12
    assert first.weights_["signal"] > first.weights_["noise"]
    # the objective is the mean return of the blend slice's top decile of the blend
    blend = first.blend_rows_
    scores = X[blend] @ first.weights_.to_numpy()
    top = np.argsort(scores)[-blend.size // 10 :]
    assert first.objective_value_ == pytest.approx(y[blend][top].mean())
    np.testing.assert_allclose(first.predict(X[:3]), X[:3] @ first.weights_.to_numpy())


def test_top_bucket_return_candidates_by_hand() -> None:
    # 16 rows; the blend slice is the last 8 and 4 buckets put its top 2 scores on top.
    a = np.r_[np.zeros(8), [1, 2, 3, 4, 5, 6, 7, 8]]
    b = np.r_[np.zeros(8), [8, 7, 6, 5, 4, 3, 2, 1]]
    c = np.r_[np.zeros(8), [0, 0, 0, 0, 0, 0, 9, 0]]
    returns = np.r_[np.zeros(8), [10, 20, 0, 0, 0, 0, 1, 3]]
    X = np.column_stack([a, b, c])
    models = [("a", ColumnRegressor(0)), ("b", ColumnRegressor(1)), ("c", ColumnRegressor(2))]
    model = blender(
        estimators=models,
        weights="equal",
        objective="top_bucket_return",
        n_buckets=4,
        blend_cv=0.5,
    ).fit(X, returns)
    values = model.candidates_["objective_value"]
    assert values["a"] == 2.0  # rows with a = 8, 7: returns 3, 1
    assert values["b"] == 15.0  # b = 8, 7: returns 10, 20
    # c: the top score 9 (return 1); the seven ties share the mean rank 3 -> bucket 1
    assert values["c"] == 1.0
    # equal: (a+b+c)/3 = 3 everywhere except 6 at the seventh row (return 1) -> alone on top
    assert values["equal"] == 1.0


def test_classifier_top_bucket_return_uses_returns_aligned_by_label() -> None:
    X, y = planted(400, seed=4)
    labels = pd.Index([f"r{i}" for i in range(400)])
    frame = pd.DataFrame(X, index=labels, columns=["truth", "noise"])
    realized = pd.Series(np.where(y == 1, 1.0, -1.0), index=labels)
    models = [("truth", ColumnProba("truth")), ("noise", ColumnProba("noise"))]
    params = {"estimators": models, "objective": "top_bucket_return", "n_buckets": 5}
    model = blender(**params).fit(frame, pd.Series(y, index=labels), returns=realized)
    shuffled = realized.sample(frac=1.0, random_state=0)
    again = blender(**params).fit(frame, pd.Series(y, index=labels), returns=shuffled)
    pd.testing.assert_frame_equal(model.candidates_, again.candidates_)
    assert model.candidates_.loc["truth", "objective_value"] > 0.5


# -------------------------------------------------------------- the blend slice


def test_blend_slice_follows_a_datetime_index_and_keeps_timestamps_together() -> None:
    days = pd.to_datetime(
        [f"2024-01-0{d}" for d in (1, 2, 3, 4, 5, 6, 7, 8, 8, 9)]
    )  # rows 7 and 8 share a day
    order = np.array([3, 0, 9, 1, 8, 2, 7, 4, 6, 5])  # rows not sorted by time
    frame = pd.DataFrame({"a": A, "b": B}, index=days)
    shuffled = frame.iloc[order]
    y = pd.Series(Y, index=days).iloc[order]
    models = [("a", ColumnProba("a")), ("b", ColumnProba("b"))]
    model = blender(estimators=models, weights="equal", blend_cv=0.3).fit(shuffled, y)
    blend_days = shuffled.index[model.blend_rows_]
    assert sorted(blend_days) == list(days[7:])
    assert model.blend_predictions_.index.equals(blend_days)
    np.testing.assert_allclose(model.blend_predictions_["a"], shuffled["a"].iloc[model.blend_rows_])


def test_explicit_pair_and_a_walk_forward_give_the_blend_slice() -> None:
    model = blender(weights="equal", blend_cv=(np.arange(6), np.arange(7, 10))).fit(X10, Y)
    assert model.base_rows_.tolist() == [0, 1, 2, 3, 4, 5]
    assert model.blend_rows_.tolist() == [7, 8, 9]
    mask = np.zeros(10, dtype=bool)
    mask[8:] = True
    masked = blender(weights="equal", blend_cv=(~mask, mask)).fit(X10, Y)
    assert masked.blend_rows_.tolist() == [8, 9]

    times = pd.Series(pd.date_range("2024-01-01", periods=10, freq="D"))
    ends = times + pd.Timedelta(days=2)  # each outcome known two days later
    walk = WalkForward(2, times=times, label_ends=ends)
    model = blender(weights="equal", blend_cv=walk).fit(X10, Y)
    # the last of three blocks tests rows 7..9 (from Jan 8); rows 5 and 6 (Jan 6, 7) have
    # outcomes open until Jan 8, 9 and are purged from the base rows
    assert model.blend_rows_.tolist() == [7, 8, 9]
    assert model.base_rows_.tolist() == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "blend_cv",
    [
        (np.r_[0:6, 8], np.array([6, 7, 9])),  # a base row after the blend slice starts
        (np.arange(8), np.arange(6, 10)),  # rows on both sides
    ],
)
def test_explicit_pair_overlapping_the_base_rows_is_a_fold_error(blend_cv: Any) -> None:
    with pytest.raises(FoldError, match="`blend_cv`") as info:
        blender(blend_cv=blend_cv).fit(X10, Y)
    assert "overlaps the base models' training rows" in str(info.value)
    assert "Fix:" in str(info.value)
    assert isinstance(info.value.__cause__, FoldError)


class LastRowsSplit:
    """A hand-written splitter with label windows: trains on rows 0..6, tests 7..9."""

    def __init__(self, times: Any, label_ends: Any) -> None:
        self.times, self.label_ends = times, label_ends

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Any:
        yield np.arange(7), np.arange(7, 10)


def test_splitter_whose_last_fold_overlaps_is_a_fold_error() -> None:
    times = pd.Series(pd.date_range("2024-01-01", periods=10, freq="D"))
    ends = times + pd.Timedelta(days=2)  # rows 5, 6 are still open on Jan 8
    with pytest.raises(FoldError, match="overlaps the base models' training rows") as info:
        blender(blend_cv=LastRowsSplit(times, ends)).fit(X10, Y)
    assert "label windows" in str(info.value)
    # without label windows the same fold is forward and clean
    model = blender(weights="equal", blend_cv=LastRowsSplit(times, None)).fit(X10, Y)
    assert model.blend_rows_.tolist() == [7, 8, 9]
    # a shuffled k-fold's last fold trains on later rows
    with pytest.raises(FoldError, match="`blend_cv`"):
        blender(blend_cv=KFold(3, shuffle=True, random_state=0)).fit(X10, Y)


# ------------------------------------------------------ weights, refit, labels


def test_sample_weight_reaches_base_fits_and_weights_the_blend_slice() -> None:
    w = np.arange(1.0, 11.0)
    base_only = blender(weights="equal", refit=False).fit(X10, Y, sample_weight=w)
    np.testing.assert_array_equal(base_only.estimators_[0].fit_weight_, w[:8])
    np.testing.assert_array_equal(base_only.estimators_[0].fit_rows_, A[:8])
    refit = blender(weights="equal").fit(X10, Y, sample_weight=w)
    np.testing.assert_array_equal(refit.estimators_[1].fit_weight_, w)
    np.testing.assert_array_equal(refit.named_estimators_["b"].fit_rows_, B)
    # blend slice weights 9 (row 8, p=0.7, y=1) and 10 (row 9, p=0.3, y=0)
    assert refit.objective_value_ == pytest.approx(-(9 * math.log(0.7) + 10 * math.log(0.7)) / 19)
    a_alone = refit.candidates_.loc["a", "objective_value"]
    assert a_alone == pytest.approx(-(9 * math.log(0.9) + 10 * math.log(0.8)) / 19)


def test_callable_sample_weight_is_computed_on_the_rows_each_fit_uses() -> None:
    frame = pd.DataFrame({"a": A, "b": B, "w": np.arange(1.0, 11.0)})
    models = [("a", ColumnProba("a")), ("b", ColumnProba("b"))]
    seen: list[int] = []

    def weigh(rows: pd.DataFrame) -> pd.Series:
        seen.append(len(rows))
        return rows["w"]

    model = blender(estimators=models, weights="equal").fit(frame, Y, sample_weight=weigh)
    assert seen == [8, 2, 10]  # base rows, blend slice, refit on all rows
    np.testing.assert_array_equal(model.estimators_[0].fit_weight_, frame["w"])


def test_frame_and_series_are_aligned_by_label_and_not_modified() -> None:
    X, y = planted(300, seed=5)
    labels = np.random.default_rng(0).permutation(300) + 1000
    frame = pd.DataFrame({"p": X[:, 0], "u": X[:, 1]}, index=labels)
    before = frame.copy()
    models = [("p", ColumnProba("p")), ("u", ColumnProba("u"))]
    y_by_label = pd.Series(y, index=labels).sort_index()  # another order than the frame
    weights = pd.Series(np.linspace(1.0, 2.0, 300), index=labels)
    model = blender(estimators=models).fit(
        frame, y_by_label, sample_weight=weights.sort_index(ascending=False)
    )
    reference = blender(estimators=models).fit(frame, y, sample_weight=weights.to_numpy())
    pd.testing.assert_series_equal(model.weights_, reference.weights_)
    pd.testing.assert_frame_equal(model.candidates_, reference.candidates_)
    model.predict_proba(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert model.feature_names_in_.tolist() == ["p", "u"]
    assert model.n_features_in_ == 2


def test_refit_false_keeps_the_base_row_models() -> None:
    model = blender(weights="equal", refit=False).fit(X10, Y)
    assert all(m.fit_rows_.size == 8 for m in model.estimators_)
    refit = blender(weights="equal").fit(X10, Y)
    assert all(m.fit_rows_.size == 10 for m in refit.estimators_)


def test_single_model_gets_all_the_weight() -> None:
    model = blender(estimators=[("a", ColumnProba(0))]).fit(X10, Y)
    assert model.weights_.to_dict() == {"a": 1.0}
    assert model.optimize_result_ is None


# ------------------------------------------------------- estimator protocol


def test_estimator_type_follows_the_base_models() -> None:
    classifier = blender()
    regressor = blender(estimators=[("r", ColumnRegressor(0))])
    assert is_classifier(classifier)
    assert not is_regressor(classifier)
    assert is_regressor(regressor)
    assert not is_classifier(regressor)
    assert hasattr(classifier, "predict_proba")
    assert not hasattr(regressor, "predict_proba")
    fitted = blender(weights="equal").fit(X10, Y)
    assert fitted.classes_.tolist() == [0, 1]
    assert fitted.score(X10, Y) == pytest.approx(np.mean(fitted.predict(X10) == Y))


def test_clone_and_get_params_round_trip() -> None:
    model = blender(weights=[1, 2], objective="auc", blend_cv=0.3, n_buckets=5, random_state=3)
    params = model.get_params(deep=False)
    assert params["weights"] == [1, 2]
    assert params["blend_cv"] == 0.3
    copy = clone(model)
    assert copy.get_params(deep=False).keys() == params.keys()
    assert copy.get_params()["a__column"] == 0
    copy.set_params(a__column=1, random_state=5)
    assert copy.named_estimators["a"].column == 1
    assert copy.random_state == 5
    assert model.named_estimators["a"].column == 0
    fitted = blender(weights="equal").fit(X10, Y)
    assert not hasattr(clone(fitted), "weights_")


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("params", "error", "names"),
    [
        (
            {"estimators": [("a", ColumnProba(0)), ("r", ColumnRegressor(1))]},
            InvalidParameterError,
            "estimators",
        ),
        (
            {"estimators": [("a", ColumnProba(0)), ("s", StandardScaler())]},
            InvalidParameterError,
            r"`estimators`.*neither \['s'\]",
        ),
        ({"estimators": [("equal", ColumnProba(0))]}, InvalidParameterError, "equal"),
        ({"estimators": [("n", NoProba())]}, InvalidParameterError, "predict_proba"),
        ({"weights": [1.0]}, LengthMismatchError, "`weights`"),
        ({"weights": [1.0, 2.0, 3.0]}, LengthMismatchError, "`weights`"),
        ({"weights": [[1.0, 2.0]]}, LengthMismatchError, "`weights`"),
        ({"weights": [-1.0, 2.0]}, InvalidParameterError, "`weights`"),
        ({"weights": [0.0, 0.0]}, InvalidParameterError, "`weights`"),
        ({"weights": "best"}, InvalidParameterError, "`weights`"),
        ({"weights": 0.5}, InvalidParameterError, "`weights`"),
        ({"weights": pd.Series({"a": 1.0, "z": 1.0})}, IndexAlignmentError, "`weights`"),
        ({"objective": "sharpe"}, InvalidParameterError, "`objective`"),
        ({"objective": "top_bucket_return"}, InvalidParameterError, "`returns`"),
        ({"blend_cv": 0.0}, InvalidParameterError, "`blend_cv`"),
        ({"blend_cv": 1.0}, InvalidParameterError, "`blend_cv`"),
        ({"blend_cv": 1}, InvalidParameterError, "`blend_cv`"),
        ({"blend_cv": True}, InvalidParameterError, "`blend_cv`"),
        ({"blend_cv": "last"}, InvalidParameterError, "`blend_cv`"),
        ({"blend_cv": (np.arange(8),)}, InvalidParameterError, "`blend_cv`"),
        ({"blend_cv": ([0.5, 1.5], [2, 3])}, InvalidParameterError, "`blend_cv`"),
        ({"n_buckets": 1}, InvalidParameterError, "`n_buckets`"),
        ({"refit": "yes"}, InvalidParameterError, "`refit`"),
        ({"verbose": 1}, InvalidParameterError, "`verbose`"),
        ({"random_state": 1.5}, InvalidParameterError, "`random_state`"),
        ({"n_jobs": 0}, InvalidParameterError, "`n_jobs`"),
    ],
)
def test_bad_parameters(params: dict[str, Any], error: type[Exception], names: str) -> None:
    with pytest.raises(error, match=names):
        blender(**params).fit(X10, Y)


@pytest.mark.parametrize("objective", ["logloss", "auc"])
def test_probability_objectives_need_classifiers(objective: str) -> None:
    with pytest.raises(InvalidParameterError, match=r"`objective`.*top_bucket_return"):
        blender(estimators=[("r", ColumnRegressor(0))], objective=objective).fit(X10, A)


def test_bad_data() -> None:
    with pytest.raises(InvalidParameterError, match="`y` has 3 class"):
        blender().fit(X10, np.r_[Y[:9], 2])
    with pytest.raises(LengthMismatchError, match="`y`"):
        blender().fit(X10, Y[:9])
    with pytest.raises(LengthMismatchError, match="`returns`"):
        blender(objective="top_bucket_return").fit(X10, Y, returns=np.zeros(9))
    with pytest.raises(InsufficientDataError, match="blend slice"):
        blender().fit(X10, np.r_[Y[:8], 1, 1])  # the blend slice has one class
    with pytest.raises(InvalidParameterError, match="sample_weight"):
        blender(estimators=[("n", NoWeights())]).fit(X10, Y, sample_weight=np.ones(10))


class NoWeights(ColumnProba):
    def fit(self, X: Any, y: Any) -> NoWeights:  # type: ignore[override]
        self.classes_ = np.unique(y)
        return self
