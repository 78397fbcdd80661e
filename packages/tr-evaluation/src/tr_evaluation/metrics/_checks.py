"""Input checks and numeric rules shared by the metric functions.

Built on :mod:`tr_core.validation` (numbers stored as text, NaN and inf are refused
there, with the same message as everywhere else) and :mod:`tr_core.units`.

Two numeric rules live here so that every metric applies them the same way:

* **Negligible dispersion** (:func:`negligible_spread`): a series whose values agree
  to within :data:`DISPERSION_RTOL` of their magnitude has no dispersion a ratio
  can divide by. Such a spread is float rounding, not information: returns computed
  from prices (``p1 / p0 - 1``) carry an absolute rounding error of about 2e-16, so
  a constant +0.1 % a period comes out with a relative spread of ~4e-13 and a
  "Sharpe ratio" of 1e14. It is handled exactly like an exactly constant series.
* **Rescaling** (:func:`power_of_two_scale`): moments are computed on values divided
  by a power of two that brings the largest ``|value|`` into ``[0.5, 1)``. Dividing
  by a power of two is exact, so ordinary inputs give bit-identical results, while
  values near 1e200 no longer overflow when squared.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InsufficientDataError, InvalidParameterError, TrTypeError
from tr_core.units import UNIT_SCALE, TargetUnits, check_units
from tr_core.validation import as_float_array

FloatArray = npt.NDArray[np.float64]

DISPERSION_RTOL = 1e-9
"""Spread (max - min) at or below this fraction of the largest ``|value|`` is no spread.

Values that agree to 9 significant digits carry more precision than any price or
return data has; the float rounding of returns computed from prices (absolute error
~2e-16) stays below this for per-period returns down to ~1e-6. A series this flat
would have a per-period Sharpe ratio above ~1e9.
"""

PLAUSIBLE_PERIOD_PP = (0.0, 100.0)
"""Plausible median ``|return|`` per period, in percent points (a quiet day may be tiny)."""


def returns_array(returns: Any, name: str, *, min_obs: int = 1) -> FloatArray:
    """Validate a 1-D return series and return it as a new float64 array.

    Parameters
    ----------
    returns : array-like
        Per-period returns (list, ndarray, Series).
    name : str
        Argument name used in error messages.
    min_obs : int, default 1
        Minimum number of observations the metric needs.

    Returns
    -------
    ndarray of float64
    """
    arr = as_float_array(returns, name)
    if arr.size < min_obs:
        raise InsufficientDataError(
            f"`{name}` has {arr.size} observations but this metric needs at least {min_obs}; "
            "pass a longer return series."
        )
    return arr


def returns_matrix(returns: Any, name: str) -> tuple[FloatArray, list[Any]]:
    """Validate a periods × variants return matrix; return it with the column labels.

    Every column is checked with :func:`tr_core.validation.as_float_array`, so a NaN
    is reported with the column and the first offending rows.

    Parameters
    ----------
    returns : DataFrame or 2-D array-like
        One column per variant (strategy, parameter set, trial), one row per period.
    name : str
        Argument name used in error messages.

    Returns
    -------
    matrix : ndarray of float64, shape (periods, variants)
        A new array.
    columns : list
        Column labels (DataFrame columns, else positions).
    """
    columns: list[Any]
    cols: list[Any]
    if isinstance(returns, pd.DataFrame):
        columns = list(returns.columns)
        cols = [returns.iloc[:, j] for j in range(returns.shape[1])]
    else:
        raw = np.asarray(returns)
        if raw.ndim != 2:
            raise TrTypeError(
                f"`{name}` must be two-dimensional (periods × variants), got shape {raw.shape}; "
                "pass a DataFrame with one column per variant."
            )
        columns = list(range(raw.shape[1]))
        cols = [raw[:, j] for j in range(raw.shape[1])]
    if not cols:
        raise InsufficientDataError(f"`{name}` has no columns; pass one column per variant.")
    checked = [
        as_float_array(c, f"{name}[{label!r}]") for c, label in zip(cols, columns, strict=True)
    ]
    return np.column_stack(checked), columns


def annualization(periods_per_year: float | None) -> float:
    """Return ``sqrt(periods_per_year)`` (1.0 for ``None``), validating the value."""
    if periods_per_year is None:
        return 1.0
    return math.sqrt(positive(periods_per_year, "periods_per_year"))


def positive(value: float, name: str) -> float:
    """Return ``value`` as a float, raising unless it is finite and strictly positive."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise TrTypeError(f"`{name}` must be a number, got {type(value).__name__}.")
    out = float(value)
    if not math.isfinite(out) or out <= 0:
        raise InvalidParameterError(f"`{name}` must be a finite number > 0, got {value!r}.")
    return out


