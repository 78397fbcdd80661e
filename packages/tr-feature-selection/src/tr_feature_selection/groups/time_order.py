"""Time checks: a test frame strictly after its training frame; folds that keep apart."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import LookaheadError, MissingColumnError, describe_rows
from tr_core.validation import as_datetime_array, check_same_timezone, row_labels

__all__ = ["check_fold_separation", "check_time_order"]


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


def check_fold_separation(
    frame: pd.DataFrame,
    folds: Sequence[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]],
    *,
    time: str,
    label_end: str | None = None,
) -> None:
    """Refuse a fold whose training rows meet its test rows in time.

    Row ``i`` covers the closed window ``[time_i, label_end_i]`` (just
    ``[time_i, time_i]`` without ``label_end``). A training window that meets a
    test window means a shared timestamp or an outcome overlapping the test
    period — what tr-core's splitters purge and what a shuffled or unpurged
    splitter (e.g. scikit-learn's ``KFold``) lets through. Training rows *after*
    the test block are fine when they do not meet it (purged k-fold).

    Parameters
    ----------
    frame : DataFrame
        The rows the fold positions point into.
    folds : sequence of (train positions, test positions)
    time : str
        Decision-time column.
    label_end : str, optional
        Column with the time each outcome window closes.

    Raises
    ------
    MissingColumnError
        ``label_end`` is not a column of ``frame``.
    LookaheadError
        Naming the fold, how many training rows meet its test rows and the fix.
    TimeTypeError, TimeColumnError
        Times that are not datetimes or are missing; a timezone-aware/naive mix.

    Notes
    -----
    Two closed windows meet iff each starts no later than the other ends. With
    the test rows sorted by start and the running maximum of their ends, a
    training row ``i`` meets a test row iff, among the test rows starting at or
    before ``end_i``, the latest end is ``>= time_i`` — one binary search per
    training row.
    """
    if label_end is not None and label_end not in frame.columns:
        raise MissingColumnError(
            f"`label_end`={label_end!r} is not a column of the frame; name the right column "
            "or pass label_end=None."
        )
    ends_col = None if label_end is None else frame[label_end]
    check_same_timezone(**{f"frame[{time!r}]": frame[time], f"frame[{label_end!r}]": ends_col})
    start = as_datetime_array(frame[time], f"frame[{time!r}]")
    end = start if ends_col is None else as_datetime_array(ends_col, f"frame[{label_end!r}]")
    for k, (train_pos, test_pos) in enumerate(folds):
        order = np.argsort(start[test_pos], kind="stable")
        test_start = start[test_pos][order]
        latest_end = np.maximum.accumulate(end[test_pos][order])
        before = np.searchsorted(test_start, end[train_pos], side="right")
        meets = before > 0
        meets[meets] = latest_end[before[meets] - 1] >= start[train_pos][meets]
        count = int(np.count_nonzero(meets))
        if count:
            what = "label windows" if label_end is not None else "decision times"
            raise LookaheadError(
                f"fold {k}: {count} training rows have {what} meeting the fold's test rows "
                f"(e.g. rows {describe_rows(row_labels(frame, train_pos[meets]))}): the test "
                "score would be computed on information the model trained on. Split with a "
                "splitter that purges (tr_core.splits.WalkForward or PurgedKFold with "
                f"times={time!r}"
                + ("" if label_end is None else f", label_ends={label_end!r}")
                + "), not a shuffled or unpurged one."
            )
