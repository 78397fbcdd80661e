"""evaluate_walk_forward: out-of-sample only, planted truth recovered, bad splitters rejected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import TimeSeriesSplit

from tr_core.errors import (
    FoldError,
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
    MissingColumnError,
    TrTypeError,
    ZeroWeightError,
)
from tr_core.splits import WalkForward
from tr_core.synthetic import make_insider_trades
from tr_evaluation.baselines import BaselineEvaluator
from tr_evaluation.buckets import BucketAnalyzer
from tr_evaluation.walk_forward import evaluate_walk_forward


def _frame(n: int = 600, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "date": pd.date_range("2020-01-01", periods=n, freq="D"),
            "x": rng.normal(size=n),
            "z": rng.normal(size=n),
        },
        index=pd.RangeIndex(1000, 1000 + n),
    )
    frame["ret"] = 0.02 * frame["x"] + rng.normal(scale=0.02, size=n)
    frame["label"] = np.sign(frame["ret"])
    return frame


class RecordingModel:
    """A linear model that records what it was fit on."""

    calls: ClassVar[list[dict[str, Any]]] = []

    def fit(self, X: pd.DataFrame, y: Any, sample_weight: Any = None) -> RecordingModel:
        RecordingModel.calls.append({"n": len(X), "y": np.asarray(y), "w": sample_weight})
        self.model = LinearRegression().fit(X, y, sample_weight=sample_weight)
        return self

    def predict(self, X: pd.DataFrame) -> Any:
        return self.model.predict(X)


def test_out_of_sample_predictions_and_folds(tmp_path: Path) -> None:
    frame = _frame()
    before = frame.copy()
    result = evaluate_walk_forward(
        LinearRegression,
        frame,
        features=["x", "z"],
        target="ret",
        cv=TimeSeriesSplit(n_splits=4),
        times="date",
        n_buckets=5,
        verbose=False,
    )
    pd.testing.assert_frame_equal(frame, before)
    assert len(result.folds) == 4
    assert result.predictions.index.equals(frame.index)
    assert result.predictions.iloc[:120].isna().all()
    assert result.predictions.iloc[120:].notna().all()
    for fold in result.folds:
        assert fold.train_positions.max() < fold.test_positions.min()
        manual = LinearRegression().fit(
            frame[["x", "z"]].iloc[fold.train_positions], frame["ret"].iloc[fold.train_positions]
        )
        np.testing.assert_allclose(
            result.predictions.iloc[fold.test_positions],
            manual.predict(frame[["x", "z"]].iloc[fold.test_positions]),
        )
    assert result.oos.n_rows == 480
    assert repr(result).startswith("WalkForwardResult(n_folds=4, n_oos=480, ")
    assert repr(result.folds[0]).startswith("FoldResult(fold=0, n_train=120, n_test=120, ")
    assert max(len(repr(result)), len(repr(result.folds[0]))) < 250
    assert result.oos.top_bucket_return > result.oos.bottom_bucket_return
    table = result.to_frame()
    assert table["n_test"].tolist() == [120] * 4
    assert result.overfit_gap["top_bucket_return"] == pytest.approx(table["top_gap"].mean())
    summary = json.loads(json.dumps(result.summary(), allow_nan=False))
    assert summary["n_folds"] == 4
    assert summary["oos"]["n_rows"] == 480
    path = tmp_path / "wf.png"
    result.plot().savefig(path)
    assert path.stat().st_size > 5_000


def test_label_weights_and_nan_labels() -> None:
    frame = _frame(n=300, seed=1)
    frame.loc[frame.index[:10], "label"] = np.nan
    frame["w"] = np.linspace(1.0, 2.0, len(frame))
    RecordingModel.calls = []
    evaluate_walk_forward(
        RecordingModel,
        frame,
        features=["x"],
        target="ret",
        label="label",
        cv=TimeSeriesSplit(n_splits=2),
        times="date",
        sample_weight="w",
        n_buckets=5,
        verbose=False,
    )
    first = RecordingModel.calls[0]
    assert first["n"] == 100 - 10
    assert set(np.unique(first["y"])) <= {-1.0, 1.0}
    np.testing.assert_allclose(first["w"], frame["w"].to_numpy()[10:100])
    RecordingModel.calls = []
    evaluate_walk_forward(
        RecordingModel,
        frame,
        features=["x"],
        target="ret",
        cv=TimeSeriesSplit(n_splits=2),
        times="date",
        sample_weight=lambda train: np.full(len(train), 3.0),
        n_buckets=5,
        verbose=False,
    )
    assert [len(c["w"]) for c in RecordingModel.calls] == [100, 200]
    assert all((c["w"] == 3.0).all() for c in RecordingModel.calls)


def test_planted_truth_model_beats_random_out_of_sample() -> None:
    market = make_insider_trades(n_trades=4000, random_state=3)
    frame = market.frame
    informative = [
        f.name for f in market.truth.features if f.group in {"insider", "technical", "market"}
    ]
    result = evaluate_walk_forward(
        lambda: HistGradientBoostingRegressor(
            max_iter=30, max_leaf_nodes=8, early_stopping=False, random_state=0
        ),
        frame,
        features=informative,
        target="alpha",
        cv=WalkForward(n_splits=4, times="trade_date", label_ends="label_end"),
        times="trade_date",
        entities="ticker",
        n_buckets=10,
        verbose=False,
    )
    oos_rows = result.predictions.notna().to_numpy()
    baseline = BaselineEvaluator(n_buckets=10, n_permutations=300, n_bootstrap=100).evaluate(
        result.predictions[oos_rows], frame["alpha"][oos_rows]
    )
    assert baseline.p_value < 0.01
    assert result.oos.ic > 0.05
    assert result.overfit_gap["ic"] > 0


def test_bad_input() -> None:
    frame = _frame(n=100)
    common: dict[str, Any] = {
        "features": ["x"],
        "target": "ret",
        "times": "date",
        "n_buckets": 5,
        "verbose": False,
    }
    split = TimeSeriesSplit(n_splits=2)
    with pytest.raises(MissingColumnError, match="features"):
        evaluate_walk_forward(LinearRegression, frame, **{**common, "features": ["nope"]}, cv=split)
    with pytest.raises(TrTypeError, match="frame"):
        evaluate_walk_forward(LinearRegression, frame.to_numpy(), **common, cv=split)  # type: ignore[arg-type]
    with pytest.raises(MissingColumnError, match="`sample_weight`='nope'"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=split, sample_weight="nope")
    with pytest.raises(LengthMismatchError, match="`sample_weight` has 3 weights"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=split, sample_weight=np.ones(3))

    class Overlapping:
        def split(self, X: Any) -> Any:
            yield np.arange(60), np.arange(50, 100)

    with pytest.raises(InvalidParameterError, match="both"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=Overlapping())

    class Repeating:
        def split(self, X: Any) -> Any:
            yield np.arange(40), np.arange(40, 70)
            yield np.arange(50), np.arange(60, 100)

    with pytest.raises(InvalidParameterError, match="already tested"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=Repeating())

    class Empty:
        def split(self, X: Any) -> Any:
            return iter(())

    with pytest.raises(InvalidParameterError, match="no fold"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=Empty())

    class Tiny:
        def split(self, X: Any) -> Any:
            yield np.arange(50), np.arange(50, 53)

    with pytest.raises(InsufficientDataError, match="fold 0"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=Tiny())

    unlabeled = frame.assign(ret=np.nan)
    with pytest.raises(InsufficientDataError, match="no training row"):
        evaluate_walk_forward(LinearRegression, unlabeled, **common, cv=split)

    class Short(LinearRegression):  # type: ignore[misc]
        def predict(self, X: Any) -> Any:
            return super().predict(X)[:-1]

    with pytest.raises(LengthMismatchError, match="predictions"):
        evaluate_walk_forward(Short, frame, **common, cv=split)
    with pytest.raises(InvalidParameterError, match=r"`sample_weight` \(fold 0\) are negative"):
        evaluate_walk_forward(
            LinearRegression, frame, **common, cv=split, sample_weight=lambda t: -np.ones(len(t))
        )
    with pytest.raises(LengthMismatchError, match=r"returned \(2,\) weights for 34 training"):
        evaluate_walk_forward(
            LinearRegression, frame, **common, cv=split, sample_weight=lambda t: np.ones(2)
        )


def test_target_or_label_among_features_is_rejected() -> None:
    # Regression: the realized return listed as a feature gave a perfect OOS IC of 1.
    frame = _frame(n=200)
    common: dict[str, Any] = {"n_buckets": 5, "verbose": False, "times": "date"}
    split = TimeSeriesSplit(n_splits=2)
    with pytest.raises(InvalidParameterError, match=r"`features` contains \['ret'\]"):
        evaluate_walk_forward(
            LinearRegression, frame, features=["x", "ret"], target="ret", cv=split, **common
        )
    with pytest.raises(InvalidParameterError, match=r"`features` contains \['label'\]"):
        evaluate_walk_forward(
            LinearRegression,
            frame,
            features=["label", "x"],
            target="ret",
            label="label",
            cv=split,
            **common,
        )
    with pytest.raises(InvalidParameterError, match="empty"):
        evaluate_walk_forward(
            LinearRegression, frame, features=[], target="ret", cv=split, **common
        )


def test_training_on_the_future_is_rejected() -> None:
    # Regression: a positional splitter on a frame not sorted by time trained on rows
    # later than the test rows, silently. With `times` every fold is now checked.
    frame = _frame(n=200)
    shuffled = frame.sample(frac=1.0, random_state=0)
    common: dict[str, Any] = {"features": ["x"], "target": "ret", "n_buckets": 5, "verbose": False}
    with pytest.raises(FoldError, match=r"fold 0: training rows .* decided at or after"):
        evaluate_walk_forward(
            LinearRegression, shuffled, **common, cv=TimeSeriesSplit(2), times="date"
        )
    # Two rows per day: TimeSeriesSplit cuts a day in two, so a training row shares
    # the first test timestamp.
    tied = frame.assign(date=np.repeat(pd.date_range("2020-01-01", periods=100), 2))
    with pytest.raises(FoldError, match="first test time"):
        evaluate_walk_forward(
            LinearRegression, tied.iloc[:-1], **common, cv=TimeSeriesSplit(2), times="date"
        )


def test_shuffled_frame_with_duplicate_index_gives_aligned_predictions() -> None:
    frame = _frame(n=300, seed=2)
    kwargs: dict[str, Any] = {
        "features": ["x", "z"],
        "target": "ret",
        "cv": WalkForward(n_splits=3, times="date"),
        "times": "date",
        "n_buckets": 5,
        "verbose": False,
    }
    sorted_result = evaluate_walk_forward(LinearRegression, frame, **kwargs)
    perm = np.random.default_rng(0).permutation(len(frame))
    shuffled = frame.iloc[perm].set_axis(np.zeros(len(frame), dtype=int))
    before = shuffled.copy()
    result = evaluate_walk_forward(LinearRegression, shuffled, **kwargs)
    pd.testing.assert_frame_equal(shuffled, before)
    assert (result.predictions.index == 0).all()
    np.testing.assert_allclose(
        result.predictions.to_numpy(), sorted_result.predictions.to_numpy()[perm], equal_nan=True
    )
    pd.testing.assert_frame_equal(result.to_frame(), sorted_result.to_frame())
    assert result.oos.ic == pytest.approx(sorted_result.oos.ic)


def test_splitter_positions_are_checked() -> None:
    frame = _frame(n=100)
    common: dict[str, Any] = {
        "features": ["x"],
        "target": "ret",
        "times": "date",
        "n_buckets": 5,
        "verbose": False,
    }

    class Mask:
        def split(self, X: Any, y: Any = None, groups: Any = None) -> Any:
            train = np.zeros(len(X), dtype=bool)
            train[:60] = True
            yield train, ~train

    class Positions:
        def split(self, X: Any, y: Any = None, groups: Any = None) -> Any:
            yield np.arange(60), np.arange(60, 100)

    # A boolean mask of the frame's length is read as the positions it selects.
    by_mask = evaluate_walk_forward(LinearRegression, frame, **common, cv=Mask())
    by_positions = evaluate_walk_forward(LinearRegression, frame, **common, cv=Positions())
    pd.testing.assert_series_equal(by_mask.predictions, by_positions.predictions)

    class Floats:
        def split(self, X: Any, y: Any = None, groups: Any = None) -> Any:
            yield np.arange(60.0), np.arange(60, 100)

    with pytest.raises(FoldError, match="integer positions"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=Floats())

    class OutOfRange:
        def split(self, X: Any, y: Any = None, groups: Any = None) -> Any:
            yield np.arange(60), np.arange(60, 101)

    with pytest.raises(InvalidParameterError, match=r"test positions \[100\]"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=OutOfRange())

    class Negative:
        def split(self, X: Any, y: Any = None, groups: Any = None) -> Any:
            yield np.arange(-5, 50), np.arange(60, 100)

    with pytest.raises(InvalidParameterError, match="outside"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=Negative())


def test_folds_need_times_and_purging() -> None:
    # Issue 10: folds go through tr_core.splits.checked_folds — without decision times a
    # splitter that trains on the future cannot be detected, so they are required, and
    # a training label window that reaches into the test block is refused.
    frame = _frame(n=100)
    frame["end"] = frame["date"] + pd.Timedelta("10D")
    common: dict[str, Any] = {"features": ["x"], "target": "ret", "n_buckets": 5, "verbose": False}
    with pytest.raises(InvalidParameterError, match="no decision times"):
        evaluate_walk_forward(LinearRegression, frame, **common, cv=TimeSeriesSplit(2))
    unpurged = WalkForward(2, times="date")
    evaluate_walk_forward(LinearRegression, frame, **common, cv=unpurged)
    with pytest.raises(FoldError, match="label windows"):
        evaluate_walk_forward(
            LinearRegression,
            frame,
            **common,
            cv=unpurged,
            label_ends="end",
        )


def test_template_factory_and_deprecated_spellings() -> None:
    frame = _frame(n=200)
    common: dict[str, Any] = {"features": ["x"], "target": "ret", "n_buckets": 5, "verbose": False}
    cv = WalkForward(2, times="date")
    template = RecordingModel()
    RecordingModel.calls = []
    by_template = evaluate_walk_forward(template, frame, cv=cv, **common)
    assert not hasattr(template, "model")  # the template itself is never fitted
    assert len(RecordingModel.calls) == 2
    by_factory = evaluate_walk_forward(lambda: RecordingModel(), frame, cv=cv, **common)
    pd.testing.assert_series_equal(by_template.predictions, by_factory.predictions)
    with pytest.warns(FutureWarning) as record:
        old = evaluate_walk_forward(
            model_factory=RecordingModel,
            frame=frame,
            splitter=cv,
            weights=np.ones(len(frame)),
            **common,
        )
    assert sorted(str(w.message).split("`")[1] for w in record) == [
        "model_factory",
        "splitter",
        "weights",
    ]
    pd.testing.assert_series_equal(old.predictions, by_template.predictions)
    with pytest.raises(InvalidParameterError, match="pass `cv` only"):
        evaluate_walk_forward(RecordingModel, frame, cv=cv, splitter=cv, **common)
    with pytest.raises(InvalidParameterError, match="needs `cv`"):
        evaluate_walk_forward(RecordingModel, frame, **common)
    with pytest.raises(TrTypeError, match="`model` must be an estimator"):
        evaluate_walk_forward(42, frame, cv=cv, **common)


def test_weights_must_be_positive_on_the_rows_fit() -> None:
    # Regression: the positivity check looked at every training row, so weights that
    # were positive only on unlabeled (dropped) rows reached the model as all zeros.
    frame = _frame(n=100)
    frame.loc[frame.index[:10], "label"] = np.nan
    weights = np.r_[np.ones(10), np.zeros(90)]
    with pytest.raises(ZeroWeightError, match=r"`sample_weight` \(fold 0\) are all zero"):
        evaluate_walk_forward(
            LinearRegression,
            frame,
            features=["x"],
            target="ret",
            label="label",
            cv=TimeSeriesSplit(n_splits=2),
            times="date",
            sample_weight=weights,
            n_buckets=5,
            verbose=False,
        )


def test_weights_callable_sees_only_the_rows_fit() -> None:
    """A label-based weighter must not meet the NaN labels of rows left out of the fit."""
    rng = np.random.default_rng(0)
    n = 400
    frame = pd.DataFrame(
        {
            "t": pd.date_range("2020-01-01", periods=n, freq="D"),
            "x": rng.normal(size=n),
        }
    )
    frame["alpha"] = 0.02 * frame["x"] + rng.normal(scale=0.05, size=n)
    frame.loc[[5, 150], "alpha"] = np.nan
    seen: list[int] = []

    def weights(train: pd.DataFrame) -> np.ndarray:
        assert not train["alpha"].isna().any()
        seen.append(len(train))
        return np.abs(train["alpha"].to_numpy()) ** 1.5

    result = evaluate_walk_forward(
        LinearRegression,
        frame,
        features=["x"],
        target="alpha",
        cv=WalkForward(3, times="t"),
        sample_weight=weights,
        times="t",
        n_buckets=5,
        verbose=False,
    )
    assert len(seen) == len(result.folds)
    for fold, n_fit in zip(result.folds, seen, strict=True):
        labeled = frame["alpha"].iloc[fold.train_positions].notna().sum()
        assert n_fit == labeled


def test_times_as_values_or_from_the_splitter_reach_the_bucket_analysis() -> None:
    # Review of issue 10: times carried by the splitter as a Series were lost for the
    # bucket analysis (no periods; by="D" refused), and times=<Series> crashed in pandas.
    frame = _frame(n=300)
    common: dict[str, Any] = {"features": ["x"], "target": "ret", "n_buckets": 5, "verbose": False}
    by_column = evaluate_walk_forward(
        LinearRegression, frame, cv=WalkForward(3, times="date"), by="W", **common
    )
    shuffled_times = frame["date"].sample(frac=1.0, random_state=0)
    by_splitter = evaluate_walk_forward(
        LinearRegression, frame, cv=WalkForward(3, times=shuffled_times), by="W", **common
    )
    by_values = evaluate_walk_forward(
        LinearRegression, frame, cv=WalkForward(3, times="date"), times=shuffled_times, by="W",
        **common,
    )  # fmt: skip
    for result in (by_splitter, by_values):
        assert result.oos.periods is not None
        pd.testing.assert_frame_equal(result.oos.table, by_column.oos.table)
    with pytest.raises(InvalidParameterError, match="needs `model` and `cv`"):
        evaluate_walk_forward(None, frame, **common)


def test_by_a_column_of_the_frame_groups_the_bucket_analysis() -> None:
    # Found by the S&P 500 study: by="<column>" was refused ("pass data=<your frame>"),
    # the frame's rows never reached the bucket analysis.
    frame = _frame(n=300)
    frame["week"] = frame["date"].dt.to_period("W").astype(str)
    common: dict[str, Any] = {"features": ["x"], "target": "ret", "n_buckets": 5, "verbose": False}
    by_name = evaluate_walk_forward(
        LinearRegression, frame, cv=WalkForward(3, times="date"), by="week", **common
    )
    by_frequency = evaluate_walk_forward(
        LinearRegression, frame, cv=WalkForward(3, times="date"), by="W", **common
    )
    pd.testing.assert_frame_equal(by_name.oos.table, by_frequency.oos.table)
    assert by_name.oos.periods is not None
    assert len(by_name.oos.periods) == len(by_frequency.oos.periods)
    with pytest.raises(MissingColumnError, match="nope"):
        evaluate_walk_forward(
            LinearRegression, frame, cv=WalkForward(3, times="date"), by="nope", **common
        )


def test_classifier_is_ranked_by_its_probability_of_class_one() -> None:
    # Issue 12: a classifier was scored by predict (0/1), so its 20 buckets held two
    # distinct scores. It is ranked by P(class 1), as tr_evaluation.models.predict_scores.
    frame = _frame(n=400, seed=4)
    frame["up"] = (frame["ret"] > 0).astype(int)
    frame.loc[frame.index[[3, 50]], "up"] = np.nan  # unlabeled rows are not fit
    cv = WalkForward(3, times="date")
    common: dict[str, Any] = {"target": "ret", "times": "date", "n_buckets": 5, "verbose": False}
    result = evaluate_walk_forward(
        LogisticRegression(C=0.5), frame, features=["x", "z"], label="up", cv=cv, **common
    )
    fold = result.folds[1]
    train = fold.train_positions[frame["up"].iloc[fold.train_positions].notna().to_numpy()]
    assert train.size == fold.train_positions.size - 2
    by_hand = LogisticRegression(C=0.5).fit(
        frame[["x", "z"]].iloc[train], frame["up"].iloc[train].to_numpy(dtype=float)
    )
    proba = by_hand.predict_proba(frame[["x", "z"]].iloc[fold.test_positions])[:, 1]
    np.testing.assert_allclose(result.predictions.iloc[fold.test_positions], proba, rtol=1e-12)
    assert np.unique(proba).size == fold.test_positions.size  # not the 0/1 of predict
    assert ((proba > 0) & (proba < 1)).all()
    # The in-sample (training) buckets are built from the same probabilities.
    in_sample = by_hand.predict_proba(frame[["x", "z"]].iloc[fold.train_positions])[:, 1]
    expected = BucketAnalyzer(n_buckets=5).analyze(
        in_sample,
        frame["ret"].iloc[fold.train_positions].to_numpy(),
        times=frame["date"].iloc[fold.train_positions].to_numpy(),
    )
    pd.testing.assert_frame_equal(fold.train.table, expected.table)
    assert result.oos.ic > 0.3  # x carries the return; P(up) ranks by it


def test_classifier_labels_must_be_zero_one_with_both_classes_per_fold() -> None:
    frame = _frame(n=200)
    common: dict[str, Any] = {
        "features": ["x"],
        "target": "ret",
        "cv": WalkForward(2, times="date"),
        "n_buckets": 5,
        "verbose": False,
    }
    # "label" holds the sign of the return, -1/+1: not the classes P(class 1) needs.
    with pytest.raises(InvalidParameterError, match=r"`label` 'label' holds \[-1.0, 1.0\]"):
        evaluate_walk_forward(LogisticRegression(), frame, label="label", **common)
    # By default a classifier would be fit on the realized return itself.
    with pytest.raises(InvalidParameterError, match="`label` 'ret' holds"):
        evaluate_walk_forward(LogisticRegression(), frame, **common)
    late = frame.assign(up=(np.arange(len(frame)) >= 150).astype(int))
    with pytest.raises(InsufficientDataError, match="fold 0: every labeled training row has cl"):
        evaluate_walk_forward(LogisticRegression(), late, label="up", **common)
