"""Calendar periods of decision times, in the times' own timezone.

A trade at 20:00 in New York on 2024-03-01 belongs to the New York day
2024-03-01, although it is 2024-03-02 01:00 in UTC. Every per-period computation
of the toolkit (per-day buckets, monthly PBO matrices) groups by *local* calendar
periods through :func:`calendar_periods`; naive times are taken as they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tr_core.errors import InvalidParameterError, TimeColumnError, TimeTypeError, describe_rows
from tr_core.validation import row_labels

__all__ = ["calendar_periods"]


def calendar_periods(times: Any, freq: str, name: str = "times") -> pd.PeriodIndex:
    """The local calendar period (day, week, month, …) of each time.

    Parameters
    ----------
    times : Series, DatetimeIndex or array-like of datetimes
        Naive or timezone-aware times. Aware times are read on their own wall
        clock (the zone's calendar), not in UTC.
    freq : str
        A pandas period alias: ``"D"``, ``"W"`` (weeks ending Sunday),
        ``"W-FRI"``, ``"M"``, ``"Q"``, ``"Y"``…
    name : str, default "times"
        The argument's name, used in messages.

    Returns
    -------
    pandas.PeriodIndex
        One period per input time, in input order.

    Raises
    ------
    TimeTypeError
        ``times`` are not datetimes.
    TimeColumnError
        A time is missing (NaT): its period would be dropped silently later.
    InvalidParameterError
        ``freq`` is not a period alias.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DatetimeIndex(["2024-03-01 20:00"]).tz_localize("America/New_York")
    >>> str(calendar_periods(t, "D")[0])
    '2024-03-01'
    """
    index = pd.DatetimeIndex(times) if _is_datetime(times) else None
    if index is None:
        raise TimeTypeError(
            f"`{name}` must hold datetimes to be grouped by calendar period, got "
            f"{getattr(times, 'dtype', type(times).__name__)}; convert it with "
            "pd.to_datetime(..., format=...)."
        )
    missing = np.flatnonzero(index.isna())
    if missing.size:
        raise TimeColumnError(
            f"`{name}` has missing times (NaT) in {describe_rows(row_labels(times, missing))}; "
            "a row without a time has no calendar period — drop those rows or recover "
            "their times."
        )
    if index.tz is not None:
        # The wall-clock time in the zone itself: its calendar day, not UTC's.
        index = index.tz_localize(None)
    try:
        return index.to_period(freq)
    except (ValueError, TypeError) as exc:
        raise InvalidParameterError(
            f"period frequency {freq!r} is not a pandas period alias ({exc}); use e.g. "
            "'D' (day), 'W' (week), 'M' (month), 'Q' (quarter) or 'Y' (year)."
        ) from exc


def _is_datetime(times: Any) -> bool:
    dtype = getattr(times, "dtype", None)
    if dtype is not None:
        return bool(pd.api.types.is_datetime64_any_dtype(dtype))
    try:
        return bool(pd.api.types.is_datetime64_any_dtype(pd.Index(list(times)).dtype))
    except TypeError:
        return False
