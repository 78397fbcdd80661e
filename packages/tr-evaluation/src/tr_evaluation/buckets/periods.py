"""Calendar periods of decision times: day, week (Monday to Sunday) or month."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InvalidParameterError

__all__ = ["FREQUENCIES", "period_codes"]

FREQUENCIES = ("D", "W", "M")
_DAYS_TO_MONDAY = 3  # 1970-01-01 was a Thursday: day d falls in week (d + 3) // 7


def period_codes(
    times: npt.NDArray[np.datetime64], freq: str
) -> tuple[npt.NDArray[np.int64], pd.DatetimeIndex]:
    """Sorted integer period code per row and the start date of each period.

    Parameters
    ----------
    times : ndarray of datetime64[ns]
        Decision times (validated, no NaT).
    freq : {"D", "W", "M"}
        Calendar day, week starting on Monday, or calendar month.

    Returns
    -------
    codes : ndarray of int64
        0 for the earliest period present, increasing with time; periods without
        rows get no code, so consecutive codes are consecutive *observed* periods.
    starts : DatetimeIndex
        Start of each coded period.
    """
    if freq not in FREQUENCIES:
        raise InvalidParameterError(
            f"period frequency {freq!r} is not supported; use one of {list(FREQUENCIES)}."
        )
    codes, keys_u = _sorted_codes(times, freq)
    if freq == "M":
        starts = keys_u.astype("datetime64[M]").astype("datetime64[ns]")
    elif freq == "W":
        starts = (keys_u * 7 - _DAYS_TO_MONDAY).astype("datetime64[D]").astype("datetime64[ns]")
    else:
        starts = keys_u.astype("datetime64[D]").astype("datetime64[ns]")
    return codes, pd.DatetimeIndex(starts)


def _period_keys(times: npt.NDArray[np.datetime64], freq: str) -> npt.NDArray[np.int64]:
    """Integer key of each time's period: months, or days / weeks since the epoch."""
    if freq == "M":
        return times.astype("datetime64[M]").view(np.int64)
    days = times.astype("datetime64[D]").view(np.int64)
    return (days + _DAYS_TO_MONDAY) // 7 if freq == "W" else days


def _sorted_codes(
    times: npt.NDArray[np.datetime64], freq: str
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Dense period codes in time order, and the sorted distinct period keys.

    Time-sorted input (checked in one pass) needs no sort or hash table: rows are
    cut into runs of equal times, only the first time of each run is converted to
    its period key, and a row's code is the number of period changes before its run.
    """
    t = times.view(np.int64)
    if t.size and bool(np.all(t[1:] >= t[:-1])):
        new_time = np.empty(t.size, dtype=bool)
        new_time[0] = True
        np.not_equal(t[1:], t[:-1], out=new_time[1:])
        run_first = np.flatnonzero(new_time)
        del new_time
        run_keys = _period_keys(times[run_first], freq)
        new_period = np.empty(run_keys.size, dtype=bool)
        new_period[0] = True
        np.not_equal(run_keys[1:], run_keys[:-1], out=new_period[1:])
        run_codes = np.cumsum(new_period, dtype=np.int64) - 1
        run_rows = np.diff(np.append(run_first, t.size))
        return np.repeat(run_codes, run_rows), run_keys[new_period]
    codes, uniques = pd.factorize(_period_keys(times, freq), sort=True)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=np.int64)
