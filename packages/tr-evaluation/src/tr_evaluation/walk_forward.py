"""Walk-forward evaluation: fit per fold, predict out of sample, bucket the predictions.

For every fold of a time-ordered splitter the model is fit on the training rows
and scores the test rows only; the test scores of all folds are pooled into one
out-of-sample bucket analysis. A regressor's score is its prediction; a
classifier (fit on a 0/1 label) is ranked by its probability of class 1
(:func:`tr_evaluation.models.predict_scores`), never by its 0/1 ``predict``. The
same model also scores its own training rows, and the train-minus-test gap of the
top-bucket return and of the rank IC (the *overfit gap*) says how much of the
in-sample result was fit noise.

Training rows whose label is NaN are left out of the fit (never filled);
feature NaN are passed to the model unchanged (tree boosters handle them; other
models must be given complete rows). ``sample_weight`` are *training* weights:
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
from sklearn.base import is_classifier

from tr_core.alignment import align_to
from tr_core.deprecation import renamed_argument
from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
    TrTypeError,
)
from tr_core.jsonable import plain
from tr_core.splits import checked_folds
from tr_core.validation import as_float_array, check_columns
from tr_core.weights import SampleWeight, resolve_sample_weight
from tr_evaluation.buckets import BucketAnalyzer, BucketResult
from tr_evaluation.models import as_model_factory, predict_scores
from tr_evaluation.progress import progress

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FoldResult", "WalkForwardResult", "evaluate_walk_forward"]


class Regressor(Protocol):
    """What a model must offer: ``fit(X, y, sample_weight=...)`` and ``predict(X)``
    (a classifier also ``predict_proba(X)``)."""

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

    def __repr__(self) -> str:
        return (
            f"FoldResult(fold={self.fold}, n_train={self.train.n_rows}, "
            f"n_test={self.test.n_rows}, test_top_bucket_return={self.test.top_bucket_return:.4g})"
        )


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
        Out-of-sample score per row of the input frame (same index): the
        prediction of a regressor, P(class 1) of a classifier; NaN for rows no
        fold tested.
    """

    folds: tuple[FoldResult, ...]
    oos: BucketResult
    predictions: pd.Series

    def __repr__(self) -> str:
        gap = self.overfit_gap
        return (
            f"WalkForwardResult(n_folds={len(self.folds)}, n_oos={self.oos.n_rows}, "
            f"oos_top_bucket_return={self.oos.top_bucket_return:.4g}, oos_ic={self.oos.ic:.4g}, "
            f"overfit_gap_top={gap['top_bucket_return']:.4g}, overfit_gap_ic={gap['ic']:.4g})"
        )

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
    model: Any = None,
    frame: pd.DataFrame | None = None,
    *,
    features: Iterable[str],
    target: str,
    label: str | None = None,
    cv: Any = None,
    sample_weight: SampleWeight = None,
    times: Any = None,
    label_ends: Any = None,
    entities: str | None = None,
    n_buckets: int = 20,
    by: str | None = None,
    verbose: bool = True,
    model_factory: Callable[[], Regressor] | None = None,
    splitter: Any = None,
    weights: SampleWeight = None,
) -> WalkForwardResult:
    """Fit per fold, predict only out of sample, and bucket the predictions.

    Parameters
    ----------
    model : estimator or callable
        An unfitted estimator *template* with ``fit(X, y, sample_weight=...)`` and
        ``predict(X)``, cloned for every fold (``sklearn.base.clone`` for objects with
        ``get_params``, a deep copy otherwise), or a zero-argument *factory*
        returning a fresh one (e.g. the class ``LinearRegression``). Rows are ranked
        by :func:`tr_evaluation.models.predict_scores`: a classifier (by scikit-learn's
        estimator tags) is fit on the 0/1 ``label`` column and scores rows by
        ``predict_proba(X)[:, 1]``; any other model by ``predict(X)``.
    frame : DataFrame
        One row per event; never modified or reordered.
    features : iterable of str
        Feature columns given to the model.
    target : str
        Realized return column used to evaluate the buckets.
    label : str, optional
        Column the model is fit on; defaults to ``target``. A classifier needs a
        column of classes 0 and 1 (NaN rows are left out of the fit), e.g.
        ``frame.assign(up=(frame["alpha"] > 0).astype(int))`` with ``label="up"``.
    cv : splitter or iterable of (train, test)
        E.g. ``tr_core.splits.WalkForward``. It receives the whole ``frame`` (so it
        can read its own time column). Its folds are checked once by
        :func:`tr_core.splits.checked_folds` with ``forward=True`` and
        ``disjoint_tests=True``: every training row precedes its test block, no
        training label window meets a test window, no row is tested twice.
    sample_weight : array-like, Series, str or callable, optional
        Training weights (see :mod:`tr_core.weights`): one per row, a column name, or
        a weighter ``f(train_frame)`` computed on the rows each fold fits on (its
        training rows with a label), e.g. ``tr_sample_weighting.AlphaPowerWeighter``.
        Bucket statistics stay unweighted.
    times : str or array-like, optional
        Decision-time column (or one datetime per row; a Series is matched to ``frame``
        by index label), used to check the folds and passed to the bucket
        analysis (per-period IC, turnover, ``by``). Defaults to the splitter's own
        ``times`` (``WalkForward(times=...)``); one of the two is required.
    label_ends : str or array-like, optional
        Column (or per-row values) of the time each row's outcome window closes: no
        training window may meet a test block. Defaults to the splitter's own
        ``label_ends``.
    entities : str, optional
        Entity column passed to the bucket analysis (turnover).
    n_buckets : int, default 20
        Number of buckets.
    by : str, optional
        Per-period bucketing, as in :class:`~tr_evaluation.buckets.BucketAnalyzer`.
    verbose : bool, default True
        Progress bar over folds (terminal or notebook; off when not interactive).
    model_factory, splitter, weights
        Deprecated spellings of ``model``, ``cv`` and ``sample_weight`` (removed in 0.2).

    Returns
    -------
    WalkForwardResult

    Raises
    ------
    MissingColumnError
        A named column is not in ``frame``.
    InvalidParameterError
        ``features`` is empty or contains ``target``/``label``; no model or no ``cv``;
        a classifier with a ``label`` column holding anything but 0, 1 and NaN.
    FoldError
        A fold that fails :func:`tr_core.splits.checked_folds` (naming the fold).
    InsufficientDataError
        A fold has fewer usable rows than buckets, or no training row with a label;
        a classifier's fold whose labeled training rows hold one class only.
    NonFiniteError
        A classifier returning NaN or infinite probabilities.
    """
    owner = "evaluate_walk_forward"
    model = renamed_argument("model", model, "model_factory", model_factory, owner=owner)
    cv = renamed_argument("cv", cv, "splitter", splitter, owner=owner)
    sample_weight = renamed_argument(
        "sample_weight", sample_weight, "weights", weights, owner=owner
    )
    if not isinstance(frame, pd.DataFrame):
        raise TrTypeError(f"`frame` must be a DataFrame, got {type(frame).__name__}.")
    if model is None or cv is None:
        missing = " and ".join(
            f"`{name}`" for name, value in (("model", model), ("cv", cv)) if value is None
        )
        raise InvalidParameterError(
            f"{owner} needs {missing}: an estimator (template or factory) and a time "
            "splitter such as tr_core.splits.WalkForward(n_splits, times=...)."
        )
    feature_list = [features] if isinstance(features, str) else list(features)
    label = target if label is None else label
    check_columns(
        frame,
        {
            "features": feature_list,
            "target": target,
            "label": label,
            "times": times,
            "label_ends": label_ends,
            "entities": entities,
        },
    )
    if not feature_list:
        raise InvalidParameterError("`features` is empty; name the columns the model is fit on.")
    leaked = [c for c in dict.fromkeys((target, label)) if c in feature_list]
    if leaked:
        raise InvalidParameterError(
            f"`features` contains {leaked}, the realized return/label the model is judged on; "
            "the model would see the outcome. Remove it from `features`."
        )
    training_weights = resolve_sample_weight(sample_weight, frame)
    folds = checked_folds(
        cv, frame, times=times, label_ends=label_ends, forward=True, disjoint_tests=True
    )
    # The decision times of every row (given, or the splitter's own), tz kept, on
    # frame's index: the bucket analyses take their rows' times from it.
    decision_times = _per_row(frame, times if times is not None else getattr(cv, "times", None))
    new_model = as_model_factory(model)
    X = frame[feature_list]
    y = as_float_array(frame[label], f"label {label!r}", allow_nan=True)
    # One unfitted copy, read once: a classifier is ranked by P(class 1) and needs 0/1 labels.
    classifier = _is_classifier(new_model())
    if classifier:
        _check_classes(y, label)
    analyzer = BucketAnalyzer(n_buckets=n_buckets, by=by)
    predictions = np.full(len(frame), np.nan)
    results: list[FoldResult] = []
    for k, (train, test) in enumerate(progress(folds, desc="folds", verbose=verbose)):
        fit_rows = train[~np.isnan(y[train])]
        if fit_rows.size == 0:
            raise InsufficientDataError(
                f"fold {k}: no training row has a label in {label!r}; widen the training window."
            )
        if classifier and np.unique(y[fit_rows]).size < 2:
            raise InsufficientDataError(
                f"fold {k}: every labeled training row has class {int(y[fit_rows][0])} in "
                f"{label!r}; a classifier cannot learn from one class. Use longer training "
                "windows (fewer splits) or check the label rule."
            )
        fitted = new_model()
        w = training_weights.for_rows(frame, fit_rows, where=f"fold {k}")
        if w is None:
            fitted.fit(X.iloc[fit_rows], y[fit_rows])
        else:
            fitted.fit(X.iloc[fit_rows], y[fit_rows], sample_weight=w)
        pred_train = _predict(fitted, X.iloc[train], k, "training", classifier)
        pred_test = _predict(fitted, X.iloc[test], k, "test", classifier)
        predictions[test] = pred_test
        results.append(
            FoldResult(
                fold=k,
                train_positions=train,
                test_positions=test,
                train=_analyze(
                    analyzer, frame, train, pred_train, target, decision_times, entities, k
                ),
                test=_analyze(
                    analyzer, frame, test, pred_test, target, decision_times, entities, k
                ),
            )
        )
    oos_rows = folds.tested_rows()
    oos = _analyze(
        analyzer, frame, oos_rows, predictions[oos_rows], target, decision_times, entities, None
    )
    return WalkForwardResult(
        folds=tuple(results),
        oos=oos,
        predictions=pd.Series(predictions, index=frame.index, name="oos_prediction"),
    )


