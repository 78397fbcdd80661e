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
    if freq == "M":
        keys = times.astype("datetime64[M]").view(np.int64)
    elif freq == "W":
        keys = (times.astype("datetime64[D]").view(np.int64) + _DAYS_TO_MONDAY) // 7
    elif freq == "D":
        keys = times.astype("datetime64[D]").view(np.int64)
    else:
        raise InvalidParameterError(
            f"period frequency {freq!r} is not supported; use one of {list(FREQUENCIES)}."
        )
    codes, keys_u = _sorted_codes(keys)
    if freq == "M":
        starts = keys_u.astype("datetime64[M]").astype("datetime64[ns]")
    elif freq == "W":
        starts = (keys_u * 7 - _DAYS_TO_MONDAY).astype("datetime64[D]").astype("datetime64[ns]")
    else:
        starts = keys_u.astype("datetime64[D]").astype("datetime64[ns]")
    return codes, pd.DatetimeIndex(starts)


def _sorted_codes(
    keys: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Dense codes of ``keys`` in sorted key order, and the sorted distinct keys.

    Time-sorted input (non-decreasing keys, checked in one pass) needs no sort
    or hash table: a code is the number of key changes before the row.
    """
    if keys.size == 0 or bool(np.all(keys[1:] >= keys[:-1])):
        change = keys[1:] != keys[:-1]
        codes = np.zeros(keys.size, dtype=np.int64)
        np.cumsum(change, out=codes[1:])
        first = np.ones(keys.size, dtype=bool)
        first[1:] = change
        return codes, keys[first]
    codes, uniques = pd.factorize(keys, sort=True)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=np.int64)
