"""Array-level input checks shared by every trading-research package.

These helpers turn user input (lists, numpy arrays, pandas Series, or column names
of a frame) into plain numpy arrays, and raise a :mod:`tr_core.errors` exception
that names the argument, the first offending rows and the fix when the input is
unusable. They never modify their input: every returned array is either a fresh
array or a read-only view.

Sibling packages call these instead of writing their own checks, so that the same
bad input gets the same message everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import (
    EmptyDataError,
    FeatureTypeError,
    InvalidParameterError,
    LengthMismatchError,
    MissingColumnError,
    NonFiniteError,
    SizeLimitError,
    TimeColumnError,
    TimeTypeError,
    TrTypeError,
    ZeroWeightError,
    describe_rows,
)

__all__ = [
    "all_finite",
    "as_datetime_array",
    "as_float_array",
    "as_weight_array",
    "check_columns",
    "check_no_inf",
    "check_numeric",
    "check_same_length",
    "check_same_timezone",
    "check_size",
    "quoted",
    "resolve_column",
    "row_labels",
]

ArrayLike = Sequence[Any] | np.ndarray | pd.Series | pd.Index


def check_columns(frame: pd.DataFrame, roles: Mapping[str, Any], *, name: str = "frame") -> None:
    """Check that every column an argument names is a column of ``frame``.

    Parameters
    ----------
    frame : DataFrame
        The frame the arguments describe.
    roles : mapping of str to object
        Argument name -> what it was given: a column name, a list of column names, or
        anything else (per-row values, None), which names no column and is skipped.
    name : str, default "frame"
        The frame's argument name, used in the message.

    Raises
    ------
    MissingColumnError
        Naming the first argument with missing columns, the columns, and the ones
        available.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"a": [1]}), {"features": ["a"], "times": None})
    """
    for arg, given in roles.items():
        if isinstance(given, str):
            cols = [given]
        elif isinstance(given, list | tuple) and all(isinstance(c, str) for c in given):
            cols = list(given)
        else:
            continue
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise MissingColumnError(
                f"`{arg}` names {missing}, which are not columns of `{name}`; "
                f"available: {list(frame.columns)}."
            )


def quoted(name: str) -> str:
    """An argument name in single backticks, once: ``quoted("x") == quoted("`x`") == "`x`"``.

    Callers may pass a name already quoted (or a description that starts with one, such
    as ``"`sample_weight` (fold 2)"``); a message then never shows ````x````.
    """
    return name if name.startswith("`") else f"`{name}`"


def row_labels(values: Any, positions: npt.NDArray[np.intp]) -> list[Any]:
    """Index labels of ``positions`` when ``values`` is a Series, else the positions.

    Parameters
    ----------
    values : array-like or pandas.Index
        The user's input; a Series or frame contributes its index labels, an Index
        its own labels.
    positions : ndarray of int
        Positions of the rows to name.

    Returns
    -------
    list
        Labels to show in an error message.
    """
    if isinstance(values, pd.Index):
        return list(values[positions])
    if isinstance(values, pd.Series | pd.DataFrame):
        return list(values.index[positions])
    return [int(p) for p in positions]


def as_weight_array(
    values: Any,
    name: str,
    *,
    source: Any = None,
    usable: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.float64]:
    """Sample weights as a new float64 array: finite, non-negative, not all zero.

    Parameters
    ----------
    values : array-like of float
        One weight per row.
    name : str
        How to name the weights in messages, e.g. ``"`sample_weight`"``.
    source : DataFrame, Series or Index, optional
        Where the rows came from, for row labels in messages (default: ``values``).
    usable : ndarray of bool, optional
        The rows that will be used; at least one of them needs a positive weight
        (default: all rows).

    Returns
    -------
    ndarray of float64
        The weights of all rows, in input order.

    Raises
    ------
    NonFiniteError
        NaN or infinite weights.
    InvalidParameterError
        Negative weights, naming the rows.
    ZeroWeightError
        All (usable) weights zero: the model would learn nothing.
    """
    weights = as_float_array(values, name)
    negative = np.flatnonzero(weights < 0)
    if negative.size:
        raise InvalidParameterError(
            f"{name} are negative in "
            f"{describe_rows(row_labels(values if source is None else source, negative))}; "
            "weights must be >= 0 — check how they were computed."
        )
    used = weights if usable is None else weights[usable]
    if not (used > 0).any():
        raise ZeroWeightError(
            f"{name} are all zero: zero in all {used.size} rows that would be used, so the "
            "model would learn nothing — check how the weights were computed (and their units)."
        )
    return weights


def check_numeric(values: pd.Series | np.ndarray, what: str) -> None:
    """Raise unless ``values`` has a real numeric or boolean dtype.

    Parameters
    ----------
    values : Series or ndarray
        A feature or target column.
    what : str
        How to name it in the message, e.g. ``"feature column 'size'"``.

    Raises
    ------
    FeatureTypeError
        Naming the dtype, a few of the values and the fix. Complex numbers,
        datetimes, text and categoricals are refused.
    """
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype) or (
        pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype)
    ):
        return
    raw = np.asarray(values)
    if raw.dtype.kind in "USO" and _holds_text(raw):
        detail = _text_detail(raw)
    else:
        detail = f"e.g. {pd.Series(raw.reshape(-1)[:50]).dropna().head(3).tolist()}"
    raise FeatureTypeError(
        f"{what} must be numeric, got dtype {dtype} ({detail}); convert it with "
        "pd.to_numeric(..., errors='raise') and encode text categories explicitly."
    )


def check_no_inf(matrix: npt.NDArray[np.float64], names: Sequence[Any], source: Any) -> None:
    """Raise if a column of a float matrix holds +/-inf (NaN is allowed: it means missing).

    Parameters
    ----------
    matrix : ndarray of float, shape (n_rows, n_columns)
        The feature values.
    names : sequence
        Column names, for the message.
    source : DataFrame or array-like
        Where the rows came from; a frame contributes index labels to the message.

    Raises
    ------
    NonFiniteError
        Naming the first column with infinite values and its first rows.
    """
    inf = np.isinf(matrix)
    if not inf.any():
        return
    col = int(np.flatnonzero(inf.any(axis=0))[0])
    rows = np.flatnonzero(inf[:, col])
    raise NonFiniteError(
        f"feature column {names[col]!r} has infinite values in "
        f"{describe_rows(row_labels(source, rows))}; inf usually comes from a division by "
        "zero — fix the computation, or set those values to NaN (missing)."
    )


def as_float_array(
    values: ArrayLike,
    name: str,
    *,
    allow_nan: bool = False,
    allow_inf: bool = False,
    allow_empty: bool = False,
) -> npt.NDArray[np.float64]:
    """Convert a 1-D numeric input to a new float64 array, checking finiteness.

    Parameters
    ----------
    values : array-like
        Numbers (list, ndarray, Series). Booleans and integers are accepted.
    name : str
        The argument's name, used in error messages.
    allow_nan : bool, default False
        Whether NaN may appear.
    allow_inf : bool, default False
        Whether +/-inf may appear.
    allow_empty : bool, default False
        Whether an input without rows is acceptable.

    Returns
    -------
    ndarray of float64
        A copy; the input is never modified.

    Raises
    ------
    TrTypeError
        If the input is not 1-D or not numeric.
    NonFiniteError
        If it holds NaN or inf that are not allowed.
    EmptyDataError
        If it is empty and ``allow_empty`` is False.
    """
    raw = _numpy_values(values)
    if raw.ndim != 1:
        raise TrTypeError(
            f"{quoted(name)} must be one-dimensional, got shape {raw.shape}; "
            "pass a single column (a Series or a 1-D array)."
        )
    if raw.dtype.kind in "Mm":
        raise TrTypeError(
            f"{quoted(name)} must be numeric, got dates or durations (dtype {raw.dtype}); "
            "their nanosecond counts are not meaningful numbers — convert them explicitly "
            "(e.g. a duration with .dt.days)."
        )
    if raw.dtype.kind in "USO" and _holds_text(raw):
        raise TrTypeError(
            f"{quoted(name)} must be numeric, got text (dtype {raw.dtype}; "
            f"{_text_detail(raw)}); numbers stored as text are not "
            "parsed behind your back — convert them with pd.to_numeric(..., errors='raise') "
            "after checking their format (decimal separator, percent signs)."
        )
    if raw.dtype.kind not in "biuf":
        try:
            arr = raw.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TrTypeError(
                f"{quoted(name)} must be numeric, got dtype {raw.dtype}; convert it with "
                f"pd.to_numeric(..., errors='raise') and fix the values that fail."
            ) from exc
    else:
        arr = raw.astype(np.float64, copy=True)
    if arr.size == 0 and not allow_empty:
        raise EmptyDataError(f"{quoted(name)} is empty; it needs at least one row.")
    if (allow_nan and allow_inf) or all_finite(arr):
        return arr
    if not allow_nan:
        nan = np.isnan(arr)
        if nan.any():
            bad = np.flatnonzero(nan)
            raise NonFiniteError(
                f"{quoted(name)} has NaN in {describe_rows(row_labels(values, bad))}; "
                "drop those rows explicitly (see tr_core.nan.complete_rows) — "
                "the toolkit never fills missing values with a constant."
            )
    if not allow_inf:
        inf = np.isinf(arr)
        if inf.any():
            bad = np.flatnonzero(inf)
            raise NonFiniteError(
                f"{quoted(name)} has infinite values in {describe_rows(row_labels(values, bad))}; "
                "inf usually comes from a division by zero upstream — fix the computation "
                "or set those values to NaN and drop the rows."
            )
    return arr


def all_finite(values: npt.NDArray[np.floating]) -> bool:
    """Whether every value is finite, proved by one summation where possible.

    NaN and infinities propagate through a sum, so a finite sum proves every value
    finite without the boolean masks of ``np.isfinite``; a sum that is not finite
    (a NaN or inf, or finite values too large to add up) falls back to the mask.

    Parameters
    ----------
    values : ndarray of float

    Returns
    -------
    bool
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if bool(np.isfinite(np.add.reduce(values, axis=None))):
            return True
    return bool(np.isfinite(values).all())


