"""Input checks shared by the metric functions (built on :mod:`tr_core.validation`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InsufficientDataError, InvalidParameterError, TrTypeError
from tr_core.validation import as_float_array

FloatArray = npt.NDArray[np.float64]


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
            "Pass compounded=False if these are log or additive returns."
        )
    wealth: FloatArray = np.cumprod(1.0 + returns, dtype=np.float64)
    return wealth
