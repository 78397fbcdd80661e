"""mutual_information: result shape and metadata, no mutation, and clear errors on bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import (
    DuplicateColumnError,
    EmptyDataError,
    FeatureTypeError,
    IndexAlignmentError,
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
    NonFiniteError,
    TrTypeError,
)
from tr_feature_selection.information import mutual_information

RNG = np.random.default_rng(11)
N = 400
SIGNAL = RNG.normal(size=N)
Y = (SIGNAL + RNG.normal(size=N) > 0).astype(int)


def frame() -> pd.DataFrame:
    rng = np.random.default_rng(12)
    return pd.DataFrame(
        {
            "noise": rng.normal(size=N),
            "signal": SIGNAL,
            "flag": SIGNAL > 1.0,
            "count": rng.integers(0, 4, N),
        },
        index=pd.RangeIndex(100, 100 + N),
    )


def test_result_is_sorted_named_and_carries_its_metadata() -> None:
    X = frame()
    X.loc[X.index[:200], "signal"] = np.nan
    mi = mutual_information(X, pd.Series(Y, index=X.index))
    assert mi.name == "mutual_information"
    assert mi.index[0] == "signal"
    assert mi.is_monotonic_decreasing
    assert set(mi.index) == set(X.columns)
    assert mi.attrs == {
        "n_rows": {"noise": N, "signal": 200, "flag": N, "count": N},
        "method": "binned",
        "units": "nats",
        # ceil(2 n^(1/3)) per feature: 15 for 400 rows, 12 for 200
        "n_bins": {"noise": 15, "signal": 12, "flag": 15, "count": 15},
        "target_kind": "discrete",
        "discrete_target": True,
    }
    # attrs survive the operations a caller is likely to do next
    assert mi.head(2).attrs["units"] == "nats"
    assert mi.copy().attrs["n_rows"]["signal"] == 200


def test_ties_keep_input_order() -> None:
    X = pd.DataFrame({"c": np.ones(N), "a": np.zeros(N), "b": np.full(N, 2.0)})
    assert list(mutual_information(X, Y).index) == ["c", "a", "b"]


def test_array_input_gets_x_names_and_labels_need_not_be_numbers() -> None:
    X = frame().to_numpy(dtype=float)
    labels = np.where(Y == 1, "up", "down")
    mi = mutual_information(X, labels)
    pd.testing.assert_series_equal(mi, mutual_information(X, Y))
    assert list(mi.attrs["n_rows"]) == ["x0", "x1", "x2", "x3"]


def test_bool_and_nullable_inputs_are_numbers() -> None:
    X = frame()
    X["count"] = X["count"].astype("Int64")
    X.loc[X.index[0], "count"] = pd.NA
    mi = mutual_information(X, pd.Series(Y == 1, index=X.index))
    assert mi.attrs["n_rows"]["count"] == N - 1


def test_fixed_n_bins() -> None:
    mi = mutual_information(frame(), Y, n_bins=4)
    assert set(mi.attrs["n_bins"].values()) == {4}


@pytest.mark.parametrize("method", ["binned", "knn"])
def test_inputs_are_not_mutated(method: str) -> None:
    X = frame()
    X.loc[X.index[:10], "noise"] = np.nan
    y = pd.Series(Y.astype(float), index=X.index)
    X_before, y_before = X.copy(), y.copy()
    arr = X.to_numpy(dtype=float)
    arr_before = arr.copy()
    mutual_information(X, y, method=method, random_state=0)
    mutual_information(arr, y.to_numpy(), method=method, target_kind="continuous", random_state=0)
    pd.testing.assert_frame_equal(X, X_before)
    pd.testing.assert_series_equal(y, y_before)
    np.testing.assert_array_equal(arr, arr_before)


def test_non_numeric_feature() -> None:
    X = frame()
    X["ticker"] = "AAPL"
    with pytest.raises(FeatureTypeError, match=r"'ticker'.*pd\.to_numeric"):
        mutual_information(X, Y)
    with pytest.raises(FeatureTypeError, match="`X` must be numeric"):
        mutual_information(np.array([["a", "b"]] * N), Y)
    X = frame()
    X["when"] = pd.Timestamp("2020-01-01")
    with pytest.raises(FeatureTypeError, match="'when'"):
        mutual_information(X, Y)


def test_infinite_feature_names_feature_and_rows() -> None:
    X = frame()
    X.loc[[103, 150], "signal"] = np.inf
    with pytest.raises(NonFiniteError, match=r"'signal'.*rows \[103, 150\]"):
        mutual_information(X, Y)


def test_nan_or_inf_target() -> None:
    X = frame()
    y = pd.Series(Y.astype(float), index=X.index)
    y[105] = np.nan
    with pytest.raises(NonFiniteError, match=r"row \[105\].*drop unlabeled rows first"):
        mutual_information(X, y)
    with pytest.raises(NonFiniteError, match="unlabeled"):
        mutual_information(X, np.where(Y == 1, "up", None))
    y[105] = np.inf
    with pytest.raises(NonFiniteError, match="infinite"):
        mutual_information(X, y, target_kind="continuous")


def test_length_and_index_mismatch() -> None:
    with pytest.raises(LengthMismatchError, match="`X` has 400, `y` has 399"):
        mutual_information(frame(), Y[:-1])
    # Labels 0..399 against rows 100..499: refused, never paired by position.
    with pytest.raises(IndexAlignmentError, match=r"`y` does not describe the same rows"):
        mutual_information(frame(), pd.Series(Y))


def test_y_is_paired_with_x_by_index_label() -> None:
    # The same rows in reverse order are matched by label, not by position.
    X = frame()
    y = pd.Series(Y, index=X.index)
    expected = mutual_information(X, y)
    pd.testing.assert_series_equal(mutual_information(X, y.iloc[::-1]), expected)
    # A NaN target is reported by its own label, whatever the order.
    y_nan = y.astype(float).iloc[::-1]
    y_nan[105] = np.nan
    with pytest.raises(NonFiniteError, match=r"row \[105\]"):
        mutual_information(X, y_nan)


def test_constant_target() -> None:
    with pytest.raises(InsufficientDataError, match="single value"):
        mutual_information(frame(), np.ones(N))
    with pytest.raises(InsufficientDataError, match="single value"):
        mutual_information(frame(), np.ones(N), target_kind="continuous")


def test_feature_with_too_few_rows_is_named_with_its_count() -> None:
    X = frame()
    X.loc[X.index[5:], "signal"] = np.nan
    X["empty"] = np.nan
    with pytest.raises(InsufficientDataError, match="'signal' has 5, 'empty' has 0"):
        mutual_information(X, Y)


def test_continuous_target_passed_as_classes() -> None:
    with pytest.raises(InvalidParameterError, match=r"400 distinct values.*'continuous'"):
        mutual_information(frame(), SIGNAL, target_kind="discrete")
    # "auto" takes it for what it is: a quantity.
    assert mutual_information(frame(), SIGNAL).attrs["target_kind"] == "continuous"


def test_labels_cannot_be_a_continuous_target() -> None:
    labels = np.where(Y == 1, "up", "down")
    with pytest.raises(TrTypeError, match=r"holds labels.*target_kind='discrete'"):
        mutual_information(frame(), labels, target_kind="continuous")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "kde"}, "`method` must be one of"),
        ({"n_bins": 1}, "`n_bins` must be"),
        ({"n_bins": True}, "`n_bins` must be"),
        ({"n_bins": "sturges"}, "`n_bins` must be"),
        ({"n_bins": 10, "method": "knn"}, "method='binned' only"),
        ({"target_kind": "classes"}, "`target_kind` must be one of"),
        ({"discrete_target": "yes"}, "`discrete_target` must be True or False"),
        ({"discrete_target": True, "target_kind": "continuous"}, "contradicts"),
        ({"random_state": -1}, "`random_state` must be"),
        ({"random_state": np.random.default_rng(0)}, "`random_state` must be"),
    ],
)
def test_bad_parameters(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        mutual_information(frame(), Y, **kwargs)  # type: ignore[arg-type]


def test_bad_shapes_and_names() -> None:
    X = frame()
    with pytest.raises(TrTypeError, match="column name"):
        mutual_information(X, "signal")
    with pytest.raises(TrTypeError, match="DataFrame"):
        mutual_information(X, X[["signal"]])
    with pytest.raises(TrTypeError, match="one-dimensional"):
        mutual_information(X, np.ones((N, 2)))
    with pytest.raises(TrTypeError, match="two-dimensional"):
        mutual_information(SIGNAL, Y)
    dup = pd.concat([X[["signal"]], X[["signal"]]], axis=1)
    with pytest.raises(DuplicateColumnError, match="'signal'"):
        mutual_information(dup, Y)
    with pytest.raises(EmptyDataError, match="at least one row"):
        mutual_information(X.iloc[:, :0], Y)
    with pytest.raises(EmptyDataError, match="at least one row"):
        mutual_information(np.empty((0, 2)), np.empty(0))


def test_more_bins_than_rows_is_refused() -> None:
    # 30 rows in 1000 bins: each value alone in its bin, so pure noise scored ln(2) nats.
    rng = np.random.default_rng(3)
    noise = pd.DataFrame({"a": rng.normal(size=30), "b": rng.normal(size=30)})
    y = rng.random(30) > 0.5
    with pytest.raises(InvalidParameterError, match=r"`n_bins`=1000 .*'a' has 30 rows for 2000"):
        mutual_information(noise, y, n_bins=1000)
    with pytest.raises(InvalidParameterError, match=r"'a' has 30 rows for 36 cells"):
        mutual_information(noise, rng.normal(size=30), n_bins=6, target_kind="continuous")
    assert mutual_information(noise, y, n_bins=15).attrs["n_bins"] == {"a": 15, "b": 15}
