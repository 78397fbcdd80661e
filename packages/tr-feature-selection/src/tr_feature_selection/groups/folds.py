"""Folds of feature-group analysis, checked by tr-core's one fold contract.

Both entry points hand their folds to :func:`tr_core.splits.checked_folds`, so
feature groups refuse exactly what every other part of the toolkit refuses
(positions outside the frame, a row on both sides, a training label window
meeting a test window, a timestamp split between the sides) with the same error,
:class:`~tr_core.errors.FoldError`:

* :meth:`FeatureGroupAnalyzer.test_feature_groups` takes an explicit train/test
  pair: it is checked as **one forward fold** (every training row decided
  strictly before the first test time, and no training label window reaching it);
* :meth:`FeatureGroupAnalyzer.cross_validate_groups` checks its splitter's folds
  (not forward: purged k-fold trains on rows after the test block on purpose).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tr_core.errors import FoldError, MissingColumnError
from tr_core.splits import CheckedFolds, checked_folds
from tr_core.validation import as_datetime_array, check_same_timezone

__all__ = ["check_train_test_pair", "group_folds"]


def check_train_test_pair(
    train: pd.DataFrame, test: pd.DataFrame, *, times: str, label_ends: str | None = None
) -> CheckedFolds:
    """Check that ``test`` lies strictly after ``train``, as one forward fold.

    Parameters
    ----------
    train, test : DataFrame
        The two frames.
    times : str
        Decision-time column of both frames.
    label_ends : str, optional
        Column with the time each outcome window closes, read from ``train`` only:
        in a forward fold a test window can never meet a training window that does not
        already reach the first test time, so the test rows' windows are their times
        (and a test row's unknown label end is not an error).

    Returns
    -------
    CheckedFolds
        The single fold: positions ``0..len(train)-1`` and the test rows after them.

    Raises
    ------
    MissingColumnError
        A named column is absent from a frame.
    FoldError
        A training row decided at or after the first test time (rows sharing a
        timestamp across the two are a leak too), or a training label window
        reaching it; naming the rows and the fix.
    TimeTypeError, TimeColumnError
        Times that are not datetimes, or missing (NaT); times and label ends of
        which some carry a timezone and others do not.
    """
    skip = ", or pass times=None to skip the check (not recommended)"
    for where, frame in (("train", train), ("test", test)):
        _require(frame, times, "times", where, skip)
    if label_ends is not None:
        _require(train, label_ends, "label_ends", "train")
    # The two frames are compared with each other: all naive or all aware.
    check_same_timezone(
        **{
            f"train[{times!r}]": train[times],
            f"test[{times!r}]": test[times],
            f"train[{label_ends!r}]": None if label_ends is None else train[label_ends],
        }
    )
    start = np.concatenate(
        [
            as_datetime_array(train[times], f"train[{times!r}]"),
            as_datetime_array(test[times], f"test[{times!r}]"),
        ]
    )
    end = None
    if label_ends is not None:
        end = np.concatenate(
            [
                as_datetime_array(train[label_ends], f"train[{label_ends!r}]"),
                start[len(train) :],
            ]
        )
    rows = pd.DataFrame(index=train.index.append(test.index))
    fold = (np.arange(len(train)), np.arange(len(train), len(rows)))
    try:
        return checked_folds([fold], rows, times=start, label_ends=end, forward=True)
    except FoldError as exc:
        raise FoldError(
            f"the `test` frame must lie strictly after the `train` frame in `times`={times!r}"
            + ("" if label_ends is None else f" and `label_ends`={label_ends!r}")
            + f" (checked as one forward fold): {exc} Split with "
            "tr_core.splits.time_train_test_split, which purges the training rows whose "
            "label windows reach the test period."
        ) from exc


def group_folds(
    cv: Any, frame: pd.DataFrame, *, times: str | None, label_ends: str | None
) -> CheckedFolds:
    """The folds of ``cv`` on ``frame``, checked once.

    Parameters
    ----------
    cv : splitter or iterable of (train, test)
        E.g. :class:`tr_core.splits.WalkForward` or :class:`~tr_core.splits.PurgedKFold`.
    frame : DataFrame
        The rows the folds point into.
    times : str or None
        Decision-time column; None takes the splitter's own ``times`` (tr-core's
        splitters carry them) — a splitter without them is refused.
    label_ends : str or None
        Label-end column; None takes the splitter's ``label_ends`` when it has them
        (a stricter check than zero-length windows), else windows ``[time, time]``.

    Returns
    -------
    CheckedFolds

    Raises
    ------
    MissingColumnError
        ``times`` or ``label_ends`` is not a column of ``frame``.
    FoldError, InvalidParameterError
        See :func:`tr_core.splits.checked_folds`.
    """
    for name, column in (("times", times), ("label_ends", label_ends)):
        if column is not None:
            _require(frame, column, name, "", " (None takes the splitter's own)")
    # checked_folds takes times and label ends the caller leaves out from the splitter.
    return checked_folds(cv, frame, times=times, label_ends=label_ends)


def _require(frame: pd.DataFrame, column: str, name: str, where: str, hint: str = "") -> None:
    if column not in frame.columns:
        side = f"the {where} frame" if where else "the frame"
        raise MissingColumnError(
            f"`{name}`={column!r} is not a column of {side} (it has "
            f"{list(frame.columns)[:20]}); name the right column{hint}."
        )
