"""Turn the splitters' inputs (times, label ends, spans, fractions) into checked values.

Times are handled internally as ``int64`` nanoseconds since the epoch, so that every
comparison in the purge is exact integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import align_to
from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    LabelWindowError,
    LengthMismatchError,
    describe_rows,
)
from tr_core.validation import (
    as_datetime_array,
    check_same_timezone,
    resolve_column,
    row_labels,
)

__all__ = [
    "Span",
    "Timeline",
    "check_count",
    "check_embargo",
    "check_span",
    "resolve_timeline",
    "timestamp_ns",
]

Span = int | pd.Timedelta
"""A length along the timeline: a number of unique timestamps, or a duration."""


@dataclass(frozen=True)
class Timeline:
    """Decision times and label ends of the rows, plus their unique timestamps.

    Attributes
    ----------
    time, end : ndarray of int64
        Nanoseconds since the epoch, in row order; ``end >= time``.
    unique : ndarray of int64
        Sorted unique decision times.
    inverse : ndarray of intp
        For each row, the index of its time in ``unique``.
    """

    time: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    unique: npt.NDArray[np.int64]
    inverse: npt.NDArray[np.intp]

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return int(self.time.size)

    @property
    def n_unique(self) -> int:
        """Number of unique decision times."""
        return int(self.unique.size)

    def counts(self) -> npt.NDArray[np.intp]:
        """Number of rows at each unique time."""
        return np.bincount(self.inverse, minlength=self.n_unique).astype(np.intp)

    def embargo_ns(self, embargo: float) -> int:
        """Embargo length ``h = floor(embargo * (max(time) - min(time)))`` in nanoseconds."""
        return int(np.floor(embargo * float(int(self.unique[-1]) - int(self.unique[0]))))

    def need_unique(self, n: int, what: str) -> None:
        """Raise unless there are at least ``n`` unique times."""
        if self.n_unique < n:
            raise InsufficientDataError(
                f"{what} needs at least {n} distinct timestamps but `times` has only "
                f"{self.n_unique} (over {self.n_rows} rows); rows that share a timestamp "
                "are never split, so use fewer folds or more data."
            )


def resolve_timeline(
    X: Any,
    times: Any,
    label_ends: Any | None,
    *,
    times_name: str = "times",
    ends_name: str = "label_ends",
) -> Timeline:
    """Resolve and check decision times and (optional) label ends aligned with ``X``.

    Parameters
    ----------
    X : DataFrame or array-like
        The data being split; ``times``/``label_ends`` may name its columns.
    times : str or array-like
        Column name of ``X`` or aligned datetimes.
    label_ends : str or array-like or None
        Column name of ``X`` or aligned datetimes; ``None`` means zero-length
        windows (``label_end = time``).
    times_name, ends_name : str
        Argument names used in error messages.

    Returns
    -------
    Timeline

    Raises
    ------
    MissingColumnError, LengthMismatchError, TimeTypeError, TimeColumnError
        From :mod:`tr_core.validation`.
    LabelWindowError
        If a label window ends before its decision time.
    """
    t_raw = _aligned(X, times, times_name)
    time = as_datetime_array(t_raw, times_name).view(np.int64)
    if label_ends is None:
        end = time
    else:
        e_raw = _aligned(X, label_ends, ends_name)
        check_same_timezone(**{times_name: t_raw, ends_name: e_raw})
        end = as_datetime_array(e_raw, ends_name).view(np.int64)
        bad = np.flatnonzero(end < time)
        if bad.size:
            raise LabelWindowError(
                f"`{ends_name}` is earlier than `{times_name}` in "
                f"{describe_rows(row_labels(e_raw, bad))}; a label window [time, label_end] "
                "must end at or after its decision time — fix those label ends or drop the rows."
            )
    unique, inverse = _unique_times(time)
    return Timeline(time, end, unique, inverse)


# Rows sampled to estimate how many distinct times there are (see _unique_times).
_SAMPLE = 4096


def _unique_times(
    time: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Sorted distinct times and, for each row, the index of its time among them.

    Time-sorted rows need one pass (where the time changes). Otherwise ``np.unique``
    sorts all rows, while a hash factorization (pandas) sorts only the distinct
    times: several times faster when times repeat (many rows per day), somewhat
    slower when nearly all are distinct. The number of distinct times is estimated
    from the repeats in a seeded random sample of rows (a pair of sampled rows
    shares its time with probability about ``1 / distinct``), and the faster way
    taken; both give the same result.
    """
    n = time.size
    if n < 2 or bool(np.all(time[1:] >= time[:-1])):
        new = np.empty(n, dtype=bool)
        new[:1] = True
        np.not_equal(time[1:], time[:-1], out=new[1:])
        inverse = np.cumsum(new, dtype=np.intp)
        inverse -= 1
        return time[new], inverse
    rows = np.random.default_rng(0).choice(n, min(n, _SAMPLE), replace=False)
    sample = time[rows]
    repeats = sample.size - np.unique(sample).size
    # Distinct times ~ s^2 / (2 repeats); a hash table pays off below ~40 % of the rows.
    if sample.size**2 < 0.8 * n * max(repeats, 1):
        codes, unique = pd.factorize(time, sort=True)
        return np.asarray(unique, dtype=np.int64), codes.astype(np.intp, copy=False)
    unique, inverse = np.unique(time, return_inverse=True)
    return unique, inverse.reshape(-1).astype(np.intp)


