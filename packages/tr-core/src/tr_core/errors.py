"""Exceptions raised by every trading-research package.

Every error is a subclass of the built-in :class:`ValueError` or :class:`TypeError`,
so callers that already catch those keep working, and of :class:`TrError`, so a
caller can catch everything this toolkit raises in one clause.

A message always says three things: *what* is wrong (the column or argument),
*where* (the first offending rows, by index label), and *how to fix it*. A wrong
number is worse than an exception, so the toolkit raises rather than guesses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DuplicateColumnError",
    "EmptyDataError",
    "FeatureTypeError",
    "FoldError",
    "IndexAlignmentError",
    "InsufficientDataError",
    "InvalidParameterError",
    "LabelWindowError",
    "LengthMismatchError",
    "LookaheadError",
    "MissingColumnError",
    "NonFiniteError",
    "SizeLimitError",
    "StorageUnavailableError",
    "StudyMismatchError",
    "TimeColumnError",
    "TimeTypeError",
    "TrError",
    "TrTypeError",
    "TrValueError",
    "ZeroWeightError",
    "describe_rows",
]


class TrError(Exception):
    """Base class of every exception raised by the trading-research toolkit."""


class TrValueError(TrError, ValueError):
    """An argument has the right type but an unusable value."""


class TrTypeError(TrError, TypeError):
    """An argument has the wrong type or dtype."""


class MissingColumnError(TrValueError):
    """A column named in a contract or an argument is not in the frame."""


class DuplicateColumnError(TrValueError):
    """The frame has two or more columns with the same name."""


class EmptyDataError(TrValueError):
    """The frame or array has no rows."""


class TimeTypeError(TrTypeError):
    """A time column or array is not of a datetime dtype."""


class TimeColumnError(TrValueError):
    """A time column or array holds missing (NaT) or unrepresentable values."""


class LabelWindowError(TrValueError):
    """A label window ends before it starts (``label_end < time``)."""


class NonFiniteError(TrValueError):
    """NaN or infinite values where only finite numbers are allowed."""


class FeatureTypeError(TrTypeError):
    """A feature column is not numeric."""


class LengthMismatchError(TrValueError):
    """Arrays that must be aligned row by row have different lengths."""


class InvalidParameterError(TrValueError):
    """A parameter is outside its allowed range or set of values."""


class InsufficientDataError(TrValueError):
    """Too few rows (or periods, or timestamps) for the requested operation."""


class LookaheadError(TrValueError):
    """A feature value at time *t* changes when data after *t* is removed."""


class IndexAlignmentError(LengthMismatchError, InvalidParameterError):
    """Two pandas inputs that must describe the same rows carry different index labels.

    The toolkit pairs pandas inputs by index label, never by position; when the
    labels differ (or repeat, so pairing by label is ambiguous) it refuses.
    """


class SizeLimitError(InvalidParameterError):
    """A requested computation is too large to run: refused before allocating."""


class FoldError(LookaheadError, InvalidParameterError):
    """A fold from a splitter is unusable: bad positions, train/test overlap, or a time leak.

    Raised by :func:`tr_core.splits.checked_folds`, the one fold check of the toolkit.
    """


class ZeroWeightError(InvalidParameterError):
    """Sample weights would be zero for some rows (silently dropping them) or for all."""


class StorageUnavailableError(InvalidParameterError):
    """A study storage (database URL, journal file) cannot be reached or opened."""


class StudyMismatchError(InvalidParameterError):
    """A stored study exists under the same name with another direction, metric or search space."""


def describe_rows(labels: Sequence[Any], limit: int = 5) -> str:
    """Format the first offending row labels for an error message.

    Parameters
    ----------
    labels : sequence
        Index labels (or positions) of the offending rows, in row order.
    limit : int, default 5
        How many labels to show before summarising the rest.

    Returns
    -------
    str
        For example ``"rows [3, 17, 42] (3 rows)"`` or
        ``"rows [0, 1, 2, 3, 4] and 95 more (100 rows)"``.
    """
    shown = [_plain(x) for x in list(labels[:limit])]
    n = len(labels)
    more = f" and {n - limit} more" if n > limit else ""
    noun = "row" if n == 1 else "rows"
    return f"{noun} {shown}{more} ({n} {noun})"


def _plain(x: Any) -> Any:
    """Turn numpy scalars and timestamps into plain values so messages read cleanly."""
    if isinstance(x, np.datetime64 | pd.Timestamp):
        return str(pd.Timestamp(x))
    if isinstance(x, np.generic):
        return x.item()
    return x
