"""The one fold contract: ``checked_folds`` accepts leak-free folds and refuses the rest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import KFold, TimeSeriesSplit

from tr_core.errors import FoldError, InvalidParameterError, LookaheadError
from tr_core.splits import (
    CheckedFolds,
    CombinatorialPurgedKFold,
    PurgedKFold,
    WalkForward,
    checked_folds,
)

BASE = np.datetime64("2024-01-01", "ns")
DAY = np.timedelta64(1, "D")


def frame_of(days: list[int], lengths: list[int] | None = None, index=None) -> pd.DataFrame:
    t = BASE + np.array(days) * DAY
    e = t + np.array(lengths if lengths is not None else [0] * len(days)) * DAY
    return pd.DataFrame({"t": t, "e": e}, index=index)


def brute_force_meets(frame: pd.DataFrame, train, test) -> bool:
    """Whether any (train, test) pair of closed windows [t, e] intersects: O(n*m)."""
    t, e = frame["t"].to_numpy(), frame["e"].to_numpy()
    return any(t[i] <= e[j] and t[j] <= e[i] for i in train for j in test)


@st.composite
def random_frames(draw):
    n = draw(st.integers(6, 40))
    days = draw(st.lists(st.integers(0, 15), min_size=n, max_size=n))
    lengths = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    return frame_of(days, lengths)


@settings(max_examples=200, deadline=None)
@given(frame=random_frames(), seed=st.integers(0, 2**16))
def test_verdict_matches_brute_force_for_arbitrary_folds(frame, seed):
    # Random (train, test) partitions: accepted exactly when no window pair meets.
    rng = np.random.default_rng(seed)
    side = rng.integers(0, 3, len(frame))  # 0 train, 1 test, 2 unused
    train, test = np.flatnonzero(side == 0), np.flatnonzero(side == 1)
    if not train.size or not test.size:
        return
    leaks = brute_force_meets(frame, train, test)
    if leaks:
        with pytest.raises(
            FoldError, match=r"fold 0: .* training rows have (label windows|decision times)"
        ):
            checked_folds([(train, test)], frame, times="t", label_ends="e")
    else:
        folds = checked_folds([(train, test)], frame, times="t", label_ends="e")
        assert folds[0][0].tolist() == train.tolist()


@settings(max_examples=100, deadline=None)
@given(frame=random_frames())
def test_tr_core_splitters_always_pass(frame):
    if frame["t"].nunique() < 4:
        return
    cvs = [
        (PurgedKFold(3, times="t", label_ends="e"), False, True),
        (CombinatorialPurgedKFold(4, 2, times="t", label_ends="e"), False, False),
        (WalkForward(2, times="t", label_ends="e"), True, True),
    ]
    for cv, forward, disjoint in cvs:
        try:
            raw = list(cv.split(frame))
        except Exception:  # too few rows after purging: the splitter itself says so
            continue
        folds = checked_folds(cv, frame, forward=forward, disjoint_tests=disjoint)
        assert len(folds) == len(raw)
        # Measured when not required: walk-forward is forward without being asked to be.
        unasked = checked_folds(cv, frame)
        assert unasked.forward == all(
            frame["t"].iloc[tr].max() < frame["t"].iloc[te].min() for tr, te in raw
        )
        if forward:
            assert unasked.forward
        for train, test in folds:
            assert not brute_force_meets(frame, train, test)


def test_times_come_from_the_splitter_and_folds_carry_them():
    frame = frame_of(list(range(8)), [1] * 8, index=list("abcdefgh"))
    folds = checked_folds(PurgedKFold(2, times="t", label_ends="e"), frame)
    assert isinstance(folds, CheckedFolds)
    assert (folds.n_splits, folds.n_rows) == (2, 8)
    assert (folds.times[0], folds.label_ends[0]) == (BASE, BASE + DAY)
    assert list(folds.index) == list("abcdefgh")
    assert folds.tested_rows().tolist() == list(range(8))
    assert "CheckedFolds(2 folds over 8 rows" in repr(folds)
    # It works as cv= again (sklearn protocol), yielding the same folds.
    assert [t.tolist() for _, t in folds.split(frame)] == [t.tolist() for _, t in folds]
    assert folds.get_n_splits() == 2


def test_unpurged_kfold_is_refused_naming_the_fold():
    frame = frame_of(list(range(10)), [3] * 10)
    with pytest.raises(FoldError, match=r"fold 0: 3 training rows have label windows") as info:
        checked_folds(KFold(5), frame, times="t", label_ends="e")
    assert isinstance(info.value, LookaheadError)  # what callers caught before


def test_shared_timestamps_are_a_leak_without_label_ends():
    frame = frame_of([0, 0, 1, 1])
    with pytest.raises(FoldError, match="decision times meeting"):
        checked_folds([(np.array([0, 2]), np.array([1, 3]))], frame, times="t")


def test_forward_refuses_training_on_the_future():
    frame = frame_of([3, 2, 1, 0])  # sorted backwards: TimeSeriesSplit trains on the future
    backwards = checked_folds(TimeSeriesSplit(2), frame, times="t")  # fine for k-fold
    assert not backwards.forward  # ... and said: these folds train on later rows
    assert checked_folds(TimeSeriesSplit(2), frame.iloc[::-1], times="t").forward
    with pytest.raises(FoldError, match="decided at or after the first test time"):
        checked_folds(TimeSeriesSplit(2), frame, times="t", forward=True)


def test_disjoint_tests():
    frame = frame_of(list(range(6)))
    folds = [(np.array([0]), np.array([2, 3])), (np.array([0]), np.array([3, 4]))]
    checked_folds(folds, frame, times="t")
    with pytest.raises(FoldError, match=r"fold 1 tests row \[3\] \(1 row\) that an earlier fold"):
        checked_folds(folds, frame, times="t", disjoint_tests=True)


@pytest.mark.parametrize(
    ("fold", "message"),
    [
        ((np.array([0.0]), np.array([2])), "1-D array of integer positions"),
        ((np.array([[0]]), np.array([2])), "1-D array of integer positions"),
        ((np.array([0, 9]), np.array([2])), r"positions \[9\] are outside 0..5"),
        ((np.array([0, 0]), np.array([2])), r"positions \[0\] appear more than once"),
        ((np.array([], dtype=int), np.array([2])), "has no train rows"),
        ((np.array([0, 2]), np.array([2])), r"puts row \[2\] \(1 row\) in both train and test"),
        ((np.array([0]),), "is not a \\(train, test\\) pair"),
    ],
)
def test_bad_positions(fold, message):
    with pytest.raises(FoldError, match=message):
        checked_folds([fold], frame_of(list(range(6))), times="t")


def test_boolean_masks_are_positions():
    mask = np.array([True, True, False, False, False, False])
    folds = checked_folds([(mask, ~mask)], frame_of(list(range(6))), times="t")
    assert folds[0][1].tolist() == [2, 3, 4, 5]


def test_refusals_of_cv_and_times():
    frame = frame_of(list(range(6)))
    with pytest.raises(InvalidParameterError, match="an integer means an unpurged k-fold"):
        checked_folds(5, frame, times="t")
    with pytest.raises(InvalidParameterError, match="no decision times"):
        checked_folds(KFold(2), frame)
    with pytest.raises(FoldError, match="yielded no fold"):
        checked_folds([], frame, times="t")
    with pytest.raises(InvalidParameterError, match="iterable of \\(train, test\\)"):
        checked_folds(object(), frame, times="t")


def test_naive_and_aware_times_are_not_mixed():
    frame = frame_of(list(range(6)))
    aware = frame["t"].dt.tz_localize("UTC")
    with pytest.raises(Exception, match="carry a timezone"):
        checked_folds(KFold(2), frame, times=aware, label_ends=frame["e"])


def test_checked_folds_refuse_to_split_other_rows():
    # Review of issue 10: split(X) ignored X, so reused on another row set the positions
    # pointed at other rows silently.
    frame = frame_of(list(range(8)))
    folds = checked_folds(WalkForward(2, times="t"), frame)
    assert len(list(folds.split(frame))) == 2
    with pytest.raises(FoldError, match="checked on 8 rows, but `X` has 3"):
        folds.split(frame.iloc[:3])
    with pytest.raises(FoldError, match="other index labels"):
        folds.split(frame.set_axis(list("abcdefgh")))