def _per_row(frame: pd.DataFrame, values: Any) -> pd.Series | None:
    """A column name or per-row values as a Series on ``frame``'s index (by label)."""
    if values is None:
        return None
    if isinstance(values, str):
        column: pd.Series = frame[values]
        return column
    if isinstance(values, pd.Series):
        aligned: pd.Series = align_to(frame.index, values, "times")
        return aligned
    return pd.Series(align_to(frame.index, values, "times"), index=frame.index)


def _is_classifier(model: Any) -> bool:
    """Whether scikit-learn's estimator tags call ``model`` a classifier (objects without
    tags, e.g. a plain class with fit/predict, are not)."""
    try:
        return bool(is_classifier(model))
    except AttributeError:  # scikit-learn >= 1.6: an object without estimator tags
        return False


def _check_classes(y: npt.NDArray[np.float64], label: str) -> None:
    """A classifier's label column holds the classes 0 and 1 (NaN rows are not fit)."""
    seen = np.unique(y[~np.isnan(y)])
    if not np.isin(seen, (0.0, 1.0)).all():
        shown = [plain(v) for v in seen[:5]] + (["..."] if seen.size > 5 else [])
        raise InvalidParameterError(
            f"the model is a classifier, ranked by its probability of class 1, but `label` "
            f"{label!r} holds {shown}, not the classes 0 and 1. Pass a 0/1 column as `label`, "
            "e.g. frame.assign(up=(frame['alpha'] > 0).astype(int)) with label='up', or use "
            "a regressor to learn the return itself."
        )


def _predict(
    model: Regressor, X: pd.DataFrame, k: int, which: str, classifier: bool
) -> npt.NDArray[np.float64]:
    """The model's ranking scores: P(class 1) of a classifier, ``predict`` otherwise."""
    if classifier:
        pred = predict_scores(model, X)
    else:
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
    times: pd.Series | None,
    entities: str | None,
    fold: int | None,
) -> BucketResult:
    """Bucket analysis of the given rows; errors name the fold."""
    part = frame.iloc[rows]
    try:
        return analyzer.analyze(
            scores,
            part[target].to_numpy(),
            times=None if times is None else times.iloc[rows],
            entities=None if entities is None else part[entities].to_numpy(),
            # ``by`` may name a column: it is read from these rows.
            data=part,
        )
    except InsufficientDataError as exc:
        where = "the pooled out-of-sample rows" if fold is None else f"fold {fold}"
        raise InsufficientDataError(f"{where}: {exc}") from exc
