"""Markdown tables of experiment results, and a user's frame read with its contract."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import InvalidParameterError, TimeColumnError
from tr_evaluation.experiments import markdown_cell, markdown_table, percent, read_frame


def test_markdown_table_formats_numbers_dashes_gaps_and_escapes_pipes() -> None:
    table = pd.DataFrame(
        {"top": [0.0123, np.nan], "rows": [1500, 20], "name": ["a|b", None]},
        index=pd.Index(["model", "random"], name="ranker"),
    )
    text = markdown_table(table, {"top": ".2%", "rows": ",.0f"})
    assert text.splitlines() == [
        "| ranker | top | rows | name |",
        "|---|---|---|---|",
        "| model | 1.23% | 1,500 | a\\|b |",
        "| random | – | 20 | – |",
    ]
    assert markdown_table(table[["rows"]], index=False).splitlines()[2] == "| 1500 |"


@pytest.mark.parametrize(
    ("value", "spec", "cell"),
    [
        (np.float64(np.inf), ".2f", "–"),
        (np.int64(3), ".1f", "3.0"),
        ("x", ".2f", "x"),
        (2, None, "2"),
    ],
)
def test_markdown_cell(value, spec, cell) -> None:
    assert markdown_cell(value, spec) == cell


def test_percent() -> None:
    assert percent(0.0123) == "1.23 %"
    assert percent(-0.5, 1) == "-50.0 %"


def test_read_frame_parses_the_contract_times_once(tmp_path) -> None:
    data = tmp_path / "trades.csv"
    pd.DataFrame(
        {
            "date": ["03/01/2024", "04/01/2024"],
            "end": ["03/02/2024", "04/02/2024"],
            "x": [1.0, 2.0],
            "ret": [0.1, -0.1],
        }
    ).to_csv(data, index=False)
    contract = tmp_path / "contract.json"
    contract.write_text(
        json.dumps(
            {
                "time": "date",
                "label_end": "end",
                "target": "ret",
                "features": ["x"],
                "time_format": "%d/%m/%Y",
            }
        )
    )
    frame, parsed = read_frame(data, contract)
    assert frame["date"].tolist() == [pd.Timestamp("2024-01-03"), pd.Timestamp("2024-01-04")]
    assert parsed.time == "date"
    assert parsed.target == "ret"
    frame.to_parquet(tmp_path / "trades.parquet")
    again, _ = read_frame(tmp_path / "trades.parquet", contract)
    pd.testing.assert_frame_equal(again, frame)


def _files(tmp_path, times, contract) -> tuple:
    data = tmp_path / "trades.csv"
    pd.DataFrame({"t": times, "x": [1.0, 2.0], "y": [0.1, -0.1]}).to_csv(data, index=False)
    path = tmp_path / "contract.json"
    path.write_text(contract if isinstance(contract, str) else json.dumps(contract))
    return data, path


SPEC = {"time": "t", "target": "y", "features": ["x"]}
NEW_YORK = [pd.Timestamp("2024-01-05 10:00"), pd.Timestamp("2024-07-05 10:00")]


def test_read_frame_reads_daylight_saving_offsets_on_the_given_zone(tmp_path) -> None:
    # New York is 5 hours behind UTC in winter, 4 in summer: two offsets in one column
    offsets = ["2024-01-05 10:00:00-05:00", "2024-07-05 10:00:00-04:00"]
    data, contract = _files(tmp_path, offsets, SPEC)
    with pytest.raises(TimeColumnError, match=r"column 't' .* different UTC offsets.*time_zone"):
        read_frame(data, contract)
    data, contract = _files(tmp_path, offsets, {**SPEC, "time_zone": "America/New_York"})
    frame, _ = read_frame(data, contract)
    assert str(frame["t"].dt.tz) == "America/New_York"
    assert frame["t"].dt.tz_localize(None).tolist() == NEW_YORK  # the wall clock kept
    assert frame["t"].dt.tz_convert("UTC").dt.hour.tolist() == [15, 14]  # the instants kept
    # naive wall times are localized to the zone, to the same instants
    naive = ["2024-01-05 10:00", "2024-07-05 10:00"]
    data, contract = _files(tmp_path, naive, {**SPEC, "time_zone": "America/New_York"})
    again, _ = read_frame(str(data), str(contract))
    pd.testing.assert_series_equal(again["t"], frame["t"])
    # a zone-aware parquet file is converted to the zone asked for
    frame.assign(t=frame["t"].dt.tz_convert("UTC")).to_parquet(tmp_path / "utc.parquet")
    from_parquet, _ = read_frame(tmp_path / "utc.parquet", contract)
    pd.testing.assert_series_equal(from_parquet["t"], frame["t"])


@pytest.mark.parametrize(
    "wall_time",
    ["2024-03-10 02:30:00", "2024-11-03 01:30:00"],  # skipped in spring, repeated in autumn
)
def test_read_frame_refuses_wall_times_a_clock_change_skips_or_repeats(tmp_path, wall_time) -> None:
    data, contract = _files(
        tmp_path, ["2024-01-05 10:00:00", wall_time], {**SPEC, "time_zone": "America/New_York"}
    )
    message = rf"column 't' holds 1 wall time\(s\), such as {wall_time}, .* skips or repeats"
    with pytest.raises(TimeColumnError, match=message):
        read_frame(data, contract)


@pytest.mark.parametrize(
    ("contract", "error", "message"),
    [
        ("{bad", InvalidParameterError, r"is not JSON .* one object of DataContract"),
        ("[1, 2]", InvalidParameterError, r"holds a JSON list"),
        ({**SPEC, "tz": "UTC"}, InvalidParameterError, r"'tz'.* time_format, time_zone"),
        ({"target": "y", "features": ["x"]}, InvalidParameterError, r"'time'"),
        ({**SPEC, "time_zone": "Mars/Base"}, InvalidParameterError, r"'Mars/Base' is not a time"),
        ({**SPEC, "time_zone": 5}, InvalidParameterError, r"5 is not a time zone"),
    ],
)
def test_read_frame_refuses_a_bad_contract_file_naming_it(
    tmp_path, contract, error, message
) -> None:
    data, path = _files(tmp_path, ["2024-01-05", "2024-01-06"], contract)
    with pytest.raises(error, match=message) as info:
        read_frame(data, path)
    assert str(path) in str(info.value)


def test_read_frame_names_the_column_that_does_not_parse_and_the_missing_file(tmp_path) -> None:
    data, contract = _files(tmp_path, ["2024-01-05", "not a date"], SPEC)
    with pytest.raises(TimeColumnError, match=r"column 't' does not parse.*\"not a date\"") as info:
        read_frame(data, contract)
    assert "time_format" in str(info.value)
    assert "You might want" not in str(info.value)  # pandas' hints name its own arguments
    with pytest.raises(FileNotFoundError, match=r"data file .*missing\.csv"):
        read_frame(tmp_path / "missing.csv", contract)
    with pytest.raises(FileNotFoundError, match=r"contract file .*missing\.json"):
        read_frame(data, tmp_path / "missing.json")
