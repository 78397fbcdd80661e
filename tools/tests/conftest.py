"""Fixtures of the release tooling's tests: offline tools, a mini monorepo, a real index.

Every install here reaches nothing but loopback: third-party wheels come from the
wheelhouse ``nox -s release_tools`` downloads before the tests (``TR_WHEELHOUSE``), tr-*
packages from the pypiserver the ``index`` fixture starts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from release_helpers import git, write_file, write_package

from trrelease.index import LocalIndex, local_index

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"


@pytest.fixture(scope="session")
def wheelhouse() -> Path:
    path = os.environ.get("TR_WHEELHOUSE")
    if not path or not Path(path).is_dir():
        pytest.fail(
            "TR_WHEELHOUSE must name a folder of third-party wheels (hatchling, pytest, pip, "
            "numpy, pandas, ...): run these tests with `python3 -m nox -s release_tools`"
        )
    return Path(path)


@pytest.fixture
def offline_env(wheelhouse: Path, tmp_path: Path) -> dict[str, str]:
    """The environment of every tool the tests run: no index but the wheelhouse."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "HATCH_"))}
    env.update(
        PYTHONPATH=f"{TOOLS}{os.pathsep}{TOOLS / 'tests'}",
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        UV_NO_INDEX="1",
        UV_FIND_LINKS=str(wheelhouse),
        HATCH_DATA_DIR=str(tmp_path / "hatch-data"),
        HATCH_CACHE_DIR=str(tmp_path / "hatch-cache"),
        GIT_AUTHOR_NAME="release-test",
        GIT_AUTHOR_EMAIL="release-test@example.invalid",
        GIT_COMMITTER_NAME="release-test",
        GIT_COMMITTER_EMAIL="release-test@example.invalid",
        MPLBACKEND="Agg",
    )
    return env


@pytest.fixture
def mini_repo(tmp_path: Path, offline_env: dict[str, str]) -> Path:
    """A git repository with two packages: ``tr-mini`` and ``tr-mini-b`` (needs tr-mini)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    write_file(
        repo / "pyproject.toml",
        """
        [tool.pytest.ini_options]
        addopts = ["--import-mode=importlib"]
        """,
    )
    write_file(repo / ".gitignore", "dist/\n__pycache__/\n")
    write_package(
        repo,
        "tr-mini",
        requires=[],
        test_body="""
        import tr_mini


        def test_answer():
            assert tr_mini.answer() == 42
        """,
    )
    write_package(
        repo,
        "tr-mini-b",
        requires=["tr-mini>=0.1.0,<0.2"],
        test_body="""
        import tr_mini


        def test_uses_sibling():
            assert tr_mini.answer() == 42
        """,
    )
    git(repo, offline_env, "init", "--quiet", "--initial-branch=main")
    git(repo, offline_env, "add", ".")
    git(repo, offline_env, "commit", "--quiet", "-m", "the mini monorepo")
    return repo


@pytest.fixture
def index(tmp_path: Path) -> Iterator[LocalIndex]:
    """pypiserver on a free loopback port, serving an empty folder; stopped afterwards."""
    with local_index(tmp_path / "index" / "packages") as served:
        yield served
