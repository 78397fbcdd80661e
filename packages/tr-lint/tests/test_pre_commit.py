"""The pre-commit hook, through ``pre-commit try-repo`` on a throwaway repository.

pre-commit installs this repository as the hook repository (``pip install .`` of the
root distribution, ``.pre-commit-hooks.yaml``) into an environment of its own and runs
``tr-lint`` on the staged files. Offline: the build backend comes from the wheelhouse
``nox -s "tests(package='tr-lint')"`` downloads before the tests (``TR_LINT_WHEELHOUSE``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BAD = "import pandas as pd\n\ndf = pd.read_csv('t.csv')\ndf['own_chg'] = df['own_chg'].fillna(0)\n"
GOOD = "import pandas as pd\n\ndf = pd.read_csv('t.csv')\n"


@pytest.fixture
def offline(tmp_path: Path) -> dict[str, str]:
    wheelhouse = os.environ.get("TR_LINT_WHEELHOUSE")
    if not wheelhouse or not Path(wheelhouse).is_dir():
        if os.environ.get("CI"):
            pytest.fail(
                "TR_LINT_WHEELHOUSE is not set: run with nox -s \"tests(package='tr-lint')\""
            )
        pytest.skip("TR_LINT_WHEELHOUSE (hatchling wheels for an offline hook install) not set")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _throwaway(path: Path, files: dict[str, str], env: dict[str, str]) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text)
    _run(["git", "init", "--quiet"], path, env)
    _run(["git", "add", "."], path, env)
    return path


def _try_repo(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    pre_commit = [sys.executable, "-m", "pre_commit"]
    return _run([*pre_commit, "try-repo", str(ROOT), "tr-lint", "--all-files"], repo, env)


def test_the_hook_fails_on_a_finding_and_names_it(tmp_path, offline):
    repo = _throwaway(
        tmp_path / "strategy",
        {"features.py": BAD, "clean.py": GOOD, "notes.txt": "fillna(0)"},
        offline,
    )
    done = _try_repo(repo, offline)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "tr-lint" in done.stdout
    assert "Failed" in done.stdout
    assert "features.py:4:17: TR001 fillna(0) fills missing values" in done.stdout, done.stdout
    assert "clean.py" not in done.stdout.split("Failed", 1)[1]
    assert "notes.txt" not in done.stdout


def test_the_hook_passes_on_clean_code_and_justified_noqa(tmp_path, offline):
    justified = BAD.replace("fillna(0)", "fillna(0)  # noqa: TR001 zero trades is a real zero")
    repo = _throwaway(tmp_path / "strategy", {"clean.py": GOOD, "counts.py": justified}, offline)
    done = _try_repo(repo, offline)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