TimeUnit = Literal["ns", "us", "ms", "s"]
_TIME_UNITS = ("ns", "us", "ms", "s", None)


def as_datetime_array(
    values: ArrayLike,
    name: str,
    *,
    allow_empty: bool = False,
    unit: TimeUnit | None = "ns",
    copy: bool = True,
) -> npt.NDArray[np.datetime64]:
    """Convert a 1-D datetime input to a new ``datetime64[ns]`` array (or another unit).

    Timezone-aware input is converted to UTC and made naive, so times from
    different zones compare correctly. Strings and numbers are *not* parsed:
    guessing a date format silently is how wrong backtests are born.

    Parameters
    ----------
    values : array-like
        Datetimes (DatetimeIndex, datetime Series, ``datetime64`` array, or a
        list of ``Timestamp``/``datetime`` objects).
    name : str
        The argument's name, used in error messages.
    allow_empty : bool, default False
        Whether an input without rows is acceptable.
    unit : {"ns", "us", "ms", "s"} or None, default "ns"
        Resolution of the result. None keeps the input's own (pandas') resolution,
        which saves a conversion pass over millions of rows when only the order or
        the calendar periods of the times matter; the times must still be
        representable in nanoseconds.
    copy : bool, default True
        False allows the result to be a (read-only) view of the input's data when
        no conversion is needed: for callers that only read the times.

    Returns
    -------
    ndarray of datetime64
        In ``unit`` (by default nanoseconds).

    Raises
    ------
    TimeTypeError
        If the values are not datetimes.
    TimeColumnError
        If any value is missing (NaT).
    EmptyDataError
        If empty and ``allow_empty`` is False.
    InvalidParameterError
        If ``unit`` is not one of the above.
    """
    if isinstance(values, pd.Series | pd.Index):
        seq: Any = values
    else:
        raw = np.asarray(values)
        if raw.ndim != 1:
            raise TrTypeError(
                f"{quoted(name)} must be one-dimensional, got shape {raw.shape}; pass one column."
            )
        seq = raw if raw.dtype.kind == "M" else pd.Index(list(raw))
        if raw.size == 0:
            seq = pd.DatetimeIndex([])
    if not pd.api.types.is_datetime64_any_dtype(seq.dtype):
        raise TimeTypeError(
            f"{quoted(name)} must hold datetimes, got dtype {seq.dtype}; convert it with "
            f"pd.to_datetime(..., format=...) using the format your data really has."
        )
    if unit not in _TIME_UNITS:
        raise InvalidParameterError(f"`unit` must be one of {list(_TIME_UNITS)}, got {unit!r}.")
    own = _naive_datetimes(seq)
    if own.size == 0 and not allow_empty:
        raise EmptyDataError(f"{quoted(name)} is empty; it needs at least one row.")
    nat = np.isnat(own)
    if nat.any():
        bad = np.flatnonzero(nat)
        raise TimeColumnError(
            f"{quoted(name)} has missing times (NaT) in {describe_rows(row_labels(values, bad))}; "
            "an event without a decision time cannot be placed in a time split — "
            "drop those rows or recover their times."
        )
    ints = own.view(np.int64)
    if own.size:
        # The extremes bound every other time: only they need to fit in nanoseconds
        # (read as integers: numpy's datetime min/max are much slower).
        extremes = np.array([ints.min(), ints.max()]).view(own.dtype)
        try:
            pd.DatetimeIndex(extremes).as_unit("ns")
        except pd.errors.OutOfBoundsDatetime as exc:
            raise _outside_nanoseconds(name, exc) from exc
    own_unit = np.datetime_data(own.dtype)[0]
    if unit is None or unit == own_unit:
        return own.copy() if copy else own
    factor = _PER_SECOND[unit] // _PER_SECOND[own_unit]
    if factor > 1:
        # A finer unit: an exact integer product (every time fits in nanoseconds, and
        # there is no NaT), several times faster than a datetime conversion.
        return (ints * factor).view(f"datetime64[{unit}]")
    return pd.DatetimeIndex(own).as_unit(unit).to_numpy().copy()


