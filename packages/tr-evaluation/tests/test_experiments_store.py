"""Experiment records and the store: round trips, failure handling, kill and concurrency."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from tr_core.errors import InvalidParameterError, NonFiniteError, TrTypeError, TrValueError
from tr_evaluation.experiments import STORE_ENV_VAR, Experiment, ExperimentStore, Run

WORKER = Path(__file__).resolve().parent / "_experiment_worker.py"


def _exp(name: str = "insider-clusters", tags: tuple[str, ...] = ("insider",)) -> Experiment:
    return Experiment(
        name=name,
        date="2024-05-01",
        context="Clusters of insider buys precede drift.",
        hypothesis="Top-decile cluster score beats the market by 2 % over 60 days.",
        baseline="equal-weight all insider buys",
        references=("Cohen, Malloy & Pomorski (2012)",),
        tags=tags,
    )


def _figure() -> Figure:
    fig = Figure()
    fig.subplots().plot([1, 2, 3])
    return fig


def test_experiment_normalizes_and_validates() -> None:
    exp = _exp()
    assert exp.date == dt.date(2024, 5, 1)
    assert Experiment("a", dt.datetime(2024, 5, 1, 9), "c", "h").date == dt.date(2024, 5, 1)
    assert Experiment.from_dict(exp.to_dict()) == exp
    with pytest.raises(InvalidParameterError, match="ISO date"):
        Experiment("a", "01/05/2024", "c", "h")
    with pytest.raises(TrTypeError, match="date"):
        Experiment("a", 20240501, "c", "h")  # type: ignore[arg-type]
    with pytest.raises(TrTypeError, match="wrap it"):
        Experiment("a", "2024-05-01", "c", "h", tags="insider")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="name"):
        Experiment(" ", "2024-05-01", "c", "h")
    with pytest.raises(TrTypeError, match="hypothesis"):
        Experiment("a", "2024-05-01", "c", None)  # type: ignore[arg-type]
    with pytest.raises(TrTypeError, match="baseline"):
        Experiment("a", "2024-05-01", "c", "h", baseline=3)  # type: ignore[arg-type]


def test_round_trip(tmp_path: Path) -> None:
    store = ExperimentStore(tmp_path / "store")
    table = pd.DataFrame({"bucket": [1, 2], "alpha": [0.01, 0.03]}, index=["lo", "hi"])
    with _exp().run(store) as run:
        run.log_params({"n_buckets": 10, "model": "xgb", "lr": np.float64(0.1)})
        run.log_metrics({"sharpe": 1.25, "hit_rate": np.float64(0.55)})
        run.log_metrics({"sharpe": 1.5})
        run.log_table("buckets", table)
        run.log_figure("curve", _figure())
        run.conclude(results="Sharpe 1.5 OOS", insights="signal survives costs")
    loaded = store.load(run.run_id)
    assert loaded.status == "completed"
    assert loaded.experiment == _exp()
    assert dict(loaded.params) == {"n_buckets": 10, "model": "xgb", "lr": 0.1}
    assert dict(loaded.metrics) == {"sharpe": 1.5, "hit_rate": 0.55}
    pd.testing.assert_frame_equal(loaded.tables["buckets"], table)
    assert loaded.figures["curve"].read_bytes()[:4] == b"\x89PNG"
    assert loaded.results == "Sharpe 1.5 OOS"
    assert loaded.insights == ("signal survives costs",)
    assert loaded.error is None
    assert loaded.pid == os.getpid()
    assert json.loads(json.dumps(loaded.summary()))["tables"] == {"buckets": [2, 2]}
    with pytest.raises(TypeError):
        loaded.metrics["sharpe"] = 0.0  # type: ignore[index]
    assert store.load(run.run_id[:20]).run_id == run.run_id  # unique prefix
    assert "store" in repr(store)
    assert repr(loaded) == (
        f"LoadedRun(run_id={run.run_id!r}, experiment={_exp().name!r}, status='completed', "
        "metrics=2, tables=['buckets'], figures=['curve'])"
    )


def _log_then_fail(run: Run) -> None:
    run.log_metrics({"partial": 1.0})
    raise ZeroDivisionError("planted failure")


def test_exception_marks_failed_and_reraises(tmp_path: Path) -> None:
    store = ExperimentStore(tmp_path)
    run = _exp().run(store)
    with pytest.raises(ZeroDivisionError), run:
        _log_then_fail(run)
    loaded = store.load(run.run_id)
    assert loaded.status == "failed"
    assert loaded.error is not None
    assert "ZeroDivisionError" in loaded.error
    assert loaded.metrics["partial"] == 1.0
    with pytest.raises(TrValueError, match="not open"):
        run.log_metrics({"late": 1.0})
    with pytest.raises(TrValueError, match="already used"), run:
        pass


def test_runs_frame_and_compare(tmp_path: Path) -> None:
    store = ExperimentStore(tmp_path)
    assert list(store.runs().columns[:4]) == ["run_id", "experiment", "date", "status"]
    assert store.runs().empty
    ids = []
    for i, tags in enumerate([("insider", "v1"), ("insider", "v2"), ("momentum",)]):
        with _exp(f"exp{i}", tags).run(store) as run:
            run.log_metrics({"sharpe": float(i), **({"pbo": 0.1} if i == 1 else {})})
        ids.append(run.run_id)
    runs = store.runs()
    assert list(runs["run_id"]) == ids  # oldest first
    assert list(runs["experiment"]) == ["exp0", "exp1", "exp2"]
    assert set(runs["status"]) == {"completed"}
    assert runs["tags"].iloc[0] == ("insider", "v1")
    assert runs["pbo"].isna().tolist() == [True, False, True]
    both = store.compare(tags=["insider"])
    assert list(both.columns) == ids[:2]
    assert both.loc["sharpe"].tolist() == [0.0, 1.0]
    assert np.isnan(both.loc["pbo", ids[0]])
    assert list(store.compare(tags="momentum").columns) == ids[2:]
    assert list(store.compare([ids[2], ids[0]]).columns) == [ids[2], ids[0]]
    assert store.compare(tags=["nope"]).empty


def test_bad_logging_input(tmp_path: Path) -> None:
    store = ExperimentStore(tmp_path)
    with _exp().run(store) as run:
        with pytest.raises(TrTypeError, match="'obj'"):
            run.log_params({"obj": object()})
        with pytest.raises(TrTypeError, match="keys"):
            run.log_params({1: "x"})  # type: ignore[dict-item]
        with pytest.raises(TrTypeError, match="dict"):
            run.log_metrics([("a", 1.0)])  # type: ignore[arg-type]
        with pytest.raises(NonFiniteError, match="'sharpe'"):
            run.log_metrics({"sharpe": float("nan")})
        with pytest.raises(TrTypeError, match="'flag'"):
            run.log_metrics({"flag": True})
        with pytest.raises(InvalidParameterError, match="reserved"):
            run.log_metrics({"status": 1.0})
        with pytest.raises(InvalidParameterError, match="file name"):
            run.log_table("../escape", pd.DataFrame({"a": [1]}))
        with pytest.raises(TrTypeError, match="DataFrame"):
            run.log_table("t", [1, 2])  # type: ignore[arg-type]
        with pytest.raises(TrTypeError, match="parquet"):
            run.log_table("t", pd.DataFrame({"a": [1, "x"]}))
        with pytest.raises(TrTypeError, match="Figure"):
            run.log_figure("f", "not a figure")  # type: ignore[arg-type]
        with pytest.raises(TrTypeError, match="results"):
            run.conclude(results=3)  # type: ignore[arg-type]
        with pytest.raises(TrTypeError, match="insights"):
            run.conclude(results="r", insights=[1])  # type: ignore[list-item]
    assert store.load(run.run_id).status == "completed"
    with pytest.raises(InvalidParameterError, match="matches no run"):
        store.load("nope")
    with pytest.raises(InvalidParameterError, match="heartbeat_interval"):
        ExperimentStore(tmp_path, stale_after=1.0, heartbeat_interval=5.0)


def test_stale_heartbeat_counts_as_failed(tmp_path: Path) -> None:
    store = ExperimentStore(tmp_path, stale_after=0.5, heartbeat_interval=0.1)
    with _exp().run(store) as run:
        assert store.runs()["status"].tolist() == ["running"]
        time.sleep(0.35)  # heartbeats keep it alive
        assert store.load(run.run_id).status == "running"
        old = time.time() - 60
        run._stop.set()
        assert run._beat is not None
        run._beat.join()
        os.utime(run.path / "heartbeat", (old, old))
        loaded = store.load(run.run_id)
        assert loaded.status == "failed"
        assert loaded.error is not None
        assert "no heartbeat" in loaded.error
    assert store.load(run.run_id).status == "completed"


def _all_files_valid(root: Path) -> None:
    """Every visible record parses as JSON and every visible table as parquet."""
    for path in root.rglob("*"):
        if path.name.startswith(".tmp-") or any(p.startswith(".tmp-") for p in path.parts):
            continue
        if path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".parquet":
            pd.read_parquet(path)


def test_killed_process_leaves_store_intact(tmp_path: Path) -> None:
    root = tmp_path / "store"
    before = ExperimentStore(root)
    for i in range(2):
        with _exp().run(before) as run:
            run.log_table("table", pd.DataFrame({"x": np.arange(50) + i}))
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, str(WORKER), "hang", str(root), str(ready)])
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert proc.poll() is None, "worker exited early"
            assert time.monotonic() < deadline, "worker never became ready"
            time.sleep(0.05)
        time.sleep(0.3)  # let it rewrite its record and table many times
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    store = ExperimentStore(root)
    runs = store.runs().set_index("run_id")
    killed = ready.read_text()
    assert len(runs) == 3
    assert runs.loc[killed, "status"] == "failed"
    assert (runs.drop(index=killed)["status"] == "completed").all()
    loaded = store.load(killed)
    assert loaded.error is not None
    assert "killed" in loaded.error
    assert loaded.tables["table"]["x"].iloc[1] >= 1  # a complete table version
    for run_id in runs.index.drop(killed):
        assert store.load(run_id).tables["table"].shape == (50, 1)
    _all_files_valid(root)


def test_concurrent_writers_corrupt_nothing(tmp_path: Path) -> None:
    root = tmp_path / "store"
    n, labels = 8, ["a", "b", "c"]
    ready = [tmp_path / f"ready-{label}" for label in labels]
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "many", str(root), str(n), label, str(flag), str(go)]
        )
        for label, flag in zip(labels, ready, strict=True)
    ]
    # Interpreter start-up takes longer than a worker's runs: without this barrier the
    # workers could run one after the other and the test would prove nothing.
    deadline = time.monotonic() + 120
    while not all(flag.exists() for flag in ready):
        assert all(p.poll() is None for p in procs), "a worker exited early"
        assert time.monotonic() < deadline, "workers never became ready"
        time.sleep(0.01)
    go.touch()
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    store = ExperimentStore(root)
    runs = store.runs()
    spans = {
        label: [
            (pd.Timestamp(r.started_at), pd.Timestamp(r.ended_at))
            for r in runs[runs["experiment"] == f"worker-{label}"].itertuples()
        ]
        for label in labels
    }
    overlapping = any(
        s1 < e2 and s2 < e1
        for a, b in itertools.combinations(labels, 2)
        for s1, e1 in spans[a]
        for s2, e2 in spans[b]
    )
    assert overlapping, "no two workers' runs were open at the same time"
    assert len(runs) == n * len(labels)
    assert runs["run_id"].is_unique
    assert (runs["status"] == "completed").all()
    for label in labels:
        mine = runs[runs["experiment"] == f"worker-{label}"]
        assert sorted(mine["value"]) == [float(i) for i in range(n)]
    for run_id in runs["run_id"]:
        loaded = store.load(run_id)
        assert loaded.tables["table"]["x"].iloc[0] == loaded.params["i"]
    _all_files_valid(root)


def test_logged_params_are_a_snapshot_and_all_or_nothing(tmp_path: Path) -> None:
    # Regression: the record kept a reference to the caller's list, so a later change
    # to it was written into the record at the next save.
    store = ExperimentStore(tmp_path)
    features = ["x", "y"]
    with _exp().run(store) as run:
        run.log_params({"features": features, "window": (5, 20)})
        features.append("leaked")
        with pytest.raises(TrTypeError, match="'bad'"):
            run.log_params({"lr": 0.1, "bad": object()})
        run.log_metrics({"sharpe": 1.0})
    params = dict(store.load(run.run_id).params)
    assert params == {"features": ["x", "y"], "window": [5, 20]}  # no "lr": all or nothing


def test_names_are_matched_in_full(tmp_path: Path) -> None:
    # Regression: the name pattern ended in `$`, which also matches before a trailing
    # newline, so "buckets\n" became a file name.
    store = ExperimentStore(tmp_path)
    with _exp().run(store) as run:
        with pytest.raises(InvalidParameterError, match="file name"):
            run.log_table("buckets\n", pd.DataFrame({"a": [1]}))
        with pytest.raises(InvalidParameterError, match="file name"):
            run.log_figure("curve\n", _figure())
    assert list((run.path / "tables").iterdir()) == []


def test_load_rejects_names_edited_into_a_record(tmp_path: Path) -> None:
    store = ExperimentStore(tmp_path)
    with _exp().run(store) as run:
        run.log_metrics({"sharpe": 1.0})
    record_path = run.path / "record.json"
    record = json.loads(record_path.read_text())
    record["figures"] = ["../../../secret"]
    record_path.write_text(json.dumps(record))
    with pytest.raises(InvalidParameterError, match="not valid file names"):
        store.load(run.run_id)


def test_store_path_must_be_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(InvalidParameterError, match="is a file"):
        ExperimentStore(target)


def test_writes_flush_the_folder_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Durability beyond a killed process: after each rename the folder itself is fsynced.
    synced: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append("dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real_fsync(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell folder descriptors from file descriptors")
    monkeypatch.setattr(os, "fsync", spy)
    store = ExperimentStore(tmp_path)
    with _exp().run(store) as run:
        synced.clear()
        run.log_metrics({"sharpe": 1.0})
    assert synced[:2] == ["file", "dir"]


def test_missing_heartbeat_counts_as_failed(tmp_path: Path) -> None:
    store = ExperimentStore(tmp_path)
    with _exp().run(store) as run:
        run._stop.set()
        assert run._beat is not None
        run._beat.join()
        (run.path / "heartbeat").unlink()
        # a live pid on this host would say "running"; pretend the run came from elsewhere
        record = json.loads((run.path / "record.json").read_text())
        record["host"] = "another-host"
        (run.path / "record.json").write_text(json.dumps(record))
        assert store.runs()["status"].tolist() == ["failed"]
        loaded = store.load(run.run_id)
        assert loaded.error is not None
        assert "heartbeat file missing" in loaded.error


def test_hand_corrupted_record_gives_a_clear_error(tmp_path: Path) -> None:
    store = ExperimentStore(tmp_path)
    with _exp().run(store) as run:
        run.log_metrics({"ic": 0.1})
    (run.path / "record.json").write_text('{"status": "compl')
    with pytest.raises(TrValueError, match=r"not valid JSON.*edited by hand"):
        store.runs()


def test_compare_params_as_text(tmp_path: Path) -> None:
    st = ExperimentStore(tmp_path)
    ids = []
    for params in (
        {"lr": 0.123456789, "model": "xgb", "layers": [1, 2], "flag": True},
        {"lr": 0.2, "depth": 3},
    ):
        with Experiment("p", "2024-01-02", "c", "h", tags=("t",)).run(st) as run:
            run.log_params(params)
        ids.append(run.run_id)
    frame = st.compare_params(ids)
    assert list(frame.columns) == ids
    assert frame.columns.name == "run_id"
    assert frame.index.name == "param"
    assert list(frame.index) == ["depth", "flag", "layers", "lr", "model"]
    assert frame[ids[0]].tolist() == [None, "true", "[1, 2]", "0.123456789", "xgb"]
    assert frame[ids[1]].tolist() == ["3", None, None, "0.2", None]
    assert st.compare_params(ids, digits=3).loc["lr", ids[0]] == "0.123"
    assert list(st.compare_params(tags=["t"]).columns) == ids
    assert st.compare_params(tags=["nope"]).empty
    assert st.load(ids[0]).params["lr"] == 0.123456789


def test_from_env_records_every_experiment_in_the_named_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(STORE_ENV_VAR, raising=False)
    own = ExperimentStore.from_env(tmp_path / "beside-the-script", stale_after=30.0)
    assert own.path == tmp_path / "beside-the-script"
    assert own.stale_after == 30.0
    monkeypatch.setenv(STORE_ENV_VAR, "")
    assert ExperimentStore.from_env(tmp_path / "a").path == tmp_path / "a"

    monkeypatch.setenv(STORE_ENV_VAR, str(tmp_path / "shared"))
    for name in ("insider-main-job", "sp500-cross-section"):
        store = ExperimentStore.from_env(tmp_path / name)
        with Experiment(name, "2024-05-01", "ctx", "hyp").run(store) as run:
            run.log_metrics({"pbo": 0.1, f"{name}.only": 1.0})
    shared = ExperimentStore(tmp_path / "shared")
    assert list(shared.runs()["experiment"]) == ["insider-main-job", "sp500-cross-section"]
    side_by_side = shared.compare()
    assert side_by_side.loc["pbo"].tolist() == [0.1, 0.1]
    assert side_by_side.loc["insider-main-job.only"].isna().tolist() == [False, True]
    assert not (tmp_path / "insider-main-job").exists()
