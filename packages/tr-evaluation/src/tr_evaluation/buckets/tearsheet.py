"""A one-figure tear sheet of a bucket analysis, in the spirit of alphalens' tear sheets.

Panels (with periods):

a. mean return by bucket (bars, 95% error bars) with a horizontal line at the
   all-trades baseline;
b. cumulative return of every bucket over time (one line per bucket, coloured
   from the bottom bucket to the top one, with a colorbar of bucket numbers);
c. top-minus-bottom spread per period and its cumulative sum;
d. rank IC per period with a moving average;
e. histogram of the per-period rank IC with its mean marked;
f. top-bucket turnover per period.

Without periods (no ``times`` and no ``by``) only panel (a) is drawn, with a note
saying how to get the others. The figure is a :class:`matplotlib.figure.Figure`
built without pyplot, so it never touches pyplot's global state and needs no
``plt.close``.

Reference: the layout follows alphalens' returns and information tear sheets
(Quantopian, ``alphalens.tears.create_returns_tear_sheet`` and
``create_information_tear_sheet``).
"""

from __future__ import annotations

import math
from numbers import Real
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from tr_core.errors import InvalidParameterError
from tr_evaluation.buckets.plots import _label_periods, draw_bucket_bars

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tr_evaluation.buckets.result import BucketResult

__all__ = ["plot_tear_sheet"]

_NO_PERIODS = (
    "No periods: pass times=<decision times> to BucketAnalyzer.analyze (or use\n"
    "BucketAnalyzer(by=...)) for cumulative bucket returns, spread, IC and turnover."
)


def plot_tear_sheet(
    result: BucketResult, *, baseline: float | None = None, window: int = 6
) -> Figure:
    """Draw the tear sheet of a bucket analysis.

    Returns are read as fractions (0.01 = 1%) and their axes are shown in percent;
    turnover is a share and is shown in percent too.

    Parameters
    ----------
    result : BucketResult
        The analysis to draw.
    baseline : float, optional
        Height of the "all trades" line in panel (a). Default: the pooled mean
        return of all used rows (weighted by the sample weights when they were
        given, like the bucket table's ``mean``).
    window : int, default 6
        Periods in the moving average of the rank IC (panel d); the average is
        drawn from the ``window``-th period on.

    Returns
    -------
    matplotlib.figure.Figure
        Six panels with periods, else panel (a) and a note. Each panel's Axes
        carries a label (``Axes.get_label()``): ``"bucket_means"``,
        ``"cumulative"``, ``"spread"``, ``"ic"``, ``"ic_hist"``, ``"turnover"``
        (only ``"bucket_means"`` and ``"note"`` without periods).

    Raises
    ------
    InvalidParameterError
        ``window`` is not a positive integer, or ``baseline`` is not a finite number.

    Notes
    -----
    Cumulative returns (panels b and c) are the cumulative sum of the per-period
    means (:meth:`BucketResult.period_returns`), not a compounded product: the
    periods' events overlap and are not one investable portfolio. A period in
    which a bucket has no row adds nothing and leaves a gap in that bucket's line.

    Examples
    --------
    >>> result = BucketAnalyzer(n_buckets=5).analyze(s, r, times=t)  # doctest: +SKIP
    >>> result.plot_tear_sheet(window=3).savefig("tear_sheet.png")  # doctest: +SKIP
    """
    window = _check_window(window)
    level = _baseline(result, baseline)
    periods = result.periods
    if periods is None:
        fig = Figure(figsize=(10, 5.5), layout="constrained")
        ax_bars, ax_note = fig.subplots(2, 1, height_ratios=[4, 1])
        _draw_means(result, ax_bars, level)
        ax_bars.set_label("bucket_means")
        ax_note.set_label("note")
        ax_note.text(0.5, 0.5, _NO_PERIODS, ha="center", va="center")
        ax_note.set_axis_off()
        return fig

    fig = Figure(figsize=(12, 15), layout="constrained")
    mosaic = fig.subplot_mosaic("aa;bb;cd;ef", height_ratios=[1, 1.2, 1, 1])
    names = dict(zip("abcdef", _PANELS, strict=True))
    axes = {names[key]: ax for key, ax in mosaic.items()}
    for name, ax in axes.items():
        ax.set_label(name)
    unit = _UNITS.get(str(result.period), result.period or result.by or "period")
    x, is_time = _period_axis(periods.index)
    _draw_means(result, axes["bucket_means"], level)
    _draw_cumulative(result, axes["cumulative"], x, is_time, unit)
    _draw_spread(periods, axes["spread"], x, is_time, unit)
    _draw_ic(result, periods, axes["ic"], x, is_time, unit, window)
    _draw_ic_hist(result, axes["ic_hist"], unit)
    _draw_turnover(periods, axes["turnover"], x, is_time, unit)
    fig.suptitle(
        f"Bucket tear sheet: {result.n_buckets} buckets, {result.n_rows:,} rows, "
        f"{len(periods)} periods ({unit})",
        fontsize="large",
    )
    return fig


