"""``BucketAnalyzer``: how the realized returns of score buckets line up."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InsufficientDataError, InvalidParameterError
from tr_core.validation import (
    as_datetime_array,
    as_float_array,
    as_weight_array,
    check_same_length,
    resolve_column,
)
from tr_evaluation.buckets.assign import (
    check_labels,
    check_n_buckets,
    factorize_labels,
    grouped_buckets,
)
from tr_evaluation.buckets.periods import FREQUENCIES, period_codes
from tr_evaluation.buckets.plots import plot_bucket_performance
from tr_evaluation.buckets.result import BucketResult
from tr_evaluation.buckets.secondary import SecondaryInputs
from tr_evaluation.buckets.stats import bucket_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["BucketAnalyzer", "check_weights"]


class BucketAnalyzer:
    """Bucket rows by score rank and describe the realized returns of each bucket.

    Parameters
    ----------
    n_buckets : int, default 20
        Number of buckets; bucket ``n_buckets - 1`` holds the highest scores, so
        with 20 buckets "bucket 19 return" is the top bucket's mean return.
    by : {None, "D", "W", "M"} or str, default None
        None pools all rows into one ranking. ``"D"``/``"W"``/``"M"`` rank within
        each calendar day / Monday-to-Sunday week / month of ``times``
        (cross-sectional buckets, as factor-analysis tools do). Any other string
        names a column of ``data`` whose values are the groups (e.g. a date column).
        Groups with fewer rows than buckets still use the full 0..n-1 range by
        rank pct (see :mod:`tr_evaluation.buckets.assign`).
    period : {None, "D", "W", "M"}, default None
        Period of the per-period statistics (rank IC, top-bucket return, turnover)
        when buckets are pooled; defaults to ``"M"`` when ``times`` are given.
        When ``by`` is set, its groups are the periods and ``period`` must be None.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> scores = rng.normal(size=1000)
    >>> returns = 0.01 * scores + rng.normal(scale=0.05, size=1000)
    >>> result = BucketAnalyzer(n_buckets=10).analyze(scores, returns)
    >>> result.bucket_9_return > result.bucket_0_return
    True
    """

    def __init__(self, n_buckets: int = 20, by: str | None = None, period: str | None = None):
        self.n_buckets = n_buckets
        self.by = by
        self.period = period

    def analyze(
        self,
        scores: Any,
        returns: Any,
        *,
        times: Any = None,
        entities: Any = None,
        weights: Any = None,
        data: pd.DataFrame | None = None,
    ) -> BucketResult:
        """Assign buckets and compute the bucket table and headline figures.

        Parameters
        ----------
        scores : array-like of float or str
            Model scores (higher = better). NaN rows are dropped and counted.
        returns : array-like of float or str
            Realized returns (e.g. alpha as a fraction). NaN rows are dropped and counted.
        times : array-like of datetime or str, optional
            Decision time per row; needed for ``by="D"/"W"/"M"`` and for the
            per-period statistics.
        entities : array-like or str, optional
            Entity (ticker) per row; enables top-bucket turnover.
        weights : array-like of float or str, optional
            Non-negative sample weights (not all zero) for the bucket table.
        data : DataFrame, optional
            Frame in which string arguments (and a column ``by``) are looked up.

        Returns
        -------
        BucketResult

        Raises
        ------
        InvalidParameterError
            Bad ``n_buckets``/``by``/``period``; negative or all-zero weights.
        LengthMismatchError
            Inputs of different lengths.
        NonFiniteError
            Infinite scores/returns, NaN or infinite weights, missing entities/groups.
        TimeTypeError, TimeColumnError
            Times that are not datetimes, or are missing.
        InsufficientDataError
            Fewer usable rows than buckets.
        """
        n_buckets = check_n_buckets(self.n_buckets)
        scores, returns, times, entities, weights = (
            _column(data, value, name)
            for value, name in (
                (scores, "scores"),
                (returns, "returns"),
                (times, "times"),
                (entities, "entities"),
                (weights, "weights"),
            )
        )
        s = as_float_array(scores, "scores", allow_nan=True)
        r = as_float_array(returns, "returns", allow_nan=True)
        check_same_length(scores=s, returns=r, times=times, entities=entities, weights=weights)
        keep = ~(np.isnan(s) | np.isnan(r))
        n_dropped = int(keep.size - np.count_nonzero(keep))
        w = None if weights is None else check_weights(weights, keep)
        codes, labels, period_name = self._period_codes(times, data, s.size)
        if entities is not None:
            check_labels(entities, "entities")
            entities = (
                entities.to_numpy(copy=True)
                if isinstance(entities, pd.Series | pd.Index)
                else np.array(entities)
            )
        kept = np.flatnonzero(keep) if n_dropped else None
        if kept is not None:
            s, r = s[kept], r[kept]
            codes = None if codes is None else codes[kept]
            entities = None if entities is None else entities[kept]
        if s.size < n_buckets:
            raise InsufficientDataError(
                f"`scores`/`returns` have {s.size} usable rows ({n_dropped} dropped for NaN) "
                f"but n_buckets={n_buckets} needs at least {n_buckets}; "
                "pass more rows or use fewer buckets."
            )
        if kept is not None and labels is not None and codes is not None:
            codes, labels = _drop_empty_periods(codes, labels)
        buckets = self._buckets(s, codes, n_buckets)
        table = bucket_table(r, w, buckets, n_buckets)
        aligned = buckets
        if kept is not None:
            aligned = np.full(keep.size, -1, dtype=np.int16)
            aligned[kept] = buckets
        inputs = SecondaryInputs(
            scores=s,
            returns=r,
            weights=w,
            buckets=buckets,
            n_buckets=n_buckets,
            codes=codes,
            labels=labels,
            entities=entities,
        )
        return BucketResult(
            n_buckets=n_buckets,
            table=table,
            n_rows=int(s.size),
            n_dropped=n_dropped,
            by=self.by,
            period=period_name,
            buckets=aligned,
            _inputs=inputs,
        )

    @staticmethod
    def plot_bucket_performance(result: BucketResult) -> Figure:
        """Bar chart of the bucket mean returns with 95% error bars.

        Parameters
        ----------
        result : BucketResult
            The output of :meth:`analyze`.

        Returns
        -------
        matplotlib.figure.Figure
        """
        return plot_bucket_performance(result)

    def _period_codes(
        self, times: Any, data: pd.DataFrame | None, n_rows: int
    ) -> tuple[npt.NDArray[np.int64] | None, pd.Index | None, str | None]:
        """Period code per row (None when there are no periods), period labels, period name."""
        by, period = self.by, self.period
        if period is not None and period not in FREQUENCIES:
            raise InvalidParameterError(
                f"`period`={period!r} is not supported; use one of {list(FREQUENCIES)} or None."
            )
        if by is not None and period is not None:
            raise InvalidParameterError(
                f"`period`={period!r} was given with `by`={by!r}; with `by` the groups are "
                "the periods — leave period=None."
            )
        if by is None:
            if times is None:
                if period is not None:
                    raise InvalidParameterError(
                        f"`period`={period!r} needs `times`; pass the decision times."
                    )
                return None, None, None
            freq = period or "M"
            codes, starts = period_codes(as_datetime_array(times, "times"), freq)
            return codes, starts, freq
        if not isinstance(by, str):
            raise InvalidParameterError(
                f"`by` must be None, one of {list(FREQUENCIES)} or a column name, got {by!r}."
            )
        if by in FREQUENCIES:
            if times is None:
                raise InvalidParameterError(
                    f"`by`={by!r} buckets within calendar periods and needs `times`; "
                    "pass the decision times."
                )
            codes, starts = period_codes(as_datetime_array(times, "times"), by)
            return codes, starts, by
        if data is None:
            raise InvalidParameterError(
                f"`by`={by!r} is not one of {list(FREQUENCIES)}, so it must name a column of "
                "`data`; pass data=<your frame>."
            )
        groups = resolve_column(data, by, "by")
        check_same_length(scores=np.empty(n_rows), by=groups)
        codes, uniques = factorize_labels(groups, "by")
        return codes, uniques, by

    def _buckets(
        self, s: npt.NDArray[np.float64], codes: npt.NDArray[np.int64] | None, n_buckets: int
    ) -> npt.NDArray[np.int16]:
        """Buckets pooled, or within the groups of ``by``; warns on constant scores."""
        if self.by is None or codes is None:
            buckets, n_constant = grouped_buckets(
                s, None, np.array([s.size], dtype=np.int64), n_buckets
            )
            if n_constant:
                warnings.warn(
                    "`scores` are constant: every row falls into the middle bucket "
                    f"{(n_buckets - 1) // 2}; the bucket table says nothing about the model.",
                    UserWarning,
                    stacklevel=3,
                )
            return buckets
        sizes = np.bincount(codes).astype(np.int64)
        buckets, n_constant = grouped_buckets(s, codes, sizes, n_buckets)
        if n_constant:
            warnings.warn(
                f"`scores` are constant within {n_constant} of {int(np.count_nonzero(sizes > 1))} "
                "groups of two or more rows; those rows all fall into the middle bucket.",
                UserWarning,
                stacklevel=3,
            )
        return buckets


def _drop_empty_periods(
    codes: npt.NDArray[np.int64], labels: pd.Index
) -> tuple[npt.NDArray[np.int64], pd.Index]:
    """Renumber period codes after dropping rows, so every period keeps at least one row."""
    present = np.bincount(codes, minlength=len(labels)) > 0
    if present.all():
        return codes, labels
    new_code = np.cumsum(present) - 1
    return new_code[codes], labels[present]


def _column(data: pd.DataFrame | None, value: Any, name: str) -> Any:
    """Look a string argument up in ``data``; pass anything else through."""
    if value is None or (data is None and not isinstance(value, str)):
        return value
    return resolve_column(data, value, name)


def check_weights(weights: Any, keep: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Validated non-negative weights of the kept rows; raise if all of them are zero.

    Parameters
    ----------
    weights : array-like of float
        One weight per input row.
    keep : ndarray of bool
        Rows that will be used.

    Returns
    -------
    ndarray of float64
        The weights of the kept rows.
    """
    return as_weight_array(weights, "`weights`", usable=keep)[keep]
