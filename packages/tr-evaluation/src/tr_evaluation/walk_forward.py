"""Walk-forward evaluation: fit per fold, predict out of sample, bucket the predictions.

For every fold of a time-ordered splitter the model is fit on the training rows
and predicts the test rows only; the test predictions of all folds are pooled
into one out-of-sample bucket analysis. The same model also scores its own
training rows, and the train-minus-test gap of the top-bucket return and of the
rank IC (the *overfit gap*) says how much of the in-sample result was fit noise.

Training rows whose label is NaN are left out of the fit (never filled);
feature NaN are passed to the model unchanged (tree boosters handle them; other
models must be given complete rows). Sample ``weights`` are *training* weights:
bucket statistics stay unweighted, so weighting schemes are judged on the same
realized returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
    MissingColumnError,
    TrTypeError,
    describe_rows,
)
from tr_core.validation import as_datetime_array, as_float_array
from tr_evaluation.buckets import BucketAnalyzer, BucketResult
from tr_evaluation.buckets.result import plain
from tr_evaluation.progress import progress

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FoldResult", "WalkForwardResult", "evaluate_walk_forward"]


class Regressor(Protocol):
    """What the model factory must return: ``fit(X, y, sample_weight=...)`` and ``predict(X)``."""

    def fit(self, X: Any, y: Any, **kwargs: Any) -> Any: ...

    def predict(self, X: Any) -> Any: ...


@dataclass(frozen=True, eq=False)
class FoldResult:
    """One fold: positions, and bucket results on the training and the test rows."""

    fold: int
    train_positions: npt.NDArray[np.intp]
    test_positions: npt.NDArray[np.intp]
    train: BucketResult
    test: BucketResult


@dataclass(frozen=True, eq=False)
class WalkForwardResult:
    """Per-fold and pooled out-of-sample bucket results of a walk-forward evaluation.

    Attributes
    ----------
    folds : tuple of FoldResult
        Per fold, the bucket result on its training rows (in sample) and test rows.
    oos : BucketResult
        Bucket analysis of all out-of-sample predictions pooled.
    predictions : Series
        Out-of-sample prediction per row of the input frame (same index); NaN
        for rows no fold tested.
    """

    folds: tuple[FoldResult, ...]
    oos: BucketResult
    predictions: pd.Series

    @property
    def overfit_gap(self) -> dict[str, float]:
        """Mean over folds of train-minus-test top-bucket return and rank IC."""
        frame = self.to_frame()
        return {
            "top_bucket_return": float(frame["top_gap"].mean()),
            "ic": float(frame["ic_gap"].mean()),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per fold: sizes, train/test top-bucket return and IC, and their gaps."""
        rows = []
        for f in self.folds:
            rows.append(
                {
                    "fold": f.fold,
                    "n_train": f.train.n_rows,
                    "n_test": f.test.n_rows,
                    "train_top_return": f.train.top_bucket_return,
                    "test_top_return": f.test.top_bucket_return,
                    "top_gap": f.train.top_bucket_return - f.test.top_bucket_return,
                    "train_ic": f.train.ic,
                    "test_ic": f.test.ic,
                    "ic_gap": f.train.ic - f.test.ic,
                }
            )
        return pd.DataFrame(rows).set_index("fold")

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable dict: pooled OOS summary, overfit gap, per-fold figures."""
        frame = self.to_frame()
        return {
            "n_folds": len(self.folds),
            "oos": self.oos.summary(),
            "overfit_gap": {k: plain(v) for k, v in self.overfit_gap.items()},
            "folds": [
                {"fold": fold.fold} | {str(k): plain(v) for k, v in row.items()}
                for fold, (_, row) in zip(self.folds, frame.iterrows(), strict=True)
            ],
        }

    def plot(self) -> Figure:
        """Train vs test top-bucket return per fold, and the pooled OOS bucket chart."""
        from matplotlib.figure import Figure

        from tr_evaluation.buckets.plots import draw_bucket_bars

        fig = Figure(figsize=(12, 4.5), layout="constrained")
        ax_folds, ax_oos = fig.subplots(1, 2)
        frame = self.to_frame()
        x = np.arange(len(frame))
        ax_folds.bar(x - 0.2, frame["train_top_return"], width=0.4, label="train (in sample)")
        ax_folds.bar(x + 0.2, frame["test_top_return"], width=0.4, label="test (out of sample)")
        ax_folds.set_xticks(x)
        ax_folds.set_xticklabels([str(i) for i in frame.index])
        ax_folds.set_xlabel("fold")
        ax_folds.set_ylabel("top bucket mean return")
        ax_folds.axhline(0.0, color="black", linewidth=0.8)
        ax_folds.legend()
        ax_folds.set_title(f"Overfit gap (top bucket): {self.overfit_gap['top_bucket_return']:.4g}")
        draw_bucket_bars(self.oos, ax_oos)
        ax_oos.set_title(f"Pooled out of sample: top {self.oos.top_bucket_return:.4g}")
        return fig


def evaluate_walk_forward(
    model_factory: Callable[[], Regressor],
    frame: pd.DataFrame,
    *,
    features: Iterable[str],
    target: str,
    label: str | None = None,
    splitter: Any,
    weights: str | npt.ArrayLike | Callable[[pd.DataFrame], Any] | None = None,
    times: str | None = None,
    entities: str | None = None,
    n_buckets: int = 20,
    by: str | None = None,
    verbose: bool = True,
) -> WalkForwardResult:
    """Fit per fold, predict only out of sample, and bucket the predictions.

    Parameters
    ----------
    model_factory : callable
        Returns a fresh, unfitted estimator with ``fit(X, y, sample_weight=...)``
        and ``predict(X)`` (``sample_weight`` is passed only when ``weights`` is set).
    frame : DataFrame
        One row per event; never modified or reordered.
    features : iterable of str
        Feature columns given to the model.
    target : str
        Realized return column used to evaluate the buckets.
    label : str, optional
        Column the model is fit on; defaults to ``target``.
    splitter : object
        Anything with ``split(X)`` yielding ``(train_positions, test_positions)``,
        e.g. ``tr_core.splits.WalkForward`` or sklearn's ``TimeSeriesSplit``. It
        receives the whole ``frame`` (so it can read its own time column).
    weights : str, array-like or callable, optional
        Training sample weights: a column name, an array aligned with ``frame``,
        or ``callable(train_frame) -> weights`` evaluated on the rows each fold
        fits on (its training rows with a label), e.g. a
        ``tr_sample_weighting.AlphaPowerWeighter``.
    times : str, optional
        Decision-time column. Passed to the bucket analysis (per-period IC,
        turnover, ``by``) and used to check every fold: each training row's time
        must precede the fold's first test time (give it: without it a splitter
        that trains on the future cannot be detected).
    entities : str, optional
        Entity column passed to the bucket analysis (turnover).
    n_buckets : int, default 20
        Number of buckets.
    by : str, optional
        Per-period bucketing, as in :class:`~tr_evaluation.buckets.BucketAnalyzer`.
    verbose : bool, default True
        Progress bar over folds (only on a TTY).

    Returns
    -------
    WalkForwardResult

    Raises
    ------
    MissingColumnError
        A named column is not in ``frame``.
    InvalidParameterError
        ``features`` is empty or contains ``target``/``label``; the splitter yields no
        fold, positions outside the frame, overlapping train/test rows, a row tested
        twice, or (with ``times``) a training row at or after its fold's first test time.
    TrTypeError
        The splitter yields something other than integer positions (e.g. a mask).
    InsufficientDataError
        A fold has fewer usable rows than buckets, or no training row with a label.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TrTypeError(f"`frame` must be a DataFrame, got {type(frame).__name__}.")
    feature_list = [features] if isinstance(features, str) else list(features)
    label = target if label is None else label
    needed = {"features": feature_list, "target": [target], "label": [label]}
    needed |= {"times": [times] if times else [], "entities": [entities] if entities else []}
    for arg, cols in needed.items():
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise MissingColumnError(
                f"`{arg}` names {missing}, which are not columns of `frame`; "
                f"available: {list(frame.columns)}."
            )
    if not feature_list:
        raise InvalidParameterError("`features` is empty; name the columns the model is fit on.")
    leaked = [c for c in dict.fromkeys((target, label)) if c in feature_list]
    if leaked:
        raise InvalidParameterError(
            f"`features` contains {leaked}, the realized return/label the model is judged on; "
            "the model would see the outcome. Remove it from `features`."
        )
    fixed_weights = _fixed_weights(frame, weights)
    decision_times = None if times is None else as_datetime_array(frame[times], "times")
    X = frame[feature_list]
    y = as_float_array(frame[label], f"label {label!r}", allow_nan=True)
    analyzer = BucketAnalyzer(n_buckets=n_buckets, by=by)
    predictions = np.full(len(frame), np.nan)
    tested = np.zeros(len(frame), dtype=bool)
    folds: list[FoldResult] = []
    splits = list(splitter.split(frame))
    if not splits:
        raise InvalidParameterError("`splitter` yielded no fold; check its n_splits and the data.")
    for k, (train_raw, test_raw) in enumerate(progress(splits, desc="folds", verbose=verbose)):
        train = _positions(train_raw, k, "train", len(frame))
        test = _positions(test_raw, k, "test", len(frame))
        _check_fold(k, train, test, tested, frame.index)
        if decision_times is not None and times is not None:
            _check_time_order(k, train, test, decision_times, frame.index, times)
        labeled = ~np.isnan(y[train])
        fit_rows = train[labeled]
        if fit_rows.size == 0:
            raise InsufficientDataError(
                f"fold {k}: no training row has a label in {label!r}; widen the training window."
            )
        model = model_factory()
        if weights is None:
            model.fit(X.iloc[fit_rows], y[fit_rows])
        else:
            w = _train_weights(frame, weights, fixed_weights, fit_rows)
            model.fit(X.iloc[fit_rows], y[fit_rows], sample_weight=w)
        pred_train = _predict(model, X.iloc[train], k, "training")
        pred_test = _predict(model, X.iloc[test], k, "test")
        predictions[test] = pred_test
        tested[test] = True
        folds.append(
            FoldResult(
                fold=k,
                train_positions=train,
                test_positions=test,
                train=_analyze(analyzer, frame, train, pred_train, target, times, entities, k),
                test=_analyze(analyzer, frame, test, pred_test, target, times, entities, k),
            )
        )
    oos_rows = np.flatnonzero(tested)
    oos = _analyze(analyzer, frame, oos_rows, predictions[oos_rows], target, times, entities, None)
    return WalkForwardResult(
        folds=tuple(folds),
        oos=oos,
        predictions=pd.Series(predictions, index=frame.index, name="oos_prediction"),
    )


