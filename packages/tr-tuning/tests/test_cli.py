"""``tr-tune``: the real console script in subprocesses, and ``main`` in this process.

The subprocess test is the user's path: ``run`` a config on a parquet file into a
journal-file study, a ``worker`` continuing that study from another process knowing
only its storage and name, and ``show`` writing the plots. The in-process tests cover
the same code paths and every refusal.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import optuna
import pytest

from tr_core.synthetic import make_insider_trades
from tr_tuning.cli import CONFIG_ATTR, DATA_ATTR, HOLDOUT_ATTR, main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "xgboost.toml"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FINISHED = (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)

CONFIG = """\
[data]
path = "trades.parquet"
features = {features}
target = "alpha"
times = "trade_date"
label_ends = "label_end"
entity = "ticker"
label = 0.0
holdout_start = 2017-07-01

[cv]
n_splits = 3

[search_space]
max_depth = ["int", 2, 4]
learning_rate = ["float", 0.05, 0.3, "log"]
min_child_weight = ["float", 0.5, 5.0, "log"]

[study]
metric = "auc"
n_trials = 3
study_name = "cli"
random_state = 0
n_buckets = 10

[xgboost]
early_stopping_rounds = 10
max_rounds = 30
"""


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a small synthetic market (parquet) and a fast config next to it."""
    folder = tmp_path_factory.mktemp("tune")
    market = make_insider_trades(3_000, n_years=3, random_state=0)
    market.frame.to_parquet(folder / "trades.parquet")
    features = json.dumps(list(market.contract.features))
    (folder / "tune.toml").write_text(CONFIG.format(features=features), encoding="utf-8")
    return folder