_PANELS = ("bucket_means", "cumulative", "spread", "ic", "ic_hist", "turnover")
_UNITS = {"D": "day", "W": "week", "M": "month"}


def _check_window(window: int) -> int:
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise InvalidParameterError(
            f"`window` must be a positive integer (periods in the IC moving average), "
            f"got {window!r}; pass e.g. window=6."
        )
    return int(window)


def _baseline(result: BucketResult, baseline: float | None) -> float:
    if baseline is None:
        inputs = result._inputs
        if inputs.returns.size == 0:
            return float("nan")
        return float(np.average(inputs.returns, weights=inputs.weights))
    value: object = baseline
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise InvalidParameterError(
            f"`baseline` must be a finite number (a mean return) or None for the pooled "
            f"mean of all rows, got {baseline!r}."
        )
    return float(value)


def _period_axis(index: pd.Index) -> tuple[npt.NDArray[np.generic], bool]:
    """X values of the periods: their start dates (wall time) or positions 0..n-1."""
    if isinstance(index, pd.DatetimeIndex):
        naive = index.tz_localize(None) if index.tz is not None else index
        return naive.to_numpy(), True
    return np.arange(len(index)), False


def _finish_period_axis(
    ax: Axes, index: pd.Index, is_time: bool, unit: str, *, percent: bool = True
) -> None:
    if is_time:
        ax.set_xlabel(f"period start ({unit})")
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    else:
        _label_periods(ax, [str(p)[:16] for p in index])
        ax.set_xlabel(unit)
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.grid(True, alpha=0.3)


def _draw_means(result: BucketResult, ax: Axes, level: float) -> None:
    draw_bucket_bars(result, ax)
    if math.isfinite(level):
        ax.axhline(
            level, color="tab:blue", linestyle="--", linewidth=1.2, label=f"all trades {level:.2%}"
        )
        ax.legend(loc="upper left")
    ax.set_title(
        f"(a) Mean return by bucket (95% error bars): top {result.top_bucket_return:.2%}, "
        f"spread {result.spread:.2%}, monotonicity {result.monotonicity:.2f}"
    )
    ax.set_ylabel("mean return")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))


def _bucket_colors(n_buckets: int) -> tuple[ListedColormap, BoundaryNorm]:
    """One colour per bucket, purple (bottom) to green (top), and its discrete norm."""
    base = colormaps["viridis"]
    colors = base(np.linspace(0.0, 0.85, n_buckets)) if n_buckets > 1 else base([0.85])
    return ListedColormap(colors), BoundaryNorm(np.arange(n_buckets + 1) - 0.5, n_buckets)


def _draw_cumulative(
    result: BucketResult, ax: Axes, x: npt.NDArray[np.generic], is_time: bool, unit: str
) -> None:
    returns = result.period_returns()
    cumulative = returns.cumsum()
    cmap, norm = _bucket_colors(result.n_buckets)
    marker = "." if len(returns) <= 60 else None
    for bucket in cumulative.columns:
        ax.plot(
            x,
            cumulative[bucket].to_numpy(dtype=np.float64),
            color=cmap(int(bucket)),
            linewidth=1.2,
            marker=marker,
            markersize=3,
            label=f"bucket {bucket}",
        )
    ax.axhline(0.0, color="black", linewidth=0.8)
    mappable = ScalarMappable(norm=norm, cmap=cmap)
    ticks = np.unique(np.linspace(0, result.n_buckets - 1, min(result.n_buckets, 11)).astype(int))
    colorbar = ax.figure.colorbar(mappable, ax=ax, ticks=ticks, pad=0.01)
    colorbar.set_label("bucket (0 = lowest score)")
    ax.set_title(f"(b) Cumulative return by bucket (sum of per-{unit} bucket means)")
    ax.set_ylabel(f"cumulative sum of per-{unit} mean returns")
    _finish_period_axis(ax, returns.index, is_time, unit)


