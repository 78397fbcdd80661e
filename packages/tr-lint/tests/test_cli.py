"""``tr-lint PATH...`` as a user runs it: a real subprocess, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BAD = "import pandas as pd\ndf = pd.read_csv('t.csv')\ndf['f'] = df['f'].fillna(0)\n"
GOOD = "import pandas as pd\ndf = pd.read_csv('t.csv')\n"


def tr_lint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "tr-lint"
    assert command.is_file(), "the tr-lint console script is installed with the package"
    return subprocess.run(
        [str(command), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'research'\n")
    (tmp_path / "research").mkdir()
    (tmp_path / "research" / "bad.py").write_text(BAD)
    (tmp_path / "research" / "good.py").write_text(GOOD)
    return tmp_path


def test_text_output_and_exit_1_on_findings(project):
    done = tr_lint(project, "research")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"research/bad.py:3:11: TR001 {done.stdout.split('TR001 ', 1)[1].splitlines()[0]}"
    ]
    assert "fillna(0) fills missing values" in done.stdout
    assert "1 finding(s) in 2 file(s)" in done.stderr


def test_exit_0_when_clean(project):
    done = tr_lint(project, "research/good.py")
    assert done.returncode == 0
    assert done.stdout == ""


def test_json_format(project):
    done = tr_lint(project, "research", "--format", "json")
    assert done.returncode == 1
    (item,) = json.loads(done.stdout)
    assert item == {
        "path": "research/bad.py",
        "cell": None,
        "line": 3,
        "col": 11,
        "code": "TR001",
        "message": item["message"],
    }


def test_github_format_annotates_the_line(project):
    done = tr_lint(project, "research", "--format", "github")
    assert done.stdout.startswith("::error file=research/bad.py,line=3,col=11,title=TR001::TR001 ")


def test_statistics(project):
    (project / "research" / "more.py").write_text(BAD + "x = df.fillna(-999)\n")
    done = tr_lint(project, "research", "--statistics")
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["    3  TR001  constant fill of missing feature values"]
    as_json = tr_lint(project, "research", "--statistics", "--format", "json")
    assert json.loads(as_json.stdout) == {"TR001": 3}


def test_select_ignore_and_pyproject(project):
    assert tr_lint(project, "research", "--ignore", "TR001").returncode == 0
    assert tr_lint(project, "research", "--select", "TR002,TR003").returncode == 0
    (project / "pyproject.toml").write_text('[tool.tr-lint]\nignore = ["TR001"]\n')
    assert tr_lint(project, "research").returncode == 0
    assert tr_lint(project, "research", "--select", "TR001").returncode == 0  # file's ignore holds
    (project / "pyproject.toml").write_text('[tool.tr-lint]\nexclude = ["*/bad.py"]\n')
    assert tr_lint(project, "research").returncode == 0


def test_notebooks_are_read_directly(project, write_notebook):
    write_notebook(
        project / "research" / "study.ipynb",
        [("markdown", "# study"), ("code", "import numpy as np\nX = np.nan_to_num(X)")],
    )
    done = tr_lint(project, "research/study.ipynb")
    assert done.returncode == 1
    assert done.stdout.startswith("research/study.ipynb:cell 2:line 2:col 5: TR001 ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name at least one file or folder"),
        (("nowhere",), "nowhere: no such file or folder"),
        (("research", "--select", "E501"), "'E501' is not a rule code"),
        (("research", "--config", "missing.toml"), "--config missing.toml: no such file"),
    ],
)
def test_usage_errors_exit_2_with_the_fix(project, args, message):
    done = tr_lint(project, *args)
    assert done.returncode == 2
    assert message in done.stderr


def test_a_bad_pyproject_setting_exits_2(project):
    (project / "pyproject.toml").write_text('[tool.tr-lint]\nselect = ["TR001"]\nfoo = 1\n')
    done = tr_lint(project, "research")
    assert done.returncode == 2
    assert "unknown setting(s) ['foo']" in done.stderr


def test_an_unreadable_notebook_exits_2_after_the_other_files(project):
    (project / "research" / "broken.ipynb").write_text("{")
    done = tr_lint(project, "research")
    assert done.returncode == 2
    assert "research/bad.py:3:11: TR001" in done.stdout
    assert "broken.ipynb: not a Jupyter notebook" in done.stderr


def test_python_dash_m_and_version(project):
    done = subprocess.run(
        [sys.executable, "-m", "tr_lint", "research"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "TR001" in done.stdout
    version = tr_lint(project, "--version")
    assert version.stdout.startswith("tr-lint 0.")


def test_help_lists_the_rules(project):
    done = tr_lint(project, "--help")
    assert done.returncode == 0
    assert "TR001 constant fill of missing feature values" in " ".join(done.stdout.split())
