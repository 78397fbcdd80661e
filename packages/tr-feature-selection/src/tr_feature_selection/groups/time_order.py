"""The train/test time check: every test row strictly after every training row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tr_core.errors import LookaheadError, MissingColumnError
from tr_core.validation import as_datetime_array, check_same_timezone

__all__ = ["check_time_order"]


def check_time_order(
    train: pd.DataFrame, test: pd.DataFrame, *, time: str, label_end: str | None = None
) -> None:
    """Refuse a test frame that is not strictly later than the training frame.

    Parameters
    ----------
    train, test : DataFrame
        The two frames.
    time : str
        Decision-time column. Rows sharing a timestamp across train and test
        are a leak too (same-day information reaches both sides).
    label_end : str, optional
        When each row's outcome window closes; training rows whose window reaches
        the first test time (``label_end >= min(test time)``) are a leak as well.

    Raises
    ------
    MissingColumnError
        A named column is absent from a frame.
    LookaheadError
        Naming how many rows overlap and how to split correctly
        (:func:`tr_core.splits.time_train_test_split`).
    TimeTypeError, TimeColumnError
        Times that are not datetimes, or missing (NaT); times and label ends of
        which some carry a timezone and others do not (they cannot be compared
        without guessing the zone of the naive ones).
    """
    for where, frame in (("train", train), ("test", test)):
        for role, col in (("time", time), ("label_end", label_end)):
            if col is not None and col not in frame.columns:
                raise MissingColumnError(
                    f"`{role}`={col!r} is not a column of the {where} frame; name the right "
                    f"column, or pass {role}=None to skip the check (not recommended)."
                )
    check_same_timezone(
        **{
            f"train[{time!r}]": train[time],
            f"test[{time!r}]": test[time],
            f"train[{label_end!r}]": None if label_end is None else train[label_end],
        }
    )
    train_t = as_datetime_array(train[time], f"train[{time!r}]")
    test_t = as_datetime_array(test[time], f"test[{time!r}]")
    first_test = test_t.min()
    late = int((train_t >= first_test).sum())
    if late:
        raise LookaheadError(
            f"{late} training rows have `{time}` on or after the first test time "
            f"{pd.Timestamp(first_test)} ({int((test_t <= train_t.max()).sum())} test rows are "
            f"not after the last training time {pd.Timestamp(train_t.max())}); the test frame "
            "must lie strictly after the training frame. Split with "
            f"tr_core.splits.time_train_test_split(frame, time={time!r}, test_size=...)."
        )
    if label_end is None:
        return
    ends = as_datetime_array(train[label_end], f"train[{label_end!r}]")
    reaching = int(np.count_nonzero(ends >= first_test))
    if reaching:
        raise LookaheadError(
            f"{reaching} training rows have a label window (`{label_end}`) reaching the first "
            f"test time {pd.Timestamp(first_test)}: their outcomes overlap the test period. "
            f"Purge them with tr_core.splits.time_train_test_split(frame, time={time!r}, "
            f"test_size=..., label_end={label_end!r})."
        )
