"""Optuna integration: where a study lives, how workers share it, and when it is refused.

``storage`` takes three forms:

None
    In memory; the study ends with the process.
a file path (``"runs/xgb.journal"``)
    Optuna's journal file storage: an append-only log, safe for several processes on
    one machine, and resumable — re-running with the same path and study name
    continues the study where it stopped. A worker stopped by Ctrl-C usually records
    its running trial as failed; one killed outright (SIGKILL, a crash) leaves it
    ``RUNNING`` for good, since a journal file has no heartbeats. Either way the next
    run brings the study to its count of finished trials.
a database URL (``"postgresql://user@host/db"``, ``"sqlite:///tuning.db"``)
    Optuna's relational storage, shared by workers on many machines. Every running
    trial sends a heartbeat; a trial whose worker died (no heartbeat within the grace
    period) is marked failed by the next worker and retried with the same parameters
    (Optuna's ``RetryHeartbeatStaleTrialCallback``, formerly
    ``RetryFailedTrialCallback``). ``postgresql://`` uses the psycopg 3 driver
    (``pip install 'tr-tuning[postgres]'``).

A study records what it optimizes (direction, metric, search space, model) in its
user attributes; joining it with anything else is refused with
:class:`~tr_core.errors.StudyMismatchError` naming the difference, so two
experiments can never mix their trials under one name.
"""

from __future__ import annotations

import os
import socket
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import optuna
from optuna.storages import BaseStorage

from tr_core.errors import StorageUnavailableError, StudyMismatchError, TrTypeError

__all__ = [
    "ATTR_PREFIX",
    "DEFAULT_STUDY_NAME",
    "describe_storage",
    "open_storage",
    "open_study",
    "worker_id",
]

ATTR_PREFIX = "tr_tuning:"
DEFAULT_STUDY_NAME = "tr-tuning"
# A database that does not answer within this many seconds is reported unreachable.
CONNECT_TIMEOUT_S = 5
# Tries at opening a database whose tables another worker is creating at the same moment.
SCHEMA_ATTEMPTS = 5


def worker_id() -> str:
    """``host:pid`` of this process, recorded with each trial."""
    return f"{socket.gethostname()}:{os.getpid()}"


def describe_storage(storage: Any) -> str:
    """The storage as text for messages and results, with any password hidden."""
    if storage is None:
        return "in-memory"
    if isinstance(storage, BaseStorage):
        return type(storage).__name__
    text = str(storage)
    if "://" not in text:
        return f"journal file {text}"
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text.split("@")[-1]


def open_storage(storage: Any, *, heartbeat_interval: int = 30, max_retry: int = 2) -> BaseStorage:
    """An Optuna storage from ``None``, a file path, a database URL, or a storage.

    Parameters
    ----------
    storage : None, str, os.PathLike or optuna.storages.BaseStorage
        See the module docstring.
    heartbeat_interval : int, default 30
        Seconds between a running trial's heartbeats (database storages); a trial
        silent for twice as long is declared dead.
    max_retry : int, default 2
        How often a dead worker's trial is retried with the same parameters.

    Raises
    ------
    StorageUnavailableError
        A database that cannot be reached or opened (answered within
        ``CONNECT_TIMEOUT_S`` seconds, in one line, password hidden), a missing
        driver, or a journal file in a folder that does not exist.
    """
    if storage is None:
        return optuna.storages.InMemoryStorage()
    if isinstance(storage, BaseStorage):
        return storage
    if not isinstance(storage, str | os.PathLike):
        raise TrTypeError(
            "`storage` must be None (in memory), a journal file path, a database URL or an "
            f"optuna storage, got {type(storage).__name__}."
        )
    text = os.fspath(storage)
    if "://" in text:
        return _database(text, heartbeat_interval, max_retry)
    return _journal(Path(text))


def _journal(path: Path) -> BaseStorage:
    from optuna.storages.journal import JournalFileBackend, JournalStorage

    if not path.parent.is_dir():
        raise StorageUnavailableError(
            f"`storage`={str(path)!r}: the folder {str(path.parent)!r} does not exist; "
            "create it first (a journal file is created, its folder is not)."
        )
    try:
        return JournalStorage(JournalFileBackend(str(path)))
    except (OSError, ValueError) as exc:
        raise StorageUnavailableError(
            f"`storage`={str(path)!r} cannot be opened as an Optuna journal file: "
            f"{_first_line(exc)}"
        ) from None


