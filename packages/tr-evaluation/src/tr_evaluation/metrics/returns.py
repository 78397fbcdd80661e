"""Performance ratios of a single per-period return series.

Conventions (shared by every function here):

* ``returns`` are simple per-period returns (``0.01`` = +1 %), one value per period,
  in time order. NaN or inf raise :class:`tr_core.errors.NonFiniteError` naming the
  argument and rows: drop missing periods explicitly before calling. Numbers stored
  as text are refused, never parsed.
* The metrics that compound (:func:`annualized_return`, :func:`calmar_ratio`, and
  :func:`~tr_evaluation.metrics.drawdown.max_drawdown`) take ``units`` (default
  ``"fraction"``), convert the returns to fractions and warn with
  :class:`tr_core.units.UnitsWarning` when they look like another unit: percent
  points compounded as fractions (5.0 read as +500 % a period) annualize to 1e127.
  Their results are fractions whatever ``units`` says.
* A series whose values agree to within float rounding (see
  :data:`~tr_evaluation.metrics._checks.DISPERSION_RTOL`) has no dispersion: ratios
  that divide by it raise, exactly as for a constant series.
* Moments are computed on values rescaled by a power of two (exact), so values near
  1e200 give the same ratios as values near 1.
* ``periods_per_year`` annualizes (252 for daily data, 52 weekly, 12 monthly);
  ``None`` means "report the per-period value".
* Rates passed as parameters (``risk_free``, ``target``) are per-period rates.

References
----------
Sharpe, W. F. (1994). The Sharpe ratio. *Journal of Portfolio Management*, 21(1), 49-58.
Sortino, F. A. & Price, L. N. (1994). Performance measurement in a downside risk
framework. *Journal of Investing*, 3(3), 59-64.
Young, T. W. (1991). Calmar ratio: a smoother tool. *Futures*, 20(1), 40.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from tr_core.errors import InsufficientDataError
from tr_core.units import TargetUnits
from tr_evaluation.metrics._checks import (
    FloatArray,
    annualization,
    check_dispersion,
    finite,
    fraction_returns,
    negligible_spread,
    positive,
    power_of_two_scale,
    returns_array,
    wealth_path,
)
from tr_evaluation.metrics.drawdown import drawdown_depth

__all__ = [
    "annualized_return",
    "calmar_ratio",
    "hit_rate",
    "profit_factor",
    "sharpe_ratio",
    "sortino_ratio",
]


def _scaled_excess(
    r: npt.NDArray[np.float64], base: float
) -> tuple[npt.NDArray[np.float64], float]:
    """``r - base`` rescaled by an exact power of two (no overflow), and the rescaled magnitude."""
    magnitude = max(float(np.max(np.abs(r))), abs(base))
    f = power_of_two_scale(magnitude)
    return r * f - base * f, magnitude * f


def sharpe_ratio(
    returns: Any, *, risk_free: float = 0.0, periods_per_year: float | None = 252
) -> float:
    r"""Sharpe ratio of a return series (Sharpe 1994).

    .. math:: SR = \frac{\overline{r - r_f}}{s(r - r_f)} \sqrt{P}

    with :math:`s` the *sample* standard deviation (``ddof=1``) and :math:`P` =
    ``periods_per_year`` (the :math:`\sqrt{P}` scaling assumes IID returns).

    Parameters
    ----------
    returns : array-like
        Per-period simple returns, at least 2 observations.
    risk_free : float, default 0.0
        Per-period risk-free rate subtracted from every return.
    periods_per_year : float or None, default 252
        Annualization; ``None`` returns the per-period Sharpe ratio.

    Returns
    -------
    float

    Raises
    ------
    InsufficientDataError
        Fewer than 2 observations, or all returns equal up to float rounding (zero
        dispersion: the ratio is undefined rather than infinite).
    NonFiniteError
        NaN or inf in ``returns``.
    TrTypeError
        ``returns`` not numeric (numbers stored as text included).
    """
    r = returns_array(returns, "returns", min_obs=2)
    rf = finite(risk_free, "risk_free")
    scale = annualization(periods_per_year)
    excess, magnitude = _scaled_excess(r, rf)
    check_dispersion(excess, magnitude, r, "returns", "the Sharpe ratio")
    return float(excess.mean() / excess.std(ddof=1) * scale)


def sortino_ratio(
    returns: Any, *, target: float = 0.0, periods_per_year: float | None = 252
) -> float:
    r"""Sortino ratio: mean excess return over the downside deviation (Sortino & Price 1994).

    .. math:: S = \frac{\overline{r - \tau}}{DD}\sqrt{P}, \qquad
              DD = \sqrt{\frac{1}{n}\sum_{t=1}^{n} \min(r_t - \tau, 0)^2}

    The downside deviation is averaged over **all** ``n`` observations (periods above
    the target contribute zero), not only over the losing ones. Shortfalls below the
    target by no more than float rounding of the values
    (:data:`~tr_evaluation.metrics._checks.DISPERSION_RTOL` of their magnitude) count as
    no shortfall, exactly as a return equal to the target does.

    Parameters
    ----------
    returns : array-like
        Per-period simple returns, at least 2 observations.
    target : float, default 0.0
        Per-period minimum acceptable return :math:`\tau`.
    periods_per_year : float or None, default 252
        Annualization; ``None`` returns the per-period ratio.

    Returns
    -------
    float
        ``inf`` when no period falls below the target and the mean excess is positive.

    Raises
    ------
    InsufficientDataError
        Fewer than 2 observations, or every return equals the target up to float
        rounding (0/0).
    NonFiniteError
        NaN or inf in ``returns``.
    TrTypeError
        ``returns`` not numeric (numbers stored as text included).
    """
    r = returns_array(returns, "returns", min_obs=2)
    tau = finite(target, "target")
    scale = annualization(periods_per_year)
    excess, magnitude = _scaled_excess(r, tau)
    shortfall = np.maximum(-excess, 0.0)
    shortfall[negligible_spread(shortfall, magnitude)] = 0.0
    downside = math.sqrt(float(np.mean(shortfall**2)))
    mean = float(excess.mean())
    if downside == 0.0:
        if mean > 0.0 and not negligible_spread(mean, magnitude):
            return math.inf
        raise InsufficientDataError(
            "`returns` never deviates from `target` below it, and its mean excess is not "
            "positive (up to float rounding); the Sortino ratio is 0/0 (undefined)."
        )
    return mean / downside * scale


def annualized_return(
    returns: Any,
    *,
    periods_per_year: float = 252,
    compounded: bool = True,
    units: TargetUnits = "fraction",
) -> float:
    r"""Annualized return of a return series.

    Compounded (default): the geometric rate :math:`(\prod_t (1 + r_t))^{P/n} - 1`.
    With ``compounded=False`` (log or additive returns): :math:`\bar r \, P`.

    Parameters
    ----------
    returns : array-like
        Per-period returns.
    periods_per_year : float, default 252
        Periods per year :math:`P`.
    compounded : bool, default True
        Geometric (simple returns) or arithmetic (log/additive returns) annualization.
    units : {"fraction", "percent", "log", "bps"}, default "fraction"
        How ``returns`` are written (0.05, 5.0, log(1.05) or 500 for +5 %). Log
        returns are compounded exactly (as ``exp(r) - 1``) unless ``compounded=False``.

    Returns
    -------
    float
        A fraction (``0.32`` = +32 % a year), whatever ``units``.

    Raises
    ------
    InvalidParameterError
        A return below -100 % when compounded, or unknown ``units``.

    Warns
    -----
    UnitsWarning
        When the returns look like another unit than ``units`` (median ``|return|``
        above 100 % a period, e.g. percent points declared as fractions).
    """
    periods = positive(periods_per_year, "periods_per_year")
    r = fraction_returns(
        returns, "returns", units=units, compounded=compounded, periods_per_year=periods
    )
    return _annualized(r, periods, compounded)


def _annualized(r: FloatArray, ppy: float, compounded: bool) -> float:
    """Annualized return of validated fractions."""
    if not compounded:
        return float(r.mean() * ppy)
    wealth = float(wealth_path(r, "returns")[-1])
    return float(wealth ** (ppy / r.size) - 1.0)


def calmar_ratio(
    returns: Any,
    *,
    periods_per_year: float = 252,
    compounded: bool = True,
    units: TargetUnits = "fraction",
) -> float:
    r"""Calmar ratio: annualized return over the absolute maximum drawdown (Young 1991).

    .. math:: Calmar = \frac{R_{ann}}{|MDD|}

    with :math:`R_{ann}` from :func:`annualized_return` and :math:`MDD` from
    :func:`~tr_evaluation.metrics.drawdown.max_drawdown` (both compounded unless
    ``compounded=False``). The whole series is used (no rolling 36-month window).

    Parameters
    ----------
    returns : array-like
        Per-period returns.
    periods_per_year : float, default 252
        Periods per year.
    compounded : bool, default True
        Treat returns as simple (compounded) or additive (log) returns.
    units : {"fraction", "percent", "log", "bps"}, default "fraction"
        How ``returns`` are written; see :func:`annualized_return`.

    Returns
    -------
    float
        ``inf`` when the series never draws down and its return is positive.

    Raises
    ------
    InsufficientDataError
        No drawdown and a return that is not positive (0/0).
    InvalidParameterError
        A return below -100 % when compounded, or unknown ``units``.

    Warns
    -----
    UnitsWarning
        When the returns look like another unit than ``units``.
    """
    periods = positive(periods_per_year, "periods_per_year")
    r = fraction_returns(
        returns, "returns", units=units, compounded=compounded, periods_per_year=periods
    )
    ann = _annualized(r, periods, compounded)
    depth = abs(drawdown_depth(r, compounded))
    if depth == 0.0:
        if ann > 0.0:
            return math.inf
        raise InsufficientDataError(
            "`returns` has neither a drawdown nor a positive return; the Calmar ratio is 0/0."
        )
    return ann / depth


def hit_rate(returns: Any, *, threshold: float = 0.0) -> float:
    """Fraction of periods whose return is strictly above ``threshold``.

    Periods exactly at the threshold (e.g. flat days) count as misses.

    Parameters
    ----------
    returns : array-like
        Per-period returns.
    threshold : float, default 0.0
        Per-period return a period must beat to count as a hit.

    Returns
    -------
    float
        In ``[0, 1]``.
    """
    r = returns_array(returns, "returns")
    return float(np.mean(r > finite(threshold, "threshold")))


def profit_factor(returns: Any) -> float:
    r"""Gross profit over gross loss: :math:`\sum_t \max(r_t,0) / |\sum_t \min(r_t,0)|`.

    Parameters
    ----------
    returns : array-like
        Per-period (or per-trade) returns or P&L.

    Returns
    -------
    float
        ``inf`` when there are gains but no losses.

    Raises
    ------
    InsufficientDataError
        When there are neither gains nor losses (0/0).
    """
    r = returns_array(returns, "returns")
    gains = float(r[r > 0].sum())
    losses = float(-r[r < 0].sum())
    if losses == 0.0:
        if gains > 0.0:
            return math.inf
        raise InsufficientDataError(
            "`returns` has no gains and no losses (all zero); the profit factor is 0/0."
        )
    return gains / losses
