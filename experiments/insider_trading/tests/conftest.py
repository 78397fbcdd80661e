"""Shared by the tests of the insider-trading experiments: what git sees of the checkout."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "noxfile.py").is_file())


def _git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="session")
def git_status() -> Callable[[], str]:
    """Call it for ``git status --porcelain`` of the checkout now (untracked files one by one).

    Before and after a run, to see that the run changed nothing git tracks or would add.
    """
    return _git_status