# Ticks per second of the resolutions pandas supports.
_PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


def _naive_datetimes(seq: Any) -> npt.NDArray[np.datetime64]:
    """Naive UTC ``datetime64`` in s, ms, us or ns, without a copy where the input allows.

    Timezone-aware times are converted to UTC; coarser or generic units (days,
    hours) become pandas' resolution for them (seconds).
    """
    if isinstance(getattr(seq, "dtype", None), pd.DatetimeTZDtype):
        return pd.DatetimeIndex(seq).tz_convert("UTC").tz_localize(None).to_numpy()
    own = np.asarray(seq)
    if own.dtype.kind == "M" and np.datetime_data(own.dtype)[0] in _PER_SECOND:
        return own
    return pd.DatetimeIndex(own).to_numpy()


def _outside_nanoseconds(name: str, exc: Exception) -> TimeColumnError:
    """The error for times that do not fit in ``datetime64[ns]``."""
    return TimeColumnError(
        f"{quoted(name)} has times outside the nanosecond range 1677-09-21..2262-04-11 "
        f"({exc}); such a date is almost always a placeholder (e.g. 9999-12-31 for "
        "'open-ended') — replace it with the real date or drop those rows."
    )


def check_same_length(**arrays: Any) -> int:
    """Check that every named array has the same number of rows.

    Parameters
    ----------
    **arrays
        Argument name to array-like (``None`` values are skipped).

    Returns
    -------
    int
        The common length.

    Raises
    ------
    LengthMismatchError
        Naming every argument and its length.
    """
    lengths = {k: len(v) for k, v in arrays.items() if v is not None}
    if len(set(lengths.values())) > 1:
        listing = ", ".join(f"`{k}` has {n}" for k, n in lengths.items())
        raise LengthMismatchError(
            f"inputs must be aligned row by row but {listing} rows; "
            "pass arrays/Series that come from the same frame."
        )
    return next(iter(lengths.values()), 0)


