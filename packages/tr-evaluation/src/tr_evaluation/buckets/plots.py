"""Figures of a bucket analysis (matplotlib; never shown, always returned)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tr_evaluation.buckets.result import BucketResult

__all__ = ["draw_bucket_bars", "plot_bucket_performance", "plot_bucket_result"]

_Z95 = 1.959963984540054


def draw_bucket_bars(result: BucketResult, ax: Axes) -> None:
    """Mean return per bucket with 95% error bars (``1.96 * std / sqrt(n_eff)``)."""
    table = result.table
    half = _Z95 * table["std"].to_numpy() / np.sqrt(table["n_eff"].to_numpy())
    means = table["mean"].to_numpy()
    colors = ["tab:green" if m > 0 else "tab:red" for m in np.nan_to_num(means, nan=0.0)]
    ax.bar(table.index, means, yerr=half, color=colors, capsize=2, alpha=0.8)
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(f"bucket (0 = lowest score, {result.n_buckets - 1} = top)")
    ax.set_ylabel("mean return")
    ax.set_title(
        f"Buckets: top {result.top_bucket_return:.4g}, spread {result.spread:.4g}, "
        f"monotonicity {result.monotonicity:.2f}"
    )


def plot_bucket_performance(result: BucketResult) -> Figure:
    """One-panel bar chart of the bucket mean returns with 95% error bars."""
    fig = Figure(figsize=(8, 4), layout="constrained")
    draw_bucket_bars(result, fig.add_subplot())
    return fig


def plot_bucket_result(result: BucketResult) -> Figure:
    """Bucket bar chart, rank IC per period and cumulative top-bucket return."""
    fig = Figure(figsize=(10, 9), layout="constrained")
    ax_bars, ax_ic, ax_cum = fig.subplots(3, 1)
    draw_bucket_bars(result, ax_bars)
    periods = result.periods
    if periods is None:
        for ax in (ax_ic, ax_cum):
            ax.text(0.5, 0.5, "no periods: pass times or by=", ha="center", va="center")
            ax.set_axis_off()
        return fig
    ic = periods["ic"].dropna()
    ax_ic.bar(range(len(ic)), ic.to_numpy(), color="tab:blue", alpha=0.7)
    ax_ic.axhline(result.ic_mean, color="tab:orange", label=f"mean {result.ic_mean:.3f}")
    ax_ic.axhline(0.0, color="black", linewidth=0.8)
    _label_periods(ax_ic, [str(p)[:10] for p in ic.index])
    ax_ic.set_ylabel("rank IC")
    ax_ic.set_title(f"Rank IC per {result.period}: IR {result.ic_ir:.2f}, t {result.ic_t_stat:.2f}")
    ax_ic.legend(loc="upper left")
    top = periods["top_return"].dropna()
    ax_cum.plot(range(len(top)), top.cumsum().to_numpy(), color="tab:green")
    _label_periods(ax_cum, [str(p)[:10] for p in top.index])
    ax_cum.set_ylabel("cumulative sum of period means")
    ax_cum.set_title("Top bucket return, cumulated over periods")
    return fig


def _label_periods(ax: Axes, labels: list[str]) -> None:
    """Put at most eight period labels on the x axis."""
    if not labels:
        return
    ticks = np.unique(np.linspace(0, len(labels) - 1, min(8, len(labels))).astype(int))
    ax.set_xticks(ticks)
    ax.set_xticklabels([labels[i] for i in ticks], rotation=30, ha="right")
