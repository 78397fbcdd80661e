"""Worker processes for the shared-study, fault and resume tests (not a test module).

Run as a script, it is one worker::

    python _tuning_worker.py STORAGE STUDY N_TRIALS OUT.json [--seed S] [--heartbeat H]
                             [--ready PATH --go PATH]

It builds the tests' synthetic market (the same frame in every worker), optionally
signals ``--ready`` and waits for ``--go`` so that several workers start their
trials together, runs ``XGBoostOptimizer(...).optimize`` on STORAGE/STUDY with one
XGBoost thread, and writes what the tests check to OUT.json: this worker's id, its
result's best value and best trial, and the study's trial table as it saw it.

Loaded by the tests (``--import-mode=importlib`` puts no test folder on
``sys.path``, hence :func:`load` in the test files), it gives them :class:`Worker`,
a running worker process, :func:`run_together`, :func:`wait_until` and the checks
of a study shared by several workers.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import optuna

from tr_core.synthetic import make_insider_trades
from tr_tuning import XGBoostOptimizer
from tr_tuning.bayesian_search import MEDIAN_STARTUP_TRIALS
from tr_tuning.optuna_study import worker_id

# A space without the regions where a short boosting run on 4,000 rows grows no split
# (large gamma, very large min_child_weight): a model whose scores are all equal has
# no top bucket, its trial fails, and these tests count trials, not failures.
SPACE: dict[str, Any] = {
    "max_depth": ("int", 2, 5),
    "learning_rate": ("float", 0.05, 0.3, "log"),
    "min_child_weight": ("float", 1.0, 10.0, "log"),
    "subsample": ("float", 0.7, 1.0),
}
# Fast trials (about a second for 5 folds): a few dozen boosting rounds at most.
SETTINGS: dict[str, Any] = {
    "search_space": SPACE,
    "max_rounds": 20,
    "early_stopping_rounds": None,
    "n_jobs": 1,
    "verbose": False,
}


def market() -> Any:
    """The conftest's market: 4,000 synthetic insider trades over 3 years (seeded)."""
    return make_insider_trades(4_000, n_years=3, random_state=7)


def optimizer(storage: str, study: str, n_trials: int, seed: int, heartbeat: int) -> Any:
    """The optimizer every worker of a test builds (only the seed differs)."""
    return XGBoostOptimizer(
        storage=storage,
        study_name=study,
        n_trials=n_trials,
        random_state=seed,
        heartbeat_interval=heartbeat,
        **SETTINGS,
    )


def wait_for(go: Path) -> None:
    """Block until the test creates ``go`` (so that all workers start together)."""
    deadline = time.monotonic() + 300
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{go} never appeared")
        time.sleep(0.01)


T = TypeVar("T")
FINISHED = (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)
N_FOLDS = 5  # the optimizer's default cv, WalkForward(5), on the market
WAIT_S = 240  # generous: a cold CI machine imports xgboost, optuna and scipy slowly
SETTLE_S = 0.3  # for a stopped worker's last statements to reach the storage


