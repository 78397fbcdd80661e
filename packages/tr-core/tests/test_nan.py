"""NaN audit: complete rows per column set and per group; never a fill."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tr_core.errors import (
    DuplicateColumnError,
    InvalidParameterError,
    MissingColumnError,
    NonFiniteError,
)
from tr_core.nan import complete_rows, complete_rows_by_group


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": [1.0, np.nan, 3.0, 4.0, np.nan, 6.0],
            "b": [np.nan, 2.0, 3.0, 4.0, 5.0, 6.0],
            "c": [1.0, 2.0, 3.0, np.nan, 5.0, 6.0],
            "name": ["x", None, "z", "w", "v", "u"],
        },
        index=list("pqrstu"),
    )


def test_complete_rows_known_values(frame: pd.DataFrame) -> None:
    before = frame.copy()
    kept, audit = complete_rows(frame, ["a", "c"])
    assert kept.index.tolist() == ["p", "r", "u"]
    assert audit.rows_in == 6
    assert audit.rows_out == 3
    assert audit.rows_dropped == 3
    assert audit.kept_share == 0.5
    assert audit.nan_counts == {"a": 2, "c": 1}
    assert audit.positions.tolist() == [0, 2, 5]
    assert audit.to_frame()["nan_share"].tolist() == pytest.approx([2 / 6, 1 / 6])
    json.dumps(audit.summary())
    pd.testing.assert_frame_equal(frame, before)
    kept.loc["p", "a"] = 100.0
    assert frame.loc["p", "a"] == 1.0


def test_non_numeric_columns_count_missing(frame: pd.DataFrame) -> None:
    kept, audit = complete_rows(frame, ["name"])
    assert audit.nan_counts == {"name": 1}
    assert "q" not in kept.index


def test_each_group_keeps_its_own_rows(frame: pd.DataFrame) -> None:
    out = complete_rows_by_group(frame, {"g1": ["a"], "g2": ["b"]}, always=["c"])
    assert out["g1"][0].index.tolist() == ["p", "r", "u"]
    assert out["g2"][0].index.tolist() == ["q", "r", "t", "u"]
    assert out["g2"][1].columns == ("c", "b")
    # a global dropna would keep only the rows complete everywhere
    assert frame[["a", "b", "c"]].dropna().index.tolist() == ["r", "u"]


def test_errors(frame: pd.DataFrame) -> None:
    with pytest.raises(MissingColumnError, match=r"\['zz'\]"):
        complete_rows(frame, ["a", "zz"])
    with pytest.raises(InvalidParameterError, match="string 'a'"):
        complete_rows(frame, "a")
    with pytest.raises(InvalidParameterError, match="empty"):
        complete_rows(frame, [])
    with pytest.raises(InvalidParameterError, match="`groups` is empty"):
        complete_rows_by_group(frame, {})
    bad = frame.assign(a=[1.0, np.inf, 3, 4, 5, 6])
    with pytest.raises(NonFiniteError, match=r"'a'.*row \['q'\]"):
        complete_rows(bad, ["a"])


def test_empty_frame_audit() -> None:
    kept, audit = complete_rows(pd.DataFrame({"a": pd.Series([], dtype=float)}), ["a"])
    assert kept.empty
    assert np.isnan(audit.kept_share)
    assert np.isnan(audit.to_frame()["nan_share"]).all()


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.float64, st.integers(0, 40), elements=st.one_of(st.just(np.nan), st.floats(-5, 5)))
)
def test_kept_rows_are_exactly_the_complete_ones(values: np.ndarray) -> None:
    df = pd.DataFrame({"a": values, "b": values[::-1].copy()})
    kept, audit = complete_rows(df, ["a", "b"])
    expected = df.dropna()
    pd.testing.assert_frame_equal(kept, expected)
    assert audit.rows_out + audit.rows_dropped == len(df)
    assert not kept.isna().any().any()


def test_duplicate_column_names_raise_a_clear_error() -> None:
    # Regression: a duplicated column made complete_rows fail with an AttributeError.
    dup = pd.DataFrame([[1.0, np.nan, 0.0], [2.0, 3.0, 0.0]], columns=["a", "a", "b"])
    with pytest.raises(DuplicateColumnError, match=r"columns \['a'\] appear more than once"):
        complete_rows(dup, ["a", "b"])
    kept, audit = complete_rows(dup, ["b"])
    assert audit.rows_out == 2
    assert kept.shape == (2, 3)
