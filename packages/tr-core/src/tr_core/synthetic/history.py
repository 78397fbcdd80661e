"""Features derived from earlier trades of the same insider or ticker.

They are computed from the generated trades themselves, using only trades on
strictly *earlier* days, so each value is known at its trade date. Everything
is a sort plus :func:`numpy.searchsorted` on a combined ``(entity, day)`` key:
no Python loop over rows.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["prior_trades", "trailing_count"]

IntArray = npt.NDArray[np.int64]


def _keys(entity: IntArray, day: IntArray, span: int) -> IntArray:
    return entity.astype(np.int64) * np.int64(span) + day.astype(np.int64)


def _sorted(keys: IntArray) -> tuple[npt.NDArray[np.intp], IntArray]:
    # Sorted needles make searchsorted sequential in memory (10x faster at 1M rows).
    order = np.argsort(keys, kind="stable")
    return order, keys[order]


def prior_trades(entity: IntArray, day: IntArray) -> tuple[IntArray, IntArray]:
    """Count earlier-day trades of the same entity and find the latest such day.

    Parameters
    ----------
    entity : ndarray of int
        Entity (insider) id per trade, ``>= 0``.
    day : ndarray of int
        Day number per trade, ``>= 0``.

    Returns
    -------
    count : ndarray of int64
        Trades of the same entity on days strictly before the trade's day.
    last_day : ndarray of int64
        The latest such day, ``-1`` where ``count == 0``.
    """
    span = int(day.max()) + 2
    order, ordered = _sorted(_keys(entity, day, span))
    before = np.searchsorted(ordered, ordered, side="left")
    first = np.searchsorted(ordered, ordered - ordered % span, side="left")
    count_sorted = before - first
    last_sorted = np.where(count_sorted > 0, ordered[np.maximum(before - 1, 0)] % span, -1)
    count = np.empty_like(count_sorted)
    last_day = np.empty_like(last_sorted)
    count[order] = count_sorted
    last_day[order] = last_sorted
    return count.astype(np.int64, copy=False), last_day.astype(np.int64, copy=False)


def trailing_count(entity: IntArray, day: IntArray, window: int) -> IntArray:
    """Trades of the same entity on days in ``[day - window, day)``.

    Parameters
    ----------
    entity : ndarray of int
        Entity (ticker) id per trade, ``>= 0``.
    day : ndarray of int
        Day number per trade (calendar days), ``>= 0``.
    window : int
        Look-back length in the same units as ``day``.

    Returns
    -------
    ndarray of int64
    """
    span = int(day.max()) + window + 2
    order, ordered = _sorted(_keys(entity, day, span) + window)
    hi = np.searchsorted(ordered, ordered, side="left")
    lo = np.searchsorted(ordered, ordered - window, side="left")
    count = np.empty_like(hi)
    count[order] = hi - lo
    return count.astype(np.int64, copy=False)
