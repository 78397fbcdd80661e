"""A directory of experiment runs: one folder per run, written atomically.

Layout::

    <store>/<run_id>/record.json        the record (status, experiment, params, metrics, ...)
    <store>/<run_id>/heartbeat          touched while the run is open
    <store>/<run_id>/tables/<name>.parquet
    <store>/<run_id>/figures/<name>.png

A run folder appears atomically (built as ``.tmp-<run_id>`` and renamed), every
file inside is replaced atomically, and each process writes only its own folder,
so concurrent writers never touch the same file and a killed process leaves every
other run intact. Names starting with ``.tmp-`` are ignored by readers.

Status rule for interrupted runs
--------------------------------
A record whose status is still ``"running"`` is *reported* as ``"failed"`` when its
process cannot still be writing it: the record's host is this machine and its pid
is no longer alive, or its heartbeat file is older than ``stale_after`` seconds
(which also covers runs from other machines and a reused pid). The file itself is
not modified: reading never writes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import socket
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from tr_core.errors import InvalidParameterError, TrValueError
from tr_evaluation.experiments._files import (
    NAME_PATTERN,
    TMP_PREFIX,
    atomic_write_json,
    fsync_dir,
)
from tr_evaluation.experiments.record import Experiment

__all__ = ["STORE_ENV_VAR", "ExperimentStore", "LoadedRun"]

STORE_ENV_VAR = "TR_EXPERIMENTS_STORE"
"""The environment variable naming one store for every experiment
(:meth:`ExperimentStore.from_env`), and the store ``tr-experiments`` reads by default:
strategies recorded there compare side by side."""


@dataclass(frozen=True, eq=False)
class LoadedRun:
    """A run read back from a store (read-only).

    Attributes
    ----------
    run_id : str
    experiment : Experiment
    status : str
        ``"completed"``, ``"failed"`` or ``"running"`` (after the interrupted-run rule).
    started_at, ended_at : str or None
        ISO 8601 UTC times.
    params : Mapping[str, Any]
    metrics : Mapping[str, float]
    tables : Mapping[str, pandas.DataFrame]
    figures : Mapping[str, pathlib.Path]
        PNG files.
    results : str or None
    insights : tuple of str
    error : str or None
        Traceback of a failed run, or why an interrupted run counts as failed.
    pid : int
    host : str
    path : pathlib.Path
        The run's folder.
    """

    run_id: str
    experiment: Experiment
    status: str
    started_at: str | None
    ended_at: str | None
    params: Mapping[str, Any]
    metrics: Mapping[str, float]
    tables: Mapping[str, pd.DataFrame]
    figures: Mapping[str, Path]
    results: str | None
    insights: tuple[str, ...]
    error: str | None
    pid: int
    host: str
    path: Path

    def __repr__(self) -> str:
        return (
            f"LoadedRun(run_id={self.run_id!r}, experiment={self.experiment.name!r}, "
            f"status={self.status!r}, metrics={len(self.metrics)}, tables={list(self.tables)}, "
            f"figures={list(self.figures)})"
        )

    def summary(self) -> dict[str, Any]:
        """Plain JSON-serializable summary (tables as shapes, figures as paths)."""
        return {
            "run_id": self.run_id,
            "experiment": self.experiment.to_dict(),
            "status": self.status,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "params": dict(self.params),
            "metrics": dict(self.metrics),
            "tables": {k: list(v.shape) for k, v in self.tables.items()},
            "figures": {k: str(v) for k, v in self.figures.items()},
            "results": self.results,
            "insights": list(self.insights),
            "error": self.error,
        }


class ExperimentStore:
    """Experiment runs kept in a local directory.

    Parameters
    ----------
    path : str or os.PathLike
        Directory of the store; created if missing.
    stale_after : float, default 120.0
        Seconds without a heartbeat after which a ``"running"`` run counts as failed.
    heartbeat_interval : float, default 10.0
        Seconds between heartbeats of an open run.

    Examples
    --------
    >>> store = ExperimentStore(tmp_dir)  # doctest: +SKIP
    >>> with Experiment("demo", "2024-05-01", "ctx", "hyp").run(store) as run:  # doctest: +SKIP
    ...     run.log_metrics({"sharpe": 1.2})
    ...     run.conclude(results="Sharpe 1.2", insights=["works on demo data"])
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        stale_after: float = 120.0,
        heartbeat_interval: float = 10.0,
    ) -> None:
        if heartbeat_interval <= 0 or stale_after <= heartbeat_interval:
            raise InvalidParameterError(
                f"need 0 < heartbeat_interval < stale_after, got heartbeat_interval="
                f"{heartbeat_interval!r}, stale_after={stale_after!r}."
            )
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise InvalidParameterError(
                f"experiment store path {str(self.path)!r} is a file, not a folder; "
                "pass a folder (it is created if missing)."
            )
        self.stale_after = float(stale_after)
        self.heartbeat_interval = float(heartbeat_interval)
        self.path.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_env(cls, default: str | os.PathLike[str], **kwargs: Any) -> ExperimentStore:
        """The store ``$TR_EXPERIMENTS_STORE`` names, else the one at ``default``.

        Experiment scripts open their store this way: each keeps its runs beside it by
        default, and a researcher who sets the variable records every strategy in one
        store, where ``tr-experiments compare`` shows them side by side.

        Parameters
        ----------
        default : str or os.PathLike
            The store's folder when the variable is unset or empty.
        **kwargs
            ``stale_after`` and ``heartbeat_interval``, as for the constructor.
        """
        return cls(os.environ.get(STORE_ENV_VAR) or default, **kwargs)

    def __repr__(self) -> str:
        return f"ExperimentStore({str(self.path)!r})"

    def run_ids(self) -> list[str]:
        """Ids of every run in the store, oldest first."""
        return sorted(
            p.name
            for p in self.path.iterdir()
            if p.is_dir() and not p.name.startswith(TMP_PREFIX) and (p / "record.json").is_file()
        )

    def runs(self) -> pd.DataFrame:
        """One row per run: run_id, experiment, date, status, started_at, ended_at, tags, metrics.

        Metric columns follow the fixed ones (NaN where a run did not log that metric).
        ``status`` applies the interrupted-run rule (see the module docstring).
        """
        rows = []
        for run_id in self.run_ids():
            record = self._read(run_id)
            status, _ = self._status(record, self.path / run_id)
            exp = record["experiment"]
            rows.append(
                {
                    "run_id": run_id,
                    "experiment": exp["name"],
                    "date": exp["date"],
                    "status": status,
                    "started_at": record["started_at"],
                    "ended_at": record["ended_at"],
                    "tags": tuple(exp["tags"]),
                    **record["metrics"],
                }
            )
        fixed = ["run_id", "experiment", "date", "status", "started_at", "ended_at", "tags"]
        frame = pd.DataFrame(rows)
        return frame if rows else pd.DataFrame(columns=fixed)

    def resolve(self, run_id: str) -> str:
        """Full run id from an id or a unique prefix of one."""
        ids = self.run_ids()
        if run_id in ids:
            return run_id
        matches = [i for i in ids if i.startswith(run_id)] if run_id else []
        if len(matches) == 1:
            return matches[0]
        detail = f"matches {matches[:5]}" if matches else "matches no run"
        raise InvalidParameterError(
            f"run id {run_id!r} {detail} in {self.path}; list the runs with store.runs() "
            "or `tr-experiments --store PATH list`."
        )

    def load(self, run_id: str) -> LoadedRun:
        """Read a run (an id or a unique prefix): record, tables as DataFrames, figure paths."""
        run_id = self.resolve(run_id)
        folder = self.path / run_id
        record = self._read(run_id)
        status, reason = self._status(record, folder)
        for kind in ("tables", "figures"):
            bad = [n for n in record[kind] if not NAME_PATTERN.fullmatch(str(n))]
            if bad:
                raise InvalidParameterError(
                    f"run {run_id} lists {kind} {bad[:5]}, which are not valid file names "
                    "(letters, digits, '_', '.', '-'); its record.json was edited or corrupted."
                )
        tables = {
            name: pd.read_parquet(folder / "tables" / f"{name}.parquet")
            for name in record["tables"]
        }
        figures = {name: folder / "figures" / f"{name}.png" for name in record["figures"]}
        return LoadedRun(
            run_id=run_id,
            experiment=Experiment.from_dict(record["experiment"]),
            status=status,
            started_at=record["started_at"],
            ended_at=record["ended_at"],
            params=MappingProxyType(dict(record["params"])),
            metrics=MappingProxyType(dict(record["metrics"])),
            tables=MappingProxyType(tables),
            figures=MappingProxyType(figures),
            results=record["results"],
            insights=tuple(record["insights"]),
            error=record["error"] if reason is None else reason,
            pid=int(record["pid"]),
            host=str(record["host"]),
            path=folder,
        )

    def compare(
        self, run_ids: Sequence[str] | None = None, tags: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Metrics side by side: one row per metric, one column per run.

        Parameters
        ----------
        run_ids : sequence of str, optional
            Runs to compare (ids or unique prefixes); default every run.
        tags : sequence of str, optional
            Keep only runs carrying **every** one of these tags.

        Returns
        -------
        DataFrame
            Index: metric names (sorted); columns: run ids in the order given (else
            oldest first). NaN where a run did not log a metric.
        """
        frame = pd.DataFrame(self._side_by_side("metrics", run_ids, tags), dtype="float64")
        return _name_axes(frame, "metric")

    def compare_params(
        self,
        run_ids: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
        *,
        digits: int | None = None,
    ) -> pd.DataFrame:
        """Parameters side by side, as text: one row per parameter, one column per run.

        Parameters
        ----------
        run_ids : sequence of str, optional
            Runs to compare (ids or unique prefixes); default every run.
        tags : sequence of str, optional
            Keep only runs carrying **every** one of these tags.
        digits : int, optional
            Show floats with this many significant digits (for reading); default
            the shortest text that reads back as the same float. The store keeps
            full precision either way.

        Returns
        -------
        DataFrame
            Index: parameter names (sorted); columns: run ids in the order given
            (else oldest first); values: text (strings as they are, other values
            as JSON), None where a run did not log that parameter.
        """
        columns = {
            run_id: {name: param_text(value, digits) for name, value in params.items()}
            for run_id, params in self._side_by_side("params", run_ids, tags).items()
        }
        frame = pd.DataFrame(columns, dtype="object")
        return _name_axes(frame.astype(object).where(frame.notna(), None), "param")

    def _side_by_side(
        self, kind: str, run_ids: Sequence[str] | None, tags: Sequence[str] | None
    ) -> dict[str, dict[str, Any]]:
        """``record[kind]`` of each selected run, keyed by run id (see :meth:`compare`)."""
        ids = self.run_ids() if run_ids is None else [self.resolve(r) for r in run_ids]
        if isinstance(tags, str):
            tags = [tags]
        columns: dict[str, dict[str, Any]] = {}
        for run_id in ids:
            record = self._read(run_id)
            if tags is not None and not set(tags) <= set(record["experiment"]["tags"]):
                continue
            columns[run_id] = dict(record[kind])
        return columns

    def _create_run(self, record: dict[str, Any]) -> tuple[str, Path]:
        """Create a uniquely named run folder holding ``record``; return its id and path."""
        while True:
            now = dt.datetime.now(dt.UTC)
            run_id = f"{now:%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(4)}"
            staging = self.path / f"{TMP_PREFIX}{run_id}"
            try:
                staging.mkdir()
            except FileExistsError:
                continue
            (staging / "tables").mkdir()
            (staging / "figures").mkdir()
            record["run_id"] = run_id
            atomic_write_json(staging / "record.json", record)
            (staging / "heartbeat").touch()
            final = self.path / run_id
            os.rename(staging, final)
            fsync_dir(self.path)
            return run_id, final

    def _read(self, run_id: str) -> dict[str, Any]:
        path = self.path / run_id / "record.json"
        try:
            with path.open(encoding="utf-8") as fh:
                record: dict[str, Any] = json.load(fh)
        except json.JSONDecodeError as exc:
            # The store only ever replaces record.json atomically, so this is an outside edit.
            raise TrValueError(
                f"run {run_id!r}: {path} is not valid JSON ({exc}); the store never writes a "
                "partial record, so the file was edited by hand — restore it or move the run "
                "folder out of the store."
            ) from exc
        return record

    def _status(self, record: dict[str, Any], folder: Path) -> tuple[str, str | None]:
        """Reported status and, for an interrupted run, why it counts as failed."""
        if record["status"] != "running":
            return str(record["status"]), None
        pid = int(record["pid"])
        if record["host"] == socket.gethostname() and not _pid_alive(pid):
            return "failed", f"process {pid} ended without closing the run (killed?)"
        heartbeat = folder / "heartbeat"
        if not heartbeat.exists():
            return "failed", "heartbeat file missing: the run cannot be alive"
        age = time.time() - heartbeat.stat().st_mtime
        if age > self.stale_after:
            return "failed", f"no heartbeat for {age:.0f} s (stale_after={self.stale_after:g})"
        return "running", None


def param_text(value: Any, digits: int | None = None) -> str:
    """A parameter value as text: strings as they are, floats to ``digits`` significant digits.

    Other values are written as JSON (``true``, ``null``, ``[1, 2]``), keys sorted.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, float) and digits is not None:
        return f"{value:.{digits}g}"
    return json.dumps(value, sort_keys=True, default=str)


def _name_axes(frame: pd.DataFrame, row_name: str) -> pd.DataFrame:
    frame.columns.name = "run_id"
    frame.index.name = row_name
    return frame.sort_index()


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (POSIX); elsewhere rely on the heartbeat."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
