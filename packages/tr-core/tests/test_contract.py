"""DataContract: declared roles, and a clear error for every bad input the issue names."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import tr_core.contract
import tr_core.units
from tr_core.contract import DataContract
from tr_core.errors import (
    DuplicateColumnError,
    EmptyDataError,
    FeatureTypeError,
    InvalidParameterError,
    LabelWindowError,
    MissingColumnError,
    NonFiniteError,
    TimeColumnError,
    TimeTypeError,
    TrError,
    TrTypeError,
)
from tr_core.units import UnitsWarning


@pytest.fixture
def contract() -> DataContract:
    return DataContract(
        time="t",
        target="alpha",
        features=["value", "mom", "noise"],
        label_end="end",
        entity="ticker",
        groups={"insider": ["value"], "technical": ["mom"]},
    )


@pytest.fixture
def frame() -> pd.DataFrame:
    t = pd.to_datetime(["2020-01-02", "2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07"])
    return pd.DataFrame(
        {
            "t": t,
            "end": t + pd.Timedelta(days=30),
            "ticker": ["AAA", "BBB", "AAA", "CCC", "BBB"],
            "alpha": [0.05, -0.02, 0.10, 0.00, -0.07],
            "value": [1.0, np.nan, 3.0, 4.0, np.nan],
            "mom": [0.1, 0.2, np.nan, 0.4, 0.5],
            "noise": [1, 2, 3, 4, 5],
        },
        index=[10, 11, 12, 13, 14],
    )


def test_report_counts_facts_of_valid_frame(contract: DataContract, frame: pd.DataFrame) -> None:
    report = contract.validate(frame)
    assert report.n_rows == 5
    assert report.n_timestamps == 4
    assert report.n_entities == 3
    assert report.start == pd.Timestamp("2020-01-02")
    assert report.end == pd.Timestamp("2020-01-07")
    assert report.sorted_by_time
    assert report.feature_nan == {"value": 2, "mom": 1, "noise": 0}
    # ungrouped 'noise' becomes a group of its own; each group counts its own complete rows
    assert report.group_complete_rows == {"insider": 3, "technical": 4, "noise": 5}
    table = report.to_frame()
    assert table.loc["value", "nan_share"] == pytest.approx(0.4)
    json.dumps(report.summary())


def test_validate_does_not_mutate_or_reorder(contract: DataContract, frame: pd.DataFrame) -> None:
    shuffled = frame.iloc[[3, 0, 4, 1, 2]]
    before = shuffled.copy()
    report = contract.validate(shuffled)
    pd.testing.assert_frame_equal(shuffled, before)
    assert not report.sorted_by_time


def test_columns_and_default_group() -> None:
    c = DataContract("t", "y", ["a", "b"])
    assert c.columns == ("t", "y", "a", "b")
    assert dict(c.groups) == {"features": ("a", "b")}
    assert hash(c) == hash(DataContract("t", "y", ["a", "b"]))
    with pytest.raises(TypeError):
        c.groups["x"] = ("a",)  # type: ignore[index]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"features": "a"}, "sequence of column names"),
        ({"features": []}, "empty"),
        ({"features": ["a", "a"]}, r"\['a'\] more than once"),
        ({"features": ["a", "y"]}, "both as features"),
        ({"target_units": "pips"}, "target_units"),
        ({"groups": {"g": "a"}}, "must list column names"),
        ({"groups": {"g": []}}, "is empty"),
        ({"groups": {"g": ["zz"]}}, "not in `features`"),
        ({"groups": {"g": ["a"], "h": ["a"]}}, "both group 'g' and group 'h'"),
        ({"time": 3}, "`time` must be a column name"),
    ],
)
def test_bad_contract_parameters(kwargs: dict, match: str) -> None:
    args = {"time": "t", "target": "y", "features": ["a"]}
    args.update(kwargs)
    with pytest.raises(InvalidParameterError, match=match):
        DataContract(**args)


def test_not_a_frame(contract: DataContract) -> None:
    with pytest.raises(TrTypeError, match="pandas DataFrame"):
        contract.validate({"t": [1]})  # type: ignore[arg-type]


def test_missing_column_names_it_and_the_fix(contract: DataContract, frame: pd.DataFrame) -> None:
    with pytest.raises(MissingColumnError, match=r"\['mom'\].*DataContract") as err:
        contract.validate(frame.drop(columns="mom"))
    assert isinstance(err.value, ValueError)
    assert isinstance(err.value, TrError)


def test_empty_frame(contract: DataContract, frame: pd.DataFrame) -> None:
    with pytest.raises(EmptyDataError, match="no rows"):
        contract.validate(frame.iloc[:0])


def test_duplicate_column_names(contract: DataContract, frame: pd.DataFrame) -> None:
    dup = pd.concat([frame, frame[["mom"]]], axis=1)
    with pytest.raises(DuplicateColumnError, match=r"\['mom'\]"):
        contract.validate(dup)


def test_non_datetime_time(contract: DataContract, frame: pd.DataFrame) -> None:
    bad = frame.assign(t=frame["t"].dt.strftime("%Y-%m-%d"))
    with pytest.raises(TimeTypeError, match=r"'t'.*pd.to_datetime"):
        contract.validate(bad)


def test_nat_time_names_rows(contract: DataContract, frame: pd.DataFrame) -> None:
    bad = frame.copy()
    bad.loc[12, "t"] = pd.NaT
    with pytest.raises(TimeColumnError, match=r"row \[12\]"):
        contract.validate(bad)


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite_target(contract: DataContract, frame: pd.DataFrame, value: float) -> None:
    bad = frame.copy()
    bad.loc[13, "alpha"] = value
    with pytest.raises(NonFiniteError, match=r"'alpha'.*row \[13\].*drop those rows"):
        contract.validate(bad)


def test_label_end_before_time(contract: DataContract, frame: pd.DataFrame) -> None:
    bad = frame.copy()
    bad.loc[[11, 14], "end"] = bad.loc[[11, 14], "t"] - pd.Timedelta(days=1)
    with pytest.raises(LabelWindowError, match=r"rows \[11, 14\] \(2 rows\)"):
        contract.validate(bad)


def test_non_numeric_feature(contract: DataContract, frame: pd.DataFrame) -> None:
    bad = frame.assign(mom=["1", "2", "x", "4", "5"])
    with pytest.raises(FeatureTypeError, match=r"feature column 'mom'.*pd.to_numeric"):
        contract.validate(bad)


def test_non_numeric_target(contract: DataContract, frame: pd.DataFrame) -> None:
    with pytest.raises(FeatureTypeError, match="target column 'alpha'"):
        contract.validate(frame.assign(alpha=list("abcde")))


def test_inf_feature(contract: DataContract, frame: pd.DataFrame) -> None:
    bad = frame.copy()
    bad.loc[10, "value"] = -np.inf
    with pytest.raises(NonFiniteError, match=r"'value'.*row \[10\]"):
        contract.validate(bad)


def test_missing_entity(contract: DataContract, frame: pd.DataFrame) -> None:
    bad = frame.copy()
    bad.loc[11, "ticker"] = None
    with pytest.raises(NonFiniteError, match=r"'ticker'.*row \[11\]"):
        contract.validate(bad)


def test_nullable_and_bool_features_are_numeric(frame: pd.DataFrame) -> None:
    c = DataContract("t", "alpha", ["flag", "count"])
    ok = frame.assign(
        flag=[True, False, True, True, False], count=pd.array([1, None, 3, 4, 5], dtype="Int64")
    )
    assert c.validate(ok).feature_nan == {"flag": 0, "count": 1}


def test_timezone_aware_times_are_accepted(frame: pd.DataFrame) -> None:
    c = DataContract("t", "alpha", ["value"], label_end="end")
    aware = frame.assign(
        t=frame["t"].dt.tz_localize("America/New_York"),
        end=frame["end"].dt.tz_localize("America/New_York"),
    )
    # The report keeps the frame's zone (it was naive UTC, 05:00, before issue 10).
    report = c.validate(aware)
    assert report.start == pd.Timestamp("2020-01-02", tz="America/New_York")
    assert str(report.start.tz) == "America/New_York"


def test_top_level_exports() -> None:
    import tr_core

    assert tr_core.DataContract is DataContract
    for name in tr_core.__all__:
        assert getattr(tr_core, name) is not None


def test_validate_refuses_tz_aware_time_with_naive_label_end() -> None:
    # Regression: naive label ends were read as UTC next to New York times, so
    # label_end < time went unnoticed or appeared where there was none.
    days = pd.date_range("2024-01-01 09:30", periods=3, freq="D")
    frame = pd.DataFrame(
        {
            "t": days.tz_localize("America/New_York"),
            "e": days + pd.Timedelta("2h"),
            "y": [0.01, 0.02, 0.03],
            "f": [1.0, 2.0, 3.0],
        }
    )
    contract = DataContract(time="t", target="y", features=["f"], label_end="e")
    with pytest.raises(TimeTypeError, match="column 't' \\(time\\)` carry a timezone"):
        contract.validate(frame)
    frame["e"] = frame["e"].dt.tz_localize("America/New_York")
    assert contract.validate(frame).n_rows == 3


def test_summary_keeps_the_timezone_offset() -> None:
    # Regression: summary() wrote naive UTC times ("2024-03-09T01:00:00"), losing the
    # offset: a 20:00 New York trade read as the next day. DST changes the offset.
    times = pd.DatetimeIndex(
        ["2024-03-08 20:00", "2024-03-11 09:30", "2024-03-12 16:00"], tz="America/New_York"
    )
    frame = pd.DataFrame({"t": times, "y": [0.01, -0.02, 0.03], "f": [1.0, 2.0, 3.0]})
    summary = DataContract("t", "y", ["f"]).validate(frame).summary()
    assert summary["start"] == "2024-03-08T20:00:00-05:00"
    assert summary["end"] == "2024-03-12T16:00:00-04:00"
    restored = json.loads(json.dumps(summary))
    assert pd.Timestamp(restored["start"]) == times[0]
    assert pd.Timestamp(restored["end"]) == times[-1]
    # Naive times stay naive.
    naive = DataContract("t", "y", ["f"]).validate(frame.assign(t=times.tz_localize(None)))
    assert naive.summary()["start"] == "2024-03-08T20:00:00"


def _alpha_frame(alpha: np.ndarray) -> pd.DataFrame:
    n = alpha.size
    return pd.DataFrame(
        {
            "t": pd.date_range("2024-01-01", periods=n, freq="D"),
            "alpha": alpha,
            "f": np.arange(n, dtype=float),
        }
    )


PERCENT_POINTS = np.tile([5.0, -3.0, 2.5, -4.0], 10)  # +5 %, -3 %, ... in percent points


def test_target_in_another_unit_than_declared_warns() -> None:
    frame = _alpha_frame(PERCENT_POINTS)
    with pytest.warns(
        UnitsWarning, match=r"column 'alpha' \(target\) declared in 'fraction'.*350 percent"
    ):
        DataContract("t", "alpha", ["f"]).validate(frame)
    with pytest.warns(UnitsWarning, match="declared in 'bps'"):
        DataContract("t", "alpha", ["f"], target_units="bps").validate(
            _alpha_frame(PERCENT_POINTS / 100)
        )


def test_target_in_declared_units_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnitsWarning)
        DataContract("t", "alpha", ["f"], target_units="percent").validate(
            _alpha_frame(PERCENT_POINTS)
        )
        DataContract("t", "alpha", ["f"]).validate(_alpha_frame(PERCENT_POINTS / 100))
        DataContract("t", "alpha", ["f"], target_units="bps").validate(
            _alpha_frame(PERCENT_POINTS * 100)
        )
        # Fewer than 20 rows are not judged.
        DataContract("t", "alpha", ["f"]).validate(_alpha_frame(PERCENT_POINTS[:19]))


def test_target_units_has_one_definition() -> None:
    assert tr_core.contract.TargetUnits is tr_core.units.TargetUnits
    with pytest.raises(InvalidParameterError, match="target_units"):
        DataContract("t", "alpha", ["f"], target_units="pct")  # type: ignore[arg-type]


def test_report_repr_is_one_line(contract: DataContract, frame: pd.DataFrame) -> None:
    extra = pd.DataFrame(1.0, index=frame.index, columns=[f"x{i}" for i in range(300)])
    wide = pd.concat([frame, extra], axis=1)
    c = DataContract("t", "alpha", [f"x{i}" for i in range(300)])
    text = repr(c.validate(wide))
    assert text.startswith("ValidationReport(n_rows=5, ")
    assert "n_features=300" in text
    assert "\n" not in text
    assert len(text) < 300
