"""Plain, JSON-ready values for the ``summary()`` of every result object.

``json.dumps`` refuses numpy scalars and writes NaN as an invalid ``NaN`` token;
experiment records must round-trip through strict JSON, so results turn their
numbers into Python numbers and missing values into ``null``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["plain"]


def plain(value: Any) -> Any:
    """A JSON-ready scalar: numbers to Python, NaN/inf/NaT/NA to None, times to ISO text.

        Parameters
        ----------
        value : object
            A scalar (numpy or Python); anything else is returned unchanged.

        Returns
        -------
        object

        Examples
        --------
        >>> import numpy as np
    import pandas as pd
        >>> plain(np.float32(0.5)), plain(float("nan")), plain(np.int64(3))
        (0.5, None, 3)
        >>> plain(pd.Timestamp("2024-03-01 20:00", tz="America/New_York"))
        '2024-03-01T20:00:00-05:00'
    """
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.datetime64 | np.timedelta64):
        value = pd.Timestamp(value) if isinstance(value, np.datetime64) else pd.Timedelta(value)
        if pd.isna(value):
            return None
    if isinstance(value, pd.Timestamp | pd.Timedelta):
        return value.isoformat()
    if isinstance(value, pd.Period):
        return str(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