def tr_tune(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (or the module, where no script is installed)."""
    script = Path(sys.executable).with_name("tr-tune")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tr_tuning.cli"]
    return subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def load(journal: Path, name: str = "cli") -> optuna.Study:
    storage = optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(journal))
    )
    return optuna.load_study(study_name=name, storage=storage)


def finished(study: optuna.Study) -> list[optuna.trial.FrozenTrial]:
    return study.get_trials(deepcopy=False, states=FINISHED)


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("tr-tune: error: ")
    return lines[0]


def test_run_worker_show_as_separate_processes(workdir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    journal = tmp_path / "study.journal"
    before = sorted(p.name for p in workdir.iterdir())

    ran = tr_tune("run", str(workdir / "tune.toml"), "--storage", str(journal), cwd=elsewhere)
    assert ran.returncode == 0, ran.stderr
    for words in ("best trial", "CV value", "holdout value", "selection bias", "purged"):
        assert words in ran.stdout
    study = load(journal)
    assert len(finished(study)) == 3
    stored = json.loads(study.user_attrs[CONFIG_ATTR])
    assert stored["data"]["path"] == str(workdir / "trades.parquet")  # absolute
    assert stored["study"]["storage"] == str(journal)
    assert len(study.user_attrs[DATA_ATTR]) == 64
    assert study.user_attrs[HOLDOUT_ATTR]["trial"] == study.best_trial.number

    # Another process joins with only the storage and the study name.
    joined = tr_tune(
        "worker", "--storage", str(journal), "--study", "cli", "--n-trials", "5", cwd=elsewhere
    )
    assert joined.returncode == 0, joined.stderr
    study = load(journal)
    numbers = [t.number for t in study.trials]
    assert len(finished(study)) == 5
    assert numbers == sorted(set(numbers))  # no trial number twice
    assert json.loads(study.user_attrs[CONFIG_ATTR]) == stored  # the worker changed nothing
    assert f"best trial {study.best_trial.number}" in joined.stdout

    plots = tmp_path / "plots"
    shown = tr_tune(
        "show", "--storage", str(journal), "--study", "cli", "--out", str(plots), "--top", "2",
        cwd=elsewhere,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert f"best trial {study.best_trial.number}: CV value {study.best_value:.6g}" in shown.stdout
    assert "top 2 trials by value" in shown.stdout
    for name in ("history.png", "importances.png", "slices.png"):
        data = (plots / name).read_bytes()
        assert data.startswith(PNG_MAGIC)
        assert len(data) > 10_000  # a drawn figure, not an empty canvas
    # Nothing is written next to the config or in the working folder.
    assert sorted(p.name for p in workdir.iterdir()) == before
    assert list(elsewhere.iterdir()) == []


def test_a_bad_config_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(EXAMPLE.read_text(encoding="utf-8").replace("max_rounds", "max_round"))
    done = tr_tune("run", str(config), cwd=tmp_path)
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert "'max_round'" in line
    assert "did you mean 'max_rounds'" in line
    assert done.stdout == ""


def test_in_process_run_worker_show(
    workdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "s.journal"
    config = str(workdir / "tune.toml")
    assert main(["run", config, "--storage", str(journal), "--study", "p", "--n-trials", "2",
                 "--quiet"]) == 0  # fmt: skip
    assert capsys.readouterr().out == ""  # --quiet
    # Re-running the same config continues the study (more trials are not a new setup).
    assert main(["run", config, "--storage", str(journal), "--study", "p", "--n-trials", "3"]) == 0
    assert "3 trials" in capsys.readouterr().out
    assert main(["worker", "--storage", str(journal), "--study", "p", "--quiet"]) == 0
    assert len(finished(load(journal, "p"))) == 3  # already there: the stored n_trials
    assert main(["worker", "--storage", str(journal), "--study", "p", "--n-trials", "4"]) == 0
    assert len(finished(load(journal, "p"))) == 4
    capsys.readouterr()
    assert main(["show", "--storage", str(journal), "--study", "p", "--top", "1",
                 "--out", str(tmp_path / "png")]) == 0  # fmt: skip
    out = capsys.readouterr().out
    summary = json.loads(out[out.index("{") : out.rindex("}") + 1])
    assert summary["study_name"] == "p"
    assert summary["best_value"] == pytest.approx(load(journal, "p").best_value)
    table = out[out.index("top 1 trials") :].splitlines()
    assert len([line for line in table if "COMPLETE" in line or "PRUNED" in line]) == 1
    assert {p.name for p in (tmp_path / "png").iterdir()} == {
        "history.png", "importances.png", "slices.png"
    }  # fmt: skip
    # A holdout score of a trial that is no longer the best is not shown as the best's.
    load(journal, "p").set_user_attr(HOLDOUT_ATTR, {"trial": -1, "value": 0.5})
    assert main(["show", "--storage", str(journal), "--study", "p"]) == 0
    out = capsys.readouterr().out
    assert "holdout value: not scored" in out
    assert "scored for trial -1, no longer the best" in out


def test_in_memory_run_needs_no_storage(
    workdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (workdir / "tune.toml").read_text(encoding="utf-8")
    config = tmp_path / "mem.toml"
    config.write_text(text.replace('"trades.parquet"', json.dumps(str(workdir / "trades.parquet"))))
    assert main(["run", str(config), "--n-trials", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 trials" in out
    assert "(in-memory)" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mem.toml"]


@pytest.mark.parametrize("command", [[], ["run"], ["worker"], ["show"]])
def test_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: tr-tune")
    if command:
        assert "example" in out
        assert f"tr-tune {command[0]} " in out


def test_show_of_a_study_without_a_completed_trial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "empty.journal"
    storage = optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(journal))
    )
    optuna.create_study(study_name="e", storage=storage)
    assert main(["show", "--storage", str(journal), "--study", "e"]) == 2
    assert "no completed trial" in one_error_line(capsys.readouterr().err)


def errors(workdir: Path, tmp: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Command lines that must fail, with words their one error line must contain."""
    good = workdir / "tune.toml"
    text = good.read_text(encoding="utf-8")

    def config(name: str, old: str, new: str) -> str:
        path = tmp / name
        path.write_text(text.replace(old, new).replace('"trades.parquet"',
                        json.dumps(str(workdir / "trades.parquet"))))  # fmt: skip
        return str(path)

    foreign = tmp / "foreign.journal"
    optuna.create_study(
        study_name="api",
        storage=optuna.storages.JournalStorage(
            optuna.storages.journal.JournalFileBackend(str(foreign))
        ),
    ).optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1)
    return {
        "unknown key": (
            ["run", config("k.toml", "n_buckets", "nbuckets")],
            ["'nbuckets'", "did you mean 'n_buckets'", "valid keys are"],
        ),
        "unknown section": (
            ["run", config("s.toml", "[cv]", "[folds]")],
            ["'folds'", "valid sections are", "'cv'"],
        ),
        "low > high": (
            ["run", config("l.toml", '["int", 2, 4]', '["int", 4, 2]')],
            ["'max_depth'", "low=4 > high=2"],
        ),
        "bad toml": (["run", config("t.toml", "[cv]", "[cv")], ["not valid TOML"]),
        "missing config": (["run", str(tmp / "none.toml")], ["does not exist"]),
        "missing data": (
            ["run", config("d.toml", '"trades.parquet"', '"x.parquet"')],
            ["data file", "x.parquet", "does not exist"],
        ),
        "missing column": (
            ["run", config("c.toml", 'target = "alpha"', 'target = "alfa"')],
            ["['alfa']", "columns are"],
        ),
        "journal folder missing": (
            ["run", str(good), "--storage", str(tmp / "no" / "s.journal")],
            ["does not exist", "create it first"],
        ),
        "unreachable database": (
            ["run", str(good), "--storage", "postgresql://tuner:secret@127.0.0.1:1/tuning"],
            ["cannot be reached", "127.0.0.1"],
        ),
        "worker without storage file": (
            ["worker", "--storage", str(tmp / "nope.journal"), "--study", "cli"],
            ["no such file"],
        ),
        "worker without sqlite file": (
            ["worker", "--storage", f"sqlite:///{tmp / 'nope.db'}", "--study", "cli"],
            ["no such file"],
        ),
        "worker on a missing study": (
            ["worker", "--storage", str(foreign), "--study", "nope"],
            ["'nope' does not exist", "['api']", "tr-tune run"],
        ),
        "worker on a study not started by run": (
            ["worker", "--storage", str(foreign), "--study", "api"],
            ["not started by `tr-tune run`"],
        ),
        "run joining a study not started by run": (
            ["run", str(good), "--storage", str(foreign), "--study", "api"],
            ["not started by `tr-tune run`", "--study"],
        ),
        "show top": (
            ["show", "--storage", str(foreign), "--study", "api", "--top", "0"],
            ["--top"],
        ),
    }


