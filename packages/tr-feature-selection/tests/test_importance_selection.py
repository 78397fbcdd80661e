"""select_top_k: order, ties, NaN, results as input, bad k."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tr_core.errors import InvalidParameterError, NonFiniteError, TrTypeError
from tr_feature_selection.importance import (
    PermutationImportance,
    SingleFeatureImportance,
    select_top_k,
)


def test_best_first_ties_in_input_order_nan_never() -> None:
    scores = pd.Series({"a": 0.1, "b": 0.3, "c": np.nan, "d": 0.3, "e": -1.0})
    assert select_top_k(scores, 1) == ["b"]
    assert select_top_k(scores, 3) == ["b", "d", "a"]
    assert select_top_k(scores, 4) == ["b", "d", "a", "e"]
    with pytest.raises(InvalidParameterError, match=r"4 of 5"):
        select_top_k(scores, 5)


def test_result_objects_use_their_importance() -> None:
    drops = pd.DataFrame([[0.1, 0.3], [0.5, 0.5], [0.0, 0.0]], index=["x", "grp", "z"])
    mda = PermutationImportance(
        metric="auc",
        baseline=0.6,
        drops=drops,
        members={"x": ("x",), "grp": ("g1", "g2"), "z": ("z",)},
        n_rows=10,
    )
    assert select_top_k(mda, 2) == ["grp", "x"]
    scores = pd.DataFrame([[0.52, np.nan], [np.nan, np.nan], [0.55, 0.57]], index=["p", "q", "r"])
    counts = pd.DataFrame(np.ones((3, 2), dtype=int), index=scores.index)
    sfi = SingleFeatureImportance(
        metric="auc",
        scores=scores,
        n_train=counts,
        n_test=counts,
        n_rows=pd.Series([5, 0, 5], index=scores.index),
    )
    assert select_top_k(sfi, 2) == ["r", "p"]
    with pytest.raises(InvalidParameterError, match=r"2 of 3"):
        select_top_k(sfi, 3)


@pytest.mark.parametrize("k", [0, -1, 1.0, True, "2", None])
def test_bad_k(k) -> None:
    with pytest.raises(InvalidParameterError, match="`k`"):
        select_top_k(pd.Series({"a": 1.0, "b": 2.0}), k)


def test_bad_scores() -> None:
    with pytest.raises(TrTypeError, match="Series"):
        select_top_k({"a": 1.0}, 1)  # type: ignore[arg-type]
    with pytest.raises(TrTypeError, match="feature names"):
        select_top_k(pd.Series([1.0, 2.0]), 1)
    with pytest.raises(TrTypeError, match=r"\['a'\] more than once"):
        select_top_k(pd.Series([1.0, 2.0], index=["a", "a"]), 1)
    with pytest.raises(NonFiniteError, match="infinite"):
        select_top_k(pd.Series({"a": np.inf, "b": 1.0}), 1)
    with pytest.raises(InvalidParameterError, match=r"0 of 0"):
        select_top_k(pd.Series([], dtype=float, index=pd.Index([], dtype=object)), 1)


@given(
    values=st.lists(
        st.one_of(st.sampled_from([0.0, 1.0, np.nan]), st.floats(-5, 5)), min_size=1, max_size=30
    ),
    data=st.data(),
)
def test_matches_a_stable_sort_of_the_non_nan_scores(values, data) -> None:
    names = [f"f{i}" for i in range(len(values))]
    scores = pd.Series(values, index=names)
    valid = [(v, i) for i, v in enumerate(values) if not np.isnan(v)]
    if not valid:
        with pytest.raises(InvalidParameterError):
            select_top_k(scores, 1)
        return
    k = data.draw(st.integers(1, len(valid)))
    expected = [names[i] for _, i in sorted(valid, key=lambda t: (-t[0], t[1]))[:k]]
    assert select_top_k(scores, k) == expected
