"""The tr-experiments command line (as real subprocesses) and the HTML reports."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import pandas as pd
import pytest
from matplotlib.figure import Figure

from tr_core.errors import InvalidParameterError
from tr_evaluation.experiments import Experiment, ExperimentStore, write_report
from tr_evaluation.experiments.cli import SHORT_ID, _short_ids, main


@pytest.fixture
def store(tmp_path: Path) -> tuple[ExperimentStore, list[str]]:
    st = ExperimentStore(tmp_path / "store")
    ids = []
    for i in range(2):
        exp = Experiment(
            name=f"strategy-{i}",
            date="2024-05-01",
            context="<script>alert('x')</script> context",
            hypothesis=f"variant {i} beats the baseline",
            references=("López de Prado (2018)",),
            tags=("demo",),
        )
        with exp.run(st) as run:
            run.log_params({"variant": i})
            run.log_metrics({"sharpe": 1.0 + i, "pbo": 0.2})
            run.log_table("buckets", pd.DataFrame({"alpha": [0.01 * i, 0.02]}))
            fig = Figure()
            fig.subplots().plot([0, 1], [0, i])
            run.log_figure("equity", fig)
            run.conclude(results=f"Sharpe {1 + i}", insights=["a & b < c"])
        ids.append(run.run_id)
    return st, ids


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "tr_evaluation.experiments.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_cli_as_subprocess(store: tuple[ExperimentStore, list[str]]) -> None:
    st, ids = store
    listed = _cli("--store", str(st.path), "list")
    assert listed.returncode == 0, listed.stderr
    assert _listed_ids(listed.stdout) == [
        i[: len(s)] for i, s in zip(ids, _listed_ids(listed.stdout), strict=True)
    ]
    assert "strategy-1" in listed.stdout
    shown = _cli("--store", str(st.path), "show", _listed_ids(listed.stdout)[1])
    assert shown.returncode == 0, shown.stderr  # a listed id names its run
    assert ids[1] in shown.stdout


def _listed_ids(listing: str) -> list[str]:
    """The run ids of a ``list`` output (the first column, under its header)."""
    return [line.split()[0] for line in listing.splitlines()[1:] if not line.startswith("(")]


def test_cli_show_compare_errors(
    store: tuple[ExperimentStore, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    st, ids = store
    assert main(["--store", str(st.path), "show", ids[1][:22]]) == 0
    assert '"sharpe": 2.0' in capsys.readouterr().out
    assert main(["--store", str(st.path), "compare", *ids]) == 0
    assert re.search(r"sharpe\s+1\.0\s+2\.0", capsys.readouterr().out)
    assert main(["--store", str(st.path), "show", "nope"]) == 2
    assert "matches no run" in capsys.readouterr().err


def test_installed_console_script(store: tuple[ExperimentStore, list[str]]) -> None:
    st, ids = store
    script = Path(sys.executable).parent / "tr-experiments"
    exe = str(script) if script.exists() else shutil.which("tr-experiments")
    if exe is None:
        pytest.skip("tr-experiments console script is not installed in this environment")
    done = subprocess.run(
        [exe, "--store", str(st.path), "list"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert ids[1].startswith(_listed_ids(done.stdout)[1])


def test_cli_report_in_process(
    store: tuple[ExperimentStore, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    st, ids = store
    out = tmp_path / "out" / "report.html"
    assert main(["--store", str(st.path), "report", *ids, "-o", str(out)]) == 0
    written = capsys.readouterr().out.split()
    assert written == [str(out), *(str(out.with_name(f"report-{i}.html")) for i in ids)]
    page = out.read_text()
    for i in ids:
        assert f'href="report-{i}.html"' in page
    assert "<script>" not in page
    run_page = out.with_name(f"report-{ids[0]}.html").read_text()
    assert "data:image/png;base64," in run_page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in run_page
    assert "a &amp; b &lt; c" in run_page
    assert not re.search(r'(src|href)="(http|//)', run_page + page)  # self-contained


def test_cli_empty_store_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TR_EXPERIMENTS_STORE", str(tmp_path / "empty"))
    assert main(["list"]) == 0
    assert "no runs" in capsys.readouterr().out
    monkeypatch.delenv("TR_EXPERIMENTS_STORE")
    with pytest.raises(SystemExit):
        main(["list"])
    assert main(["--store", str(tmp_path / "empty"), "compare", "zzz"]) == 2


def test_single_run_report_and_failed_run(tmp_path: Path) -> None:
    st = ExperimentStore(tmp_path)
    with pytest.raises(RuntimeError), Experiment("x", "2024-01-02", "c", "h").run(st) as run:
        raise RuntimeError("boom <b>")
    out = tmp_path / "single.html"
    assert write_report(st, [run.run_id], out) == [out]
    page = out.read_text()
    assert "status-failed" in page
    assert "boom &lt;b&gt;" in page
    with pytest.raises(InvalidParameterError, match="empty"):
        write_report(st, [], out)


def test_cli_never_creates_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Regression: a mistyped --store silently created an empty folder.
    missing = tmp_path / "typo"
    assert main(["--store", str(missing), "list"]) == 0
    assert "does not exist" in capsys.readouterr().out
    assert main(["--store", str(missing), "show", "abc"]) == 2
    assert "no experiment store" in capsys.readouterr().err
    assert not missing.exists()
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert main(["--store", str(a_file), "list"]) == 2
    assert "is a file" in capsys.readouterr().err


def test_cli_unwritable_output_exits_1(
    store: tuple[ExperimentStore, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    st, ids = store
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    assert main(["--store", str(st.path), "report", ids[0], "-o", str(blocker / "r.html")]) == 1
    assert "tr-experiments: error:" in capsys.readouterr().err


def test_cli_list_in_process(
    store: tuple[ExperimentStore, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    st, ids = store
    assert main(["--store", str(st.path), "list"]) == 0
    out = capsys.readouterr().out
    listed = _listed_ids(out)
    assert len(listed) == len(ids)
    assert all(
        full.startswith(short) and len(short) >= SHORT_ID
        for full, short in zip(ids, listed, strict=True)
    )
    assert "started_at" not in out
    empty = tmp_path / "empty-store"
    empty.mkdir()
    assert main(["--store", str(empty), "list"]) == 0
    assert "no runs in" in capsys.readouterr().out


def test_cli_report_runs_dir(
    store: tuple[ExperimentStore, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    st, ids = store
    root = tmp_path / "pages"
    assert main(["--store", str(st.path), "report", *ids, "--runs-dir", str(root)]) == 0
    expected = [root / i / "report.html" for i in ids]
    assert capsys.readouterr().out.split() == [str(p) for p in expected]
    assert all(p.is_file() for p in expected)
    # a run id is unique: its page is never written twice
    assert main(["--store", str(st.path), "report", ids[0], "--runs-dir", str(root)]) == 1
    assert "already exists" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--store", str(st.path), "report", ids[0], "--runs-dir", "d", "-o", "x.html"])


def test_cli_report_runs_dir_subprocess(
    store: tuple[ExperimentStore, list[str]], tmp_path: Path
) -> None:
    st, ids = store
    done = _cli("--store", str(st.path), "report", ids[1][:22], "--runs-dir", str(tmp_path / "p"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "p" / ids[1] / "report.html")


def test_listed_ids_are_the_shortest_unique_prefixes() -> None:
    ids = ["20240101T000000111Z-a", "20240101T000000222Z-b", "20240101T000001000Z-c"]
    assert _short_ids(ids) == ["20240101T0000001", "20240101T0000002", "20240101T000001"]
    assert _short_ids(["20240101T000000111Z-a"]) == ["20240101T000000"]
    # ids in any order; an id that is a prefix of another is shown whole
    assert _short_ids(["b2x", "a1", "b2", "b1"], at_least=1) == ["b2x", "a", "b2", "b1"]


def test_list_fits_the_terminal_and_puts_shared_metrics_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    st = ExperimentStore(tmp_path / "store")
    for name, own in (("insider", "insider_only"), ("sp500", "sp500_only")):
        experiment = Experiment(name=name, date="2024-05-01", context="c", hypothesis="h")
        with experiment.run(st) as run:
            # each experiment logs its own metrics first, then the ones they share
            run.log_metrics({f"{own}_{k}": 0.123456789 * k for k in range(30)})
            run.log_metrics({"top_bucket_alpha": 0.0123456789, "pbo": 0.25})
            run.conclude(results="r")
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["--store", str(st.path), "list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(map(len, lines)) <= 120
    header = lines[0].split()
    assert header[:7] == [
        "run_id",
        "experiment",
        "date",
        "status",
        "tags",
        "top_bucket_alpha",
        "pbo",
    ]
    assert "0.01235" in out  # four significant digits
    assert re.search(r"^\(\d+ more metrics at this width: .*show RUN", lines[-1])
    monkeypatch.setenv("COLUMNS", "5000")
    assert main(["--store", str(st.path), "list"]) == 0
    wide = capsys.readouterr().out
    assert "more metric" not in wide
    assert len(wide.splitlines()[0].split()) == 5 + 2 + 60