def test_every_bad_input_is_one_line_and_exit_2(
    workdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for case, (argv, words) in errors(workdir, tmp_path).items():
        assert main(argv) == 2, case
        captured = capsys.readouterr()
        line = one_error_line(captured.err)
        for word in words:
            assert word in line, (case, line)
        assert "secret" not in line  # a password never reaches the terminal


def test_a_changed_config_cannot_join_a_study_with_trials(
    workdir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = tmp_path / "s.journal"
    good = workdir / "tune.toml"
    assert main(["run", str(good), "--storage", str(journal), "--n-trials", "1", "--quiet"]) == 0
    changed = tmp_path / "changed.toml"
    changed.write_text(
        good.read_text(encoding="utf-8")
        .replace("n_splits = 3", "n_splits = 4")
        .replace('"trades.parquet"', json.dumps(str(workdir / "trades.parquet")))
    )
    assert main(["run", str(changed), "--storage", str(journal), "--quiet"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "[cv] n_splits: stored 3, now 4" in line
    # The data file is part of what a trial measures: a changed file is refused too.
    copy = tmp_path / "trades.parquet"
    shutil.copy(workdir / "trades.parquet", copy)
    moved = tmp_path / "moved.toml"
    moved.write_text(good.read_text(encoding="utf-8"))
    assert main(["run", str(moved), "--storage", str(journal), "--quiet"]) == 2
    assert f"[data] path: stored '{workdir / 'trades.parquet'}'" in capsys.readouterr().err
    study = load(journal)
    stored: Any = json.loads(study.user_attrs[CONFIG_ATTR])
    study.set_user_attr(DATA_ATTR, "0" * 64)  # as if the file had been rewritten
    assert main(["run", str(good), "--storage", str(journal), "--quiet"]) == 2
    assert "has changed since the study started" in capsys.readouterr().err
    assert main(["worker", "--storage", str(journal), "--study", "cli"]) == 2
    assert "SHA-256 does not match" in capsys.readouterr().err
    assert stored["cv"] == {"n_splits": 3}
