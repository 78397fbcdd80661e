"""``tr_lint.cli.main`` in this process: every branch of the command line, with the
output captured (test_cli.py runs the installed command in a subprocess)."""

from __future__ import annotations

import json
import runpy
import sys

import pytest

from tr_lint.cli import main

BAD = "import pandas as pd\ndf = pd.read_csv('t.csv')\ndf['f'] = df['f'].fillna(0)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'research'\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "bad.py").write_text(BAD)
    (tmp_path / "src" / "also.py").write_text(BAD + "x = df.fillna(-1)\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text(project, capsys):
    assert main(["src"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("src/also.py:3:11: TR001 fillna(0)")
    assert len(out.splitlines()) == 3
    assert "3 finding(s) in 2 file(s)" in err


def test_json_and_github(project, capsys):
    assert main(["src", "--format", "json"]) == 1
    items = json.loads(capsys.readouterr().out)
    assert [(i["path"], i["line"]) for i in items] == [
        ("src/also.py", 3),
        ("src/also.py", 4),
        ("src/bad.py", 3),
    ]
    assert main(["src", "--format", "github"]) == 1
    assert capsys.readouterr().out.count("::error file=") == 3


def test_statistics_text_and_json(project, capsys):
    assert main(["src", "--statistics"]) == 1
    assert capsys.readouterr().out.split() == [
        "3",
        "TR001",
        *["constant", "fill", "of", "missing", "feature", "values"],
    ]
    assert main(["src", "--statistics", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == {"TR001": 3}


def test_statistics_count_parse_errors(project, capsys):
    (project / "src" / "broken.py").write_text("def f(:\n")
    assert main(["src", "--statistics", "--select", "TR002"]) == 1
    assert capsys.readouterr().out.split() == ["1", "TR000", "not", "valid", "Python"]


def test_clean_prints_nothing_on_stdout(project, capsys):
    assert main(["src", "--ignore", "TR001"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "0 finding(s) in 2 file(s)" in err


def test_explicit_config_file(project, capsys):
    config = project / "lint.toml"
    config.write_text('[tool.tr-lint]\nexclude = ["*also.py"]\n')
    assert main(["src", "--config", str(config)]) == 1
    assert "also.py" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "name at least one file or folder"),
        (["missing"], "missing: no such file or folder"),
        (["src", "--select", "X1"], "'X1' is not a rule code"),
        (["src", "--config", "nope.toml"], "--config nope.toml: no such file"),
    ],
)
def test_errors_exit_2(project, capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_read_errors_exit_2_after_reporting_findings(project, capsys):
    (project / "src" / "n.ipynb").write_text("{")
    assert main(["src"]) == 2
    out, err = capsys.readouterr()
    assert "TR001" in out
    assert "n.ipynb: not a Jupyter notebook" in err


def test_python_dash_m_runs_main(project, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["tr_lint", "src"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("tr_lint", run_name="__main__", alter_sys=True)
    assert exited.value.code == 1
    assert "TR001" in capsys.readouterr().out


def test_jobs_below_one_is_refused(project, capsys):
    assert main(["src", "--jobs", "0"]) == 2
    assert "--jobs must be at least 1, got 0" in capsys.readouterr().err
    assert main(["src", "--jobs", "2"]) == 1