def _draw_spread(
    periods: pd.DataFrame, ax: Axes, x: npt.NDArray[np.generic], is_time: bool, unit: str
) -> None:
    spread = periods["spread"].to_numpy(dtype=np.float64)
    width = _bar_width(x, is_time)
    ax.bar(x, np.nan_to_num(spread, nan=0.0), width=width, color="tab:gray", alpha=0.6)
    ax.plot(
        x,
        periods["spread"].cumsum().to_numpy(dtype=np.float64),
        color="tab:purple",
        linewidth=1.5,
        label="cumulative sum",
    )
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_title(f"(c) Top minus bottom bucket per {unit} (bars) and cumulated")
    ax.set_ylabel("spread (top − bottom)")
    ax.legend(loc="upper left")
    _finish_period_axis(ax, periods.index, is_time, unit)


def _draw_ic(
    result: BucketResult,
    periods: pd.DataFrame,
    ax: Axes,
    x: npt.NDArray[np.generic],
    is_time: bool,
    unit: str,
    window: int,
) -> None:
    ic = periods["ic"]
    width = _bar_width(x, is_time)
    ax.bar(x, np.nan_to_num(ic.to_numpy(dtype=np.float64), nan=0.0), width=width, alpha=0.5)
    moving = ic.rolling(window, min_periods=window).mean()
    ax.plot(
        x,
        moving.to_numpy(dtype=np.float64),
        color="tab:orange",
        linewidth=1.5,
        label=f"{window}-{unit} moving average",
    )
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_title(
        f"(d) Rank IC per {unit}: mean {result.ic_mean:.3f}, IR {result.ic_ir:.2f}, "
        f"t {result.ic_t_stat:.2f}"
    )
    ax.set_ylabel("rank IC (Spearman)")
    ax.legend(loc="upper left")
    _finish_period_axis(ax, periods.index, is_time, unit, percent=False)


def _draw_ic_hist(result: BucketResult, ax: Axes, unit: str) -> None:
    ic = result._ic_series()
    ax.set_title(f"(e) Distribution of the per-{unit} rank IC")
    ax.set_xlabel("rank IC (Spearman)")
    ax.set_ylabel(f"number of {unit} periods")
    if ic.size == 0:
        ax.text(
            0.5,
            0.5,
            "no period with a defined IC",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        return
    ax.hist(ic, bins=max(1, min(20, ic.size)), color="tab:blue", alpha=0.6)
    ax.axvline(
        result.ic_mean, color="tab:orange", linewidth=1.5, label=f"mean {result.ic_mean:.3f}"
    )
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left")
    ax.grid(True, alpha=0.3)


def _draw_turnover(
    periods: pd.DataFrame, ax: Axes, x: npt.NDArray[np.generic], is_time: bool, unit: str
) -> None:
    turnover = periods["turnover"]
    ax.set_title(f"(f) Top-bucket turnover per {unit}: mean {turnover.mean():.0%}")
    ax.set_ylabel("new entities in top bucket")
    if not np.isfinite(turnover.to_numpy(dtype=np.float64)).any():
        ax.set_title(f"(f) Top-bucket turnover per {unit}")
        ax.text(
            0.5,
            0.5,
            "no turnover: pass entities= (and more than one period)",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
    else:
        ax.plot(x, turnover.to_numpy(dtype=np.float64), color="tab:brown", marker=".")
        ax.set_ylim(0.0, 1.05)
    _finish_period_axis(ax, periods.index, is_time, unit)


def _bar_width(x: npt.NDArray[np.generic], is_time: bool) -> float:
    """Bars about 80% of the smallest gap between periods (in days for dates)."""
    if x.size < 2:
        return 0.8 if not is_time else 20.0
    if is_time:
        gaps = np.diff(x.astype("datetime64[s]").astype(np.int64)) / 86400.0
    else:
        gaps = np.diff(x.astype(np.float64))
    return float(0.8 * np.min(gaps[gaps > 0])) if (gaps > 0).any() else 0.8