def finite(value: float, name: str) -> float:
    """Return ``value`` as a float, raising unless it is a finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise TrTypeError(f"`{name}` must be a number, got {type(value).__name__}.")
    out = float(value)
    if not math.isfinite(out):
        raise InvalidParameterError(f"`{name}` must be a finite number, got {value!r}.")
    return out


def wealth_path(returns: FloatArray, name: str) -> FloatArray:
    """Compounded wealth ``cumprod(1 + r)`` of validated simple returns, starting from 1.

    A return of exactly -100 % (everything lost) is accepted: wealth becomes 0.

    Raises
    ------
    InvalidParameterError
        If a return is below -100 % (wealth would turn negative).
    """
    bad = np.flatnonzero(returns < -1.0)
    if bad.size:
        raise InvalidParameterError(
            f"`{name}` has returns below -100 % at positions {bad[:5].tolist()} "
            f"({bad.size} in all); simple returns cannot lose more than everything. "
            "Declare units='log' for log returns or units='percent' for percent points, "
            "or pass compounded=False for additive returns."
        )
    wealth: FloatArray = np.cumprod(1.0 + returns, dtype=np.float64)
    return wealth


def fraction_returns(
    returns: Any,
    name: str,
    *,
    units: TargetUnits,
    compounded: bool,
    periods_per_year: float | None = None,
    stacklevel: int = 4,
) -> FloatArray:
    """Validate per-period returns declared in ``units`` and convert them to fractions.

    Parameters
    ----------
    returns : array-like
        Per-period returns.
    name : str
        Argument name used in messages.
    units : {"fraction", "percent", "log", "bps"}
        The declared units. Percent points and basis points are divided by 100 and
        10,000. Log returns become simple returns ``exp(r) - 1`` when compounded
        (so compounding them is exact); with ``compounded=False`` they stay log
        returns, which add up.
    compounded : bool
        Whether the caller compounds the returns.
    periods_per_year : float, optional
        Periods a year. The plausible median ``|return|`` a period then shrinks with the
        square root of the period count (diffusion scaling): ``100 / sqrt(P)`` percent
        points, 6.3 for daily returns — a median daily move of 6 % is already an annual
        volatility near 125 %, while percent points declared as fractions read as 70 %
        a day. Without it the bound is 100 % a period.
    stacklevel : int, default 4
        Where the :class:`~tr_core.units.UnitsWarning` points: 4 = the caller of
        the public metric that called this function.

    Returns
    -------
    ndarray of float64
        A new array, in fractions (``0.01`` = +1 %).

    Warns
    -----
    UnitsWarning
        When the median ``|return|`` of 20 or more periods is implausible in the
        declared units (above the bound above), e.g. percent points declared as
        fractions: compounding 5.0 as a fraction is +500 % a period.
    """
    if units not in UNIT_SCALE:
        raise InvalidParameterError(
            f"`units` must be one of {sorted(UNIT_SCALE)}, got {units!r}; declare how "
            f"`{name}` is written (0.05, 5.0, log(1.05) or 500 for +5 %)."
        )
    r = returns_array(returns, name)
    plausible = PLAUSIBLE_PERIOD_PP
    if periods_per_year is not None:
        plausible = (0.0, PLAUSIBLE_PERIOD_PP[1] / math.sqrt(max(float(periods_per_year), 1.0)))
    check_units(r, units, f"`{name}`", plausible_pp=plausible, stacklevel=stacklevel)
    if units == "log":
        return np.expm1(r) if compounded else r
    # One percent point is UNIT_SCALE[units] in the declared units and 0.01 as a fraction.
    divisor = UNIT_SCALE[units] / UNIT_SCALE["fraction"]
    return r if divisor == 1.0 else r / divisor


def power_of_two_scale(magnitude: float) -> float:
    """A power of two ``f`` with ``magnitude * f`` in ``[0.5, 1)`` (1.0 for 0 or non-finite).

    Multiplying by ``f`` is exact in binary floating point, so scaled moments equal
    the unscaled ones bit for bit wherever the unscaled ones do not overflow.
    """
    if magnitude == 0.0 or not math.isfinite(magnitude):
        return 1.0
    # Subnormal magnitudes would need 2**1074, beyond the float range; their spread is
    # below float rounding anyway and the dispersion check refuses it at scale 1.
    return math.ldexp(1.0, -max(math.frexp(magnitude)[1], -1000))


def check_dispersion(
    scaled: FloatArray, scaled_magnitude: float, original: FloatArray, name: str, what: str
) -> None:
    """Raise when values have no dispersion beyond float rounding (see :func:`negligible_spread`).

    Parameters
    ----------
    scaled : ndarray
        The values a ratio divides by the dispersion of, rescaled by a power of two.
    scaled_magnitude : float
        Their largest ``|value|`` (with any subtracted rate), rescaled the same way.
    original : ndarray
        The caller's values, for the message.
    name : str
        Argument name.
    what : str
        What is undefined, e.g. ``"the Sharpe ratio"``.

    Raises
    ------
    InsufficientDataError
        Naming the value (or the range of values) and why the ratio is undefined.
    """
    spread = float(np.ptp(scaled))
    if not negligible_spread(spread, scaled_magnitude):
        return
    if spread == 0.0:
        detail = f"every value equals {float(original[0])!r}"
    else:
        detail = (
            f"values from {float(original.min())!r} to {float(original.max())!r} differ by "
            f"{spread / scaled_magnitude:.1e} of their magnitude, which is float rounding "
            f"(at most {DISPERSION_RTOL:g}), not dispersion"
        )
    raise InsufficientDataError(
        f"`{name}` has zero dispersion ({detail}); {what} is undefined rather than "
        "infinite. Check that the series is not a constant placeholder or a constant "
        "rate (e.g. cash interest computed from prices)."
    )


def negligible_spread(spread: Any, magnitude: Any) -> Any:
    """Whether a spread (max - min) is float rounding of values of ``magnitude``.

    Parameters
    ----------
    spread, magnitude : float or ndarray
        ``max - min`` of the values and their largest ``|value|`` (including any
        rate subtracted from them, whose rounding the values inherit).

    Returns
    -------
    bool or ndarray of bool
        True when ``spread <= DISPERSION_RTOL * magnitude``; an exactly constant
        series (spread 0) is always negligible.
    """
    return spread <= DISPERSION_RTOL * magnitude
