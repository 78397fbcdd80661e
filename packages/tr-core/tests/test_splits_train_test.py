"""time_train_test_split: by date or by fraction, gap, purge, never splitting a timestamp."""

from __future__ import annotations

import pandas as pd
import pytest

from tr_core.errors import InsufficientDataError, InvalidParameterError, MissingColumnError
from tr_core.splits import time_train_test_split


def days(*offsets: float) -> pd.Series:
    return pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(list(offsets), unit="D"))


def lists(pair):
    return pair[0].tolist(), pair[1].tolist()


def test_fraction_picks_nearest_whole_timestamp():
    df = pd.DataFrame({"t": days(4, 0, 1, 2, 3, 4, 4, 3)})
    # 8 rows, 25% -> 2 rows; the last day has 3 rows, the nearest cut is day 4 alone
    assert lists(time_train_test_split(df, times="t", test_size=0.25)) == (
        [1, 2, 3, 4, 7],
        [0, 5, 6],
    )


def test_test_start_gap_and_label_end_purge():
    t = days(0, 1, 2, 3, 4, 5)
    e = days(1, 1, 3, 3, 4, 5)
    train, test = time_train_test_split(
        t, times=t, test_start=pd.Timestamp("2024-01-05"), gap=1, label_ends=e
    )
    # test = days 4-5; gap skips day 3; row 2 ends on day 3 < day 4: kept
    assert (train.tolist(), test.tolist()) == ([0, 1, 2], [4, 5])
    e2 = days(1, 1, 4, 3, 4, 5)  # row 2's label now reaches day 4
    assert lists(
        time_train_test_split(t, times=t, test_start=pd.Timestamp("2024-01-05"), label_ends=e2)
    ) == ([0, 1, 3], [4, 5])
    assert lists(time_train_test_split(t, times=t, test_size=0.5, gap=pd.Timedelta("2D"))) == (
        [0],
        [3, 4, 5],
    )


def test_errors():
    t = days(0, 1, 2)
    with pytest.raises(InvalidParameterError, match="exactly one"):
        time_train_test_split(t, times=t)
    with pytest.raises(InvalidParameterError, match="test_size"):
        time_train_test_split(t, times=t, test_size=1.0)
    with pytest.raises(InvalidParameterError, match="test_start"):
        time_train_test_split(t, times=t, test_start="2024-01-02")
    with pytest.raises(InsufficientDataError, match="earlier test_start"):
        time_train_test_split(t, times=t, test_start=pd.Timestamp("2025-01-01"))
    with pytest.raises(InsufficientDataError, match="no training rows"):
        time_train_test_split(t, times=t, test_start=pd.Timestamp("2024-01-01"))
    with pytest.raises(InsufficientDataError, match="at least 2"):
        time_train_test_split(days(0, 0), times=days(0, 0), test_size=0.5)


def test_old_spellings_are_deprecated_aliases() -> None:
    frame = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=6), "e": pd.NaT})
    frame["e"] = frame["t"] + pd.Timedelta("1D")
    new = time_train_test_split(frame, times="t", test_size=0.5, label_ends="e")
    with pytest.warns(FutureWarning, match="`time` is deprecated"):
        old = time_train_test_split(frame, time="t", test_size=0.5, label_end="e")
    assert [a.tolist() for a in old] == [a.tolist() for a in new]
    with pytest.raises(InvalidParameterError, match="needs `times`"):
        time_train_test_split(frame, test_size=0.5)


def test_test_start_with_times_covering_more_rows() -> None:
    # Review of issue 10: with test_start the timezone check paired times with frame by
    # length, so a times Series covering more rows (a subset frame) was refused.
    full = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=10, tz="UTC")})
    subset = full.iloc[2:]
    train, test = time_train_test_split(
        subset, times=full["t"], test_start=pd.Timestamp("2024-01-07", tz="UTC")
    )
    assert (train.tolist(), test.tolist()) == ([0, 1, 2, 3], [4, 5, 6, 7])
    with pytest.raises(MissingColumnError, match="`times`='nope'"):
        time_train_test_split(subset, times="nope", test_start=pd.Timestamp("2024-01-07"))
