"""Shared fixtures: small seeded datasets with a time order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def signal_frame() -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """600 events over 300 business days (two per day), a feature that predicts the class.

    Returns ``(X, y, times)``; ``times`` is a Series on ``X``'s index.
    """
    rng = np.random.default_rng(0)
    n = 600
    days = pd.bdate_range("2021-01-04", periods=n // 2).repeat(2)
    X = pd.DataFrame(
        {"signal": rng.normal(size=n), "other": rng.normal(size=n), "regime": rng.normal(size=n)},
        index=pd.Index([f"e{i:03d}" for i in range(n)], name="event"),
    )
    y = pd.Series((X["signal"] + 0.7 * rng.normal(size=n) > 0).astype(int), index=X.index)
    times = pd.Series(days, index=X.index, name="trade_date")
    return X, y, times