def _aligned(X: Any, values: Any, name: str) -> Any:
    """``values`` for the rows of ``X``, in ``X``'s order: a column, by label, or by position.

    Splits are positions into ``X``, so values must be in ``X``'s row order. A Series
    taken from the frame before it was sorted or filtered has the same length but
    another order; it is matched to ``X``'s rows by index label. When ``X`` is a
    subset of the rows the Series covers (a splitter bound to the whole frame, handed
    the training rows by an outer cross-validation), the subset's labels are taken
    from it — so nested cross-validation works. Labels that do not match are refused.
    """
    if isinstance(values, str):
        return resolve_column(X, values, name)
    if isinstance(values, pd.Series) and isinstance(X, pd.Series | pd.DataFrame):
        return align_to(X.index, values, name, allow_subset=True)
    if isinstance(values, pd.Series | pd.DataFrame) or not hasattr(X, "__len__"):
        return resolve_column(X, values, name)
    if len(values) != len(X):
        raise LengthMismatchError(
            f"`{name}` has {len(values)} rows but X has {len(X)}; positional times cannot "
            f"be matched to a subset of rows. Pass X as a DataFrame and `{name}` as a Series "
            "sharing its index (or a column name of X), so rows are matched by label — "
            "what nested cross-validation needs."
        )
    return values


def timestamp_ns(value: Any, name: str) -> int:
    """Convert one timestamp to ``int64`` nanoseconds (timezone-aware values via UTC)."""
    if not isinstance(value, dt.datetime | np.datetime64) or pd.isna(value):
        raise InvalidParameterError(
            f"`{name}` must be a timestamp (pd.Timestamp, datetime or datetime64), "
            f"got {value!r}; pass e.g. pd.Timestamp('2020-01-01')."
        )
    return int(as_datetime_array(pd.DatetimeIndex([value]), name).view(np.int64)[0])


def check_count(value: Any, name: str, *, minimum: int) -> int:
    """Check that ``value`` is an integer ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InvalidParameterError(f"`{name}` must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def check_embargo(value: Any) -> float:
    """Check that the embargo fraction is a real number in ``[0, 1)``."""
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    if not ok or not 0.0 <= float(value) < 1.0:
        raise InvalidParameterError(
            f"`embargo` must be a fraction of the timeline in [0, 1), got {value!r}; "
            "0.01 embargoes 1% of the time span after each test block."
        )
    return float(value)


def check_span(value: Any, name: str, *, minimum: int) -> Span:
    """Check a length along the timeline.

    Parameters
    ----------
    value : int or timedelta-like
        An integer counts unique timestamps; a ``pd.Timedelta``, ``datetime.timedelta``,
        ``np.timedelta64`` or a string such as ``"5D"`` is a duration.
    name : str
        Argument name for error messages.
    minimum : int
        Smallest allowed count; a duration must be ``>= 0`` (``> 0`` when ``minimum > 0``).

    Returns
    -------
    int or pd.Timedelta
    """
    fix = (
        f"`{name}` must be a number of timestamps (int >= {minimum}) or a duration "
        f"({'> 0' if minimum > 0 else '>= 0'}, e.g. pd.Timedelta('5D')), got {value!r}."
    )
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        if value < minimum:
            raise InvalidParameterError(fix)
        return int(value)
    if not isinstance(value, dt.timedelta | np.timedelta64 | str):
        raise InvalidParameterError(fix)
    try:
        span = pd.Timedelta(value)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(fix) from exc
    if pd.isna(span) or span < pd.Timedelta(0) or (minimum > 0 and span == pd.Timedelta(0)):
        raise InvalidParameterError(fix)
    return span


def train_end(unique: npt.NDArray[np.int64], test_start: int, gap: Span) -> tuple[int, int]:
    """Where training must stop before the test block that starts at ``unique[test_start]``.

    Parameters
    ----------
    unique : ndarray of int64
        Sorted unique times (ns).
    test_start : int
        Index in ``unique`` of the first test timestamp.
    gap : int or pd.Timedelta
        An integer skips that many unique timestamps before the test block; a
        duration skips the times in ``[t_lo - gap, t_lo)``.

    Returns
    -------
    stop : int
        Training timestamps are ``unique[:stop]`` (``stop <= 0``: none).
    stop_ns : int
        The matching time: training times are ``< stop_ns``.
    """
    if isinstance(gap, int):
        stop = test_start - gap
        return stop, int(unique[max(stop, 0)])
    stop_ns = int(unique[test_start]) - int(gap.value)
    return int(np.searchsorted(unique, stop_ns, side="left")), stop_ns
