"""Shared fixtures: a small synthetic market with a known truth, and fast tuner settings."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tr_core.synthetic import make_insider_trades


def _register_helper(name: str) -> None:
    """Make a helper module of this folder importable by name (``import _tuning_worker``).

    Under ``--import-mode=importlib`` no test folder is on the import path, and the
    helper is also run as a script by the worker subprocesses, so it is loaded once
    here, before the test modules are collected, and placed in ``sys.modules``.
    """
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)


_register_helper("_tuning_worker")


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
