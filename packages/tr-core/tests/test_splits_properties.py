"""Property tests: every splitter against a brute-force pairwise reference.

Random data has 1-60 rows on a few days (so timestamps repeat), label windows of
random length (0 to 30 six-hour steps), rows in random order and a random embargo.
The reference checks every (train row, test row) pair of closed intervals
``[time, label_end]`` — O(n·m), no cleverness — and the embargo window
``(t_hi, t_hi + h]`` after each maximal run of test timestamps, with
``h = floor(embargo * (max(time) - min(time)))``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tr_core.errors import InsufficientDataError
from tr_core.splits import (
    CombinatorialPurgedKFold,
    PurgedKFold,
    WalkForward,
    time_train_test_split,
)

EXAMPLES = settings(max_examples=500, deadline=None)
BASE = np.datetime64("2024-01-01T00:00", "ns")
STEP = np.timedelta64(6, "h")


def durations(lo: int, hi: int) -> st.SearchStrategy[pd.Timedelta]:
    """Whole-day durations."""
    return st.sampled_from([pd.Timedelta(days=d) for d in range(lo, hi + 1)])


@st.composite
def events(draw, min_unique: int = 1):
    """Times (ns int64 and datetime Series) and label ends of a random set of rows."""
    n = draw(st.integers(min_unique, 60))
    slots = draw(st.lists(st.integers(0, 24), min_size=n, max_size=n))
    lengths = draw(st.lists(st.integers(0, 30), min_size=n, max_size=n))
    t = BASE + np.array(slots) * STEP * 4  # whole days
    e = t + np.array(lengths) * STEP
    return pd.Series(t), pd.Series(e)


def ns(s: pd.Series) -> np.ndarray:
    return s.to_numpy().astype("datetime64[ns]").view(np.int64)


def embargo_ns(t: np.ndarray, embargo: float) -> int:
    return int(np.floor(embargo * float(t.max() - t.min())))


def block_ends(t: np.ndarray, test: np.ndarray) -> list[int]:
    """Last time of each maximal run of consecutive unique timestamps in the test set."""
    u = np.unique(t)
    tested = np.isin(u, t[test])
    return [
        int(u[k]) for k in range(u.size) if tested[k] and (k + 1 == u.size or not tested[k + 1])
    ]


def reference_train(t, e, test, candidates, h) -> np.ndarray:
    """Candidates whose window meets no test window and that no embargo covers."""
    cand = np.asarray(sorted(set(candidates) - set(test.tolist())), dtype=np.intp)
    if cand.size == 0:
        return cand
    meets = (t[cand, None] <= e[None, test]) & (t[None, test] <= e[cand, None])
    ok = ~meets.any(axis=1)
    for hi in block_ends(t, test):
        ok &= ~((t[cand] > hi) & (t[cand] <= hi + h))
    return cand[ok]


def check_ties_and_partition(t, tests, n_rows, times_tested=1):
    counts = np.zeros(n_rows, dtype=int)
    for test in tests:
        assert np.all(np.diff(test) > 0)
        counts[test] += 1
        inside = np.isin(t, t[test])
        assert np.array_equal(np.flatnonzero(inside), test)  # ties never split
    assert np.all(counts == times_tested)


def run_against_reference(make, t_s, e_s, candidates_of, h):
    """Compare ``make(e, embargo)`` with the reference.

    The test sets come from zero-length windows without embargo (they do not depend
    on either); the reference then decides which training rows survive.
    """
    t, e = ns(t_s), ns(e_s)
    tests = [test for _, test in make(t_s, 0.0).split(t_s)]
    expected = [reference_train(t, e, test, candidates_of(test), h) for test in tests]
    cv = make(e_s, None)
    if any(train.size == 0 for train in expected):
        with pytest.raises(InsufficientDataError, match="no training rows"):
            list(cv.split(t_s))
        return tests
    got = list(cv.split(t_s))
    assert len(got) == len(tests) == cv.get_n_splits(t_s)
    for (train, test), want_test, want_train in zip(got, tests, expected, strict=True):
        assert train.dtype == np.intp
        assert test.dtype == np.intp
        assert np.array_equal(test, want_test)
        assert np.array_equal(train, want_train)
    again = list(cv.split(t_s))  # deterministic
    assert all(
        np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
        for a, b in zip(got, again, strict=True)
    )
    return tests


@EXAMPLES
@given(data=events(), k=st.integers(2, 6), embargo=st.floats(0.0, 0.3))
def test_purged_kfold_matches_pairwise_reference(data, k, embargo):
    t_s, e_s = data
    t = ns(t_s)
    if np.unique(t).size < k:
        with pytest.raises(InsufficientDataError):
            list(PurgedKFold(k, times=t_s, label_ends=e_s).split(t_s))
        return
    h = embargo_ns(t, embargo)
    all_rows = range(t.size)
    tests = run_against_reference(
        lambda e, emb: PurgedKFold(
            k, times=t_s, label_ends=e, embargo=embargo if emb is None else emb
        ),
        t_s,
        e_s,
        lambda test: all_rows,
        h,
    )
    check_ties_and_partition(t, tests, t.size)
    assert len(tests) == k
    for earlier, later in itertools.pairwise(tests):
        assert t[earlier].max() < t[later].min()  # contiguous folds in time order


@EXAMPLES
@given(
    data=events(),
    n_k=st.integers(2, 6).flatmap(lambda n: st.tuples(st.just(n), st.integers(1, n - 1))),
    embargo=st.floats(0.0, 0.3),
)
def test_combinatorial_matches_pairwise_reference_and_paths(data, n_k, embargo):
    t_s, e_s = data
    n_groups, k = n_k
    t = ns(t_s)
    if np.unique(t).size < n_groups:
        with pytest.raises(InsufficientDataError):
            list(CombinatorialPurgedKFold(n_groups, k, times=t_s, label_ends=e_s).split(t_s))
        return
    h = embargo_ns(t, embargo)
    all_rows = range(t.size)

    def make(e, emb=None):
        emb = embargo if emb is None else emb
        return CombinatorialPurgedKFold(n_groups, k, times=t_s, label_ends=e, embargo=emb)

    tests = run_against_reference(make, t_s, e_s, lambda test: all_rows, h)
    cv = make(e_s)
    paths = cv.backtest_paths()
    check_ties_and_partition(t, tests, t.size, times_tested=paths.shape[0])
    groups = cv.row_groups(t_s)
    for p in range(paths.shape[0]):  # every path predicts every row exactly once
        covered = np.zeros(t.size, dtype=int)
        for g in range(n_groups):
            rows = np.flatnonzero(groups == g)
            assert np.isin(rows, tests[paths[p, g]]).all()
            covered[rows] += 1
        assert np.all(covered == 1)


def walk_forward_reference(t, test, gap, train_size, h):
    """Rows allowed by gap, pre-test embargo and rolling window (before any purge)."""
    u = np.unique(t)
    t_lo = int(t[test].min())
    before = u[u < t_lo]
    if isinstance(gap, int):
        kept = before[: before.size - gap]
        stop = int(before[before.size - gap]) if gap else t_lo
    else:
        stop = t_lo - gap.value
        kept = before[before < stop]
    stop = min(stop, t_lo - h)  # the embargo [t_lo - h, t_lo)
    kept = kept[kept < stop]
    if isinstance(train_size, int):
        kept = kept[-train_size:]
    elif train_size is not None:
        kept = kept[kept >= stop - train_size.value]
    return np.flatnonzero(np.isin(t, kept))


@EXAMPLES
@given(
    data=events(),
    n_splits=st.one_of(st.none(), st.integers(2, 5)),
    test_size=st.one_of(st.integers(1, 6), durations(1, 6)),
    train_size=st.one_of(st.none(), st.integers(1, 8), durations(1, 8)),
    gap=st.one_of(st.integers(0, 3), durations(0, 3)),
    embargo=st.floats(0.0, 0.3),
)
def test_walk_forward_matches_reference(data, n_splits, test_size, train_size, gap, embargo):
    t_s, e_s = data
    t = ns(t_s)
    size = None if n_splits is not None else test_size
    window = "expanding" if train_size is None else "rolling"

    def make(e, _emb=None):  # the pre-test embargo can remove whole splits: always apply it
        return WalkForward(
            n_splits,
            times=t_s,
            test_size=size,
            window=window,
            train_size=train_size,
            gap=gap,
            embargo=embargo,
            label_ends=e,
        )

    try:
        plain = list(make(None).split(t_s))
    except InsufficientDataError:
        return  # checked by the example tests; nothing to compare here
    h = embargo_ns(t, embargo)
    tests = [test for _, test in plain]
    for (train, test), earlier in zip(plain, [None, *tests], strict=False):
        assert np.array_equal(train, walk_forward_reference(t, test, gap, train_size, h))
        assert t[train].max() < t[test].min()
        u_test = np.unique(t[test])
        u = np.unique(t)
        lo = np.searchsorted(u, u_test[0])
        assert np.array_equal(u_test, u[lo : lo + u_test.size])  # consecutive timestamps
        if earlier is not None:
            assert t[earlier].max() < t[test].min()
    tested = np.concatenate(tests)
    assert np.unique(tested).size == tested.size
    if isinstance(size, int) or n_splits is not None:
        u = np.unique(t)
        s = size if n_splits is None else u.size // (n_splits + 1)
        assert all(np.unique(t[test]).size == s for test in tests)
        assert t[tested].max() == t.max()
    run_against_reference(
        make,
        t_s,
        e_s,
        lambda test: walk_forward_reference(t, test, gap, train_size, h),
        0,
    )


@EXAMPLES
@given(
    data=events(min_unique=2),
    test_size=st.floats(0.01, 0.99),
    gap=st.one_of(st.integers(0, 2), durations(0, 2)),
)
def test_time_train_test_split_matches_reference(data, test_size, gap):
    t_s, e_s = data
    t, e = ns(t_s), ns(e_s)
    if np.unique(t).size < 2:
        return
    try:
        plain_train, test = time_train_test_split(t_s, times=t_s, test_size=test_size, gap=gap)
    except InsufficientDataError:
        assert np.unique(t).size > 1
        return
    assert t[plain_train].max() < t[test].min()
    assert np.array_equal(np.flatnonzero(t >= t[test].min()), test)
    assert np.array_equal(plain_train, walk_forward_reference(t, test, gap, None, 0))
    expected = reference_train(t, e, test, plain_train, 0)
    if expected.size == 0:
        with pytest.raises(InsufficientDataError):
            time_train_test_split(t_s, times=t_s, test_size=test_size, gap=gap, label_ends=e_s)
        return
    train, test2 = time_train_test_split(
        t_s, times=t_s, test_size=test_size, gap=gap, label_ends=e_s
    )
    assert np.array_equal(test2, test)
    assert np.array_equal(train, expected)
