"""Shared array checks: conversion and error messages."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import (
    EmptyDataError,
    FeatureTypeError,
    InvalidParameterError,
    LengthMismatchError,
    MissingColumnError,
    NonFiniteError,
    TimeColumnError,
    TimeTypeError,
    TrTypeError,
    ZeroWeightError,
    describe_rows,
)
from tr_core.validation import (
    all_finite,
    as_datetime_array,
    as_float_array,
    as_weight_array,
    check_columns,
    check_no_inf,
    check_numeric,
    check_same_length,
    check_same_timezone,
    resolve_column,
)


def test_as_float_array_copies_and_converts() -> None:
    src = np.array([1, 2, 3], dtype=np.int32)
    out = as_float_array(src, "x")
    assert out.dtype == np.float64
    out[0] = 99
    assert src[0] == 1
    assert as_float_array(pd.Series([True, False]), "x").tolist() == [1.0, 0.0]
    assert as_float_array(np.array([1.5, 2], dtype=object), "x").tolist() == [1.5, 2.0]
    nullable = pd.Series([1.0, None], dtype="Float64")
    assert np.isnan(as_float_array(nullable, "x", allow_nan=True)[1])


@pytest.mark.parametrize(
    "text",
    [["0.01", "0.02"], np.array(["0.01", "0.02"]), pd.Series(["0.01", "0.02"], dtype=object)],
)
def test_as_float_array_refuses_numeric_strings(text: object) -> None:
    # Issue 10: metrics and weights parsed "0.01" as a number; the contract refuses text.
    with pytest.raises(TrTypeError, match=r"`returns` must be numeric, got text.*pd.to_numeric"):
        as_float_array(text, "returns")


def test_as_float_array_shows_the_text_that_does_not_read_as_a_number() -> None:
    values = pd.Series(["0.01", "0.02", "1,5 %", "0.03"])
    with pytest.raises(
        TrTypeError, match=r"1 of 4 values do not read as numbers, e.g. \['1,5 %'\]"
    ):
        as_float_array(values, "returns")


def test_as_float_array_errors_name_argument_and_rows() -> None:
    with pytest.raises(NonFiniteError, match=r"`returns` has NaN in row \['b'\]"):
        as_float_array(pd.Series([1.0, np.nan], index=["a", "b"]), "returns")
    with pytest.raises(NonFiniteError, match=r"`returns` has infinite values in row \[0\]"):
        as_float_array([np.inf, 1.0], "returns")
    with pytest.raises(TrTypeError, match="must be numeric"):
        as_float_array(["a", "b"], "scores")
    with pytest.raises(TrTypeError, match="one-dimensional"):
        as_float_array(np.ones((2, 2)), "scores")
    with pytest.raises(EmptyDataError, match="`scores` is empty"):
        as_float_array([], "scores")
    assert as_float_array([], "scores", allow_empty=True).size == 0
    assert np.isnan(as_float_array([np.nan], "s", allow_nan=True)[0])
    assert np.isinf(as_float_array([np.inf], "s", allow_inf=True)[0])


def test_as_datetime_array_inputs() -> None:
    expected = np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[ns]")
    for values in (
        pd.DatetimeIndex(["2020-01-01", "2020-01-02"]),
        pd.Series(pd.to_datetime(["2020-01-01", "2020-01-02"])),
        np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"),
        [dt.datetime(2020, 1, 1), pd.Timestamp("2020-01-02")],
    ):
        np.testing.assert_array_equal(as_datetime_array(values, "times"), expected)
    aware = pd.Series(pd.to_datetime(["2020-01-01 09:30"]).tz_localize("America/New_York"))
    assert as_datetime_array(aware, "times")[0] == np.datetime64("2020-01-01T14:30", "ns")
    assert as_datetime_array([], "times", allow_empty=True).size == 0


def test_as_datetime_array_errors() -> None:
    with pytest.raises(TimeTypeError, match="`times` must hold datetimes"):
        as_datetime_array(["2020-01-01"], "times")
    with pytest.raises(TimeTypeError):
        as_datetime_array(np.arange(3), "times")
    with pytest.raises(TimeColumnError, match=r"NaT\) in row \['y'\]"):
        as_datetime_array(pd.Series(pd.to_datetime(["2020-01-01", None]), index=["x", "y"]), "t")
    with pytest.raises(EmptyDataError):
        as_datetime_array([], "times")
    with pytest.raises(TrTypeError, match="one-dimensional"):
        as_datetime_array(np.zeros((2, 2), dtype="datetime64[ns]"), "times")


def test_check_same_length_and_resolve_column() -> None:
    assert check_same_length(a=[1, 2], b=np.zeros(2), c=None) == 2
    with pytest.raises(LengthMismatchError, match="`a` has 2, `b` has 3"):
        check_same_length(a=[1, 2], b=[1, 2, 3])
    X = pd.DataFrame({"t": [1, 2]})
    assert resolve_column(X, "t", "times").tolist() == [1, 2]
    assert resolve_column(X, [5, 6], "times") == [5, 6]
    with pytest.raises(MissingColumnError, match="`times`='zz'"):
        resolve_column(X, "zz", "times")
    with pytest.raises(MissingColumnError, match="not a DataFrame"):
        resolve_column(np.zeros(2), "t", "times")
    with pytest.raises(LengthMismatchError):
        resolve_column(X, [1, 2, 3], "times")


def test_describe_rows() -> None:
    assert describe_rows([3]) == "row [3] (1 row)"
    assert describe_rows(list(range(8))) == "rows [0, 1, 2, 3, 4] and 3 more (8 rows)"
    assert describe_rows([np.int64(7), pd.Timestamp("2020-01-01")]) == (
        "rows [7, '2020-01-01 00:00:00'] (2 rows)"
    )


def test_as_datetime_array_keeps_the_value_of_second_and_microsecond_units() -> None:
    # pandas 3 infers datetime64[us]/[s]; a raw .view("int64") of those is in the wrong unit.
    expected = np.array(["2024-03-01T12:00:00"], dtype="datetime64[ns]")
    for unit in ("s", "ms", "us"):
        values = pd.Series(expected).astype(f"datetime64[{unit}]")
        got = as_datetime_array(values, "times")
        assert got.dtype == np.dtype("datetime64[ns]")
        assert got.view(np.int64)[0] == expected.view(np.int64)[0]


def test_as_datetime_array_rejects_dates_outside_the_nanosecond_range() -> None:
    # Regression: 2300-01-01 in datetime64[s] used to wrap around silently to 1715.
    far = np.array(["2020-01-01", "2300-01-01"], dtype="datetime64[s]")
    with pytest.raises(TimeColumnError, match="outside the nanosecond range"):
        as_datetime_array(far, "label_end")
    with pytest.raises(TimeColumnError, match="`label_end`"):
        as_datetime_array(pd.Series(far), "label_end")


def test_as_datetime_array_keeps_the_input_unit_when_asked_and_still_checks() -> None:
    times = pd.Series(pd.to_datetime(["2024-03-01 12:00", "2024-03-02 09:30"]).as_unit("us"))
    kept = as_datetime_array(times, "times", unit=None)
    assert kept.dtype == np.dtype("datetime64[us]")
    np.testing.assert_array_equal(kept, times.to_numpy())
    kept[0] = np.datetime64("2000-01-01")  # a private, writable copy
    assert times.iloc[0] == pd.Timestamp("2024-03-01 12:00")
    assert as_datetime_array(times, "times", unit="s").dtype == np.dtype("datetime64[s]")
    aware = pd.Series(pd.to_datetime(["2024-03-01 09:30"]).tz_localize("America/New_York"))
    assert as_datetime_array(aware, "times", unit=None)[0] == np.datetime64("2024-03-01T14:30")
    # The same checks as in nanoseconds: range, NaT, emptiness, the unit itself.
    far = np.array(["2020-01-01", "2300-01-01"], dtype="datetime64[s]")
    with pytest.raises(TimeColumnError, match="`t` has times outside the nanosecond range"):
        as_datetime_array(far, "t", unit=None)
    with pytest.raises(TimeColumnError, match="NaT"):
        as_datetime_array(np.array(["2020-01-01", "NaT"], dtype="datetime64[s]"), "t", unit=None)
    with pytest.raises(EmptyDataError):
        as_datetime_array(np.array([], dtype="datetime64[s]"), "t", unit=None)
    with pytest.raises(InvalidParameterError, match="`unit` must be one of"):
        as_datetime_array(times, "times", unit="D")


def test_as_datetime_array_without_a_copy_reads_the_input_and_still_checks_it() -> None:
    times = np.array(["2024-03-01T12:00", "2024-03-02T09:30"], dtype="datetime64[us]")
    view = as_datetime_array(times, "times", unit=None, copy=False)
    assert np.shares_memory(view, times)
    converted = as_datetime_array(times, "times", copy=False)  # to nanoseconds: a new array
    assert not np.shares_memory(converted, times)
    assert converted[1] == np.datetime64("2024-03-02T09:30", "ns")
    with pytest.raises(TimeColumnError, match="NaT"):
        as_datetime_array(np.array(["NaT"], dtype="datetime64[us]"), "t", unit=None, copy=False)


def test_all_finite_by_sum_or_by_mask() -> None:
    assert all_finite(np.array([1.0, -2.5, 0.0]))
    assert all_finite(np.array([], dtype=float))
    # The sum overflows, yet every value is finite: the mask decides.
    assert all_finite(np.array([1e308, 1e308, -1e308]))
    for bad in (np.nan, np.inf, -np.inf):
        assert not all_finite(np.array([1.0, bad, 2.0]))
    assert not all_finite(np.array([np.inf, -np.inf]))  # their sum is NaN, not inf


def test_as_float_array_rejects_dates_and_durations() -> None:
    # Regression: a timedelta64 column used to become its nanosecond count silently.
    for values in (
        np.array([1, 2], dtype="timedelta64[D]"),
        pd.Series(pd.to_timedelta([1, 2], unit="D")),
        pd.Series(pd.to_datetime(["2020-01-01"])),
    ):
        with pytest.raises(TrTypeError, match="`alpha` must be numeric, got dates or durations"):
            as_float_array(values, "alpha")


def test_check_same_timezone_refuses_aware_next_to_naive() -> None:
    naive = pd.Series(pd.to_datetime(["2020-01-01"]))
    aware = naive.dt.tz_localize("America/New_York")
    ts_aware = pd.Timestamp("2020-01-01", tz="UTC")
    with pytest.raises(TimeTypeError, match="`ends` carry a timezone but `times` do not"):
        check_same_timezone(times=naive, ends=aware)
    with pytest.raises(TimeTypeError, match="`start`"):
        check_same_timezone(times=naive.to_numpy(), start=ts_aware)
    with pytest.raises(TimeTypeError, match="`times`"):
        check_same_timezone(times=[ts_aware], ends=[pd.Timestamp("2020-01-01")])
    with pytest.raises(TimeTypeError, match="`times`"):
        check_same_timezone(times=np.array([ts_aware], dtype=object), ends=naive)
    check_same_timezone(
        times=naive, ends=naive.to_numpy(), bars=None, start=dt.datetime(2020, 1, 1)
    )
    check_same_timezone(times=aware, ends=[ts_aware], start=ts_aware)


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([1, 2, 3]),
        pd.Series([True, False]),
        pd.Series([0.5, np.nan]),
        pd.Series([1, None], dtype="Int64"),
        np.array([1.0, 2.0]),
    ],
)
def test_check_numeric_accepts_numbers_and_flags(values: object) -> None:
    check_numeric(values, "feature column 'x'")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        (pd.Series(["a", "b", None]), "['a', 'b']"),
        (pd.Series(pd.to_datetime(["2024-01-02"])), "2024-01-02"),
        (pd.Series([1 + 2j]), "(1+2j)"),
        (pd.Series(["x"], dtype="category"), "['x']"),
        (np.array(["u", "v"]), "['u', 'v']"),
        # one bad cell among numbers is shown, not the first values
        (pd.Series(["1.5", "2.0", "12,5", None, "n.a."]), "2 of 4 values do not read as "),
        (pd.Series(["1.5", "2.0", "12,5", None, "n.a."]), "e.g. ['12,5', 'n.a.']"),
        (
            pd.Series(["New", "5.0", "New", "x"]),
            "3 of 4 values do not read as numbers, e.g. ['New', 'x']",
        ),
        (pd.Series(["1", "2"]), "every value reads as a number but is stored as text"),
        # "nan" is pandas' text for a missing value: missing, not a bad cell
        (pd.Series(["1.5", "nan", "NaN", "x"]), "1 of 2 values do not read as numbers, e.g. ['x']"),
    ],
)
def test_check_numeric_names_the_column_values_and_fix(values: object, shown: str) -> None:
    with pytest.raises(FeatureTypeError, match="feature column 'x' must be numeric") as info:
        check_numeric(values, "feature column 'x'")  # type: ignore[arg-type]
    assert shown in str(info.value)
    assert "pd.to_numeric" in str(info.value)


def test_check_no_inf_allows_nan_and_names_the_rows_of_inf() -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 2.0], "b": [0.0, np.inf, -np.inf]}, index=[7, 8, 9])
    matrix = frame.to_numpy()
    check_no_inf(matrix[:, :1], ["a"], frame)
    with pytest.raises(NonFiniteError, match=r"column 'b' has infinite values in rows \[8, 9\]"):
        check_no_inf(matrix, ["a", "b"], frame)
    with pytest.raises(NonFiniteError, match=r"rows \[1, 2\]"):
        check_no_inf(matrix, ["a", "b"], matrix)


def test_as_weight_array_checks_sign_zero_and_finiteness() -> None:
    w = pd.Series([0.0, 2.0, 0.5], index=["a", "b", "c"])
    np.testing.assert_array_equal(as_weight_array(w, "`w`"), [0.0, 2.0, 0.5])
    with pytest.raises(InvalidParameterError, match=r"`w` are negative in row \['b'\]"):
        as_weight_array(w * [1, -1, 1], "`w`")
    frame = pd.DataFrame(index=[10, 11, 12])
    with pytest.raises(InvalidParameterError, match=r"negative in row \[11\]"):
        as_weight_array(np.array([1.0, -1.0, 1.0]), "`w`", source=frame)
    # Positive weight only on a row that will not be used: nothing to learn from.
    with pytest.raises(ZeroWeightError, match="all zero: zero in all 2 rows"):
        as_weight_array([0.0, 2.0, 0.0], "`w`", usable=np.array([True, False, True]))
    with pytest.raises(ZeroWeightError):
        as_weight_array([0.0, 0.0], "`w`")
    with pytest.raises(NonFiniteError, match="`w`"):
        as_weight_array([1.0, np.nan], "`w`")


def test_argument_names_are_quoted_once() -> None:
    # Issue 10: messages showed ``sample_weight`` when a caller passed a quoted name.
    with pytest.raises(NonFiniteError, match=r"^`sample_weight` has NaN"):
        as_weight_array([1.0, np.nan], "`sample_weight`")
    with pytest.raises(NonFiniteError, match=r"^`returns` has NaN"):
        as_float_array([1.0, np.nan], "returns")


def test_check_columns_names_the_argument_and_skips_per_row_values() -> None:
    frame = pd.DataFrame({"a": [1.0], "t": [pd.Timestamp("2024-01-02")]})
    check_columns(frame, {"features": ["a"], "times": "t", "label_ends": None, "w": [1.0]})
    with pytest.raises(MissingColumnError, match=r"`target` names \['y'\], which are not columns"):
        check_columns(frame, {"features": ["a"], "target": "y"})
    with pytest.raises(MissingColumnError, match=r"of `holdout`; available: \['a', 't'\]"):
        check_columns(frame, {"features": ("a", "b")}, name="holdout")


NS_TIMES = pd.DatetimeIndex(["2024-03-01 09:30", "2024-03-04 20:00"]).as_unit("ns")
NEW_YORK = NS_TIMES.tz_localize("America/New_York")


@pytest.mark.parametrize(
    ("values", "utc"),
    [
        (NS_TIMES.to_numpy(), NS_TIMES),
        (pd.Series(NS_TIMES), NS_TIMES),
        (pd.Series(NS_TIMES.as_unit("us")), NS_TIMES),
        (pd.Index(NS_TIMES.as_unit("s")), NS_TIMES),
        (NS_TIMES.as_unit("us").to_numpy(), NS_TIMES),
        (pd.Series(NEW_YORK), NEW_YORK.tz_convert("UTC").tz_localize(None)),
        (pd.Series(NEW_YORK.as_unit("us")), NEW_YORK.tz_convert("UTC").tz_localize(None)),
    ],
    ids=["ns-array", "ns-series", "us-series", "s-index", "us-array", "tz-series", "tz-us"],
)
def test_as_datetime_array_returns_new_nanosecond_data(
    values: object, utc: pd.DatetimeIndex
) -> None:
    out = as_datetime_array(values, "times")
    assert out.dtype == np.dtype("datetime64[ns]")
    np.testing.assert_array_equal(out, utc.as_unit("ns").to_numpy())
    out[:] = np.datetime64("2000-01-01", "ns")  # the caller's times are not touched
    np.testing.assert_array_equal(as_datetime_array(values, "times"), utc.as_unit("ns").to_numpy())