def resolve_column(X: Any, value: Any, name: str) -> Any:
    """Return ``X[value]`` when ``value`` is a column name, else ``value`` itself.

    Lets an API accept either aligned values (array, Series) or the name of a
    column of ``X``, e.g. ``PurgedKFold(times="trade_date")``.

    Parameters
    ----------
    X : DataFrame or array-like
        The data the values must be aligned with.
    value : str or array-like
        A column name of ``X`` or the values themselves.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    array-like
        The column (a Series) or ``value`` unchanged; length is checked against ``X``.

    Raises
    ------
    MissingColumnError
        If ``value`` is a string that is not a column of ``X``.
    LengthMismatchError
        If the values are not as long as ``X``.
    """
    if isinstance(value, str):
        if not isinstance(X, pd.DataFrame) or value not in X.columns:
            have = (
                list(X.columns) if isinstance(X, pd.DataFrame) else "no columns (not a DataFrame)"
            )
            raise MissingColumnError(
                f"{quoted(name)}={value!r} names a column, but X has {have}; "
                "pass the right column name or the values themselves."
            )
        return X[value]
    check_same_length(X=X, **{name: value})
    return value


def check_same_timezone(**values: Any) -> None:
    """Check that datetime inputs compared with each other are all naive or all tz-aware.

    :func:`as_datetime_array` reads naive times as UTC. That is right when every
    input is naive, but a tz-aware input compared with a naive one would be shifted
    by its UTC offset without a word (pandas itself refuses such comparisons).

    Parameters
    ----------
    **values
        Argument name to datetimes (Series, Index, array, list) or one timestamp;
        ``None`` values are skipped.

    Raises
    ------
    TimeTypeError
        Naming the tz-aware and the naive arguments.
    """
    aware = {k: _tz_aware(v) for k, v in values.items() if v is not None}
    if len(set(aware.values())) > 1:
        with_tz = [f"`{k}`" for k, a in aware.items() if a]
        naive = [f"`{k}`" for k, a in aware.items() if not a]
        raise TimeTypeError(
            f"{', '.join(with_tz)} carry a timezone but {', '.join(naive)} do not, so they "
            "cannot be compared; localize the naive times (e.g. .dt.tz_localize('UTC')) or "
            "make all of them naive in the same zone."
        )


