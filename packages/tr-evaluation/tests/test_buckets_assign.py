"""Bucket assignment: equals qcut without ties, ties share a bucket, groups are cross-sections."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tr_core.errors import InvalidParameterError, LengthMismatchError, NonFiniteError
from tr_evaluation.buckets import assign_buckets

distinct_ints = st.lists(st.integers(-(10**6), 10**6), min_size=2, max_size=300, unique=True)


def exact_qcut(scores: np.ndarray, n_buckets: int) -> np.ndarray:
    """``pd.qcut(scores, n, labels=False)`` of tie-free data in exact integer arithmetic.

    qcut's k-th edge is the linear-interpolation quantile at sorted position
    ``h_k = (N - 1) k / n``; intervals are right-closed, so the row at sorted position
    ``r`` falls in bucket ``#{k in 1..n-1 : h_k < r}``, i.e. ``(N - 1) k < r n``.
    """
    n_obs = scores.size
    rank = np.empty(n_obs, dtype=np.int64)
    rank[np.argsort(scores)] = np.arange(n_obs)
    k = np.arange(1, n_buckets)
    return ((n_obs - 1) * k[None, :] < rank[:, None] * n_buckets).sum(axis=1)


def edges_on_data(n_obs: int, n_buckets: int) -> bool:
    """Whether some qcut edge lands exactly on a data point (its float value then decides)."""
    return any((n_obs - 1) * k % n_buckets == 0 for k in range(1, n_buckets))


@given(values=distinct_ints, n_buckets=st.integers(2, 25))
def test_equals_qcut_without_ties(values: list[int], n_buckets: int) -> None:
    scores = np.array(values, dtype=float) / 7.0
    got = assign_buckets(scores, n_buckets)
    np.testing.assert_array_equal(got, exact_qcut(scores, n_buckets))
    # Where an edge sits exactly on a data point, qcut's answer depends on the rounding of
    # its interpolated quantile, which differs between pandas/numpy versions (pandas 2.1
    # and 3.x disagree on [0, 1, -1, 2, -2, 3, -3, 4] / 7 with 7 buckets); elsewhere it is exact.
    if not edges_on_data(scores.size, n_buckets):
        np.testing.assert_array_equal(got, pd.qcut(scores, n_buckets, labels=False))


def test_exact_reference_matches_qcut_on_a_hand_example() -> None:
    scores = np.array([0.5, 0.1, 0.9, 0.3, 0.7, 0.2])
    assert exact_qcut(scores, 3).tolist() == [1, 0, 2, 1, 2, 0]
    assert pd.qcut(scores, 3, labels=False).tolist() == [1, 0, 2, 1, 2, 0]


@given(
    values=st.lists(st.integers(0, 8), min_size=1, max_size=200),
    n_buckets=st.integers(2, 25),
)
def test_ties_share_a_bucket_and_order_is_kept(values: list[int], n_buckets: int) -> None:
    scores = np.array(values, dtype=float)
    buckets = assign_buckets(scores, n_buckets)
    for v in np.unique(scores):
        assert np.unique(buckets[scores == v]).size == 1
    order = np.argsort(scores, kind="stable")
    assert np.all(np.diff(buckets[order]) >= 0)
    assert buckets.min() >= 0
    assert buckets.max() <= n_buckets - 1


@given(
    values=st.lists(st.integers(-1000, 1000), min_size=2, max_size=200, unique=True),
    n_groups=st.integers(1, 6),
    n_buckets=st.integers(2, 10),
    seed=st.integers(0, 2**16),
)
def test_grouped_equals_qcut_per_group(
    values: list[int], n_groups: int, n_buckets: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    scores = np.array(values, dtype=float)
    groups = rng.integers(0, n_groups, scores.size)
    got = assign_buckets(scores, n_buckets, groups=groups)
    for g in np.unique(groups):
        member = groups == g
        if member.sum() < 2:
            assert got[member][0] == (n_buckets - 1) // 2
            continue
        np.testing.assert_array_equal(got[member], exact_qcut(scores[member], n_buckets))
        if not edges_on_data(int(member.sum()), n_buckets):
            expected = pd.qcut(scores[member], n_buckets, labels=False)
            np.testing.assert_array_equal(got[member], expected)


def test_constant_scores_go_to_the_middle_bucket() -> None:
    assert assign_buckets(np.ones(50), 20).tolist() == [9] * 50
    assert assign_buckets([3.0], 5).tolist() == [2]


def test_small_group_spans_all_buckets() -> None:
    got = assign_buckets([1.0, 2.0, 3.0], 20)
    assert got.tolist() == [0, 9, 19]


def test_known_values_with_ties() -> None:
    # ranks 0,1,2,3,4 with the two 2.0 sharing 1.5: buckets of n=3 -> [2, 0, 1, 1, 2]
    assert assign_buckets([3.0, 1.0, 2.0, 2.0, 5.0], 3).tolist() == [2, 0, 1, 1, 2]


def test_bad_input() -> None:
    with pytest.raises(InvalidParameterError, match="n_buckets"):
        assign_buckets([1.0, 2.0], 1)
    with pytest.raises(InvalidParameterError, match="n_buckets"):
        assign_buckets([1.0, 2.0], True)  # type: ignore[arg-type]
    with pytest.raises(NonFiniteError, match="scores"):
        assign_buckets([1.0, np.nan], 2)
    with pytest.raises(LengthMismatchError, match="groups"):
        assign_buckets([1.0, 2.0], 2, groups=[1])
    with pytest.raises(NonFiniteError, match="groups"):
        assign_buckets([1.0, 2.0], 2, groups=pd.Series(["a", None]))


def _qcut_per_group(scores: np.ndarray, groups: np.ndarray, n_buckets: int) -> np.ndarray:
    out = np.empty(scores.size, dtype=np.int64)
    for g in np.unique(groups):
        member = groups == g
        out[member] = pd.qcut(scores[member], n_buckets, labels=False)
    return out


@pytest.mark.parametrize("shuffle", [False, True])
def test_many_groups_span_several_chunks(shuffle: bool) -> None:
    # 300 groups of 900-1100 rows: more rows than one block of the within-group sort
    rng = np.random.default_rng(0)
    sizes = rng.integers(900, 1100, 300)
    groups = np.repeat(np.arange(300), sizes)
    scores = rng.normal(size=groups.size)
    if shuffle:
        perm = rng.permutation(groups.size)
        groups, scores = groups[perm], scores[perm]
    got = assign_buckets(scores, 10, groups=groups)
    np.testing.assert_array_equal(got, _qcut_per_group(scores, groups, 10))


def test_values_equal_in_their_high_bits_are_still_ordered() -> None:
    # neighbours one ulp apart defeat the packed-key sort; the exact fallback must run
    values = [1.0]
    for _ in range(11):
        values.append(float(np.nextafter(values[-1], 2.0)))
    scores = np.array([*values[::-1], 2.0])
    groups = np.zeros(scores.size, dtype=np.int64)
    got = assign_buckets(scores, 4, groups=groups)
    np.testing.assert_array_equal(got, pd.qcut(scores, 4, labels=False))
    np.testing.assert_array_equal(got, assign_buckets(scores, 4))


def test_signed_zeros_tie_within_groups() -> None:
    scores = np.array([-0.0, 0.0, 1.0, 2.0, -1.0, 3.0])
    grouped = assign_buckets(scores, 3, groups=np.zeros(6, dtype=np.int64))
    assert grouped[0] == grouped[1]
    np.testing.assert_array_equal(grouped, assign_buckets(scores, 3))


def test_group_larger_than_the_packed_sort_handles() -> None:
    rng = np.random.default_rng(1)
    groups = np.r_[np.zeros(70_000, dtype=np.int64), np.ones(50, dtype=np.int64)]
    scores = rng.normal(size=groups.size)
    got = assign_buckets(scores, 20, groups=groups)
    np.testing.assert_array_equal(got[:70_000], assign_buckets(scores[:70_000], 20))
    np.testing.assert_array_equal(got[70_000:], pd.qcut(scores[70_000:], 20, labels=False))


def test_more_groups_than_sixteen_bit_codes() -> None:
    # 70,000 shuffled pairs: the lower score of each pair is bucket 0, the higher bucket n-1
    rng = np.random.default_rng(2)
    groups = np.repeat(np.arange(70_000), 2)
    scores = rng.normal(size=groups.size)
    perm = rng.permutation(groups.size)
    groups, scores = groups[perm], scores[perm]
    got = assign_buckets(scores, 5, groups=groups)
    higher = scores > pd.Series(scores).groupby(groups).transform("min").to_numpy()
    np.testing.assert_array_equal(got, np.where(higher, 4, 0))
