"""Helpers of the release tooling's tests: run the tools, write a package."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def run(
    args: list[str], cwd: Path, env: dict[str, str], *, check: bool = True
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def trrelease(
    repo: Path, env: dict[str, str], *args: str, check: bool = False
) -> subprocess.CompletedProcess[str]:
    """``python -m trrelease args`` in ``repo``, as ``nox -s release`` runs it."""
    return run([sys.executable, "-m", "trrelease", *args], repo, env, check=check)


def git(repo: Path, env: dict[str, str], *args: str) -> str:
    return run(["git", *args], repo, env).stdout.strip()


def write_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def write_package(repo: Path, name: str, *, requires: list[str], test_body: str) -> None:
    """A small hatch package laid out like the monorepo's: src/, tests/, CHANGELOG."""
    module = name.replace("-", "_")
    folder = repo / "packages" / name
    deps = ", ".join(f'"{r}"' for r in requires)
    write_file(
        folder / "pyproject.toml",
        f"""
        [build-system]
        requires = ["hatchling>=1.25"]
        build-backend = "hatchling.build"

        [project]
        name = "{name}"
        dynamic = ["version"]
        description = "A package of the release tests."
        readme = "README.md"
        requires-python = ">=3.11"
        license = "MIT"
        dependencies = [{deps}]

        [dependency-groups]
        test = ["pytest>=8"]

        [tool.hatch.version]
        path = "src/{module}/__about__.py"

        [tool.hatch.build.targets.wheel]
        packages = ["src/{module}"]
        """,
    )
    readme = (
        f"# {name}\n\nA package of the release tests.\n\n| version | changelog |\n|---|---|\n"
        f"| 0.1.0 | [CHANGELOG.md](CHANGELOG.md) |\n\n    pip install {name}==0.1.0\n"
    )
    write_file(folder / "README.md", readme)
    changelog = f"# Changelog — {name}\n\n## 0.1.0 — 2026-12-03\n\n- First.\n"
    write_file(folder / "CHANGELOG.md", changelog)
    write_file(folder / "src" / module / "__about__.py", '__version__ = "0.1.0"\n')
    write_file(
        folder / "src" / module / "__init__.py",
        f"from {module}.__about__ import __version__\n\n\ndef answer() -> int:\n"
        "    return 42\n\n\n__all__ = ['__version__', 'answer']\n",
    )
    write_file(folder / "tests" / f"test_{module}.py", test_body)
