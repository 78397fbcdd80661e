"""Subprocess worker for the experiment-store tests (not a test module).

Usage::

    python _experiment_worker.py many STORE N LABEL [READY GO]   # log N complete runs
    python _experiment_worker.py hang STORE READY     # open a run, signal READY, keep logging
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tr_evaluation.experiments import Experiment, ExperimentStore


def _experiment(label: str) -> Experiment:
    return Experiment(
        name=f"worker-{label}",
        date="2024-05-01",
        context="store robustness test",
        hypothesis="concurrent writers corrupt nothing",
        tags=("worker", label),
    )


def wait_for(go: Path) -> None:
    """Block until the test creates ``go`` (so that all workers start together)."""
    deadline = time.monotonic() + 120
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{go} never appeared")
        time.sleep(0.002)


def many(store: ExperimentStore, n: int, label: str) -> None:
    for i in range(n):
        with _experiment(label).run(store) as run:
            run.log_params({"label": label, "i": i})
            run.log_metrics({"value": float(i), "label_len": float(len(label))})
            run.log_table("table", pd.DataFrame({"x": np.arange(50) + i}))
            run.conclude(results=f"{label} run {i}", insights=["ok"])


def hang(store: ExperimentStore, ready: Path) -> None:
    with _experiment("hang").run(store) as run:
        run.log_params({"mode": "hang"})
        run.log_table("table", pd.DataFrame({"x": np.arange(1000)}))
        ready.write_text(run.run_id)
        i = 0
        while True:
            i += 1
            run.log_metrics({"step": float(i)})
            run.log_table("table", pd.DataFrame({"x": np.arange(1000) * i}))
            time.sleep(0.001)


if __name__ == "__main__":
    mode, root = sys.argv[1], ExperimentStore(sys.argv[2])
    if mode == "many":
        if len(sys.argv) > 5:
            Path(sys.argv[5]).touch()
            wait_for(Path(sys.argv[6]))
        many(root, int(sys.argv[3]), sys.argv[4])
    else:
        hang(root, Path(sys.argv[3]))
