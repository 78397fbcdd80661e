"""``BucketAnalyzer``: how the realized returns of score buckets line up."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import align_inputs, with_index
from tr_core.errors import InsufficientDataError, InvalidParameterError
from tr_core.validation import all_finite, as_float_array, as_weight_array, resolve_column
from tr_evaluation.buckets.assign import (
    Bucketing,
    check_labels,
    check_n_buckets,
    factorize_labels,
    grouped_buckets,
)
from tr_evaluation.buckets.periods import FREQUENCIES, period_codes
from tr_evaluation.buckets.plots import plot_bucket_performance
from tr_evaluation.buckets.result import BucketResult
from tr_evaluation.buckets.secondary import SecondaryInputs
from tr_evaluation.buckets.stats import bucket_table, period_bucket_means, run_period_means

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
        each calendar day / Monday-to-Sunday week / month of ``times``, in the
        times' own timezone (a New York trade at 20:00 belongs to that New York
        day, not to the next UTC day) — cross-sectional buckets, as
        factor-analysis tools do. Any other string names a column of ``data``
        whose values are the groups (e.g. a date column). Groups with fewer rows
        than buckets still use the full 0..n-1 range by rank pct (see
        :mod:`tr_evaluation.buckets.assign`).
    period : {None, "D", "W", "M"}, default None
        Period of the per-period statistics (rank IC, top-bucket return, turnover,
        the table's ``period_mean``) when buckets are pooled; defaults to ``"M"``
        when ``times`` are given. When ``by`` is set, its groups are the periods
        and ``period`` must be None.

    Notes
    -----
    The bucket table has two means. ``mean`` pools every row of the bucket (a
    period with more rows weighs more); ``period_mean`` is the plain average of
    the per-period bucket means (every period weighs the same), which is what
    alphalens' ``mean_return_by_quantile(by_date=False)`` reports. They agree on a
    balanced panel and differ on an unbalanced one; see
    :mod:`tr_evaluation.buckets.stats`.

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

        Per-row inputs that are pandas objects are paired by index label with the
        first of them (``scores`` when it is a Series), never by position: a
        ``returns`` Series holding the same rows in another order is reordered, one
        with other labels is refused. Plain arrays and lists are taken by position.

        Parameters
        ----------
        scores : array-like of float or str
            Model scores (higher = better). NaN rows are dropped and counted.
        returns : array-like of float or str
            Realized returns (e.g. alpha as a fraction). NaN rows are dropped and counted.
        times : array-like of datetime or str, optional
            Decision time per row, naive or timezone-aware; needed for
            ``by="D"/"W"/"M"`` and for the per-period statistics. Periods are the
            calendar periods of the times' own timezone.
        entities : array-like or str, optional
            Entity (ticker) per row; enables top-bucket turnover.
        weights : array-like of float or str, optional
            Non-negative sample weights (not all zero) for the bucket table.
        data : DataFrame, optional
            Frame in which string arguments (and a column ``by``) are looked up.

        Returns
        -------
        BucketResult
            Its ``buckets`` is a Series on the caller's index when a per-row input
            was a Series (or a column of ``data``), else an array in input order.

        Raises
        ------
        InvalidParameterError
            Bad ``n_buckets``/``by``/``period``; negative or all-zero weights.
        SizeLimitError
            ``n_buckets`` above :data:`~tr_evaluation.buckets.assign.MAX_BUCKETS`.
        IndexAlignmentError
            Series inputs whose index labels differ (they describe other rows).
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
        self._check_by_and_period()
        groups = self._by_column(data)
        aligned, index = align_inputs(
            scores=_column(data, scores, "scores"),
            returns=_column(data, returns, "returns"),
            times=_column(data, times, "times"),
            entities=_column(data, entities, "entities"),
            weights=_column(data, weights, "weights"),
            by=groups,
        )
        s = as_float_array(aligned["scores"], "scores", allow_nan=True)
        r = as_float_array(aligned["returns"], "returns", allow_nan=True)
        # inf was refused, so values that are all finite have no NaN row to drop.
        keep = None if all_finite(s) and all_finite(r) else ~(np.isnan(s) | np.isnan(r))
        n_dropped = 0 if keep is None else int(keep.size - np.count_nonzero(keep))
        weights = aligned["weights"]
        w = None if weights is None else check_weights(weights, keep)
        codes, labels, period_name = self._period_codes(aligned["times"], aligned["by"])
        entities = aligned["entities"]
        if entities is not None:
            check_labels(entities, "entities")
            # A private copy: statistics computed later must not see the caller's edits.
            entities = (
                entities.to_numpy(copy=True)
                if isinstance(entities, pd.Series | pd.Index)
                else np.array(entities)
            )
        kept = np.flatnonzero(keep) if keep is not None and n_dropped else None
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
        bucketing = self._buckets(s, codes, n_buckets, (r,) if w is None else (r, w))
        layout = bucketing.layout
        assert layout is not None  # carried arrays were given
        if self.by is not None:
            period_mean = run_period_means(layout, n_buckets)
        elif codes is not None:
            period_mean = period_bucket_means(codes, bucketing.buckets, r, w, n_buckets)
        else:
            period_mean = None
        table = bucket_table(layout, n_buckets, period_mean)
        buckets = bucketing.buckets
        del layout, bucketing  # the bucket-ordered copies are no longer needed
        aligned_buckets = buckets
        if kept is not None:
            aligned_buckets = np.full(n_dropped + buckets.size, -1, dtype=buckets.dtype)
            aligned_buckets[kept] = buckets
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
            buckets=with_index(aligned_buckets, index, "bucket"),
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

    def _check_by_and_period(self) -> None:
        """Raise on a ``by``/``period`` combination that cannot be honoured."""
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
        if by is not None and not isinstance(by, str):
            raise InvalidParameterError(
                f"`by` must be None, one of {list(FREQUENCIES)} or a column name, got {by!r}."
            )

    def _by_column(self, data: pd.DataFrame | None) -> Any:
        """The group column named by ``by`` (None for pooled or calendar buckets)."""
        by = self.by
        if by is None or by in FREQUENCIES:
            return None
        if data is None:
            raise InvalidParameterError(
                f"`by`={by!r} is not one of {list(FREQUENCIES)}, so it must name a column of "
                "`data`; pass data=<your frame>."
            )
        return resolve_column(data, by, "by")

    def _period_codes(
        self, times: Any, groups: Any
    ) -> tuple[npt.NDArray[np.int64] | None, pd.Index | None, str | None]:
        """Period code per row (None when there are no periods), period labels, period name."""
        by, period = self.by, self.period
        if groups is not None:
            assert by is not None  # groups come from the column named by `by`
            codes, uniques = factorize_labels(groups, "by")
            return codes, uniques, by
        freq = by or period
        if times is None:
            if freq is not None:
                what = "buckets within calendar periods" if by else "per-period statistics"
                raise InvalidParameterError(
                    f"`{'by' if by else 'period'}`={freq!r} ({what}) needs `times`; "
                    "pass the decision times."
                )
            return None, None, None
        freq = freq or "M"
        codes, starts = period_codes(times, freq)
        return codes, starts, freq

    def _buckets(
        self,
        s: npt.NDArray[np.float64],
        codes: npt.NDArray[np.int64] | None,
        n_buckets: int,
        carry: tuple[npt.NDArray[np.float64], ...],
    ) -> Bucketing:
        """Buckets pooled, or within the groups of ``by``; warns on constant scores."""
        if self.by is None or codes is None:
            bucketing = grouped_buckets(
                s, None, np.array([s.size], dtype=np.int64), n_buckets, carry
            )
            if bucketing.n_constant:
                warnings.warn(
                    "`scores` are constant: every row falls into the middle bucket "
                    f"{(n_buckets - 1) // 2}; the bucket table says nothing about the model.",
                    UserWarning,
                    stacklevel=3,
                )
            return bucketing
        sizes = np.bincount(codes).astype(np.int64)
        bucketing = grouped_buckets(s, codes, sizes, n_buckets, carry)
        if bucketing.n_constant:
            warnings.warn(
                f"`scores` are constant within {bucketing.n_constant} of "
                f"{int(np.count_nonzero(sizes > 1))} groups of two or more rows; those rows "
                "all fall into the middle bucket.",
                UserWarning,
                stacklevel=3,
            )
        return bucketing


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


def check_weights(weights: Any, keep: npt.NDArray[np.bool_] | None) -> npt.NDArray[np.float64]:
    """Validated non-negative weights of the kept rows; raise if all of them are zero.

    Parameters
    ----------
    weights : array-like of float
        One weight per input row.
    keep : ndarray of bool or None
        Rows that will be used; None: all of them.

    Returns
    -------
    ndarray of float64
        The weights of the kept rows.
    """
    checked = as_weight_array(weights, "`weights`", usable=keep)
    return checked if keep is None else checked[keep]
