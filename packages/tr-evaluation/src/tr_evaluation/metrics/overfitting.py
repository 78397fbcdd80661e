r"""Probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV).

Bailey, D. H., Borwein, J. M., López de Prado, M. & Zhu, Q. J. (2015). The probability
of backtest overfitting. *Journal of Computational Finance*, 20(4), 39-69.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from tr_core.errors import InsufficientDataError, InvalidParameterError, TrTypeError
from tr_core.validation import check_size
from tr_evaluation.metrics._checks import (
    FloatArray,
    negligible_spread,
    power_of_two_scale,
    returns_matrix,
)

__all__ = ["MAX_COMBINATIONS", "PBOResult", "probability_of_backtest_overfitting"]

Metric = Literal["sharpe", "mean", "sortino"]
_METRICS = ("sharpe", "mean", "sortino")
_CHUNK_CELLS = 2_000_000
"""Combinations × variants evaluated per vectorized chunk (bounds memory)."""

MAX_COMBINATIONS = 1_000_000
r"""Most combinations :math:`\binom{S}{S/2}` evaluated; larger requests are refused.

``n_partitions=22`` (705,432 combinations) is the largest ``S`` under it: ~4 s and
well under 1 GiB for 50 variants on a 2-core machine (S = 16, 12,870 combinations,
takes 0.2 s). ``n_partitions=24`` would be 2.7 million combinations and
``n_partitions=32`` 601 million, which exhausts memory building the index.
"""


@dataclass(frozen=True, eq=False)
class PBOResult:
    """Outcome of CSCV: one entry per combination of in-sample (IS) blocks.

    Attributes
    ----------
    pbo : float
        Probability of backtest overfitting: fraction of combinations whose logit is
        ``<= 0`` (the IS-best variant ranks at or below the median out of sample).
    logits : ndarray, shape (C,)
        :math:`\\lambda_c = \\ln(\\omega_c / (1 - \\omega_c))` per combination.
    is_performance, oos_performance : ndarray, shape (C,)
        Per-period metric of the IS-selected variant, in and out of sample.
    selected : ndarray of int, shape (C,)
        Column position of the IS-selected variant.
    columns : list
        Variant labels (DataFrame columns, else positions).
    degradation_slope, degradation_intercept : float
        Least-squares line ``oos = intercept + slope * is`` over combinations (the
        paper's performance degradation); NaN when the IS performance of the selected
        variant is identical in every combination (the line is undefined).
    probability_of_loss : float
        Fraction of combinations where the selected variant's OOS metric is ``< 0``.
    n_partitions : int
        ``S``.
    metric : str
        Performance metric used for selection and ranking.
    n_periods_used, n_periods_dropped : int
        Rows used (``S * (T // S)``) and trailing rows dropped to make equal blocks.
    """

    pbo: float
    logits: FloatArray
    is_performance: FloatArray
    oos_performance: FloatArray
    selected: np.ndarray
    columns: list[Any]
    degradation_slope: float
    degradation_intercept: float
    probability_of_loss: float
    n_partitions: int
    metric: str
    n_periods_used: int
    n_periods_dropped: int

    def __repr__(self) -> str:
        # One line of scalars: the per-combination arrays stay out of the repr.
        return (
            f"PBOResult(pbo={self.pbo:.4g}, probability_of_loss={self.probability_of_loss:.4g}, "
            f"degradation_slope={self.degradation_slope:.4g}, n_partitions={self.n_partitions}, "
            f"n_combinations={self.n_combinations}, n_variants={len(self.columns)}, "
            f"metric={self.metric!r})"
        )

    @property
    def n_combinations(self) -> int:
        """Number of combinations evaluated, :math:`\\binom{S}{S/2}`."""
        return int(self.logits.size)

    def to_frame(self) -> pd.DataFrame:
        """One row per combination: selected variant, IS/OOS metric, logit, overfit flag."""
        return pd.DataFrame(
            {
                "selected": [self.columns[j] for j in self.selected],
                "is_performance": self.is_performance,
                "oos_performance": self.oos_performance,
                "logit": self.logits,
                "overfit": self.logits <= 0.0,
            }
        )

    def summary(self) -> dict[str, Any]:
        """Plain JSON-serializable summary (NaN slope/intercept become ``None``)."""

        def num(x: float) -> float | None:
            return None if math.isnan(x) else float(x)

        return {
            "pbo": float(self.pbo),
            "probability_of_loss": float(self.probability_of_loss),
            "degradation_slope": num(self.degradation_slope),
            "degradation_intercept": num(self.degradation_intercept),
            "n_partitions": self.n_partitions,
            "n_combinations": self.n_combinations,
            "n_variants": len(self.columns),
            "metric": self.metric,
            "n_periods_used": self.n_periods_used,
            "n_periods_dropped": self.n_periods_dropped,
        }

    def plot(self) -> Figure:
        """Histogram of logits (left) and OOS vs IS performance of the selection (right)."""
        fig = Figure(figsize=(10, 4))
        ax_l, ax_s = fig.subplots(1, 2)
        ax_l.hist(self.logits, bins=30, color="C0", alpha=0.8)
        ax_l.axvline(0.0, color="C3", ls="--", lw=1)
        ax_l.set_xlabel("logit λ")
        ax_l.set_ylabel("combinations")
        ax_l.set_title(f"PBO = {self.pbo:.1%}")
        ax_s.scatter(self.is_performance, self.oos_performance, s=6, alpha=0.5, color="C0")
        if not math.isnan(self.degradation_slope):
            xs = np.linspace(self.is_performance.min(), self.is_performance.max(), 2)
            ax_s.plot(xs, self.degradation_intercept + self.degradation_slope * xs, color="C3")
        ax_s.axhline(0.0, color="grey", lw=0.5)
        ax_s.set_xlabel(f"IS {self.metric} (selected)")
        ax_s.set_ylabel(f"OOS {self.metric} (selected)")
        ax_s.set_title(f"Degradation slope {self.degradation_slope:.2f}")
        return fig


def probability_of_backtest_overfitting(
    returns: Any, n_partitions: int = 16, *, metric: Metric = "sharpe"
) -> PBOResult:
    r"""Probability of backtest overfitting (PBO) by CSCV (Bailey et al. 2015).

    ``returns`` is a :math:`T \times N` matrix: one row per period, one column per
    variant (strategy configuration) tried. The rows are cut into ``S`` contiguous
    blocks of :math:`\lfloor T/S \rfloor` rows; the trailing :math:`T \bmod S` rows
    are dropped. For each of the :math:`\binom{S}{S/2}` combinations :math:`c` of
    :math:`S/2` blocks, IS = those blocks and OOS = the others, then

    1. :math:`n^* = \arg\max_n` IS performance (ties: the first column);
    2. :math:`\omega_c = \mathrm{rank}(\text{OOS}_{n^*}) / (N + 1)`, the ascending
       rank among the :math:`N` OOS performances (ties share their average rank);
    3. :math:`\lambda_c = \ln(\omega_c / (1 - \omega_c))`;

    and :math:`PBO = \#\{c: \lambda_c \le 0\} / \binom{S}{S/2}`.

    **Ties and identical variants.** A selection that ranks exactly at the OOS median
    has :math:`\lambda = 0` and counts as overfit, as in the paper's
    :math:`PBO = \int_{-\infty}^{0} f(\lambda)\,d\lambda`: choosing it was no better
    than chance. Hence ``N`` identical variants have every logit equal to 0 and
    PBO = 1 — the backtest cannot tell them apart, so selecting among them carries
    no evidence of skill.

    Computation is vectorized: per-block sums (and sums of squares) form ``S × N``
    matrices, the combinations a ``C × S`` indicator matrix, and one matrix product
    gives IS sums for every combination (OOS = total − IS). Moments are computed on
    column-centered returns, rescaled by a power of two (exact) so that values near
    1e200 do not overflow. A half whose values agree to within float rounding (see
    :data:`~tr_evaluation.metrics._checks.DISPERSION_RTOL`) has no dispersion, as in
    :func:`~tr_evaluation.metrics.sharpe_ratio`.

    Parameters
    ----------
    returns : DataFrame or 2-D array-like, shape (T, N)
        Per-period returns of ``N >= 2`` variants, aligned in time.
    n_partitions : int, default 16
        ``S``: even, ``>= 2``. S = 16 gives 12,870 combinations; more than
        :data:`MAX_COMBINATIONS` (S >= 24) is refused.
    metric : {"sharpe", "mean", "sortino"}, default "sharpe"
        Per-period performance used to select and rank: Sharpe ratio (``ddof=1``),
        mean return, or Sortino ratio (target 0, downside deviation over all periods).

    Returns
    -------
    PBOResult

    Raises
    ------
    InvalidParameterError
        ``n_partitions`` odd or < 2, or an unknown ``metric``.
    SizeLimitError
        :math:`\binom{S}{S/2}` above :data:`MAX_COMBINATIONS`, before anything is
        allocated.
    InsufficientDataError
        Fewer periods than ``n_partitions`` (or too few per half for a ratio), fewer
        than 2 variants, or a variant whose metric is undefined in some half (zero
        dispersion).
    NonFiniteError
        NaN or inf in ``returns`` (naming the column and rows).
    """
    S = _partitions(n_partitions)
    check_size(
        math.comb(S, S // 2),
        MAX_COMBINATIONS,
        f"`n_partitions`={S} means C({S}, {S // 2}) IS/OOS combinations",
        f"use n_partitions <= 22 ({math.comb(22, 11):,} combinations; the paper uses 16).",
    )
    matrix, columns = returns_matrix(returns, "returns")
    if metric not in _METRICS:
        raise InvalidParameterError(f"`metric` must be one of {_METRICS}, got {metric!r}.")
    T, N = matrix.shape
    if N < 2:
        raise InsufficientDataError(
            f"`returns` has {N} variant column; PBO compares variants, pass at least 2 columns."
        )
    if T < S:
        raise InsufficientDataError(
            f"`returns` has {T} periods but `n_partitions`={S} needs at least {S} "
            "(one per block); lower n_partitions or pass a longer history."
        )
    m = T // S
    half = m * S // 2
    if metric != "mean" and half < 2:
        raise InsufficientDataError(
            f"`returns` has {T} periods: each half of {S} blocks holds {half} period, too few "
            f"for a {metric} ratio; pass at least {2 * S} periods or lower n_partitions."
        )
    # Power-of-two rescaling is exact: ranks, Sharpe and Sortino are unchanged, and
    # "mean" is scaled back below. It keeps squares of values near 1e200 finite.
    scale = power_of_two_scale(float(np.max(np.abs(matrix))))
    used = matrix[: m * S] * scale
    col_mean = used.mean(axis=0)
    centered = used - col_mean
    block = centered.reshape(S, m, N)
    sums = block.sum(axis=1)
    squares = (block**2).sum(axis=1)
    downside = (np.minimum(used, 0.0).reshape(S, m, N) ** 2).sum(axis=1)
    stats = (sums, squares, downside)
    totals = tuple(s.sum(axis=0) for s in stats)
    blocks = used.reshape(S, m, N)
    block_low, block_high = blocks.min(axis=1), blocks.max(axis=1)

    combos = np.array(list(itertools.combinations(range(S), S // 2)), dtype=np.intp)
    indicator = np.zeros((combos.shape[0], S))
    np.put_along_axis(indicator, combos, 1.0, axis=1)

    chunk = max(1, _CHUNK_CELLS // N)
    parts = []
    for start in range(0, indicator.shape[0], chunk):
        ind = indicator[start : start + chunk]
        is_stats = tuple(ind @ s for s in stats)
        oos_stats = tuple(t - s for t, s in zip(totals, is_stats, strict=True))
        perf_is = _performance(is_stats, half, col_mean, metric)
        perf_oos = _performance(oos_stats, half, col_mean, metric)
        if metric == "sharpe":
            perf_is[_flat(ind > 0, block_low, block_high)] = np.nan
            perf_oos[_flat(ind == 0, block_low, block_high)] = np.nan
        _check_defined(perf_is, perf_oos, columns, metric)
        parts.append(_select(perf_is, perf_oos))
    selected = np.concatenate([p[0] for p in parts])
    is_star = np.concatenate([p[1] for p in parts])
    oos_star = np.concatenate([p[2] for p in parts])
    slope, intercept = _line(is_star, oos_star)
    if metric == "mean":  # back to the caller's units (the ratios are scale-free)
        is_star, oos_star, intercept = is_star / scale, oos_star / scale, intercept / scale
    rank = np.concatenate([p[3] for p in parts])

    w = rank / (N + 1)
    logits = np.log(w / (1 - w))
    return PBOResult(
        pbo=float(np.mean(logits <= 0.0)),
        logits=logits,
        is_performance=is_star,
        oos_performance=oos_star,
        selected=selected,
        columns=columns,
        degradation_slope=slope,
        degradation_intercept=intercept,
        probability_of_loss=float(np.mean(oos_star < 0.0)),
        n_partitions=S,
        metric=metric,
        n_periods_used=m * S,
        n_periods_dropped=T - m * S,
    )


def _partitions(value: int) -> int:
    """Validate ``n_partitions``: an even integer >= 2."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TrTypeError(f"`n_partitions` must be an integer, got {type(value).__name__}.")
    if value < 2 or value % 2:
        raise InvalidParameterError(
            f"`n_partitions` must be even and >= 2 (IS and OOS take half the blocks each), "
            f"got {value}."
        )
    return int(value)


def _performance(
    stats: tuple[np.ndarray, np.ndarray, np.ndarray], n: int, col_mean: FloatArray, metric: str
) -> np.ndarray:
    """Per-period metric of each (combination, variant) from summed block statistics."""
    sums, squares, downside = stats
    centered_mean = sums / n
    mean = centered_mean + col_mean
    if metric == "mean":
        return mean
    if metric == "sortino":
        with np.errstate(divide="ignore", invalid="ignore"):
            return mean / np.sqrt(downside / n)
    var = np.maximum(squares - n * centered_mean**2, 0.0) / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return mean / np.sqrt(var)


def _flat(chosen: np.ndarray, low: FloatArray, high: FloatArray) -> np.ndarray:
    """Which (combination, variant) halves have no dispersion beyond float rounding.

    Rounding in the moment sums leaves a tiny positive variance instead of an exact
    zero, so a flat half is found from its values: its lowest and highest values over
    the chosen blocks coincide up to float rounding of their magnitude (the rule of
    :func:`~tr_evaluation.metrics._checks.negligible_spread`, shared with
    ``sharpe_ratio``). Only variants with such a block can have one: every block of a
    flat half spans no more than the half, and no block is larger than its column.

    Parameters
    ----------
    chosen : ndarray of bool, shape (C, S)
        The blocks of each combination's half.
    low, high : ndarray, shape (S, N)
        Per-block minimum and maximum of each variant.

    Returns
    -------
    ndarray of bool, shape (C, N)
    """
    flat = np.zeros((chosen.shape[0], low.shape[1]), dtype=bool)
    column_magnitude = np.maximum(np.abs(low), np.abs(high)).max(axis=0)
    candidates = np.flatnonzero(negligible_spread(high - low, column_magnitude).any(axis=0))
    for j in candidates:
        lo = np.where(chosen, low[:, j], np.inf).min(axis=1)
        hi = np.where(chosen, high[:, j], -np.inf).max(axis=1)
        flat[:, j] = negligible_spread(hi - lo, np.maximum(np.abs(lo), np.abs(hi)))
    return flat


def _check_defined(
    perf_is: np.ndarray, perf_oos: np.ndarray, columns: list[Any], metric: str
) -> None:
    """Raise when a variant's metric is undefined (0/0 or x/0) in some IS or OOS half."""
    bad = ~(np.isfinite(perf_is) & np.isfinite(perf_oos)).all(axis=0)
    if bad.any():
        names = [columns[j] for j in np.flatnonzero(bad)[:5]]
        raise InsufficientDataError(
            f"`returns` columns {names} have a {metric} that is undefined in some IS/OOS "
            "half (zero dispersion, e.g. flat for half the history); drop those variants "
            "or use metric='mean'."
        )


def _select(
    perf_is: np.ndarray, perf_oos: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """IS-best column, its IS and OOS metric, and its OOS rank (1..N, average ties)."""
    rows = np.arange(perf_is.shape[0])
    selected = np.argmax(perf_is, axis=1)
    oos_star = perf_oos[rows, selected]
    below = (perf_oos < oos_star[:, None]).sum(axis=1)
    equal = (perf_oos == oos_star[:, None]).sum(axis=1)
    rank = below + (equal + 1) / 2.0
    return selected, perf_is[rows, selected], oos_star, rank


def _line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares ``y = a + b x``; NaN when ``x`` is constant (slope undefined)."""
    if np.ptp(x) == 0.0:
        return math.nan, math.nan
    dx = x - x.mean()
    slope = float(dx @ (y - y.mean()) / (dx @ dx))
    return slope, float(y.mean() - slope * x.mean())