def _fixed_weights(frame: pd.DataFrame, weights: Any) -> npt.NDArray[np.float64] | None:
    """Weights given as a column name or an aligned array (None for a callable or None)."""
    if weights is None or callable(weights):
        return None
    if isinstance(weights, str):
        if weights not in frame.columns:
            raise MissingColumnError(
                f"`weights`={weights!r} is not a column of `frame`; pass a column name, "
                "an array aligned with the frame, or a callable(train_frame)."
            )
        return as_float_array(frame[weights], "weights")
    values = as_float_array(weights, "weights")
    if values.size != len(frame):
        raise LengthMismatchError(
            f"`weights` has {values.size} rows but `frame` has {len(frame)}; "
            "pass one weight per row."
        )
    return values


def _train_weights(
    frame: pd.DataFrame,
    weights: Any,
    fixed: npt.NDArray[np.float64] | None,
    fit_rows: npt.NDArray[np.intp],
) -> npt.NDArray[np.float64]:
    """Validated weights of the rows one fold fits on (training rows that have a label).

    A callable sees exactly those rows, so a weighter computed from the label (alpha
    power, magnitude) never meets the NaN labels of rows left out of the fit.
    """
    if fixed is not None:
        w = fixed[fit_rows]
    else:
        w = as_float_array(weights(frame.iloc[fit_rows]), "weights")
    if w.size != fit_rows.size:
        raise LengthMismatchError(
            f"`weights` callable returned {w.size} weights for {fit_rows.size} training rows; "
            "return one weight per row of the frame it is given."
        )
    if (w < 0).any() or not (w > 0).any():
        raise InvalidParameterError(
            "`weights` must be >= 0 with at least one positive weight on the labeled rows "
            "of every training set."
        )
    return w


