"""Regression tests: splitter inputs that used to be silently misread."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import IndexAlignmentError, TimeTypeError
from tr_core.splits import (
    CombinatorialPurgedKFold,
    PurgedKFold,
    WalkForward,
    time_train_test_split,
)

DAYS = pd.Series(pd.date_range("2024-01-01", periods=8, freq="D"))


def test_series_times_are_matched_to_x_by_label() -> None:
    # Regression: times taken from the frame before it was reordered were paired with
    # the wrong rows by position, so purging used other rows' windows. Issue 10: a
    # Series is now matched by index label (same folds, as labels, as for X in order).
    frame = pd.DataFrame({"t": DAYS, "x": np.arange(8.0)})
    shuffled = frame.sample(frac=1.0, random_state=0)
    ends = frame["t"] + pd.Timedelta("12h")
    for cv in (
        PurgedKFold(2, times=frame["t"], label_ends=ends),
        CombinatorialPurgedKFold(4, 2, times=frame["t"], label_ends=ends),
        WalkForward(2, times=frame["t"]),
    ):
        ordered = [(frame.index[a].tolist(), frame.index[b].tolist()) for a, b in cv.split(frame)]
        by_label = [
            (sorted(shuffled.index[a]), sorted(shuffled.index[b])) for a, b in cv.split(shuffled)
        ]
        assert by_label == ordered
        # X as a bare array is taken in the Series' order.
        assert len(list(cv.split(frame.to_numpy()))) == cv.get_n_splits(frame)


def test_label_ends_series_with_other_labels_is_refused() -> None:
    frame = pd.DataFrame({"t": DAYS.to_numpy()}, index=np.arange(8) * 10)
    ends = pd.Series((DAYS + pd.Timedelta("1D")).to_numpy())  # default index 0..7
    with pytest.raises(IndexAlignmentError, match="`label_ends` does not describe the same rows"):
        list(PurgedKFold(2, times="t", label_ends=ends).split(frame))
    train, test = next(PurgedKFold(2, times="t", label_ends=ends.to_numpy()).split(frame))
    assert train.tolist() == [5, 6, 7]
    assert test.tolist() == [0, 1, 2, 3]


def test_timezone_aware_and_naive_times_are_not_mixed() -> None:
    # Regression: naive label ends were read as UTC next to New York decision times,
    # shifting every window by the UTC offset without a word.
    aware = DAYS.dt.tz_localize("America/New_York")
    naive_ends = DAYS + pd.Timedelta("1D")
    with pytest.raises(TimeTypeError, match="`times` carry a timezone but `label_ends`"):
        list(PurgedKFold(2, times=aware, label_ends=naive_ends).split(DAYS))
    with pytest.raises(TimeTypeError, match="`times` carry a timezone but `label_ends`"):
        time_train_test_split(DAYS, times=aware, test_size=0.5, label_ends=naive_ends)
    with pytest.raises(TimeTypeError, match="`test_start`"):
        time_train_test_split(DAYS, times=aware, test_start=pd.Timestamp("2024-01-05"))
    with pytest.raises(TimeTypeError, match="`test_start`"):
        time_train_test_split(
            DAYS, times=DAYS, test_start=pd.Timestamp("2024-01-05", tz="America/New_York")
        )
    # Both aware (in any zones) is fine and equals the UTC-naive split.
    aware_ends = naive_ends.dt.tz_localize("Asia/Tokyo")
    got = list(PurgedKFold(2, times=aware, label_ends=aware_ends).split(DAYS))
    utc = list(
        PurgedKFold(
            2,
            times=aware.dt.tz_convert("UTC").dt.tz_localize(None),
            label_ends=aware_ends.dt.tz_convert("UTC").dt.tz_localize(None),
        ).split(DAYS)
    )
    assert [(a.tolist(), b.tolist()) for a, b in got] == [(a.tolist(), b.tolist()) for a, b in utc]
