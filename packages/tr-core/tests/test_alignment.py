"""The shared alignment rule, calendar periods, units check and size limit of tr-core."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from tr_core.alignment import align_inputs, align_to, with_index
from tr_core.errors import (
    IndexAlignmentError,
    InvalidParameterError,
    LengthMismatchError,
    SizeLimitError,
    TimeColumnError,
    TimeTypeError,
)
from tr_core.periods import calendar_periods
from tr_core.units import UnitsWarning, check_units
from tr_core.validation import check_size


def test_series_in_another_order_are_paired_by_label() -> None:
    scores = pd.Series([0.1, 0.2, 0.3], index=["a", "b", "c"])
    returns = pd.Series([30.0, 10.0, 20.0], index=["c", "a", "b"])
    aligned, index = align_inputs(scores=scores, returns=returns)
    assert list(index) == ["a", "b", "c"]
    assert aligned["returns"].tolist() == [10.0, 20.0, 30.0]
    assert aligned["scores"] is scores  # already on the reference index: untouched


def test_arrays_pair_by_position_and_none_passes_through() -> None:
    aligned, index = align_inputs(x=np.arange(3), y=[1, 2, 3], w=None)
    assert index is None
    assert aligned["w"] is None
    with pytest.raises(LengthMismatchError, match="`x` has 3, `y` has 2"):
        align_inputs(x=np.arange(3), y=[1, 2])
    # An array next to a Series is taken in the Series' row order.
    aligned, index = align_inputs(s=pd.Series([1.0, 2.0], index=[5, 6]), a=np.array([7, 8]))
    assert list(index) == [5, 6]
    assert aligned["a"].tolist() == [7, 8]


def test_different_labels_are_refused_naming_the_argument() -> None:
    scores = pd.Series([0.1, 0.2], index=["a", "b"])
    returns = pd.Series([1.0, 2.0], index=["a", "z"])
    with pytest.raises(IndexAlignmentError, match=r"`returns` does not describe the same rows.*"):
        align_inputs(scores=scores, returns=returns)
    # An IndexAlignmentError is caught as either of its parents.
    with pytest.raises(LengthMismatchError):
        align_inputs(scores=scores, returns=returns)
    with pytest.raises(InvalidParameterError):
        align_inputs(scores=scores, returns=returns)


def test_duplicate_labels_in_another_order_are_ambiguous() -> None:
    left = pd.Series([1.0, 2.0, 3.0], index=["a", "a", "b"])
    right = pd.Series([1.0, 2.0, 3.0], index=["b", "a", "a"])
    with pytest.raises(IndexAlignmentError, match="duplicate index labels"):
        align_inputs(left=left, right=right)
    # The same duplicate index in the same order is fine.
    aligned, _ = align_inputs(left=left, right=left.copy())
    assert aligned["right"].tolist() == [1.0, 2.0, 3.0]


def test_subset_is_taken_only_when_allowed() -> None:
    times = pd.Series(pd.date_range("2024-01-01", periods=4), index=[10, 11, 12, 13])
    rows = pd.Index([13, 11])
    assert align_to(rows, times, "times", allow_subset=True).index.tolist() == [13, 11]
    with pytest.raises(IndexAlignmentError, match="2 labels of `times` not among the rows"):
        align_to(rows, times, "times")


def test_with_index_puts_results_on_the_callers_index() -> None:
    out = with_index(np.array([1.0, 2.0]), pd.Index(["x", "y"]), "w")
    assert out.index.tolist() == ["x", "y"]
    assert out.name == "w"
    raw = np.array([1.0])
    assert with_index(raw, None) is raw


def test_calendar_periods_are_local() -> None:
    # 20:00 in New York on 1 March is 01:00 UTC on 2 March: the local day is 1 March.
    ny = pd.Series(pd.to_datetime(["2024-03-01 20:00", "2024-03-31 21:00"])).dt.tz_localize(
        "America/New_York"
    )
    assert [str(p) for p in calendar_periods(ny, "D")] == ["2024-03-01", "2024-03-31"]
    assert [str(p) for p in calendar_periods(ny, "M")] == ["2024-03", "2024-03"]
    naive = pd.to_datetime(["2024-03-01 20:00"])
    assert str(calendar_periods(naive, "D")[0]) == "2024-03-01"
    with pytest.raises(TimeTypeError, match="`stamps` must hold datetimes"):
        calendar_periods([1, 2], "D", name="stamps")
    with pytest.raises(InvalidParameterError, match="not a pandas period alias"):
        calendar_periods(naive, "fortnight")


def test_units_check_warns_on_percent_points_declared_as_fractions() -> None:
    rng = np.random.default_rng(0)
    fraction = rng.normal(0, 0.05, 200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not check_units(fraction, "fraction", "alpha")
        assert not check_units(fraction * 100, "percent", "alpha")
        assert not check_units(fraction[:19] * 100, "fraction", "alpha")  # too few to judge
    with pytest.warns(UnitsWarning, match=r"alpha declared in 'fraction'.*percent points"):
        assert check_units(fraction * 100, "fraction", "alpha")
    with pytest.warns(UnitsWarning, match="declared in 'percent'"):
        check_units(fraction, "percent", "alpha")


def test_check_size_refuses_before_allocating() -> None:
    check_size(10, 10, "rows", "fewer")
    with pytest.raises(SizeLimitError, match=r"combinations: 601,080,390 exceeds the limit of"):
        check_size(601_080_390, 1_000_000, "combinations", "use fewer partitions")


def test_units_check_refuses_unknown_units() -> None:
    with pytest.raises(InvalidParameterError, match=r"units 'pct' of alpha are not known"):
        check_units(np.ones(30), "pct", "alpha")


def test_calendar_periods_refuse_missing_times() -> None:
    times = pd.Series(pd.to_datetime(["2024-03-01", None]), index=["a", "b"])
    with pytest.raises(TimeColumnError, match=r"`times` has missing times \(NaT\) in row \['b'\]"):
        calendar_periods(times, "D")
