"""Markdown tables of experiment results, and a user's frame read with its contract."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

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