def _positions(raw: Any, k: int, which: str, n_rows: int) -> npt.NDArray[np.intp]:
    """A fold's row positions: 1-D integers in ``[0, n_rows)`` (not a boolean mask)."""
    arr = np.asarray(raw)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise TrTypeError(
            f"fold {k}: the splitter's {which} rows must be a 1-D array of integer positions, "
            f"got dtype {arr.dtype} with shape {arr.shape}; convert a boolean mask with "
            "np.flatnonzero(mask)."
        )
    out = arr.astype(np.intp)
    bad = out[(out < 0) | (out >= n_rows)]
    if bad.size:
        raise InvalidParameterError(
            f"fold {k}: the splitter's {which} positions {bad[:5].tolist()} are outside "
            f"0..{n_rows - 1}; it must yield positions into `frame`."
        )
    return out


def _check_time_order(
    k: int,
    train: npt.NDArray[np.intp],
    test: npt.NDArray[np.intp],
    times: npt.NDArray[np.datetime64],
    index: pd.Index,
    column: str,
) -> None:
    """Walk-forward trains only on the past: every training time precedes the test block."""
    if not train.size or not test.size:
        return
    start = times[test].min()
    late = train[times[train] >= start]
    if late.size:
        raise InvalidParameterError(
            f"fold {k}: training {describe_rows(list(index[late]))} have a {column!r} at or "
            f"after the first test time {pd.Timestamp(start)}: the model would learn from the "
            "future (or from rows sharing the test's timestamp). A positional splitter such "
            "as sklearn's TimeSeriesSplit needs a frame sorted by time with unique "
            "timestamps; use tr_core.splits.WalkForward, which sorts by time itself."
        )


