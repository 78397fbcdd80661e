"""Shared fixtures: the hand-worked AFML-style concurrency example."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def days() -> pd.DatetimeIndex:
    """Five consecutive days d0..d4."""
    return pd.date_range("2024-01-01", periods=5, freq="D")


@pytest.fixture
def three_labels(days: pd.DatetimeIndex) -> pd.DataFrame:
    """Labels A = [d0, d2], B = [d1, d3], C = [d3, d4] with alpha and a class.

    Concurrency per day: d0 {A} = 1, d1 {A, B} = 2, d2 {A, B} = 2, d3 {B, C} = 2,
    d4 {C} = 1. Average uniqueness: A (1 + 1/2 + 1/2) / 3 = 2/3, B 1/2,
    C (1/2 + 1) / 2 = 3/4.
    """
    return pd.DataFrame(
        {
            "trade_date": days[[0, 1, 3]],
            "label_end": days[[2, 3, 4]],
            "alpha": [0.03, -0.06, 0.02],
            "side": ["buy", "sell", "buy"],
        },
        index=pd.Index(["A", "B", "C"], name="trade"),
    )
