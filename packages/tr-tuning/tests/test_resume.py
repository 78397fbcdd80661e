"""Resumable studies on a journal file: stopped, interrupted or killed, a study goes on.

A study on ``storage="path.journal"`` that stopped after k trials (its ``n_trials``
reached, Ctrl-C, or the process killed) continues to n on the next run with the
same trial history; re-running a finished study runs nothing; two processes on one
machine share one journal file.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import _tuning_worker as workers  # registered by conftest.py
import optuna
import pandas as pd
import pytest

from tr_tuning.objective import trial_record
from tr_tuning.optuna_study import open_storage

FINISHED = workers.FINISHED
RUNNING = optuna.trial.TrialState.RUNNING


@pytest.fixture
def started() -> Iterator[list[Any]]:
    """The test's worker processes; any left running is killed at the end."""
    with workers.worker_processes() as processes:
        yield processes


def tune(journal: Path, n_trials: int, market: Any) -> Any:
    """The workers' optimizer, run in this process on their market (the conftest's)."""
    c = market.contract
    return workers.optimizer(str(journal), "resume", n_trials, 0, 30).optimize(
        market.frame, features=c.features, target=c.target, times=c.time, label_ends=c.label_end
    )


def history(trials: list[optuna.trial.FrozenTrial]) -> dict[int, tuple[Any, ...]]:
    """What must survive a resume: each finished trial's state, parameters and value."""
    return {
        t.number: (t.state, t.params, t.value, trial_record(t).get("fold_scores"))
        for t in trials
        if t.state in FINISHED
    }


def test_stopped_study_continues_to_n_with_the_same_history(tmp_path: Path, market: Any) -> None:
    journal = tmp_path / "study.journal"
    first = tune(journal, 3, market)
    assert list(first.trials.index) == [0, 1, 2]

    second = tune(journal, 6, market)
    table = second.trials
    assert list(table.index) == list(range(6))  # numbers 0..n-1, none twice
    assert table["state"].isin(["COMPLETE", "PRUNED"]).all()
    # The first three trials are the stored ones, untouched: parameters, fold scores,
    # values, durations, worker.
    pd.testing.assert_frame_equal(table.loc[first.trials.index, first.trials.columns], first.trials)

    again = tune(journal, 6, market)  # the study is complete: nothing runs
    pd.testing.assert_frame_equal(again.trials, table)
    assert (again.best_trial, again.best_value) == (second.best_trial, second.best_value)


def test_study_interrupted_by_ctrl_c_resumes_with_the_same_history(
    tmp_path: Path, market: Any, started: list[Any]
) -> None:
    journal = tmp_path / "study.journal"
    storage = open_storage(str(journal))
    # The worker aims at many more trials than it can run while Ctrl-C is pressed again
    # (a press XGBoost swallows is repeated a second later): it is stopped mid-study.
    worker = workers.Worker(tmp_path, "interrupted", str(journal), "resume", 40)
    started.append(worker)
    workers.wait_until(workers.between_folds(storage, "resume"), started, "a trial between folds")
    assert worker.interrupt() != 0
    assert "KeyboardInterrupt" in worker.log.read_text()

    before = workers.trials_of(storage, "resume")
    # Optuna records the trial Ctrl-C interrupted as failed. XGBoost can swallow the
    # interruption inside its C code, or abort the process there ("corrupted size vs.
    # prev_size"): then the trial stays RUNNING, as after a SIGKILL. At most one is left.
    left = [(t.number, t.state) for t in before if t.state not in FINISHED]
    assert len(left) <= 1
    assert {state for _, state in left} <= {optuna.trial.TrialState.FAIL, RUNNING}
    n_before = sum(t.state in FINISHED for t in before)
    assert 1 <= n_before < 40

    n = n_before + 2  # resumed to two more finished trials
    tune(journal, n, market)
    after = workers.trials_of(storage, "resume")
    assert sorted(t.number for t in after) == list(range(len(after)))
    assert sum(t.state in FINISHED for t in after) == n
    assert [(t.number, t.state) for t in after if t.state not in FINISHED] == left
    assert {n: h for n, h in history(after).items() if n in history(before)} == history(before)


def test_killed_worker_leaves_its_trial_running_and_the_study_still_completes(
    tmp_path: Path, market: Any, started: list[Any]
) -> None:
    # A journal file has no heartbeats: nobody can tell a killed worker's trial from a
    # slow one, so it stays RUNNING; the next run still reaches n finished trials.
    journal = tmp_path / "study.journal"
    storage = open_storage(str(journal))
    worker = workers.Worker(tmp_path, "killed", str(journal), "resume", 6)
    started.append(worker)
    (midway,) = worker.freeze_when(
        workers.between_folds(storage, "resume"), "a trial between folds"
    )
    assert worker.signal(signal.SIGKILL) == -signal.SIGKILL
    before = workers.trials_of(storage, "resume")
    assert [t.number for t in before if t.state not in FINISHED] == [midway.number]

    tune(journal, 6, market)
    after = workers.trials_of(storage, "resume")
    assert sorted(t.number for t in after) == list(range(len(after)))
    assert sum(t.state in FINISHED for t in after) == 6
    assert [(t.number, t.state) for t in after if t.state not in FINISHED] == [
        (midway.number, RUNNING)
    ]
    assert {n: h for n, h in history(after).items() if n in history(before)} == history(before)


def test_two_processes_share_one_journal_file(tmp_path: Path, started: list[Any]) -> None:
    journal = str(tmp_path / "study.journal")
    n_trials = 8
    records = workers.run_together(started, tmp_path, journal, "resume", n_trials)
    trials = workers.trials_of(open_storage(journal), "resume")
    workers.check_shared_study(trials, records, started, n_trials)
