"""Shared fixtures: a small synthetic market with a known truth, and fast tuner settings."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from tr_core.synthetic import make_insider_trades


@pytest.fixture(scope="session")
def market() -> Any:
    """4,000 synthetic insider trades over 3 years (tr_core.synthetic; seeded)."""
    return make_insider_trades(4_000, n_years=3, random_state=7)


@pytest.fixture
def frame(market: Any) -> pd.DataFrame:
    """A fresh copy of the market's frame for each test (tests may check it is untouched)."""
    return market.frame.copy()


@pytest.fixture(scope="session")
def columns(market: Any) -> dict[str, Any]:
    """The column roles ``optimize`` takes, from the market's data contract."""
    c = market.contract
    return {
        "features": list(c.features),
        "target": c.target,
        "times": c.time,
        "label_ends": c.label_end,
    }
