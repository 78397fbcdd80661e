"""Many worker processes on one study in a real PostgreSQL server, and a worker killed mid-trial.

The server is Debian's PostgreSQL, started by pytest-postgresql's process fixture on
a free loopback port in a temp folder and stopped after the tests; each test gets a
fresh database. Under ``CI=true`` these tests never skip: missing server binaries
fail them (``.ci/run`` installs the ``postgresql`` package). Elsewhere they skip,
with the reason, when no ``pg_ctl`` is found.

PostgreSQL refuses to run as root; when the tests do (a CI container), the fixture
runs ``pg_ctl`` through ``_pg_ctl_as_postgres.sh``, which re-runs it as the
``postgres`` system user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import _tuning_worker as workers  # registered by conftest.py
import optuna
import pytest
from pytest_postgresql import factories

from tr_tuning.optuna_study import open_storage

TESTS = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
AS_ROOT = os.geteuid() == 0

FINISHED = workers.FINISHED


def find_pg_ctl() -> str | None:
    """``pg_ctl`` on PATH, else the newest of Debian's ``/usr/lib/postgresql/*/bin``."""
    on_path = shutil.which("pg_ctl")
    if on_path is not None:
        return on_path
    debian = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    newest = sorted(debian, key=lambda p: [int(x) for x in Path(p).parts[-3].split(".")])
    return newest[-1] if newest else None


def missing_server() -> str | None:
    """Why no PostgreSQL server can be started here, or None."""
    if PG_CTL is None:
        return (
            "no PostgreSQL server binaries: pg_ctl is neither on PATH nor in "
            "/usr/lib/postgresql/*/bin (apt-get install postgresql)"
        )
    if AS_ROOT:
        if shutil.which("runuser") is None:
            return "running as root, and runuser (util-linux) is missing to drop to 'postgres'"
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no 'postgres' user to run PostgreSQL as"
    return None


PG_CTL = find_pg_ctl()
postgresql_server = factories.postgresql_proc(
    executable=str(TESTS / "_pg_ctl_as_postgres.sh") if AS_ROOT else PG_CTL,
    host="127.0.0.1",
    port=None,  # any free port
)


@pytest.fixture(scope="session")
def postgres(request: pytest.FixtureRequest) -> Any:
    """The running server (pytest-postgresql's executor), or a skip/failure saying why not."""
    reason = missing_server()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"CI=true, so the PostgreSQL tests must run, but {reason}", pytrace=False)
        pytest.skip(reason)
    assert PG_CTL is not None
    # Read by _pg_ctl_as_postgres.sh, also when the server is stopped at the session's end.
    os.environ["TR_PG_CTL"] = PG_CTL
    return request.getfixturevalue("postgresql_server")


# A fresh database per test (made from the server's template, dropped afterwards).
tuning_database = factories.postgresql("postgresql_server")


@pytest.fixture
def database_url(postgres: Any, request: pytest.FixtureRequest) -> str:
    """The URL of a fresh database on the server (requested after the checks of ``postgres``)."""
    database = request.getfixturevalue("tuning_database").info.dbname
    return f"postgresql://{postgres.user}@{postgres.host}:{postgres.port}/{database}"


@pytest.fixture
def started() -> Iterator[list[Any]]:
    """The test's worker processes; any left running is killed at the end."""
    with workers.worker_processes() as processes:
        yield processes


def test_two_worker_processes_share_one_study(
    database_url: str, tmp_path: Path, started: list[Any]
) -> None:
    n_trials = 10
    records = workers.run_together(started, tmp_path, database_url, "shared", n_trials)
    trials = workers.trials_of(open_storage(database_url), "shared")
    workers.check_shared_study(trials, records, started, n_trials)


def test_worker_killed_mid_trial_is_failed_by_heartbeat_and_retried(
    database_url: str, tmp_path: Path, started: list[Any]
) -> None:
    n_trials, heartbeat = 6, 1
    # The test's own connection, to watch the study (it also creates Optuna's tables).
    storage = open_storage(database_url)
    victim = workers.Worker(
        tmp_path, "victim", database_url, "fault", n_trials, f"--heartbeat={heartbeat}"
    )
    started.append(victim)

    (midway,) = victim.freeze_when(
        workers.between_folds(storage, "fault"), "a trial of the victim between folds"
    )
    assert victim.signal(signal.SIGKILL) == -signal.SIGKILL
    killed_at = time.monotonic()

    # It died mid-trial: that trial stays RUNNING, and nothing else runs.
    running = optuna.trial.TrialState.RUNNING
    orphans = [t for t in workers.trials_of(storage, "fault") if t.state == running]
    assert [t.number for t in orphans] == [midway.number]
    orphan = orphans[0]
    assert victim.runs(orphan.user_attrs["worker"])

    rescuer = workers.Worker(
        tmp_path,
        "rescuer",
        database_url,
        "fault",
        n_trials,
        f"--heartbeat={heartbeat}",
        f"--ready={tmp_path / 'ready'}",
        f"--go={tmp_path / 'go'}",
    )
    started.append(rescuer)
    workers.wait_until((tmp_path / "ready").exists, [rescuer], "the rescuer to be ready")
    # Let the orphan's last heartbeat age past the grace period (2 heartbeats), so that
    # the rescuer's first trial finds it stale; then the rescuer starts its trials.
    time.sleep(max(0.0, killed_at + 2 * heartbeat + 1.0 - time.monotonic()))
    (tmp_path / "go").touch()
    record = rescuer.finish()

    trials = {t.number: t for t in workers.trials_of(storage, "fault")}
    assert sorted(trials) == list(range(len(trials)))
    assert trials[orphan.number].state == optuna.trial.TrialState.FAIL
    # Optuna's retry callback re-queues the dead trial with its parameters and marks the
    # copy with system attributes "failed_trial" and "retry_history".
    retries = [t for t in trials.values() if t.system_attrs.get("failed_trial") is not None]
    assert len(retries) == 1
    retry = retries[0]
    assert retry.system_attrs["failed_trial"] == orphan.number
    assert retry.system_attrs["retry_history"] == [orphan.number]
    assert retry.number > orphan.number
    assert retry.params == orphan.params
    assert retry.state in FINISHED
    assert rescuer.runs(retry.user_attrs["worker"])
    # Only the killed trial failed; the study reached its count of finished trials.
    states = [t.state for t in trials.values()]
    assert states.count(optuna.trial.TrialState.FAIL) == 1
    assert sum(s in FINISHED for s in states) == n_trials
    assert record["best_value"] == workers.best_complete(record["trials"])
    assert len(record["trials"]) == len(trials)


def test_workers_opening_a_fresh_database_together_all_connect(database_url: str) -> None:
    # Each worker's first connection creates Optuna's tables; started together on an
    # empty database they race, and the losers must connect, not report the server down.
    n = 4
    barrier = threading.Barrier(n)
    opened: list[Any] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        barrier.wait()
        try:
            opened.append(open_storage(database_url))
        except BaseException as exc:  # reported below, with the others'
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(opened) == n
    study = optuna.create_study(storage=opened[0], study_name="race")
    assert [s.study_name for s in optuna.get_all_study_summaries(opened[-1])] == ["race"]
    assert study.study_name == "race"
