"""The few git operations a release needs, run with the git executable."""

from __future__ import annotations

import subprocess
from pathlib import Path

from trrelease.errors import ReleaseRefusedError


def git(root: Path, *args: str, strip: bool = True) -> str:
    """Run ``git args`` in ``root``; return its standard output (stripped unless told)."""
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ReleaseRefusedError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip() if strip else done.stdout


def dirty_paths(root: Path) -> list[str]:
    """Tracked changes and untracked, not ignored files (``git status --porcelain``)."""
    out = git(root, "status", "--porcelain", "--untracked-files=normal", strip=False)
    return [line[3:] for line in out.splitlines() if line.strip()]


def tag_names(root: Path) -> list[str]:
    """Every tag of the repository."""
    out = git(root, "tag", "--list")
    return [line for line in out.splitlines() if line]


def tag_exists(root: Path, tag: str) -> bool:
    return tag in tag_names(root)
