"""A study on a journal file against the same study in memory.

Issue 11 target: the journal-file storage adds under 2 % to the wall time of a
40-trial study against in-memory storage.

Both runs are the same ``XGBoostOptimizer.optimize`` call (same market, trials of equal
cost: 20,000 rows, 80 rounds, every trial all 5 folds — the journal's cost is a few
milliseconds per write, about a dozen writes a trial, so its share depends on the
trial's size, and pruning would make most trials here a single small fold, far below
a real tuning trial), once with ``storage=None`` and once with
``storage=<a new journal file in a temp folder>``; the benchmark checks that both
ran the same trials (parameters, states, fold scores) before it reports. Each run
gets the TPE sampler the package builds for its storage, seeded 0: a journal study
turns on ``constant_liar`` (it may be shared), which reads the trials from the
storage at every draw instead of a cache — part of what a user pays, so measured
too. (The package also mixes the process id into a shared study's seed, so that
workers started alike draw different trials; the benchmark passes the sampler
itself so that both runs draw the same ones.) The note gives the journal's cost per
trial, its appends per trial (Optuna's ``JournalFileBackend`` fsyncs each one) and
the ratio of this process's CPU time, which the other jobs on a shared machine
barely move. The two runs alternate (journal, memory, journal, memory) and the best
of each is kept, so a load burst on the shared machine hits both.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import optuna
import pandas as pd
from harness import Bench, Interleaved
from tuning_common import COLUMNS, fixed_cost_space, market, report

from tr_tuning import TuningResult, XGBoostOptimizer

N_TRIALS = 40


def study(
    frame: pd.DataFrame, features: list[str], n_rounds: int, n_trials: int, storage: Any
) -> TuningResult:
    """One study of ``n_trials`` trials with the given storage."""
    # The sampler the package builds for each storage, minus the process id that it
    # mixes into the seed of a persistent (shareable) study: with it, the two runs
    # would draw different trials and the comparison would measure the draws.
    sampler = optuna.samplers.TPESampler(
        seed=0, multivariate=True, constant_liar=storage is not None
    )
    optimizer = XGBoostOptimizer(
        fixed_cost_space(),
        sampler=sampler,
        early_stopping_rounds=None,
        pruner="none",
        max_rounds=n_rounds,
        n_trials=n_trials,
        storage=storage,
        random_state=0,
        n_jobs=1,
        verbose=False,
    )
    return optimizer.optimize(frame, features=features, **COLUMNS)


def journal_study(
    frame: pd.DataFrame, features: list[str], n_rounds: int, n_trials: int
) -> tuple[TuningResult, int]:
    """The same study on a journal file that does not exist yet; its number of writes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "study.journal"
        result = study(frame, features, n_rounds, n_trials, str(path))
        with path.open("rb") as log:
            return result, sum(1 for _ in log)


def same_trials(a: TuningResult, b: TuningResult) -> None:
    """Raise unless both studies ran the same trials with the same outcomes."""
    cols = [c for c in a.trials.columns if c.startswith(("param_", "fold_")) or c == "state"]
    if not a.trials[cols].equals(b.trials[cols]):
        raise AssertionError("the in-memory and the journal study ran different trials")


def run(bench: Bench) -> None:
    n_rows, n_rounds, n_trials, repeat = (
        (2_000, 10, 6, 1) if bench.quick else (20_000, 80, N_TRIALS, 2)
    )
    frame, features = market(n_rows)
    results: dict[str, TuningResult] = {}
    writes: dict[str, int] = {}

    def on_journal() -> None:
        results["journal"], writes["n"] = journal_study(frame, features, n_rounds, n_trials)

    def in_memory() -> None:
        results["memory"] = study(frame, features, n_rounds, n_trials, None)

    timed = Interleaved.time(on_journal, in_memory, repeat)
    same_trials(results["memory"], results["journal"])
    ratio = timed.ours_s / timed.peer_s
    per_trial_ms = 1000 * (timed.ours_s - timed.peer_s) / n_trials
    report(
        bench,
        f"{n_trials}-trial study on a journal file",
        ours_s=timed.ours_s,
        peer="the same study in memory",
        peer_s=timed.peer_s,
        ratio=ratio,
        passed=ratio < 1.02,
        need="< 1.02x the time",
        note=f"{n_rows:,} rows, {n_rounds} rounds, no pruning; same trials; "
        f"{timed.peer_s / n_trials:.2f} s a trial in memory, journal +{per_trial_ms:.0f} ms a "
        f"trial, {writes['n'] / n_trials:.1f} fsync'd appends a trial; CPU time "
        f"{timed.ours_cpu_s / timed.peer_cpu_s:.3f}x",
    )
