"""Built distributions: a package built from the tree and checked by twine."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from packaging.utils import parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

from trrelease.errors import ReleaseRefusedError


def run_tool(*args: str, cwd: Path | None = None) -> None:
    """Run a tool of the release session; a failure is a refusal with its output."""
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise ReleaseRefusedError(f"{' '.join(args[:3])} ... failed:\n{output}")


def tool(name: str) -> str:
    """The path of a console script installed beside this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise ReleaseRefusedError(
            f"{name} is not installed: run the release through nox (noxfile.py)"
        )
    return found


def build(folder: Path, out: Path, *, name: str, version: Version) -> list[Path]:
    """Wheel and sdist of the package in ``folder`` into ``out``; checked with twine.

    The files must carry ``name`` and ``version``: a stale version file, or a folder
    that is not the package, is refused rather than released under the wrong number.
    """
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    run_tool(tool("uv"), "build", "--quiet", "--out-dir", str(out), str(folder))
    files = sorted([*out.glob("*.whl"), *out.glob("*.tar.gz")])
    if len(files) != 2:
        raise ReleaseRefusedError(f"expected one wheel and one sdist in {out}, found {files}")
    for file in files:
        parsed = (
            parse_wheel_filename(file.name)
            if file.suffix == ".whl"
            else parse_sdist_filename(file.name)
        )
        if parsed[0] != name or parsed[1] != version:
            raise ReleaseRefusedError(
                f"{file.name} is {parsed[0]} {parsed[1]}, not {name} {version}: "
                "the version file and the release disagree"
            )
    run_tool(tool("twine"), "check", "--strict", *map(str, files))
    return files


def wheel_of(files: list[Path]) -> Path:
    return next(f for f in files if f.suffix == ".whl")
