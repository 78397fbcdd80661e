"""One store for every strategy: the two real-data studies and the main job record their
runs in the store ``$TR_EXPERIMENTS_STORE`` names, and ``tr-experiments`` shows the
strategies side by side on the metric names they share (experiments/README.md).

Run by ``nox -s real_data_experiments`` (it needs ``../shared/data``); each script runs
once, as a user runs it, with its default output folder (ignored by git).
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tr_evaluation.experiments import STORE_ENV_VAR, ExperimentStore

ROOT = Path(__file__).resolve().parents[2]
RUNS = {
    "ceo-purchases-3m-alpha": ["experiments/ceo_purchases/run.py", "--seeds", "2"],
    "sp500-cross-section-20d-excess": ["experiments/sp500_cross_section/run.py", "--quick"],
    "insider-trading-research-run": ["experiments/insider_trading/research_run.py", "--quick"],
}
SHARED_METRICS = ["top_bucket_alpha", "model_p_value", "dsr_best", "pbo"]
OWN_STORES = [ROOT / Path(args[0]).parent / "output" / "store" for args in RUNS.values()]


def run_ids(folder: Path) -> list[str]:
    return ExperimentStore(folder).run_ids() if folder.is_dir() else []


@pytest.fixture(scope="module")
def one_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("one-store")
    own_before = {folder: run_ids(folder) for folder in OWN_STORES}
    env = {**os.environ, STORE_ENV_VAR: str(store), "MPLBACKEND": "Agg"}
    for args in RUNS.values():
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True)
    assert {folder: run_ids(folder) for folder in OWN_STORES} == own_before, (
        "a script recorded in its own store although $TR_EXPERIMENTS_STORE named another"
    )
    return store


def tr_experiments(store: Path, *args: str, columns: int = 100) -> str:
    command = shutil.which("tr-experiments", path=str(Path(sys.executable).parent))
    assert command, "tr-experiments is installed with tr-evaluation"
    env = {**os.environ, STORE_ENV_VAR: str(store), "COLUMNS": str(columns)}
    done = subprocess.run([command, *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_every_strategy_is_recorded_in_the_one_store(one_store: Path) -> None:
    runs = ExperimentStore(one_store).runs()
    assert sorted(runs["experiment"]) == sorted(RUNS)
    assert set(runs["status"]) == {"completed"}
    listing = tr_experiments(one_store, "list", columns=200)
    for name in RUNS:
        assert name in listing
    # the measures every strategy logs come first, beside the run: the cross-strategy view
    header = listing.splitlines()[0].split()
    assert set(header[5 : 5 + len(SHARED_METRICS)]) == set(SHARED_METRICS), header
    assert max(map(len, listing.splitlines())) <= 200


def test_compare_shows_the_strategies_side_by_side(one_store: Path) -> None:
    store = ExperimentStore(one_store)
    ids = list(store.runs().set_index("experiment").loc[list(RUNS), "run_id"])
    side_by_side = store.compare(ids)
    shared = side_by_side.loc[SHARED_METRICS]
    assert shared.notna().all().all(), shared
    for name in ("model_p_value", "dsr_best", "pbo"):
        assert all(0.0 <= value <= 1.0 for value in shared.loc[name])
    assert all(math.isfinite(v) and abs(v) < 1.0 for v in shared.loc["top_bucket_alpha"])

    printed = tr_experiments(one_store, "compare", *ids)
    header, *rows = printed.splitlines()
    assert all(run_id in header for run_id in ids)
    for name in SHARED_METRICS:
        (row,) = [line for line in rows if line.split()[:1] == [name]]
        assert "-" not in row.split()[1:], row