def _tz_aware(value: Any) -> bool:
    """Whether a datetime input carries a timezone (a sequence: its first element)."""
    if isinstance(value, pd.Series | pd.Index):
        return isinstance(value.dtype, pd.DatetimeTZDtype)
    if hasattr(value, "tzinfo"):
        return value.tzinfo is not None
    if isinstance(value, np.ndarray):
        if value.dtype.kind != "O":
            return False
        first = value.ravel()[0] if value.size else None
    elif isinstance(value, Sequence) and not isinstance(value, str):
        first = value[0] if len(value) else None
    else:
        return False
    return getattr(first, "tzinfo", None) is not None


def _numpy_values(values: Any) -> np.ndarray:
    """The values as numpy; nullable pandas numbers become float with NaN for ``pd.NA``."""
    if isinstance(values, pd.Series | pd.Index):
        dtype = values.dtype
        if isinstance(dtype, pd.api.extensions.ExtensionDtype) and (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        ):
            return values.to_numpy(dtype=np.float64, na_value=np.nan)
        return values.to_numpy()
    return np.asarray(values)


def _holds_text(raw: np.ndarray) -> bool:
    """Whether an array holds strings or bytes (object arrays: any element)."""
    if raw.dtype.kind in "US":
        return True
    return any(isinstance(x, str | bytes) for x in raw.reshape(-1))


def _text_detail(raw: np.ndarray) -> str:
    """For a message: the values of a text column that do not read as numbers, else a sample.

    One bad cell ("12,5", "n.a.") among numbers is the usual cause; showing the first
    values would hide it.
    """
    series = pd.Series(raw.reshape(-1), dtype=object)
    # "nan" is how pandas writes a missing value to text: missing, not a bad cell
    present = series.notna() & (series.astype(str).str.strip().str.lower() != "nan")
    numbers = pd.to_numeric(series.where(present), errors="coerce")
    bad = series[present & numbers.isna()]
    if bad.empty:
        sample = series[present].head(3).astype(str).tolist()
        return f"every value reads as a number but is stored as text, e.g. {sample}"
    shown = bad.astype(str).drop_duplicates().head(3).tolist()
    return f"{len(bad):,} of {int(present.sum()):,} values do not read as numbers, e.g. {shown}"


def check_size(count: int, limit: int, what: str, fix: str) -> None:
    """Refuse a computation whose size exceeds ``limit``, before allocating anything.

    Parameters
    ----------
    count : int
        The size the request implies (Python int: exact, never overflows).
    limit : int
        The largest size that is computed.
    what : str
        What is counted, e.g. ``"combinations of 32 partitions choose 16"``.
    fix : str
        How to make the request smaller.

    Raises
    ------
    SizeLimitError
        Naming the number, the limit and the fix.
    """
    if count > limit:
        raise SizeLimitError(
            f"{what}: {count:,} exceeds the limit of {limit:,} that can be computed here; {fix}"
        )
