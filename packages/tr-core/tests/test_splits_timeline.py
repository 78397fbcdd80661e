"""The splitters' timeline: distinct times and each row's index among them, three ways."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tr_core.splits import PurgedKFold, _inputs
from tr_core.splits._inputs import _unique_times


def _check(times: np.ndarray) -> None:
    unique, inverse = _unique_times(times)
    expected_unique, expected_inverse = np.unique(times, return_inverse=True)
    np.testing.assert_array_equal(unique, expected_unique)
    np.testing.assert_array_equal(inverse, expected_inverse.reshape(-1))
    assert unique.dtype == np.int64
    assert inverse.dtype == np.intp


@given(
    hnp.arrays(np.int64, st.integers(0, 300), elements=st.integers(-(2**62), 2**62)),
    st.integers(1, 50),
    st.booleans(),
)
def test_distinct_times_and_inverse_equal_numpys(
    draws: np.ndarray, n_distinct: int, sort: bool
) -> None:
    # Few distinct values (many rows per time) and all-distinct ones, sorted or not.
    few = draws % n_distinct * 86_400_000_000_000
    for times in (few, draws):
        _check(np.sort(times) if sort else times)


@pytest.mark.parametrize("n_distinct", [7, 20_000, 200_000])
def test_each_way_is_taken_and_agrees_on_large_inputs(
    n_distinct: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(n_distinct)
    times = rng.integers(0, n_distinct, 200_000).astype(np.int64) * 60_000_000_000
    taken: list[str] = []
    factorize = pd.factorize

    def hashing(*args: object, **kwargs: object) -> object:
        taken.append("hash")
        return factorize(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(_inputs.pd, "factorize", hashing)
        _check(times)
    # Repeats in the sample: hashing when times repeat, numpy's sort when nearly all are distinct.
    assert taken == (["hash"] if n_distinct <= 20_000 else [])
    _check(np.sort(times))


def test_a_purged_kfold_on_shuffled_rows_matches_the_sorted_one() -> None:
    rng = np.random.default_rng(0)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 300, 20_000), "D")
    ends = days + pd.to_timedelta(rng.integers(1, 10, days.size), "D")
    frame = pd.DataFrame({"t": days, "e": ends})
    order = frame.sort_values("t", kind="stable").index
    shuffled = [
        (frame.index[tr], frame.index[te])
        for tr, te in PurgedKFold(4, times="t", label_ends="e").split(frame)
    ]
    ordered = frame.loc[order]
    in_order = [
        (ordered.index[tr], ordered.index[te])
        for tr, te in PurgedKFold(4, times="t", label_ends="e").split(ordered)
    ]
    for (a_train, a_test), (b_train, b_test) in zip(shuffled, in_order, strict=True):
        assert set(a_train) == set(b_train)
        assert set(a_test) == set(b_test)
