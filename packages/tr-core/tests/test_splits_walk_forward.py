"""WalkForward: expanding/rolling windows over unique timestamps, gap, embargo, purge."""

from __future__ import annotations

import pandas as pd
import pytest

from tr_core.errors import InsufficientDataError, InvalidParameterError
from tr_core.splits import WalkForward

DAY = pd.Timedelta("1D")


def days(*offsets: float) -> pd.Series:
    return pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(list(offsets), unit="D"))


def as_lists(cv, X):
    return [(tr.tolist(), te.tolist()) for tr, te in cv.split(X)]


def test_n_splits_expanding_like_time_series_split():
    t = days(*range(7))  # 7 timestamps, 3 splits -> test blocks of 7 // 4 = 1
    assert as_lists(WalkForward(3, times=t), t) == [
        ([0, 1, 2, 3], [4]),
        ([0, 1, 2, 3, 4], [5]),
        ([0, 1, 2, 3, 4, 5], [6]),
    ]


def test_ties_never_split_and_unsorted_rows():
    t = days(2, 0, 1, 2, 1, 0, 3, 3)
    cv = WalkForward(3, times=t)  # 4 timestamps -> 1 per block
    assert as_lists(cv, t) == [
        ([1, 5], [2, 4]),
        ([1, 2, 4, 5], [0, 3]),
        ([0, 1, 2, 3, 4, 5], [6, 7]),
    ]


def test_rolling_window_gap_and_test_size_in_timestamps():
    t = days(*range(10))
    cv = WalkForward(test_size=2, window="rolling", train_size=3, gap=1, times=t)
    assert as_lists(cv, t) == [
        ([0], [2, 3]),  # the window is cut short by the start of the data
        ([0, 1, 2], [4, 5]),
        ([2, 3, 4], [6, 7]),
        ([4, 5, 6], [8, 9]),
    ]
    assert cv.get_n_splits(t) == 4


def test_durations_for_test_size_gap_and_train_size():
    t = days(0, 1, 2, 3, 4, 7, 8, 9)  # a hole on days 5-6
    cv = WalkForward(
        test_size="3D", window="rolling", train_size=pd.Timedelta("3D"), gap=DAY, times=t
    )
    # blocks back from day 9: (6, 9] -> days 7-9; (3, 6] -> day 4; (0, 3] -> days 1-3
    # block at day 4: gap skips [day 3, day 4); train days in [0, 3) -> 0, 1, 2
    # block at day 7: gap skips day 6 (none); train in [3, 6) -> days 3, 4
    assert as_lists(cv, t) == [([0, 1, 2], [4]), ([3, 4], [5, 6, 7])]


def test_rolling_duration_window_over_a_hole_is_an_error():
    t = days(0, 1, 2, 6)
    cv = WalkForward(test_size=1, window="rolling", train_size="2D", times=t)
    with pytest.raises(InsufficientDataError, match="holds no timestamps"):
        list(cv.split(t))


def test_embargo_before_test_block():
    t = days(*range(11))  # span 10 days; embargo 0.2 -> 2 days before each test block
    cv = WalkForward(2, times=t, embargo=0.2)  # blocks of 11 // 3 = 3 timestamps
    assert as_lists(cv, t) == [([0, 1, 2], [5, 6, 7]), ([0, 1, 2, 3, 4, 5], [8, 9, 10])]


def test_label_ends_purge_training_rows_reaching_the_test_block():
    t = days(*range(6))
    e = days(0, 5, 2, 3, 4, 5)
    cv = WalkForward(2, times=t, label_ends=e)  # blocks of 6 // 3 = 2 timestamps
    # row 1's label reaches day 5: purged from both; row 2 (ends day 2) only from the first
    assert as_lists(cv, t) == [([0], [2, 3]), ([0, 2, 3], [4, 5])]


def test_too_much_gap_for_n_splits():
    t = days(*range(4))
    with pytest.raises(InsufficientDataError, match="no training timestamps"):
        list(WalkForward(3, times=t, gap=1).split(t))
    with pytest.raises(InsufficientDataError, match="smaller test_size"):
        list(WalkForward(test_size=4, times=t).split(t))
    with pytest.raises(InsufficientDataError, match="4 distinct"):
        list(WalkForward(3, times=days(0, 1, 2)).split(days(0, 1, 2)))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, "exactly one"),
        ({"n_splits": 3, "test_size": 2}, "exactly one"),
        ({"n_splits": 1}, "n_splits"),
        ({"test_size": 0}, "test_size"),
        ({"test_size": 1.5}, "test_size"),
        ({"test_size": "soon"}, "test_size"),
        ({"n_splits": 2, "window": "sliding"}, "window"),
        ({"n_splits": 2, "window": "rolling"}, "train_size"),
        ({"n_splits": 2, "train_size": 5}, "train_size"),
        ({"n_splits": 2, "window": "rolling", "train_size": "0D"}, "train_size"),
        ({"n_splits": 2, "gap": -1}, "gap"),
        ({"n_splits": 2, "gap": pd.Timedelta("-1D")}, "gap"),
        ({"n_splits": 2, "embargo": 2}, "embargo"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        WalkForward(times="t", **kwargs)


def test_get_n_splits_needs_x_when_data_dependent():
    with pytest.raises(InvalidParameterError, match="pass X"):
        WalkForward(test_size=2, times="t").get_n_splits()
    assert WalkForward(4, times="t").get_n_splits() == 4
