"""single_feature_importance (SFI): fold values by hand, own complete rows, labels, bad input."""

from __future__ import annotations

import json
from typing import Any

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold
from xgboost import XGBClassifier

from tr_core.errors import (
    FeatureTypeError,
    FoldError,
    IndexAlignmentError,
    InvalidParameterError,
    LookaheadError,
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
        cv=WalkForward(3, times="time"),
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
        cv=WalkForward(3, times="time"),
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
        "cv": WalkForward(3, times="time"),
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
        cv=WalkForward(3, times="time"),
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
        cv=WalkForward(3, times="time"),
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
            cv=WalkForward(3, times="time"),
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
    kw: dict[str, Any] = {"target": "y", "cv": cv, "model": LinearRegression()}
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
    # An integer would be an unpurged k-fold over rows: refused by tr-core's fold check.
    with pytest.raises(InvalidParameterError, match=r"`cv`=3: an integer"):
        single_feature_importance(data, features=["x"], target="y", cv=3, model=LinearRegression())
    with pytest.raises(InvalidParameterError, match="`cv` is required"):
        single_feature_importance(data, features=["x"], target="y", model=LinearRegression())
    with pytest.raises(InvalidParameterError, match="`n_jobs` must be"):
        single_feature_importance(data, features=["x"], n_jobs=0, **kw)


def test_single_class_training_rows_leave_the_fold_unscored(data) -> None:
    never = lambda t: t > 1e9  # noqa: E731 — every row class 0
    res = single_feature_importance(
        data,
        features=["x"],
        target="y",
        cv=WalkForward(3, times="time"),
        model=SpyClassifier(),
        label=never,
    )
    assert res.scores.isna().all(axis=None)
    assert np.isnan(res.importance["x"])
    assert res.summary()["importance"] == {"x": None}


def test_a_splitter_without_folds(data) -> None:
    # Was InsufficientDataError from SFI's own check; tr-core's fold check now says it.
    class Empty:
        times = "time"

        def split(self, X: Any, y: Any = None, groups: Any = None) -> list[Any]:
            return []

    with pytest.raises(FoldError, match="yielded no fold"):
        single_feature_importance(
            data, features=["x"], target="y", cv=Empty(), model=LinearRegression()
        )


def test_weights_are_paired_by_label_and_not_all_zero(data) -> None:
    # A Series of weights sorted by value is matched to the frame by index label (the
    # shared alignment rule), so it weights every row with its own weight; labels that
    # are not the frame's are refused.
    kw: dict[str, Any] = {"target": "y", "cv": WalkForward(3, times="time")}
    kw["model"] = LinearRegression()
    by_name = single_feature_importance(data, features=["x"], sample_weight="w", **kw)
    by_array = single_feature_importance(
        data, features=["x"], sample_weight=data["w"].to_numpy(), **kw
    )
    by_label = single_feature_importance(
        data, features=["x"], sample_weight=data["w"].sort_values(), **kw
    )
    pd.testing.assert_frame_equal(by_name.scores, by_array.scores)
    pd.testing.assert_frame_equal(by_name.scores, by_label.scores)
    with pytest.raises(IndexAlignmentError, match="`sample_weight` does not describe"):
        single_feature_importance(
            data, features=["x"], sample_weight=data["w"].set_axis(data.index + 1), **kw
        )
    with pytest.raises(ZeroWeightError, match="zero in all"):
        single_feature_importance(data, features=["x"], sample_weight=np.zeros(len(data)), **kw)


def test_zero_weights_on_a_features_rows_are_refused_naming_feature_and_fold(data) -> None:
    # `late` is present from row 180; weights of 0 there leave its model nothing to fit.
    w = np.where(np.arange(len(data)) >= 180, 0.0, 1.0)
    with pytest.raises(ZeroWeightError, match=r"`sample_weight` \(feature 'late', fold 2\)"):
        single_feature_importance(
            data,
            features=["x", "late"],
            target="y",
            cv=WalkForward(3, times="time"),
            model=LinearRegression(),
            sample_weight=w,
        )


def test_a_weighter_sees_only_each_folds_training_rows(data) -> None:
    # A callable sample_weight is computed on each fold's training rows (never the test
    # rows); the model of a feature gets the weights of its present training rows.
    SEEN.clear()
    calls: list[list[int]] = []

    def recency(train: pd.DataFrame) -> pd.Series:
        calls.append(train.index.tolist())
        return pd.Series(np.linspace(1.0, 2.0, len(train)), index=train.index)

    single_feature_importance(
        data,
        features=["gappy"],
        target="y",
        cv=WalkForward(3, times="time"),
        model=SpyClassifier(),
        sample_weight=recency,
        verbose=False,
    )
    folds = _folds(data)
    assert calls == [data.index[train].tolist() for train, _ in folds]
    for record, (train, _) in zip(SEEN, folds, strict=True):
        keep = data["gappy"].notna().to_numpy()[train]
        expected = np.linspace(1.0, 2.0, train.size)[keep]
        assert np.asarray(record["w"]) == pytest.approx(expected)


class Unpurged:
    """A splitter that carries its times and label ends but yields a plain KFold."""

    times = "time"
    label_ends = "label_end"

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Any:
        return KFold(3).split(X)


def test_an_unpurged_kfold_is_refused(data) -> None:
    # Each row's outcome is known 5 days after its decision, so KFold's training rows just
    # before (and after) a test block carry outcomes that overlap the test period. SFI
    # used to score such folds silently; tr-core's fold check now refuses them.
    frame = data.assign(label_end=data["time"] + pd.Timedelta(days=5))
    kw: dict[str, Any] = {"features": ["x"], "target": "y", "model": LinearRegression()}
    with pytest.raises(FoldError, match="fold 0: 5 training rows have label windows"):
        single_feature_importance(frame, cv=Unpurged(), **kw)
    with pytest.raises(FoldError, match="label windows"):
        single_feature_importance(frame, cv=KFold(3), times="time", label_ends="label_end", **kw)
    # Two rows a day: KFold(3) cuts a day between train and test (rows 99 and 100).
    twice = pd.concat([data, data]).sort_values("time", kind="stable").reset_index(drop=True)
    with pytest.raises(FoldError, match="decision times") as info:
        single_feature_importance(twice.iloc[1:], cv=KFold(3), times="time", **kw)
    assert isinstance(info.value, LookaheadError)
    # Without times nothing can be checked: refused rather than trusted.
    with pytest.raises(InvalidParameterError, match="no decision times"):
        single_feature_importance(frame, cv=KFold(3), **kw)


def test_splitter_is_a_deprecated_spelling_of_cv(data) -> None:
    kw: dict[str, Any] = {"features": ["x"], "target": "y", "model": LinearRegression()}
    new = single_feature_importance(data, cv=WalkForward(3, times="time"), **kw)
    with pytest.warns(FutureWarning, match="`splitter` is deprecated .* use `cv`"):
        old = single_feature_importance(data, splitter=WalkForward(3, times="time"), **kw)
    pd.testing.assert_frame_equal(new.scores, old.scores)
    with pytest.raises(InvalidParameterError, match="pass `cv` only"):
        single_feature_importance(
            data, cv=WalkForward(3, times="time"), splitter=WalkForward(3, times="time"), **kw
        )


def test_results_do_not_depend_on_n_jobs(data) -> None:
    model = XGBClassifier(n_estimators=5, max_depth=2, subsample=0.7, n_jobs=1)
    kw: dict[str, Any] = {
        "features": ["x", "gappy", "late"],
        "target": "y",
        "cv": WalkForward(3, times="time"),
        "model": model,
        "random_state": 3,
        "sample_weight": "w",
        "verbose": False,
    }
    # Threads keep this test quick; test_importance_parallel.py runs the same work in
    # separate processes (loky) and on a Dask cluster.
    one = single_feature_importance(data, n_jobs=1, **kw)
    with joblib.parallel_config(backend="threading"):
        two = single_feature_importance(data, n_jobs=2, **kw)
    pd.testing.assert_frame_equal(one.scores, two.scores)
    pd.testing.assert_frame_equal(one.n_test, two.n_test)
    assert one.scores.notna().sum().sum() == 7  # `late` is scored in its last fold only


def test_repr_is_one_short_line(data) -> None:
    res = single_feature_importance(
        data,
        features=["x", "gappy", "late", "w"],
        target="y",
        cv=WalkForward(3, times="time"),
        model=LinearRegression(),
        metric="ic",
    )
    text = repr(res)
    assert "\n" not in text
    assert len(text) < 200
    top = res.importance.index[0]
    assert text.startswith(
        f"SingleFeatureImportance(metric='ic', 4 features x 3 folds, top: {top}="
    )
