"""Maximum drawdown of a return series, with its peak, trough, recovery and duration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from tr_core.jsonable import plain
from tr_core.units import TargetUnits
from tr_evaluation.metrics._checks import FloatArray, fraction_returns, wealth_path

__all__ = ["DrawdownResult", "max_drawdown"]


@dataclass(frozen=True, eq=False)
class DrawdownResult:
    """The deepest drawdown of a return series.

    Attributes
    ----------
    depth : float
        Deepest drawdown, ``<= 0``: a fraction of the running peak for compounded
        wealth (``-0.25`` = 25 % below the peak), else in return units.
    peak, trough, recovery : label or None
        Index labels (positions for arrays) of the period that ended at the peak,
        at the trough, and of the first period back at (or above) the peak.
        ``peak`` is ``None`` when the peak is the starting capital (the series
        draws down from its first period); ``recovery`` is ``None`` when the
        series ends under water; all three are ``None`` when it never draws down.
    duration : int
        Periods from the peak to the recovery (to the last period when not
        recovered); 0 when there is no drawdown.
    compounded : bool
        Whether wealth was compounded.
    wealth, drawdown : ndarray
        Per period (aligned with the input): wealth and drawdown from its running peak.
    index : pandas.Index
        The input's index (a RangeIndex for arrays).
    """

    depth: float
    peak: Any
    trough: Any
    recovery: Any
    duration: int
    compounded: bool
    wealth: FloatArray
    drawdown: FloatArray
    index: pd.Index

    def __repr__(self) -> str:
        # One line: the per-period arrays stay out of the repr (they can be huge).
        return (
            f"DrawdownResult(depth={self.depth:.6g}, peak={self.peak!r}, "
            f"trough={self.trough!r}, recovery={self.recovery!r}, duration={self.duration}, "
            f"compounded={self.compounded}, n_periods={self.wealth.size})"
        )

    @property
    def recovered(self) -> bool:
        """Whether wealth regained its peak after the deepest trough."""
        return self.recovery is not None or self.depth == 0.0

    def to_frame(self) -> pd.DataFrame:
        """Per-period wealth, running peak and drawdown, indexed like the input."""
        peak = np.maximum.accumulate(
            np.concatenate(([1.0 if self.compounded else 0.0], self.wealth))
        )[1:]
        return pd.DataFrame(
            {"wealth": self.wealth, "running_peak": peak, "drawdown": self.drawdown},
            index=self.index,
        )

    def summary(self) -> dict[str, Any]:
        """Plain JSON-serializable summary."""
        return {
            "depth": self.depth,
            "peak": plain(self.peak),
            "trough": plain(self.trough),
            "recovery": plain(self.recovery),
            "duration": self.duration,
            "recovered": self.recovered,
            "compounded": self.compounded,
        }

    def plot(self) -> Figure:
        """Wealth curve (top) and underwater chart (bottom), deepest drawdown shaded."""
        fig = Figure(figsize=(8, 5))
        ax_w, ax_d = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
        x = np.arange(self.wealth.size)
        ax_w.plot(x, self.wealth, color="C0", lw=1)
        ax_w.set_ylabel("wealth" if self.compounded else "cumulative return")
        ax_d.fill_between(x, self.drawdown, 0.0, color="C3", alpha=0.5, lw=0)
        ax_d.set_ylabel("drawdown")
        ax_d.set_xlabel("period")
        if self.trough is not None:
            trough = int(np.argmin(self.drawdown))
            at_high = np.flatnonzero(self.drawdown == 0.0)
            before, after = at_high[at_high < trough], at_high[at_high > trough]
            start = int(before[-1]) if before.size else 0
            end = int(after[0]) if after.size else self.wealth.size - 1
            ax_w.axvspan(start, end, color="C3", alpha=0.1)
        ax_w.set_title(f"Max drawdown {self.depth:.2%}, {self.duration} periods")
        return fig


def max_drawdown(
    returns: Any, *, compounded: bool = True, units: TargetUnits = "fraction"
) -> DrawdownResult:
    r"""Deepest peak-to-trough decline of the wealth curve, and how long it lasted.

    Compounded (default, for simple returns): wealth :math:`W_t = \prod_{s \le t}(1 + r_s)`
    starting from :math:`W_0 = 1`, and drawdown :math:`W_t / \max_{s \le t} W_s - 1`.
    With ``compounded=False`` (log or additive returns): :math:`W_t = \sum_{s \le t} r_s`
    from 0, and drawdown :math:`W_t - \max_{s \le t} W_s` (in return units).
    The starting capital counts as a peak, so a series that loses from its first
    period has a drawdown measured from the start.

    Ties: the trough is the first period reaching the deepest drawdown; the peak is
    the last period at the running high before it.

    Parameters
    ----------
    returns : array-like
        Per-period returns in time order; a Series' index labels the result.
    compounded : bool, default True
        Compound simple returns, or add log/additive returns.
    units : {"fraction", "percent", "log", "bps"}, default "fraction"
        How ``returns`` are written (0.05, 5.0, log(1.05) or 500 for +5 %); they are
        converted to fractions first, so ``depth``, ``wealth`` and ``drawdown`` are
        fractions whatever ``units``. Log returns compound exactly unless
        ``compounded=False``.

    Returns
    -------
    DrawdownResult

    Raises
    ------
    NonFiniteError
        NaN or inf in ``returns``.
    InvalidParameterError
        A simple return below -100 % with ``compounded=True``, or unknown ``units``.

    Warns
    -----
    UnitsWarning
        When the returns look like another unit than ``units`` (median ``|return|``
        above 100 % a period, e.g. percent points declared as fractions).
    """
    r = fraction_returns(returns, "returns", units=units, compounded=compounded)
    index = returns.index if isinstance(returns, pd.Series) else pd.RangeIndex(r.size)
    path, high, dd = _paths(r, compounded)
    trough = int(np.argmin(dd))
    depth = float(dd[trough])
    if depth == 0.0:
        return DrawdownResult(0.0, None, None, None, 0, compounded, path[1:], dd[1:], index)
    peak = int(np.flatnonzero(path[: trough + 1] == high[trough])[-1])
    above = np.flatnonzero(path[trough + 1 :] >= high[trough])
    recovery = trough + 1 + int(above[0]) if above.size else None
    duration = (path.size - 1 if recovery is None else recovery) - peak
    # Path position k >= 1 is the end of period k - 1; position 0 is the starting capital.
    return DrawdownResult(
        depth=depth,
        peak=None if peak == 0 else index[peak - 1],
        trough=index[trough - 1],
        recovery=None if recovery is None else index[recovery - 1],
        duration=int(duration),
        compounded=compounded,
        wealth=path[1:],
        drawdown=dd[1:],
        index=index,
    )


def drawdown_depth(returns: FloatArray, compounded: bool) -> float:
    """Deepest drawdown (``<= 0``) of validated fractions; see :func:`max_drawdown`."""
    return float(_paths(returns, compounded)[2].min())


def _paths(returns: FloatArray, compounded: bool) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Wealth from the starting capital, its running peak, and the drawdown from it."""
    if compounded:
        path = np.concatenate(([1.0], wealth_path(returns, "returns")))
        high = np.maximum.accumulate(path)
        return path, high, path / high - 1.0
    path = np.concatenate(([0.0], np.cumsum(returns)))
    high = np.maximum.accumulate(path)
    return path, high, path - high
