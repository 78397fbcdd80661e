"""What a trial is judged on: one number per fold, averaged over folds.

Built-in metrics, each computed on a fold's *test* rows only:

``"top_bucket_return"`` (alias ``"bucket_19_return"`` for 20 buckets), maximize
    Mean realized return (the target) of the top score bucket (the highest occupied
    bucket when tied top scores leave it empty; see ``_bucket_stat``).
``"spread"``, maximize
    Top-bucket minus bottom-bucket mean return.
``"ic"``, maximize
    Rank information coefficient of score and return (0 for a constant score).
``"auc"``, maximize
    Area under the ROC curve of the classes (``label``) — needs both classes per fold.
``"logloss"``, minimize
    Binary cross-entropy of the classes and P(class 1).

The bucket metrics come from :class:`tr_evaluation.buckets.BucketAnalyzer` — the same
code that reports buckets everywhere else, never a second implementation. A custom
metric is a :class:`Metric`: a callable ``(y_true, score, alpha, sample_weight) ->
float`` with an explicit direction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from tr_core.errors import InsufficientDataError, InvalidParameterError, TrTypeError
from tr_evaluation.buckets import BucketAnalyzer

__all__ = ["METRICS", "Metric", "require_both_classes", "resolve_metric"]

Direction = Literal["maximize", "minimize"]
FloatArray = npt.NDArray[np.float64]
MetricFunc = Callable[[Any, FloatArray, FloatArray, Any], float]


@dataclass(frozen=True)
class Metric:
    """A metric with its direction.

    Parameters
    ----------
    func : callable
        ``func(y_true, score, alpha, sample_weight) -> float`` on one fold's test rows:
        ``y_true`` the classes (0/1) for a classifier or the label values for a
        regressor, ``score`` the model's ranking score, ``alpha`` the realized target,
        ``sample_weight`` the test rows' weights when fixed weights were given (an
        array or a column), else None.
    direction : {"maximize", "minimize"}
        Whether larger is better.
    name : str, optional
        Shown in results and stored with the study; defaults to the function's name.
    needs_classes : bool, default False
        Whether the metric reads classes (then the model must be a classifier).
    """

    func: MetricFunc
    direction: Direction
    name: str = ""
    needs_classes: bool = False
    builtin: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if not callable(self.func):
            raise TrTypeError(f"Metric.func must be callable, got {type(self.func).__name__}.")
        if self.direction not in ("maximize", "minimize"):
            raise InvalidParameterError(
                f"Metric direction must be 'maximize' or 'minimize', got {self.direction!r}."
            )
        if not self.name:
            func = self.func.func if isinstance(self.func, partial) else self.func
            object.__setattr__(self, "name", getattr(func, "__name__", repr(func)))

    def __call__(
        self, y_true: Any, score: FloatArray, alpha: FloatArray, sample_weight: Any = None
    ) -> float:
        return float(self.func(y_true, score, alpha, sample_weight))


def _bucket_stat(
    stat: str, n_buckets: int, y_true: Any, score: FloatArray, alpha: FloatArray, w: Any
) -> float:
    """A bucket statistic of one fold, defined for every model, including a constant one.

    Tied scores share a bucket (:mod:`tr_evaluation.buckets.assign`), so when the
    highest scores are tied the top bucket can be empty, and a constant score puts
    every row in the middle bucket. The model's best-ranked rows are then the
    highest *occupied* bucket, and its worst the lowest: a constant model's "top" is
    the whole fold (its mean return) and its spread is 0 — the value of ranking
    nothing — rather than NaN, which would fail the trial. A constant score has no
    rank correlation with anything: its IC is 0.
    """
    if np.ptp(score) == 0:
        return float(np.mean(alpha)) if stat == "top_bucket_return" else 0.0
    result = BucketAnalyzer(n_buckets=n_buckets).analyze(score, alpha)
    if stat == "ic":
        return float(result.ic)
    occupied = result.table.loc[result.table["count"] > 0, "mean"]
    top = float(occupied.iloc[-1])
    return top if stat == "top_bucket_return" else top - float(occupied.iloc[0])


def require_both_classes(y_true: Any, what: str) -> npt.NDArray[np.int8]:
    """The classes as int8, refusing rows that hold only one class (``what`` is undefined)."""
    y = np.asarray(y_true)
    positives = int((y == 1).sum())
    if positives == 0 or positives == y.size:
        side = "positive" if positives == 0 else "negative"
        raise InsufficientDataError(
            f"the test rows have no {side} class (all {y.size} rows are class "
            f"{int(positives > 0)}), so {what} is undefined; use longer test blocks, fewer "
            "folds, or a label rule with both classes in every period."
        )
    return y.astype(np.int8)


def auc(y_true: Any, score: FloatArray, alpha: FloatArray, w: Any) -> float:
    """ROC AUC of the classes and the scores (scikit-learn's ``roc_auc_score``)."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(require_both_classes(y_true, "AUC"), score))


def logloss(y_true: Any, score: FloatArray, alpha: FloatArray, w: Any) -> float:
    """Binary cross-entropy of the classes and P(class 1) (scikit-learn's ``log_loss``)."""
    from sklearn.metrics import log_loss

    eps = np.finfo(np.float64).eps
    return float(log_loss(np.asarray(y_true), np.clip(score, eps, 1 - eps), labels=[0, 1]))


METRICS: dict[str, Direction] = {
    "top_bucket_return": "maximize",
    "spread": "maximize",
    "ic": "maximize",
    "auc": "maximize",
    "logloss": "minimize",
}
"""Built-in metrics and their directions."""

_ALIASES = {"bucket_19_return": "top_bucket_return"}
_BUCKET_STATS = {"top_bucket_return", "spread", "ic"}


def resolve_metric(metric: Any, n_buckets: int) -> Metric:
    """A :class:`Metric` from a built-in name or a user :class:`Metric`.

    Parameters
    ----------
    metric : str or Metric
        A name of :data:`METRICS` (or ``"bucket_19_return"``), or a Metric.
    n_buckets : int
        Buckets of the bucket metrics.

    Raises
    ------
    InvalidParameterError
        An unknown name (the valid names are listed), or ``"bucket_19_return"`` with
        ``n_buckets != 20``.
    TrTypeError
        A bare callable (its direction would be a guess): wrap it in ``Metric``.
    """
    if isinstance(metric, Metric):
        return metric
    if callable(metric):
        raise TrTypeError(
            f"`metric` is the callable {getattr(metric, '__name__', metric)!r} without a "
            "direction; wrap it: metric=Metric(func, direction='maximize') (or 'minimize')."
        )
    if not isinstance(metric, str) or metric not in (*METRICS, *_ALIASES):
        raise InvalidParameterError(
            f"`metric`={metric!r} is unknown; valid metrics are {[*METRICS, *_ALIASES]}, or a "
            "tr_tuning.Metric(func, direction=...) of your own."
        )
    if metric in _ALIASES:
        if n_buckets != 20:
            raise InvalidParameterError(
                f"`metric`={metric!r} is the top bucket of 20, but n_buckets={n_buckets}; "
                "use metric='top_bucket_return'."
            )
        metric = _ALIASES[metric]
    if metric in _BUCKET_STATS:
        stat = "top_bucket_return" if metric == "top_bucket_return" else metric
        func: MetricFunc = partial(_bucket_stat, stat, n_buckets)
        return Metric(func, METRICS[metric], name=metric, builtin=True)
    funcs: dict[str, MetricFunc] = {"auc": auc, "logloss": logloss}
    return Metric(funcs[metric], METRICS[metric], name=metric, needs_classes=True, builtin=True)
