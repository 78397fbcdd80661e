"""PurgedKFold: hand-computed folds, purge from the first test start, embargo, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    LabelWindowError,
    LengthMismatchError,
    MissingColumnError,
    TimeTypeError,
)
from tr_core.splits import PurgedKFold

DAY = pd.Timedelta("1D")


def days(*offsets: float) -> pd.Series:
    return pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(list(offsets), unit="D"))


def as_lists(cv, X):
    return [(tr.tolist(), te.tolist()) for tr, te in cv.split(X)]


def test_three_folds_one_day_labels_by_hand():
    t = days(0, 1, 2, 3, 4, 5)
    cv = PurgedKFold(3, times=t, label_ends=t + DAY)
    # fold 0 tests days 0-1 whose labels reach day 2 -> row 2 purged;
    # fold 1 tests days 2-3: row 1 (ends day 2) and row 4 (starts day 4 <= day 4) purged.
    assert as_lists(cv, t) == [
        ([3, 4, 5], [0, 1]),
        ([0, 5], [2, 3]),
        ([0, 1, 2], [4, 5]),
    ]


def test_purge_starts_at_first_test_start_not_its_end():
    # Fold 1 tests days 2 and 3; its first row's window is [day 2, day 5]. Row 1's
    # window [day 1, day 2] touches it and must go, although it ends before day 5
    # (starting the purge at the first test row's *end* would keep row 1).
    t = days(0, 1, 2, 3)
    e = days(0, 2, 5, 3)
    assert as_lists(PurgedKFold(2, times=t, label_ends=e), t) == [
        ([3], [0, 1]),  # row 2 starts on day 2 <= max test end (day 2): purged
        ([0], [2, 3]),
    ]


def test_embargo_fraction_of_timeline_by_hand():
    # span = 10 days, embargo 0.2 -> h = 2 days: after a test block ending on day t_hi,
    # rows with t_hi < time <= t_hi + 2 days are dropped.
    t = days(*range(11))
    cv = PurgedKFold(2, times=t, label_ends=t, embargo=0.2)
    (tr0, te0), (tr1, te1) = cv.split(t)
    assert te0.tolist() == [0, 1, 2, 3, 4]  # 11 rows: 5.5 per fold, ties go to the earlier cut
    assert tr0.tolist() == [7, 8, 9, 10]  # days 5 and 6 embargoed
    assert te1.tolist() == [5, 6, 7, 8, 9, 10]
    assert tr1.tolist() == [0, 1, 2, 3, 4]  # nothing follows the last block


def test_unsorted_rows_and_ties_stay_together():
    t = days(3, 0, 3, 1, 2, 0, 1, 2)
    cv = PurgedKFold(2, times=t, label_ends=t)
    (tr0, te0), (tr1, te1) = cv.split(t)
    assert te0.tolist() == [1, 3, 5, 6]  # days 0 and 1
    assert te1.tolist() == [0, 2, 4, 7]  # days 2 and 3
    assert tr0.tolist() == te1.tolist()
    assert tr1.tolist() == te0.tolist()
    assert tr0.dtype == np.intp


def test_folds_balanced_by_rows_not_timestamps():
    # 6 rows on day 0, then one row per day 1..6: two folds of 6 rows each.
    t = days(*([0] * 6), 1, 2, 3, 4, 5, 6)
    folds = [te.tolist() for _, te in PurgedKFold(2, times=t, label_ends=t).split(t)]
    assert folds == [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]


def test_column_names_of_x_and_series_index_in_errors():
    df = pd.DataFrame({"t": days(0, 1, 2, 3), "end": days(0, 1, 2, 3), "x": [1.0, 2, 3, 4]})
    cv = PurgedKFold(2, times="t", label_ends="end")
    assert [te.tolist() for _, te in cv.split(df)] == [[0, 1], [2, 3]]
    bad = df.assign(end=days(0, 0.5, 1, 3)).set_axis(["a", "b", "c", "d"])
    with pytest.raises(LabelWindowError, match=r"label_ends.*rows \['b', 'c'\]"):
        list(cv.split(bad))


def test_missing_column_and_length_mismatch():
    t = days(0, 1, 2, 3)
    with pytest.raises(MissingColumnError, match="times"):
        list(PurgedKFold(2, times="when", label_ends=t).split(pd.DataFrame({"x": range(4)})))
    with pytest.raises(LengthMismatchError):
        list(PurgedKFold(2, times=t, label_ends=t).split(np.zeros((5, 1))))
    with pytest.raises(TimeTypeError, match="times"):
        list(PurgedKFold(2, times=np.arange(4), label_ends=t).split(t))


def test_too_few_timestamps_for_folds():
    t = days(0, 0, 1, 1)
    with pytest.raises(InsufficientDataError, match="3 distinct timestamps"):
        list(PurgedKFold(3, times=t, label_ends=t).split(t))


def test_empty_training_set_after_purge_is_an_error():
    t = days(0, 1, 2, 3)
    e = days(10, 10, 10, 10)
    with pytest.raises(InsufficientDataError, match="no training rows"):
        list(PurgedKFold(2, times=t, label_ends=e).split(t))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_splits": 1}, "n_splits"),
        ({"n_splits": 2.5}, "n_splits"),
        ({"n_splits": True}, "n_splits"),
        ({"embargo": 1.0}, "embargo"),
        ({"embargo": -0.1}, "embargo"),
        ({"embargo": "1%"}, "embargo"),
    ],
)
def test_bad_parameters(kwargs, match):
    t = days(0, 1, 2)
    with pytest.raises(InvalidParameterError, match=match):
        PurgedKFold(times=t, label_ends=t, **kwargs)


def test_does_not_mutate_inputs_and_is_deterministic():
    t = days(2, 0, 1, 3, 1)
    e = t + DAY
    df = pd.DataFrame({"t": t, "e": e})
    before = df.copy()
    cv = PurgedKFold(2, times="t", label_ends="e", embargo=0.1)
    first = as_lists(cv, df)
    assert first == as_lists(cv, df)
    pd.testing.assert_frame_equal(df, before)


def test_timezone_aware_times_compare_in_utc():
    t = pd.Series(pd.date_range("2024-01-01", periods=4, freq="D", tz="US/Eastern"))
    e = (t + pd.Timedelta("1D")).dt.tz_convert("Asia/Tokyo")
    cv = PurgedKFold(2, times=t, label_ends=e)
    assert as_lists(cv, t) == [([3], [0, 1]), ([0], [2, 3])]
