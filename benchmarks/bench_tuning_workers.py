"""Two worker processes on one shared study against one process doing all the trials.

Issue 11 target: 2 processes on one shared study finish 40 trials in at most 0.65x
the wall time of 1 process (one XGBoost thread each). Ideal is 0.5x on 2 free cores;
the rest is process start-up (imports, the market, the study's setup) that both
workers pay, the last trial that runs alone, and the shared journal file.

Each side starts fresh processes (``tuning_worker.py``) on a new journal file in a
temp folder and is timed from the first launch until the last process exits, so
start-up is counted on both sides alike. Trials are pinned to cost the same
(:func:`tuning_common.fixed_cost_space`: fixed depth, learning rate and rounds, no
early stopping, no pruning), so the ratio measures the sharing, not which
parameters happened to be drawn. Every worker runs the same command with
``random_state=0``, as a user would; the package mixes each process's id into its
sampler's seed.

Start-up is measured with compiled bytecode: the worker processes write theirs to a
temp folder (``PYTHONPYCACHEPREFIX``), warmed by one small worker run before timing,
which is reported as the start-up. (Environments with ``PYTHONDONTWRITEBYTECODE``
would otherwise compile scipy, scikit-learn and matplotlib from source in every
process — seconds no installed package pays.)

After the two-process run the study is read back: the finished trials, distinct
trial numbers, and how many trials each worker ran are printed with the ratio.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import optuna
from harness import Bench
from tuning_common import report

from tr_tuning.optuna_study import open_storage

WORKER = Path(__file__).resolve().parent / "tuning_worker.py"
STUDY = "bench-workers"


def run_workers(
    n_workers: int, n_trials: int, n_rows: int, n_rounds: int, env: dict[str, str]
) -> tuple[float, str]:
    """Wall time of ``n_workers`` processes reaching ``n_trials`` on a fresh study; its record."""
    with tempfile.TemporaryDirectory() as tmp:
        journal = str(Path(tmp) / "study.journal")
        common = [
            "--storage", journal, "--study", STUDY, "--trials", str(n_trials),
            "--rows", str(n_rows), "--rounds", str(n_rounds),
        ]  # fmt: skip
        start = time.perf_counter()
        procs = [
            subprocess.Popen([sys.executable, str(WORKER), *common], env=env)
            for _ in range(n_workers)
        ]
        codes = [p.wait() for p in procs]
        elapsed = time.perf_counter() - start
        if any(codes):
            raise RuntimeError(f"a tuning worker failed (exit codes {codes})")
        study = optuna.load_study(study_name=STUDY, storage=open_storage(journal))
        trials = study.get_trials(deepcopy=False)
    finished = [t for t in trials if t.state.is_finished()]
    numbers = {t.number for t in trials}
    per_worker: dict[str, int] = {}
    for t in finished:
        worker = str(t.user_attrs.get("worker", "?"))
        per_worker[worker] = per_worker.get(worker, 0) + 1
    if len(finished) < n_trials or len(numbers) != len(trials):
        raise AssertionError(
            f"the shared study holds {len(finished)} finished trials with {len(numbers)} "
            f"distinct numbers out of {len(trials)}; expected {n_trials}, all distinct"
        )
    record = f"{len(finished)} trials, per worker {sorted(per_worker.values(), reverse=True)}"
    return elapsed, record


def run(bench: Bench) -> None:
    n_trials, n_rows, n_rounds = (4, 2_000, 10) if bench.quick else (40, 20_000, 100)
    with tempfile.TemporaryDirectory() as pycache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pycache
        startup, _ = run_workers(1, 1, 2_000, 5, env)
        one, one_record = run_workers(1, n_trials, n_rows, n_rounds, env)
        two, two_record = run_workers(2, n_trials, n_rows, n_rounds, env)
    ratio = two / one
    report(
        bench,
        f"shared study, {n_trials} trials: 2 worker processes",
        ours_s=two,
        peer="1 worker process",
        peer_s=one,
        ratio=ratio,
        passed=ratio <= 0.65,
        need="<= 0.65x the time",
        note=f"journal file; 2 workers: {two_record}; 1 worker: {one_record}; "
        f"start-up of a worker with 1 tiny trial {startup:.1f} s",
    )
