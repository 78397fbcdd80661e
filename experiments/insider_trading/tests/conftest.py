"""Shared by the tests of the insider-trading experiments: what git sees of the checkout,
and a user's own frame written as the files ``--data``/``--contract`` read."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd
import pytest

from tr_core.contract import DataContract

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


def _user_files(
    folder: Path,
    frame: pd.DataFrame,
    contract: DataContract,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> tuple[Path, Path]:
    data = folder / "trades.csv"
    frame.to_csv(data, index=False)
    spec = {
        "time": contract.time,
        "target": contract.target,
        "features": list(contract.features),
        "label_end": contract.label_end,
        "entity": contract.entity,
        "groups": {k: list(v) for k, v in (contract.groups if groups is None else groups).items()},
        "target_units": contract.target_units,
    }
    path = folder / "contract.json"
    path.write_text(json.dumps(spec))
    return data, path


@pytest.fixture(scope="session")
def user_files() -> Callable[..., tuple[Path, Path]]:
    """Call it as ``user_files(folder, frame, contract, groups=None)`` for the CSV and the
    JSON contract a user would give (``groups`` replaces the contract's); their paths."""
    return _user_files