def _database(url: str, heartbeat_interval: int, max_retry: int) -> BaseStorage:
    shown = describe_storage(url)
    engine_kwargs: dict[str, Any] = {}
    if url.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy's default postgresql driver is psycopg2; the extra installs psycopg 3.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("postgresql"):
        engine_kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}

    def connect() -> BaseStorage:
        with warnings.catch_warnings():
            # Heartbeats are "experimental" in Optuna since 2.9; they are what makes a
            # dead worker's trial come back, so this package uses them on purpose.
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            return optuna.storages.RDBStorage(
                url,
                engine_kwargs=engine_kwargs,
                heartbeat_interval=heartbeat_interval,
                grace_period=2 * heartbeat_interval,
                **_retry_callback(max_retry),
            )

    try:
        return _creating_schema_once(connect)
    except ModuleNotFoundError as exc:
        raise StorageUnavailableError(
            f"`storage`={shown!r} needs the database driver {exc.name!r}, not installed: "
            "pip install 'tr-tuning[postgres]' (PostgreSQL) or the SQLAlchemy driver of your "
            "database."
        ) from None
    except Exception as exc:  # SQLAlchemy raises many kinds; all mean "cannot use it"
        raise StorageUnavailableError(
            f"`storage`={shown!r} cannot be reached: {_first_line(exc)} — check the host, port, "
            "database name and credentials, and that the server is running."
        ) from None


def _creating_schema_once(connect: Callable[[], BaseStorage]) -> BaseStorage:
    """``connect()``, tried again when it lost the race to create Optuna's tables.

    Workers started together on a fresh database all create Optuna's tables (and its
    version row); on PostgreSQL all but one fail with "duplicate key value violates
    unique constraint" or "relation already exists". The server answered, and the
    tables now exist, so the losers simply connect again. An unreachable server is an
    ``OperationalError`` and is reported at once.
    """
    from sqlalchemy.exc import IntegrityError, ProgrammingError

    for attempt in range(1, SCHEMA_ATTEMPTS + 1):
        try:
            return connect()
        except (IntegrityError, ProgrammingError):
            if attempt == SCHEMA_ATTEMPTS:
                raise
            time.sleep(0.1 * attempt)  # let the winner commit its tables
    raise AssertionError("unreachable")  # the loop returns or raises


def _retry_callback(max_retry: int) -> dict[str, Any]:
    """RDBStorage's argument that re-queues a dead worker's trial, in this Optuna's words.

    Optuna 4.9 renamed ``RetryFailedTrialCallback``/``failed_trial_callback`` to
    ``RetryHeartbeatStaleTrialCallback``/``heartbeat_stale_trial_callback`` and
    deprecated the old names; older versions (down to 4.0) know only those.
    """
    storages: Any = optuna.storages
    if hasattr(storages, "RetryHeartbeatStaleTrialCallback"):
        callback = storages.RetryHeartbeatStaleTrialCallback(max_retry=max_retry)
        return {"heartbeat_stale_trial_callback": callback}
    return {"failed_trial_callback": storages.RetryFailedTrialCallback(max_retry=max_retry)}


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def open_study(
    storage: BaseStorage,
    study_name: str,
    *,
    direction: Literal["maximize", "minimize"],
    attrs: Mapping[str, str],
    sampler: optuna.samplers.BaseSampler,
    pruner: optuna.pruners.BasePruner,
) -> optuna.Study:
    """Create the study, or join the one stored under ``study_name`` if it matches.

    Parameters
    ----------
    storage : optuna.storages.BaseStorage
        From :func:`open_storage`.
    study_name : str
        The study's name in the storage.
    direction : {"maximize", "minimize"}
        The metric's direction.
    attrs : mapping of str to str
        What the study optimizes (metric, search space, model); stored on creation
        and compared on joining.
    sampler, pruner
        This worker's sampler and pruner.

    Raises
    ------
    StudyMismatchError
        The stored study has another direction, or another value of one of ``attrs``.
    StorageUnavailableError
        The storage fails while the study is opened.
    """
    try:
        study = optuna.create_study(
            storage=storage,
            study_name=study_name,
            direction=direction,
            sampler=sampler,
            pruner=pruner,
            load_if_exists=True,
        )
    except Exception as exc:  # the storage's own failure, reported in one line
        raise StorageUnavailableError(
            f"study {study_name!r} cannot be opened in {describe_storage(storage)}: "
            f"{_first_line(exc)}"
        ) from None
    stored = study.direction.name.lower()
    if stored != direction:
        raise StudyMismatchError(
            f"study {study_name!r} exists and is a {stored} study, but this metric wants to "
            f"{direction}; choose another `study_name` (or delete the stored study)."
        )
    existing = study.user_attrs
    differences = [
        f"{key}: stored {existing[ATTR_PREFIX + key]!r}, now {value!r}"
        for key, value in attrs.items()
        if ATTR_PREFIX + key in existing and existing[ATTR_PREFIX + key] != value
    ]
    if differences:
        raise StudyMismatchError(
            f"study {study_name!r} exists with another setup — {'; '.join(differences)}. "
            "Its trials would be compared with yours as if they measured the same thing; "
            "choose another `study_name` (or delete the stored study)."
        )
    for key, value in attrs.items():
        if ATTR_PREFIX + key not in existing:
            study.set_user_attr(ATTR_PREFIX + key, value)
    return study
