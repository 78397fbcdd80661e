"""A single train/test split at a point in time."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.deprecation import renamed_argument
from tr_core.errors import InsufficientDataError, InvalidParameterError
from tr_core.splits._base import Positions
from tr_core.splits._inputs import check_span, resolve_timeline, timestamp_ns, train_end
from tr_core.splits._purge import Block, purge
from tr_core.validation import check_same_timezone

__all__ = ["time_train_test_split"]


def time_train_test_split(
    frame: Any,
    *,
    times: Any = None,
    test_start: Any = None,
    test_size: float | None = None,
    gap: Any = 0,
    label_ends: Any = None,
    time: Any = None,
    label_end: Any = None,
) -> tuple[Positions, Positions]:
    """Split rows into an earlier training set and a later test set.

    Rows need not be sorted. The test set is every row from the first test
    timestamp on; rows sharing a timestamp are always on the same side.

    Parameters
    ----------
    frame : DataFrame or array-like
        The rows to split (only its length and the columns named below are used).
    times : str or array-like
        Decision time of each row: a column name of ``frame`` or aligned datetimes
        (a Series is matched to ``frame`` by index label).
    test_start : timestamp, optional
        Rows with ``times >= test_start`` are tested.
    test_size : float, optional
        Fraction of rows in ``(0, 1)`` to test: the test set starts at the unique
        timestamp whose share of later rows is nearest ``test_size``, keeping at
        least one timestamp on each side. Give exactly one of ``test_start`` and
        ``test_size``.
    gap : int or timedelta-like, default 0
        Left out between the sets: a number of unique timestamps before the test
        start, or a duration ``g`` (training times ``< t_lo - g``).
    label_ends : str or array-like, optional
        When each row's label window closes; training rows with
        ``label_ends >= t_lo`` (the first test time) are purged.
    time, label_end
        Deprecated spellings of ``times`` and ``label_ends`` (removed in 0.2).

    Returns
    -------
    train, test : ndarray of intp
        Sorted positions into ``frame`` (use ``frame.iloc[train]``).

    Raises
    ------
    InvalidParameterError
        If both or neither of ``test_start``/``test_size`` are given, or one is out of range;
        if ``times`` is missing.
    InsufficientDataError
        If either side would be empty.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"t": pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-02",
    ...                                         "2024-01-03"])})
    >>> train, test = time_train_test_split(df, times="t", test_size=0.5)
    >>> train.tolist(), test.tolist()
    ([1, 2], [0, 3])
    """
    owner = "time_train_test_split"
    times = renamed_argument("times", times, "time", time, owner=owner)
    label_ends = renamed_argument("label_ends", label_ends, "label_end", label_end, owner=owner)
    if times is None:
        raise InvalidParameterError(
            f"{owner} needs `times`: a column name of `frame` or one datetime per row."
        )
    if (test_start is None) == (test_size is None):
        raise InvalidParameterError(
            "give exactly one of `test_start` (a timestamp) and `test_size` (a fraction of "
            f"rows), got test_start={test_start!r}, test_size={test_size!r}."
        )
    gap_span = check_span(gap, "gap", minimum=0)
    if test_start is not None:
        # The raw values (a column or a Series, any rows): only their timezone matters here.
        if isinstance(times, str):  # a missing column is named by resolve_timeline below
            raw = frame.get(times) if isinstance(frame, pd.DataFrame) else None
        else:
            raw = times
        check_same_timezone(times=raw, test_start=test_start)
    tl = resolve_timeline(frame, times, label_ends)
    if test_size is not None:
        ok = isinstance(test_size, float | int | np.floating) and not isinstance(test_size, bool)
        if not ok or not 0.0 < float(test_size) < 1.0:
            raise InvalidParameterError(
                f"`test_size` must be a fraction of rows in (0, 1), got {test_size!r}; "
                "pass test_start=pd.Timestamp(...) to split at a date instead."
            )
        tl.need_unique(2, "time_train_test_split")
        first = tl.n_unique - _cut(tl.counts()[::-1], float(test_size))
    else:
        first = int(np.searchsorted(tl.unique, timestamp_ns(test_start, "test_start")))
        if first >= tl.n_unique:
            raise InsufficientDataError(
                f"no row has `times` >= test_start={test_start!r} (last time is "
                f"{pd.Timestamp(int(tl.unique[-1]))}); choose an earlier test_start."
            )
    stop, _ = train_end(tl.unique, first, gap_span)
    is_test = tl.inverse >= first
    block = Block(int(tl.unique[first]), int(tl.unique[-1]), int(tl.end[is_test].max()))
    train = purge(tl.inverse < stop, tl.time, tl.end, [block], 0)
    if train.size == 0:
        raise InsufficientDataError(
            f"no training rows remain before {pd.Timestamp(int(tl.unique[first]))} after the "
            "gap and purge; choose a later test start, a smaller gap, or check `label_ends`."
        )
    return train, np.flatnonzero(is_test)


def _cut(counts_newest_first: npt.NDArray[np.intp], share: float) -> int:
    """How many of the newest unique timestamps hold a row share nearest ``share``.

    Ties go to the smaller test set; at least one timestamp stays on each side.
    """
    cum = np.concatenate([[0], np.cumsum(counts_newest_first, dtype=np.int64)])
    target = share * float(cum[-1])
    k = int(np.searchsorted(cum, target, side="left"))
    if k > 0 and target - cum[k - 1] <= cum[k] - target:
        k -= 1
    return min(max(k, 1), counts_newest_first.size - 1)