class Worker:
    """A worker process started by a test; its output goes to ``NAME.log`` in ``folder``."""

    def __init__(
        self, folder: Path, name: str, storage: str, study: str, n_trials: int, *options: str
    ) -> None:
        self.name = name
        self.out = folder / f"{name}.json"
        self.log = folder / f"{name}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, __file__, storage, study, str(n_trials), str(self.out), *options],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def runs(self, trial_worker: str) -> bool:
        """Whether a trial's ``worker`` attribute (``host:pid``) names this process."""
        return trial_worker.endswith(f":{self.process.pid}")

    def check(self) -> None:
        """Fail the test, with the worker's log, if the worker exited early."""
        code = self.process.poll()
        if code is not None:
            raise AssertionError(f"worker {self.name} exited with {code}:\n{self.tail()}")

    def finish(self) -> dict[str, Any]:
        """Wait for the worker to end well and return what it wrote."""
        code = self.process.wait(timeout=WAIT_S)
        if code != 0:
            raise AssertionError(f"worker {self.name} exited with {code}:\n{self.tail()}")
        record: dict[str, Any] = json.loads(self.out.read_text())
        return record

    def signal(self, signum: int) -> int:
        """Send ``signum`` and return the exit status (negative: killed by a signal)."""
        self.process.send_signal(signum)
        return self.process.wait(timeout=WAIT_S)

    def freeze_when(self, condition: Callable[[], T], what: str) -> T:
        """Wait until ``condition`` holds while this worker is stopped (SIGSTOP); its value.

        Read while the worker runs, a condition may be stale by the time the test acts on
        it: the trial seen between folds can finish before a kill lands. So the worker is
        stopped, given a moment for the statements it already sent to land, and the
        condition read again; if it no longer holds, the worker goes on (SIGCONT) and the
        wait with it. A stopped worker is then killed, or continued, by the test.
        """
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            wait_until(condition, [self], what)
            self.process.send_signal(signal.SIGSTOP)
            time.sleep(SETTLE_S)
            value = condition()
            if value:
                return value
            self.process.send_signal(signal.SIGCONT)
        raise AssertionError(f"gave up waiting for {what} after {WAIT_S} s")

    def interrupt(self) -> int:
        """Press Ctrl-C until the worker stops; its exit status.

        A Ctrl-C that lands while XGBoost's C code calls back into Python (its data
        iterator) is printed and lost — ctypes cannot raise through C — so, like a
        user, the test presses again, a second later (so as not to interrupt Optuna
        recording the first interruption).
        """
        for _ in range(WAIT_S):
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                continue
        raise AssertionError(f"worker {self.name} ignored Ctrl-C:\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(self.log.read_text().splitlines()[-30:])


@contextmanager
def worker_processes() -> Iterator[list[Worker]]:
    """A list the test appends its workers to; any still running at the end is killed."""
    started: list[Worker] = []
    try:
        yield started
    finally:
        for worker in started:
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait()


def wait_until(condition: Callable[[], T], workers: list[Worker], what: str) -> T:
    """Poll ``condition`` until it returns something true; fail if a worker dies first."""
    deadline = time.monotonic() + WAIT_S
    while True:
        value = condition()
        if value:
            return value
        for worker in workers:
            worker.check()
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {WAIT_S} s")
        time.sleep(0.05)


def run_together(
    started: list[Worker], folder: Path, storage: str, study: str, n_trials: int, count: int = 2
) -> list[dict[str, Any]]:
    """``count`` workers on one study, released together once all are ready; their records."""
    go = folder / "go"
    ready = [folder / f"ready{i}" for i in range(count)]
    for i in range(count):
        # each worker its own seed: equally seeded samplers would propose the same points
        options = (f"--seed={i}", f"--ready={ready[i]}", f"--go={go}")
        started.append(Worker(folder, f"worker{i}", storage, study, n_trials, *options))
    wait_until(lambda: all(r.exists() for r in ready), started, "every worker to be ready")
    go.touch()
    return [worker.finish() for worker in started]


def trials_of(storage: Any, study: str) -> list[optuna.trial.FrozenTrial]:
    """The study's trials as stored now (empty while the study does not exist yet)."""
    try:
        loaded = optuna.load_study(study_name=study, storage=storage)
    except KeyError:  # not created yet
        return []
    return loaded.get_trials(deepcopy=False)


def between_folds(storage: Any, study: str) -> Callable[[], list[optuna.trial.FrozenTrial]]:
    """A condition for :func:`wait_until`: a trial running between two of its folds.

    Only while 1 to 4 trials have finished: after one, so that the study is under way;
    before the median pruner's 5 warm-up trials, so that the trial surely goes on to
    its next fold instead of ending right after this report.
    """

    def condition() -> list[optuna.trial.FrozenTrial]:
        trials = trials_of(storage, study)
        if not 1 <= sum(t.state in FINISHED for t in trials) < MEDIAN_STARTUP_TRIALS:
            return []
        return [
            t
            for t in trials
            if t.state == optuna.trial.TrialState.RUNNING
            and 1 <= len(t.intermediate_values) < N_FOLDS
        ]

    return condition


def best_complete(table: list[dict[str, Any]]) -> float:
    """The best value among the complete trials of a record's table (maximized metric)."""
    return max(row["value"] for row in table if row["state"] == "COMPLETE")


def check_shared_study(
    trials: list[optuna.trial.FrozenTrial],
    records: list[dict[str, Any]],
    started: list[Worker],
    n_trials: int,
) -> None:
    """What several workers on one study must leave: every trial, once, and one best.

    (Plain asserts with messages: this module is not rewritten by pytest.)
    """
    numbers = sorted(t.number for t in trials)
    assert numbers == list(range(len(trials))), f"numbers twice or skipped: {numbers}"
    states = [t.state.name for t in trials]
    assert all(t.state in FINISHED for t in trials), f"trials lost or left over: {states}"
    # The workers stop once the study holds n_trials finished trials; each of the others
    # may still finish the trial it was running then.
    assert n_trials <= len(trials) <= n_trials + len(started) - 1, f"{len(trials)} trials"
    ids = {t.user_attrs["worker"] for t in trials}
    assert ids == {r["worker"] for r in records}, f"{ids} vs {[r['worker'] for r in records]}"
    idle = [w.name for w in started if not any(w.runs(i) for i in ids)]
    assert not idle, f"workers {idle} ran no trial"
    for record in records:  # each result agrees with the trial table it saw
        assert record["best_value"] == best_complete(record["trials"]), record
    # The worker that saw the final study: all its trials, none still running (a worker
    # that stopped first may have seen another's trial running, which could still win).
    last = max(
        records,
        key=lambda r: (len(r["trials"]), sum(row["state"] != "RUNNING" for row in r["trials"])),
    )
    assert len(last["trials"]) == len(trials), "no worker saw the whole study"
    assert all(row["state"] != "RUNNING" for row in last["trials"]), last
    complete = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
    best = max(complete, key=lambda t: t.value if t.value is not None else -math.inf)
    assert (last["best_value"], last["best_trial"]) == (best.value, best.number), last


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("storage")
    parser.add_argument("study")
    parser.add_argument("n_trials", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heartbeat", type=int, default=30)
    parser.add_argument("--ready", type=Path)
    parser.add_argument("--go", type=Path)
    args = parser.parse_args()
    # Ctrl-C (SIGINT) must raise KeyboardInterrupt even when the test runner was
    # started with SIGINT ignored (a background job of a non-interactive shell).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    data = market()
    c = data.contract
    opt = optimizer(args.storage, args.study, args.n_trials, args.seed, args.heartbeat)
    if args.ready is not None:
        args.ready.touch()
    if args.go is not None:
        wait_for(args.go)
    result = opt.optimize(
        data.frame, features=c.features, target=c.target, times=c.time, label_ends=c.label_end
    )
    table = result.trials
    record = {
        "worker": worker_id(),
        "best_value": result.best_value,
        "best_trial": result.best_trial,
        "trials": [  # json keeps every float's digits (pandas' to_json rounds them)
            {"trial": int(number), "state": row.state, "value": float(row.value)}
            for number, row in zip(table.index, table.itertuples(), strict=True)
        ],
    }
    args.out.write_text(json.dumps(record))


if __name__ == "__main__":
    main()
