"""CombinatorialPurgedKFold: all C(N, k) splits, block-wise purge, backtest path mapping."""

from __future__ import annotations

from math import comb

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import InsufficientDataError, InvalidParameterError, SizeLimitError
from tr_core.splits import CombinatorialPurgedKFold
from tr_core.splits.combinatorial import MAX_COMBINATIONS

DAY = pd.Timedelta("1D")


def days(*offsets: float) -> pd.Series:
    return pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(list(offsets), unit="D"))


def test_non_adjacent_test_groups_are_purged_as_separate_blocks():
    # 9 days, 3 groups of 3 days; labels last one day. The split testing groups 0
    # and 2 keeps only day 4 of group 1: day 3 starts inside block 1's windows
    # (which reach day 3) and day 5's label reaches block 2 (day 6). Purging the
    # span [day 0, day 9] as one block would leave no training row at all.
    t = days(*range(9))
    cv = CombinatorialPurgedKFold(3, 2, times=t, label_ends=t + DAY)
    splits = [(tr.tolist(), te.tolist()) for tr, te in cv.split(t)]
    assert cv.test_groups() == [(0, 1), (0, 2), (1, 2)]
    assert splits == [
        ([7, 8], [0, 1, 2, 3, 4, 5]),  # block days 0-5 ends on day 6 -> row 6 purged
        ([4], [0, 1, 2, 6, 7, 8]),
        ([0, 1], [3, 4, 5, 6, 7, 8]),  # row 2 ends on day 3 -> purged
    ]
    t6 = days(*range(6))  # 2 days per group: nothing survives between the blocks
    with pytest.raises(InsufficientDataError, match="split 1 of"):
        list(CombinatorialPurgedKFold(3, 2, times=t6, label_ends=t6 + DAY).split(t6))


def test_training_rows_between_blocks_kept_when_windows_do_not_reach():
    t = days(*range(9))
    cv = CombinatorialPurgedKFold(3, 2, times=t, label_ends=t)
    train, test = list(cv.split(t))[1]
    assert test.tolist() == [0, 1, 2, 6, 7, 8]
    assert train.tolist() == [3, 4, 5]


def test_embargo_after_each_block():
    t = days(*range(9))  # span 8 days, embargo 0.125 -> 1 day
    cv = CombinatorialPurgedKFold(3, 2, times=t, label_ends=t, embargo=0.125)
    train, test = list(cv.split(t))[1]
    assert test.tolist() == [0, 1, 2, 6, 7, 8]
    assert train.tolist() == [4, 5]  # day 3 embargoed after block 0-2; nothing after day 8


def test_backtest_paths_afml_n6_k2():
    cv = CombinatorialPurgedKFold(6, 2, times="t", label_ends="t")
    paths = cv.backtest_paths()
    assert cv.get_n_splits() == 15
    assert cv.get_n_paths() == 5 == paths.shape[0]
    # Group 0 is tested by splits 0..4 ((0,1)...(0,5)); group 1 by (0,1),(1,2),...,(1,5).
    assert paths[:, 0].tolist() == [0, 1, 2, 3, 4]
    assert paths[:, 1].tolist() == [0, 5, 6, 7, 8]
    assert paths[0].tolist() == [0, 0, 1, 2, 3, 4]  # AFML fig. 12.2: path 1 = S1,S1,S2,...


@pytest.mark.parametrize(("n", "k"), [(2, 1), (4, 2), (5, 3), (6, 2), (7, 4)])
def test_backtest_paths_cover_each_split_k_times(n, k):
    cv = CombinatorialPurgedKFold(n, k, times="t", label_ends="t")
    paths = cv.backtest_paths()
    groups = cv.test_groups()
    assert paths.shape == (k * comb(n, k) // n, n)
    assert np.bincount(paths.ravel(), minlength=len(groups)).tolist() == [k] * len(groups)
    for p in range(paths.shape[0]):
        for g in range(n):
            assert g in groups[paths[p, g]]
    for g in range(n):  # each column: every split that tests g, once
        assert sorted(paths[:, g].tolist()) == [s for s, c in enumerate(groups) if g in c]


def test_row_groups_place_predictions_on_paths():
    t = days(3, 0, 1, 2, 5, 4)
    cv = CombinatorialPurgedKFold(3, 1, times=t, label_ends=t)
    assert cv.row_groups(t).tolist() == [1, 0, 0, 1, 2, 2]
    assert cv.backtest_paths().tolist() == [[0, 1, 2]]


def test_errors():
    t = days(0, 1)
    with pytest.raises(InvalidParameterError, match="n_test_groups"):
        CombinatorialPurgedKFold(3, 3, times=t, label_ends=t)
    with pytest.raises(InvalidParameterError, match="n_test_groups"):
        CombinatorialPurgedKFold(3, 0, times=t, label_ends=t)
    with pytest.raises(InvalidParameterError, match="n_groups"):
        CombinatorialPurgedKFold(1, 1, times=t, label_ends=t)
    with pytest.raises(InsufficientDataError, match="n_groups=3"):
        list(CombinatorialPurgedKFold(3, 1, times=t, label_ends=t).split(t))
    with pytest.raises(InsufficientDataError, match="n_groups=3"):
        CombinatorialPurgedKFold(3, 1, times=t, label_ends=t).row_groups(t)


def _paths_by_loop(cv: CombinatorialPurgedKFold) -> np.ndarray:
    """The path table filled one (split, group) at a time, in split order."""
    paths = np.empty((cv.get_n_paths(), cv.n_groups), dtype=np.intp)
    filled = [0] * cv.n_groups
    for s, groups in enumerate(cv.test_groups()):
        for g in groups:
            paths[filled[g], g] = s
            filled[g] += 1
    return paths


@pytest.mark.parametrize(("n", "k"), [(n, k) for n in range(2, 10) for k in range(1, n)])
def test_backtest_paths_columns_in_split_order(n, k):
    cv = CombinatorialPurgedKFold(n, k, times="t", label_ends="t")
    np.testing.assert_array_equal(cv.backtest_paths(), _paths_by_loop(cv))


def test_too_many_combinations_refused_before_allocating():
    # C(30, 15) = 155,117,520 splits: the path table alone would be 18 GB (MemoryError).
    t = days(*range(40))
    cv = CombinatorialPurgedKFold(30, 15, times=t, label_ends=t)
    message = r"n_groups=30, n_test_groups=15\) has C\(30, 15\) splits: 155,117,520 .*1,000,000"
    with pytest.raises(SizeLimitError, match=message):
        cv.backtest_paths()
    with pytest.raises(SizeLimitError, match=message):
        cv.test_groups()
    with pytest.raises(SizeLimitError, match=message):
        next(cv.split(t))
    # Counting is arithmetic, not enumeration: still answered.
    assert cv.get_n_splits() == comb(30, 15)
    assert cv.get_n_paths() == comb(29, 14)
    assert MAX_COMBINATIONS == 1_000_000
    # Just under the limit: C(20, 10) = 184,756 splits are enumerated.
    assert CombinatorialPurgedKFold(20, 10, times=t, label_ends=t).backtest_paths().shape == (
        comb(19, 9),
        20,
    )
