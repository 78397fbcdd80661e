"""The one ``sample_weight`` contract: four forms, checked once, computed on training rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import (
    IndexAlignmentError,
    InvalidParameterError,
    LengthMismatchError,
    MissingColumnError,
    NonFiniteError,
    TrTypeError,
    ZeroWeightError,
)
from tr_core.validation import row_labels
from tr_core.weights import Weighter, resolve_sample_weight

FRAME = pd.DataFrame(
    {"alpha": [0.01, -0.02, 0.03, 0.04], "w": [1.0, 2.0, 3.0, 4.0]}, index=list("abcd")
)
ROWS = np.array([1, 3])


def test_column_array_and_series_forms_agree() -> None:
    by_column = resolve_sample_weight("w", FRAME).for_rows(FRAME, ROWS)
    by_array = resolve_sample_weight([1.0, 2.0, 3.0, 4.0], FRAME).for_rows(FRAME, ROWS)
    shuffled = FRAME["w"].iloc[::-1]  # same labels, other order: matched by label
    by_series = resolve_sample_weight(shuffled, FRAME).for_rows(FRAME, ROWS)
    for got in (by_column, by_array, by_series):
        assert got.tolist() == [2.0, 4.0]


def test_callable_sees_only_the_training_rows() -> None:
    seen: list[list[str]] = []

    def weigh(train: pd.DataFrame) -> np.ndarray:
        seen.append(list(train.index))
        return np.abs(train["alpha"].to_numpy()) * 100

    weights = resolve_sample_weight(weigh, FRAME)
    assert weights.active
    assert weights.for_rows(FRAME, ROWS).tolist() == pytest.approx([2.0, 4.0])
    assert seen == [["b", "d"]]
    assert weights.describe().endswith("weigh")


def test_weighter_protocol_and_record() -> None:
    class Abs:
        def __call__(self, data: pd.DataFrame) -> pd.Series:
            return data["alpha"].abs()

        def to_dict(self) -> dict[str, str]:
            return {"weighter": "Abs"}

    assert isinstance(Abs(), Weighter)
    weights = resolve_sample_weight(Abs(), FRAME)
    assert weights.for_rows(FRAME, ROWS).tolist() == [0.02, 0.04]
    assert weights.describe() == {"weighter": "Abs"}


def test_none_means_unweighted() -> None:
    weights = resolve_sample_weight(None, FRAME)
    assert not weights.active
    assert weights.for_rows(FRAME, ROWS) is None
    assert weights.describe() is None


def test_a_sorted_series_from_a_callable_is_matched_or_refused() -> None:
    sorted_back = resolve_sample_weight(lambda d: d["w"].sort_values(ascending=False), FRAME)
    assert sorted_back.for_rows(FRAME, ROWS).tolist() == [2.0, 4.0]
    reset = resolve_sample_weight(lambda d: d["w"].reset_index(drop=True), FRAME)
    with pytest.raises(IndexAlignmentError, match="does not describe the same rows"):
        reset.for_rows(FRAME, ROWS)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("nope", MissingColumnError, "`sample_weight`='nope' is not a column"),
        ([1.0, 2.0], LengthMismatchError, "has 2 weights but the frame has 4 rows"),
        (pd.Series([1.0] * 4, index=list("wxyz")), IndexAlignmentError, "same rows"),
        ([1.0, np.nan, 1.0, 1.0], NonFiniteError, "NaN"),
        ([1.0, -1.0, 1.0, 1.0], InvalidParameterError, r"negative in row \['b'\]"),
        ([0.0] * 4, ZeroWeightError, "all zero"),
        ({"a": 1}, TrTypeError, "got dict"),
        (["1", "2", "3", "4"], TrTypeError, "got text"),
        (np.ones((4, 2)), LengthMismatchError, r"has shape \(4, 2\); pass one weight per row"),
    ],
)
def test_bad_fixed_weights_are_refused_at_the_boundary(value, error, message) -> None:
    with pytest.raises(error, match=message):
        resolve_sample_weight(value, FRAME)


class _Wrapped:
    """An array-like that is not an ndarray (as xarray or a wrapped buffer): ``__array__``."""

    def __init__(self, values: list[float]) -> None:
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)


def test_any_array_like_is_an_array() -> None:
    resolved = resolve_sample_weight(_Wrapped([1.0, 2.0, 3.0, 4.0]), FRAME)
    assert resolved.fixed.tolist() == [1.0, 2.0, 3.0, 4.0]


def test_bad_callable_weights_name_the_context() -> None:
    short = resolve_sample_weight(lambda d: np.ones(1), FRAME, name="weights")
    with pytest.raises(LengthMismatchError, match=r"`weights` \(fold 3\): .* for 2 training rows"):
        short.for_rows(FRAME, ROWS, where="fold 3")
    zero = resolve_sample_weight(lambda d: np.zeros(len(d)), FRAME)
    with pytest.raises(ZeroWeightError):
        zero.for_rows(FRAME, ROWS)
    column = resolve_sample_weight(lambda d: d[["w"]], FRAME)
    assert column.for_rows(FRAME, ROWS).tolist() == [2.0, 4.0]
    # Fixed weights that are zero on the rows one fold trains on are refused for that fold.
    partly = resolve_sample_weight([1.0, 0.0, 1.0, 0.0], FRAME)
    with pytest.raises(ZeroWeightError, match=r"\(fold 0\)"):
        partly.for_rows(FRAME, ROWS, where="fold 0")


def test_the_callers_frame_is_not_modified() -> None:
    before = FRAME.copy()

    def vandal(train: pd.DataFrame) -> np.ndarray:
        train["alpha"] = 0.0
        return np.ones(len(train))

    resolve_sample_weight(vandal, FRAME).for_rows(FRAME, ROWS)
    pd.testing.assert_frame_equal(FRAME, before)


def test_repr_names_the_form_not_the_values() -> None:
    fixed = resolve_sample_weight(np.ones(4), FRAME)
    assert repr(fixed) == "TrainingWeights(name='sample_weight', form='fixed weights (4 rows)')"
    assert repr(resolve_sample_weight(None, FRAME)) == (
        "TrainingWeights(name='sample_weight', form=None)"
    )


def test_fixed_weights_name_rows_by_label_without_copying_the_frame() -> None:
    weights = resolve_sample_weight([1.0, 0.0, 1.0, 0.0], FRAME)
    with pytest.raises(ZeroWeightError, match="all zero"):
        weights.for_rows(FRAME, ROWS)
    # Labels come from the index alone.
    assert row_labels(FRAME.index, np.array([1, 3])) == ["b", "d"]


def test_a_weighter_class_instead_of_an_instance_is_refused() -> None:
    class Abs:
        def __call__(self, data: pd.DataFrame) -> pd.Series:
            return data["alpha"].abs()

    with pytest.raises(TrTypeError, match="is the class Abs, not a weighter"):
        resolve_sample_weight(Abs, FRAME)
