"""single_feature_importance (SFI): fold values by hand, own complete rows, labels, bad input."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.linear_model import LinearRegression
from xgboost import XGBClassifier

from tr_core.errors import (
    FeatureTypeError,
    InsufficientDataError,
    InvalidParameterError,
    MissingColumnError,
    NonFiniteError,
    ZeroWeightError,
)
from tr_core.splits import WalkForward
from tr_feature_selection.importance import SingleFeatureImportance, single_feature_importance

SEEN: list[dict[str, Any]] = []


class SpyClassifier(ClassifierMixin, BaseEstimator):
    """Records what it was fitted on; scores rows by their (single) feature value."""

    def fit(self, X: pd.DataFrame, y: Any, sample_weight: Any = None) -> SpyClassifier:
        SEEN.append({"columns": list(X.columns), "y": np.asarray(y), "w": sample_weight})
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-X.to_numpy()[:, 0]))
        return np.column_stack([1.0 - p, p])


class SpyRegressor(RegressorMixin, BaseEstimator):
    """Records the target it was fitted on; predicts the feature value."""

    def fit(self, X: pd.DataFrame, y: Any) -> SpyRegressor:
        SEEN.append({"columns": list(X.columns), "y": np.asarray(y)})
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return X.to_numpy()[:, 0]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(21)
    n = 300
    frame = pd.DataFrame(
        {
            "time": pd.date_range("2020-01-01", periods=n, freq="D"),
            "x": rng.normal(size=n),
            "gappy": rng.normal(size=n),
            "late": rng.normal(size=n),
            "w": rng.uniform(0.5, 2.0, size=n),
        }
    )
    frame["y"] = 0.5 * frame["x"] - 0.3 * frame["gappy"] + rng.normal(size=n)
    frame.loc[rng.random(n) < 0.3, "gappy"] = np.nan
    frame.loc[:179, "late"] = np.nan  # present only from row 180 on
    return frame


def _folds(frame: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    return list(WalkForward(3, times="time").split(frame))


def test_fold_scores_by_hand(data) -> None:
    # LinearRegression on one feature ranks test rows by sign(coef) * x, so the fold's IC
    # is sign(coef) * Spearman(x, y) over the test rows where x is present.
    res = single_feature_importance(
        data,
        features=["x", "gappy"],
        target="y",
        splitter=WalkForward(3, times="time"),
        model=LinearRegression(),
        metric="ic",
    )
    for name in ("x", "gappy"):
        for k, (train, test) in enumerate(_folds(data)):
            col = data[name].to_numpy()
            tr, te = train[~np.isnan(col[train])], test[~np.isnan(col[test])]
            coef = LinearRegression().fit(col[tr, None], data["y"].to_numpy()[tr]).coef_[0]
            expected = np.sign(coef) * spearmanr(col[te], data["y"].to_numpy()[te]).statistic
            assert res.scores.loc[name, k] == pytest.approx(expected, abs=1e-12)
            assert (res.n_train.loc[name, k], res.n_test.loc[name, k]) == (tr.size, te.size)
    assert res.n_rows.to_dict() == {"x": 300, "gappy": int(data["gappy"].notna().sum())}
    assert res.mean["x"] == pytest.approx(res.scores.loc["x"].mean())
    assert res.std["x"] == pytest.approx(res.scores.loc["x"].std(ddof=1))


def test_a_fold_without_present_training_rows_is_unscored(data) -> None:
    # WalkForward(3) on 300 days tests rows 75-149, 150-224, 225-299; `late` exists from
    # row 180 on, so only the last fold has training rows (180-224) for it, and the first
    # has no test rows either.
    res = single_feature_importance(
        data,
        features=["late"],
        target="y",
        splitter=WalkForward(3, times="time"),
        model=LinearRegression(),
        metric="ic",
    )
    assert res.n_train.loc["late"].tolist() == [0, 0, 45]
    assert res.n_test.loc["late"].tolist() == [0, 45, 75]
    assert np.isnan(res.scores.loc["late", 0])
    assert np.isnan(res.scores.loc["late", 1])
    assert np.isfinite(res.scores.loc["late", 2])
    assert res.mean["late"] == res.scores.loc["late", 2]
    assert res.to_frame().loc["late", "n_folds_scored"] == 1


def test_a_fold_with_fewer_test_rows_than_buckets_is_unscored(data) -> None:
    # `late` exists from row 180: its last fold trains on 45 rows and tests 75, the middle
    # fold tests 45 (rows 180-224) but has no training rows. With 60 buckets the last
    # fold still has enough test rows; with 80 it does not and is left unscored.
    kwargs = {
        "features": ["late"],
        "target": "y",
        "splitter": WalkForward(3, times="time"),
        "model": LinearRegression(),
        "metric": "top_bucket_return",
    }
    assert np.isfinite(
        single_feature_importance(data, n_buckets=60, **kwargs).scores.loc["late", 2]
    )
    few = single_feature_importance(data, n_buckets=80, **kwargs)
    assert few.n_test.loc["late"].tolist() == [0, 45, 75]
    assert few.scores.loc["late"].isna().all()


def test_classifier_trains_on_labels_of_its_own_rows_with_weights(data) -> None:
    SEEN.clear()
    median_rule = lambda t: t > t.median()  # noqa: E731 — a label rule of the slice
    single_feature_importance(
        data,
        features=["gappy"],
        target="y",
        splitter=WalkForward(3, times="time"),
        model=SpyClassifier(),
        label=median_rule,
        sample_weight="w",
    )
    assert len(SEEN) == 3
    for record, (train, _) in zip(SEEN, _folds(data), strict=True):
        rows = train[data["gappy"].notna().to_numpy()[train]]
        y = data["y"].to_numpy()[rows]
        assert record["columns"] == ["gappy"]
        assert record["y"].tolist() == (y > np.median(y)).astype(int).tolist()
        assert np.asarray(record["w"]) == pytest.approx(data["w"].to_numpy()[rows])


def test_regressor_trains_on_the_target_itself(data) -> None:
    SEEN.clear()
    res = single_feature_importance(
        data,
        features=["x"],
        target="y",
        splitter=WalkForward(3, times="time"),
        model=SpyRegressor(),
        metric="auc",
    )
    for record, (train, _) in zip(SEEN, _folds(data), strict=True):
        assert record["y"] == pytest.approx(data["y"].to_numpy()[train])
    assert res.metric == "auc"
    assert (res.scores.loc["x"] > 0.5).all()  # x drives y positively


def test_seeded_xgboost_is_reproducible_and_frame_untouched(data, tmp_path) -> None:
    before = data.copy()
    model = XGBClassifier(n_estimators=5, max_depth=2, subsample=0.7, n_jobs=1)
    runs = [
        single_feature_importance(
            data,
            features=["x", "gappy"],
            target="y",
            splitter=WalkForward(3, times="time"),
            model=model,
            random_state=3,
            verbose=False,
        )
        for _ in range(2)
    ]
    pd.testing.assert_frame_equal(runs[0].scores, runs[1].scores)
    pd.testing.assert_frame_equal(data, before)
    res = runs[0]
    assert isinstance(res, SingleFeatureImportance)
    assert res.to_frame().columns.tolist() == [
        "mean",
        "std",
        "n_folds_scored",
        "n_rows",
        "n_train_rows",
        "n_test_rows",
    ]
    summary = json.loads(json.dumps(res.summary()))
    assert summary["n_folds"] == 3
    assert summary["metric"] == "auc"
    assert list(summary["importance"]) == res.importance.index.tolist()
    res.plot().savefig(tmp_path / "sfi.png")
    assert (tmp_path / "sfi.png").stat().st_size > 0


def test_bad_input(data) -> None:
    cv = WalkForward(3, times="time")
    kw: dict[str, Any] = {"target": "y", "splitter": cv, "model": LinearRegression()}
    with pytest.raises(MissingColumnError, match=r"\['nope'\]"):
        single_feature_importance(data, features=["x", "nope"], **kw)
    with pytest.raises(InvalidParameterError, match="empty"):
        single_feature_importance(data, features=[], **kw)
    with pytest.raises(InvalidParameterError, match=r"write \['x'\]"):
        single_feature_importance(data, features="x", **kw)  # type: ignore[arg-type]
    with pytest.raises(FeatureTypeError, match="'x'"):
        single_feature_importance(data.assign(x="a"), features=["x"], **kw)
    bad = data.assign(y=data["y"].where(data.index != 7))
    with pytest.raises(NonFiniteError, match=r"target 'y'.*row \[7\]"):
        single_feature_importance(bad, features=["x"], **kw)
    with pytest.raises(InvalidParameterError, match="negative"):
        single_feature_importance(data, features=["x"], sample_weight=-data["w"], **kw)
    with pytest.raises(MissingColumnError, match="'weight'"):
        single_feature_importance(data, features=["x"], sample_weight="weight", **kw)
    with pytest.raises(InvalidParameterError, match="split"):
        single_feature_importance(
            data, features=["x"], target="y", splitter=3, model=LinearRegression()
        )


def test_single_class_training_rows_leave_the_fold_unscored(data) -> None:
    never = lambda t: t > 1e9  # noqa: E731 — every row class 0
    res = single_feature_importance(
        data,
        features=["x"],
        target="y",
        splitter=WalkForward(3, times="time"),
        model=SpyClassifier(),
        label=never,
    )
    assert res.scores.isna().all(axis=None)
    assert np.isnan(res.importance["x"])
    assert res.summary()["importance"] == {"x": None}


def test_a_splitter_without_folds(data) -> None:
    class Empty:
        def split(self, frame: pd.DataFrame) -> list[Any]:
            return []

    with pytest.raises(InsufficientDataError, match="no folds"):
        single_feature_importance(
            data, features=["x"], target="y", splitter=Empty(), model=LinearRegression()
        )


def test_weights_must_be_aligned_and_not_all_zero(data) -> None:
    # A Series of weights sorted by value would weight every row with another row's weight.
    kw: dict[str, Any] = {"target": "y", "splitter": WalkForward(3, times="time")}
    kw["model"] = LinearRegression()
    with pytest.raises(InvalidParameterError, match="`sample_weight` is indexed differently"):
        single_feature_importance(data, features=["x"], sample_weight=data["w"].sort_values(), **kw)
    with pytest.raises(ZeroWeightError, match="zero in all"):
        single_feature_importance(data, features=["x"], sample_weight=np.zeros(len(data)), **kw)
    by_name = single_feature_importance(data, features=["x"], sample_weight="w", **kw)
    by_array = single_feature_importance(
        data, features=["x"], sample_weight=data["w"].to_numpy(), **kw
    )
    pd.testing.assert_frame_equal(by_name.scores, by_array.scores)
