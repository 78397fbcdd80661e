"""Calendar periods of decision times: day, week (Monday to Sunday) or month.

Periods are *local* calendar periods (:func:`tr_core.periods.calendar_periods`): a
New York trade at 20:00 on 2024-03-01 belongs to the day 2024-03-01, although it
is 01:00 on 2024-03-02 in UTC. Naive times are taken as they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InvalidParameterError
from tr_core.periods import calendar_periods
from tr_core.validation import as_datetime_array

__all__ = ["FREQUENCIES", "period_codes"]

FREQUENCIES = ("D", "W", "M")


def period_codes(
    times: Any, freq: str, name: str = "times"
) -> tuple[npt.NDArray[np.int64], pd.DatetimeIndex]:
    """Sorted integer period code per row and the start date of each period.

    Parameters
    ----------
    times : array-like of datetime
        Decision times, naive or timezone-aware (validated here: no NaT, no text).
    freq : {"D", "W", "M"}
        Calendar day, week starting on Monday, or calendar month — of the times'
        own timezone.
    name : str, default "times"
        The argument's name, used in messages.

    Returns
    -------
    codes : ndarray of int64
        0 for the earliest period present, increasing with time; periods without
        rows get no code, so consecutive codes are consecutive *observed* periods.
    starts : DatetimeIndex
        Start of each coded period, as a naive local date (midnight of its first day).

    Raises
    ------
    InvalidParameterError
        ``freq`` is not one of :data:`FREQUENCIES`.
    TimeTypeError, TimeColumnError
        Times that are not datetimes, or are missing.
    """
    if freq not in FREQUENCIES:
        raise InvalidParameterError(
            f"period frequency {freq!r} is not supported; use one of {list(FREQUENCIES)}."
        )
    # Read only, in the input's own unit: periods need the times' order and calendar.
    utc = as_datetime_array(times, name, unit=None, copy=False)
    tz = _timezone(times)
    t = utc.view(np.int64)
    if t.size and bool(np.all(t[1:] >= t[:-1])):
        # Time-sorted input (checked in one pass) needs no hash table: rows are cut
        # into runs of equal times, and only the first time of each run gets a period.
        new_time = np.empty(t.size, dtype=bool)
        new_time[0] = True
        np.not_equal(t[1:], t[:-1], out=new_time[1:])
        run_first = np.flatnonzero(new_time)
        del new_time
        run_codes, starts = _dense_periods(_local(utc[run_first], tz), freq, name)
        return np.repeat(run_codes, np.diff(run_first, append=t.size)), starts
    # Otherwise the distinct local calendar days (few) carry the periods.
    day_codes, days = pd.factorize(_local_days(utc, tz))
    codes_of_day, starts = _dense_periods(pd.DatetimeIndex(days), freq, name)
    return codes_of_day[day_codes], starts


def _timezone(times: Any) -> Any:
    """The timezone of validated datetimes, or None when they are naive."""
    dtype = getattr(times, "dtype", None)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return dtype.tz
    if dtype is not None and dtype.kind == "M":
        return None
    # Lists and object arrays of timestamps: pandas finds their common zone.
    return getattr(pd.Index(list(np.asarray(times, dtype=object))).dtype, "tz", None)


def _local(utc: npt.NDArray[np.datetime64], tz: Any) -> pd.DatetimeIndex:
    """Naive UTC times as times of ``tz`` (unchanged when ``tz`` is None)."""
    index = pd.DatetimeIndex(utc)
    return index if tz is None else index.tz_localize("UTC").tz_convert(tz)


def _local_days(utc: npt.NDArray[np.datetime64], tz: Any) -> npt.NDArray[np.datetime64]:
    """The local calendar day of every time (its period is the period of that day)."""
    local = utc if tz is None else _local(utc, tz).tz_localize(None).to_numpy()
    return local.astype("datetime64[D]")


def _dense_periods(
    times: pd.DatetimeIndex, freq: str, name: str
) -> tuple[npt.NDArray[np.int64], pd.DatetimeIndex]:
    """Code of each time's local period (0 = earliest) and the start of each period."""
    periods = calendar_periods(times, freq, name)
    _, first, codes = np.unique(periods.asi8, return_index=True, return_inverse=True)
    starts = pd.DatetimeIndex(periods[first].start_time).as_unit("ns")
    return codes.reshape(-1).astype(np.int64, copy=False), starts
