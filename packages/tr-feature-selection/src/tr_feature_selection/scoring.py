"""How a set of out-of-sample scores is judged: bucket returns, AUC, rank IC, spread.

Every built-in metric is *higher is better*, so feature groups, folds and permuted
features are compared the same way whichever metric is chosen:

``"bucket_<k>_return"``
    Mean realized target of score bucket ``k`` (``"bucket_19_return"`` is the top
    bucket of 20) — the insider-trading strategy's headline figure.
``"top_bucket_return"``
    Mean realized target of the highest bucket, whatever ``n_buckets`` is.
``"spread"``
    Top-minus-bottom bucket mean.
``"ic"``
    Spearman rank correlation of score and realized target (Grinold & Kahn,
    *Active Portfolio Management*, 2nd ed., 2000, ch. 6).
``"auc"``
    Area under the ROC curve of the score against the class of each row.
callable
    ``metric(target, scores) -> float``, higher is better, on copies of the arrays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import roc_auc_score

from tr_core.errors import InvalidParameterError
from tr_evaluation.buckets import BucketAnalyzer, BucketResult

__all__ = ["METRIC_NAMES", "Metric", "ScoredSlice", "resolve_metric"]

METRIC_NAMES = ("bucket_<k>_return", "top_bucket_return", "spread", "ic", "auc")
_BUCKET = re.compile(r"bucket_(\d+)_return")


@dataclass(frozen=True)
class ScoredSlice:
    """Scores of one evaluation slice with its outcomes; statistics computed on first use.

    Attributes
    ----------
    target : ndarray of float
        Realized target (e.g. alpha) per row.
    scores : ndarray of float
        Model score per row (higher = more attractive).
    labels : ndarray of int8
        Class (0/1) per row, for AUC.
    n_buckets : int
        Number of score buckets.
    """

    target: npt.NDArray[np.float64]
    scores: npt.NDArray[np.float64]
    labels: npt.NDArray[np.int8]
    n_buckets: int = 20

    def __repr__(self) -> str:
        return f"ScoredSlice(n_rows={self.target.size}, n_buckets={self.n_buckets})"

    @property
    def n_rows(self) -> int:
        """Rows scored."""
        return int(self.scores.size)

    @cached_property
    def buckets(self) -> BucketResult:
        """The pooled bucket analysis of ``scores`` against ``target`` (tr-evaluation)."""
        return BucketAnalyzer(n_buckets=self.n_buckets).analyze(self.scores, self.target)

    @cached_property
    def auc(self) -> float:
        """ROC AUC of ``scores`` for ``labels``; NaN when the slice holds one class only."""
        if self.labels.min() == self.labels.max():
            return float("nan")
        return float(roc_auc_score(self.labels, self.scores))

    @property
    def ic(self) -> float:
        """Spearman rank correlation of score and realized target."""
        return self.buckets.ic

    @property
    def top_bucket_return(self) -> float:
        """Mean target of the highest score bucket."""
        return self.buckets.top_bucket_return

    @property
    def spread(self) -> float:
        """Top-minus-bottom bucket mean target."""
        return self.buckets.spread


@dataclass(frozen=True)
class Metric:
    """A named, higher-is-better statistic of a :class:`ScoredSlice`."""

    name: str
    compute: Callable[[ScoredSlice], float] = field(repr=False)

    def __call__(self, scored: ScoredSlice) -> float:
        """The metric's value on ``scored``."""
        return float(self.compute(scored))


def resolve_metric(
    metric: str | Callable[..., Any], *, n_buckets: int = 20, argument: str = "evaluation_metric"
) -> Metric:
    """Turn a metric name or a ``metric(target, scores)`` callable into a :class:`Metric`.

    Parameters
    ----------
    metric : str or callable
        One of :data:`METRIC_NAMES` (see the module docstring) or a callable.
    n_buckets : int, default 20
        Number of buckets the bucket metrics use; ``bucket_<k>_return`` needs
        ``k < n_buckets``.
    argument : str, default "evaluation_metric"
        The caller's name for ``metric``, used in error messages.

    Returns
    -------
    Metric

    Raises
    ------
    InvalidParameterError
        An unknown name, or a bucket index out of range.

    Examples
    --------
    >>> resolve_metric("bucket_19_return").name
    'bucket_19_return'
    """
    if callable(metric):
        user = metric

        def custom(scored: ScoredSlice) -> float:
            return float(user(scored.target.copy(), scored.scores.copy()))

        return Metric(getattr(metric, "__name__", type(metric).__name__), custom)
    if not isinstance(metric, str):
        raise InvalidParameterError(
            f"`{argument}` must be a name {list(METRIC_NAMES)} or a callable "
            f"metric(target, scores) -> float, got {metric!r}."
        )
    match = _BUCKET.fullmatch(metric)
    if match is not None:
        k = int(match.group(1))
        if k >= n_buckets:
            raise InvalidParameterError(
                f"`{argument}`={metric!r} needs bucket {k}, but n_buckets={n_buckets} "
                f"has buckets 0..{n_buckets - 1}; use 'top_bucket_return' or raise n_buckets."
            )
        return Metric(metric, lambda s: float(s.buckets.table["mean"].iloc[k]))
    named: dict[str, Callable[[ScoredSlice], float]] = {
        "top_bucket_return": lambda s: s.top_bucket_return,
        "spread": lambda s: s.spread,
        "ic": lambda s: s.ic,
        "auc": lambda s: s.auc,
    }
    if metric not in named:
        raise InvalidParameterError(
            f"unknown `{argument}` {metric!r}; use one of {list(METRIC_NAMES)} "
            "(e.g. 'bucket_19_return' with 20 buckets) or a callable metric(target, scores)."
        )
    return Metric(metric, named[metric])
