"""The result of a bucket analysis: a frozen, self-describing record."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from tr_core.errors import InvalidParameterError
from tr_core.jsonable import plain

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from tr_evaluation.buckets.secondary import SecondaryInputs

__all__ = ["BucketResult"]

_BUCKET_RETURN = re.compile(r"bucket_(\d+)_return")


@dataclass(frozen=True, eq=False, repr=False)
class BucketResult:
    """Realized returns of score buckets (bucket ``n_buckets - 1`` is the top).

    The bucket table is computed by the analysis; ``ic`` and ``periods`` (and the
    figures built from them) are computed on first access and then kept.

    Attributes
    ----------
    n_buckets : int
        Number of buckets.
    table : DataFrame
        One row per bucket 0..n-1: ``count``, ``weight`` (sum of weights),
        ``mean`` (pooled over all the bucket's rows), ``period_mean`` (plain
        average of the per-period bucket means, as alphalens'
        ``mean_return_by_quantile(by_date=False)``; equal to ``mean`` without
        periods), ``median``, ``std``, ``win_rate``, ``t_stat``, ``n_eff``
        (formulas in :mod:`tr_evaluation.buckets.stats`). ``bucket_<k>_return``
        and the top/bottom/spread figures read ``mean``.
    periods : DataFrame or None
        One row per observed period (index: period start or group label):
        ``count``, ``ic`` (rank IC within the period), ``top_return``,
        ``bottom_return``, ``spread`` and ``turnover`` (share of top-bucket
        entities new since the previous period; NaN without entities). None
        when neither times nor a ``by`` column were given.
    ic : float
        Rank IC (Spearman) of score and return over all used rows.
    n_rows : int
        Rows used.
    n_dropped : int
        Rows dropped because their score or return was NaN.
    by : str or None
        How buckets were formed: None (pooled), a frequency or a column name.
    period : str or None
        The period of ``periods``.
    buckets : ndarray or Series of int16 (int32 above 32,768 buckets)
        Bucket of every input row; -1 marks a dropped row. A Series on the
        caller's index when a per-row input was a Series (or a column of
        ``data``), else an array in input order.
    """

    n_buckets: int
    table: pd.DataFrame
    n_rows: int
    n_dropped: int
    by: str | None
    period: str | None
    # ndarray or Series (see above); typed Any so that array-style use (``buckets == k``
    # as a mask of numpy arrays) type-checks for both.
    buckets: Any
    _inputs: SecondaryInputs = field(repr=False)

    def __repr__(self) -> str:
        """One line of headline figures (not the table or the per-row buckets)."""
        return (
            f"{type(self).__name__}(n_buckets={self.n_buckets}, by={self.by!r}, "
            f"period={self.period!r}, n_rows={self.n_rows}, n_dropped={self.n_dropped}, "
            f"top_bucket_return={self.top_bucket_return:.4g}, "
            f"bottom_bucket_return={self.bottom_bucket_return:.4g}, spread={self.spread:.4g})"
        )

    @cached_property
    def ic(self) -> float:
        """Rank IC (Spearman) of score and return over all used rows."""
        return self._inputs.pooled_ic()

    @cached_property
    def periods(self) -> pd.DataFrame | None:
        """Per-period statistics (see the class docstring); None without periods."""
        return self._inputs.period_frame()

    def __getattr__(self, name: str) -> float:
        match = _BUCKET_RETURN.fullmatch(name)
        if match is not None and int(match.group(1)) < self.n_buckets:
            return float(self.table["mean"].iloc[int(match.group(1))])
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def top_bucket_return(self) -> float:
        """Mean return of the top bucket (``bucket_{n-1}_return``); NaN if it is empty."""
        return float(self.table["mean"].iloc[-1])

    @property
    def bottom_bucket_return(self) -> float:
        """Mean return of bucket 0."""
        return float(self.table["mean"].iloc[0])

    @property
    def spread(self) -> float:
        """Top-minus-bottom bucket mean return."""
        return self.top_bucket_return - self.bottom_bucket_return

    @property
    def monotonicity(self) -> float:
        """Spearman correlation of bucket index and bucket mean return (non-empty buckets).

        +1 when every bucket beats the one below; NaN with fewer than two
        non-empty buckets or constant means.
        """
        means = self.table["mean"].to_numpy()
        ok = np.isfinite(means)
        if ok.sum() < 2 or np.ptp(means[ok]) == 0:
            return float("nan")
        return float(stats.spearmanr(np.flatnonzero(ok), means[ok])[0])

    def _ic_series(self) -> npt.NDArray[np.float64]:
        if self.periods is None:
            return np.empty(0)
        ic: npt.NDArray[np.float64] = self.periods["ic"].to_numpy(dtype=np.float64)
        return ic[np.isfinite(ic)]

    @property
    def n_periods(self) -> int:
        """Periods with a defined rank IC."""
        return int(self._ic_series().size)

    @property
    def ic_mean(self) -> float:
        """Mean of the per-period rank ICs."""
        ic = self._ic_series()
        return float(ic.mean()) if ic.size else float("nan")

    @property
    def ic_std(self) -> float:
        """Sample standard deviation (ddof=1) of the per-period rank ICs."""
        ic = self._ic_series()
        return float(ic.std(ddof=1)) if ic.size > 1 else float("nan")

    @property
    def ic_ir(self) -> float:
        """Information ratio of the IC: ``ic_mean / ic_std``."""
        std = self.ic_std
        return self.ic_mean / std if std > 0 else float("nan")

    @property
    def ic_t_stat(self) -> float:
        """t-statistic of the mean IC: ``ic_mean / ic_std * sqrt(n_periods)``."""
        return self.ic_ir * math.sqrt(self.n_periods)

    @property
    def mean_turnover(self) -> float:
        """Average top-bucket turnover over periods where it is defined."""
        if self.periods is None:
            return float("nan")
        turnover = self.periods["turnover"].to_numpy(dtype=np.float64)
        turnover = turnover[np.isfinite(turnover)]
        return float(turnover.mean()) if turnover.size else float("nan")

    def period_returns(self) -> pd.DataFrame:
        """Mean return of every bucket in every period.

        The same means as ``periods["top_return"]``/``["bottom_return"]`` (weighted
        by the sample weights when they were given), for every bucket.

        Returns
        -------
        DataFrame
            Index: the periods of :attr:`periods` (name ``period``); columns:
            buckets ``0 .. n_buckets - 1`` (name ``bucket``); values: the mean
            return of the bucket's rows in that period, NaN where the bucket has
            no row in that period.

        Raises
        ------
        InvalidParameterError
            The result has no periods (analyzed without ``times`` or ``by``).

        Examples
        --------
        >>> r = BucketAnalyzer(n_buckets=2).analyze(scores, returns, times=times)  # doctest: +SKIP
        >>> r.period_returns().cumsum()  # cumulative return of each bucket  # doctest: +SKIP
        """
        inputs = self._inputs
        if inputs.codes is None or inputs.labels is None:
            raise InvalidParameterError(
                "this BucketResult has no periods (it was analyzed without `times` or "
                "`by`), so there are no per-period bucket returns; pass times=<decision "
                "times> to BucketAnalyzer.analyze (or use BucketAnalyzer(by=...))."
            )
        n_groups, n_buckets = len(inputs.labels), self.n_buckets
        key = inputs.codes * n_buckets + inputs.buckets
        size = n_groups * n_buckets
        w = inputs.weights
        with np.errstate(invalid="ignore", divide="ignore"):
            total = np.bincount(key, w, minlength=size)
            value = inputs.returns if w is None else w * inputs.returns
            means = np.bincount(key, value, minlength=size) / total
        return pd.DataFrame(
            means.reshape(n_groups, n_buckets),
            index=pd.Index(inputs.labels, name="period"),
            columns=pd.RangeIndex(n_buckets, name="bucket"),
        )

    def to_frame(self) -> pd.DataFrame:
        """The per-bucket table (a copy)."""
        return self.table.copy()

    def summary(self) -> dict[str, Any]:
        """Headline figures as a plain, JSON-serializable dict (NaN becomes None)."""
        top = f"bucket_{self.n_buckets - 1}_return"
        out: dict[str, Any] = {
            "n_buckets": self.n_buckets,
            "by": self.by,
            "period": self.period,
            "n_rows": self.n_rows,
            "n_dropped": self.n_dropped,
            "top_bucket_return": self.top_bucket_return,
            top: self.top_bucket_return,
            "bottom_bucket_return": self.bottom_bucket_return,
            "spread": self.spread,
            "monotonicity": self.monotonicity,
            "ic": self.ic,
            "n_periods": self.n_periods,
            "ic_mean": self.ic_mean,
            "ic_std": self.ic_std,
            "ic_ir": self.ic_ir,
            "ic_t_stat": self.ic_t_stat,
            "mean_turnover": self.mean_turnover,
            "bucket_mean": [plain(float(v)) for v in self.table["mean"]],
            "bucket_period_mean": [plain(float(v)) for v in self.table["period_mean"]],
            "bucket_count": [int(v) for v in self.table["count"]],
        }
        return {k: plain(v) for k, v in out.items()}

    def plot(self) -> Figure:
        """Bucket bar chart with 95% error bars, rank IC over time, cumulative top-bucket return."""
        from tr_evaluation.buckets.plots import plot_bucket_result

        return plot_bucket_result(self)

    def plot_tear_sheet(self, *, baseline: float | None = None, window: int = 6) -> Figure:
        """Tear sheet: bucket means, cumulative bucket returns, spread, IC and turnover.

        See :func:`tr_evaluation.buckets.tearsheet.plot_tear_sheet`.
        """
        from tr_evaluation.buckets.tearsheet import plot_tear_sheet

        return plot_tear_sheet(self, baseline=baseline, window=window)