def _check_fold(
    k: int,
    train: npt.NDArray[np.intp],
    test: npt.NDArray[np.intp],
    tested: npt.NDArray[np.bool_],
    index: pd.Index,
) -> None:
    """A fold must not train on its test rows nor test a row an earlier fold tested."""
    overlap = np.intersect1d(train, test)
    if overlap.size:
        raise InvalidParameterError(
            f"fold {k}: the splitter puts {describe_rows(list(index[overlap]))} in both "
            "train and test; use a time-ordered splitter such as tr_core.splits.WalkForward."
        )
    again = test[tested[test]]
    if again.size:
        raise InvalidParameterError(
            f"fold {k}: {describe_rows(list(index[again]))} were already tested by an earlier "
            "fold; walk-forward test blocks must not overlap."
        )


def _predict(model: Regressor, X: pd.DataFrame, k: int, which: str) -> npt.NDArray[np.float64]:
    pred = np.asarray(model.predict(X), dtype=np.float64).reshape(-1)
    if pred.size != len(X):
        raise LengthMismatchError(
            f"fold {k}: the model returned {pred.size} predictions for {len(X)} {which} rows; "
            "predict(X) must return one score per row."
        )
    return pred


def _analyze(
    analyzer: BucketAnalyzer,
    frame: pd.DataFrame,
    rows: npt.NDArray[np.intp],
    scores: npt.NDArray[np.float64],
    target: str,
    times: str | None,
    entities: str | None,
    fold: int | None,
) -> BucketResult:
    """Bucket analysis of the given rows; errors name the fold."""
    part = frame.iloc[rows]
    try:
        return analyzer.analyze(
            scores,
            part[target].to_numpy(),
            times=None if times is None else part[times],
            entities=None if entities is None else part[entities].to_numpy(),
        )
    except InsufficientDataError as exc:
        where = "the pooled out-of-sample rows" if fold is None else f"fold {fold}"
        raise InsufficientDataError(f"{where}: {exc}") from exc
