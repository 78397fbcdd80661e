"""A single recorded run of an experiment: params, metrics, tables, figures, conclusion."""

from __future__ import annotations

import io
import json
import math
import numbers
import os
import socket
import threading
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.figure import Figure

from tr_core.errors import InvalidParameterError, NonFiniteError, TrTypeError, TrValueError
from tr_evaluation.experiments._files import (
    NAME_PATTERN,
    atomic_write_bytes,
    atomic_write_json,
    dumps,
    utc_now,
)

if TYPE_CHECKING:
    from tr_evaluation.experiments.record import Experiment
    from tr_evaluation.experiments.store import ExperimentStore

__all__ = ["RESERVED_COLUMNS", "Run"]

RESERVED_COLUMNS = frozenset(
    {"run_id", "experiment", "date", "status", "tags", "started_at", "ended_at"}
)
"""Columns of :meth:`ExperimentStore.runs`; metric names may not reuse them."""


class Run:
    """One run of an :class:`~tr_evaluation.experiments.record.Experiment` in a store.

    Created by :meth:`Experiment.run`; use it as a context manager. On entry the run
    folder appears atomically with a record whose status is ``"running"`` (with the
    process id, host and a heartbeat file touched every ``store.heartbeat_interval``
    seconds); every ``log_*`` call rewrites the record atomically; on exit the status
    becomes ``"completed"``, or ``"failed"`` with the traceback when an exception
    escapes the block (the exception propagates).

    Attributes
    ----------
    run_id : str
        Sortable unique id: UTC start time plus a random suffix.
    path : pathlib.Path
        The run's folder.
    """

    def __init__(self, experiment: Experiment, store: ExperimentStore) -> None:
        self.experiment = experiment
        self.store = store
        self.run_id = ""
        self.path = Path()
        self._record: dict[str, Any] = {}
        self._open = False
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def __enter__(self) -> Run:
        if self._record:
            raise TrValueError("this Run was already used; call experiment.run(store) again.")
        self._record = {
            "schema": 1,
            "run_id": "",
            "experiment": self.experiment.to_dict(),
            "status": "running",
            "started_at": utc_now(),
            "ended_at": None,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "params": {},
            "metrics": {},
            "tables": [],
            "figures": [],
            "results": None,
            "insights": [],
            "error": None,
        }
        self.run_id, self.path = self.store._create_run(self._record)
        self._open = True
        self._beat = threading.Thread(target=self._heartbeat, daemon=True)
        self._beat.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
        self._open = False
        if exc_type is None:
            self._record["status"] = "completed"
        else:
            self._record["status"] = "failed"
            self._record["error"] = "".join(traceback.format_exception(exc_type, exc, tb))
        self._record["ended_at"] = utc_now()
        self._save()

    def log_params(self, params: Mapping[str, Any]) -> None:
        """Record parameters (JSON-serializable values); a repeated key overwrites.

        The values are copied as they are now (later changes to a logged list or dict
        do not reach the record); if one value cannot be stored, none is recorded.
        """
        self._check_open()
        clean: dict[str, Any] = {}
        for key, value in _mapping(params, "params").items():
            try:
                clean[key] = json.loads(dumps(value))
            except (TypeError, ValueError) as exc:
                raise TrTypeError(
                    f"param {key!r} = {value!r} cannot be stored as JSON ({exc}); pass numbers, "
                    "strings, booleans, None, or lists/dicts of them."
                ) from exc
        self._record["params"].update(clean)
        self._save()

    def log_metrics(self, metrics: Mapping[str, float]) -> None:
        """Record finite real-valued metrics; a repeated name overwrites.

        Names must not be one of :data:`RESERVED_COLUMNS` (they become columns of
        :meth:`ExperimentStore.runs`).
        """
        self._check_open()
        clean: dict[str, float] = {}
        for key, value in _mapping(metrics, "metrics").items():
            if key in RESERVED_COLUMNS:
                raise InvalidParameterError(
                    f"metric name {key!r} is reserved for a column of store.runs(); rename it."
                )
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TrTypeError(
                    f"metric {key!r} must be a real number, got {type(value).__name__}."
                )
            if not math.isfinite(float(value)):
                raise NonFiniteError(
                    f"metric {key!r} is {value!r}; only finite values are stored. Fix the "
                    "computation, or record why it is undefined with conclude(insights=...)."
                )
            clean[key] = float(value)
        self._record["metrics"].update(clean)
        self._save()

    def log_table(self, name: str, table: pd.DataFrame) -> Path:
        """Store ``table`` as ``tables/<name>.parquet`` (index kept); return its path."""
        self._check_open()
        _check_name(name, "table")
        if not isinstance(table, pd.DataFrame):
            raise TrTypeError(f"table {name!r} must be a DataFrame, got {type(table).__name__}.")
        buf = io.BytesIO()
        try:
            table.to_parquet(buf, engine="pyarrow")
        except (TypeError, ValueError) as exc:
            raise TrTypeError(
                f"table {name!r} cannot be written to parquet ({exc}); use string column "
                "names and one type per column."
            ) from exc
        path = self.path / "tables" / f"{name}.parquet"
        atomic_write_bytes(path, buf.getvalue())
        if name not in self._record["tables"]:
            self._record["tables"].append(name)
        self._save()
        return path

    def log_figure(self, name: str, figure: Figure, *, dpi: int = 100) -> Path:
        """Store ``figure`` as ``figures/<name>.png``; return its path (the figure is left open)."""
        self._check_open()
        _check_name(name, "figure")
        if not isinstance(figure, Figure):
            raise TrTypeError(
                f"figure {name!r} must be a matplotlib Figure, got {type(figure).__name__}."
            )
        buf = io.BytesIO()
        figure.savefig(buf, format="png", dpi=dpi)
        path = self.path / "figures" / f"{name}.png"
        atomic_write_bytes(path, buf.getvalue())
        if name not in self._record["figures"]:
            self._record["figures"].append(name)
        self._save()
        return path

    def conclude(self, *, results: str, insights: str | Sequence[str] = ()) -> None:
        """Record what the run showed (``results``) and what was learned (``insights``)."""
        self._check_open()
        if not isinstance(results, str):
            raise TrTypeError(f"`results` must be a string, got {type(results).__name__}.")
        items = [insights] if isinstance(insights, str) else list(insights)
        if not all(isinstance(i, str) for i in items):
            raise TrTypeError("`insights` must be a string or a sequence of strings.")
        self._record["results"] = results
        self._record["insights"] = items
        self._save()

    def _check_open(self) -> None:
        if not self._open:
            raise TrValueError(
                f"run {self.run_id or '(not started)'} is not open; log inside "
                "`with experiment.run(store) as run:`."
            )

    def _save(self) -> None:
        atomic_write_json(self.path / "record.json", self._record)

    def _heartbeat(self) -> None:
        beat = self.path / "heartbeat"
        while not self._stop.wait(self.store.heartbeat_interval):
            beat.touch()


def _mapping(values: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    if not isinstance(values, Mapping):
        raise TrTypeError(f"`{name}` must be a dict, got {type(values).__name__}.")
    for key in values:
        if not isinstance(key, str):
            raise TrTypeError(f"`{name}` keys must be strings, got {key!r}.")
    return values


def _check_name(name: str, kind: str) -> None:
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise InvalidParameterError(
            f"{kind} name {name!r} must be 1-100 characters of letters, digits, '_', '.', '-' "
            "and start with a letter or digit (it becomes a file name)."
        )
