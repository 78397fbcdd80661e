"""Plain, JSON-ready values for the ``summary()`` of every result object.

``json.dumps`` refuses numpy scalars and writes NaN as an invalid ``NaN`` token;
experiment records must round-trip through strict JSON, so results turn their
numbers into Python numbers and missing values into ``null``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["plain"]


def plain(value: Any) -> Any:
    """A JSON-ready scalar: numpy numbers to Python numbers, NaN and inf to None.

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
    >>> plain(np.float32(0.5)), plain(float("nan")), plain(np.int64(3))
    (0.5, None, 3)
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
