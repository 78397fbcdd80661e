"""What the main job prints, rounded for reading (``_terminal``), on values worked out by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

HERE = Path(__file__).resolve().parents[1]


def _load_terminal() -> ModuleType:
    # the experiments are scripts, not a package: load the helper module from its file
    spec = importlib.util.spec_from_file_location("_terminal", HERE / "_terminal.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("_terminal", module)
    spec.loader.exec_module(module)
    return module


terminal = _load_terminal()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1 / 1001, "0.001"),  # the smallest p-value of 1,000 permutations
        (0.0004, "<0.001"),
        (0.0, "0.000"),
        (1.0, "1.000"),
        (0.007576, "0.008"),
        (0.9244, "0.924"),
        (float("nan"), "–"),
        (None, "–"),
    ],
)
def test_probabilities_read_with_three_decimals(value: float | None, shown: str) -> None:
    assert terminal.probability(value) == shown


def test_table_formats_each_column_by_what_it_holds() -> None:
    frame = pd.DataFrame(
        {
            "candidate": [0.0751],
            "p_value": [0.000999],
            "dsr": [1.0],
            "pbo": [0.0],
            "ic": [0.23456789],
            "rows": [np.int64(48020)],
        },
        index=pd.Index(["features"], name="question"),
    )
    text = terminal.table(frame)
    row = text.splitlines()[-1].split()
    assert row == ["features", "7.51", "%", "0.001", "1.000", "0.000", "0.2346", "48,020"]
