"""A strategy repository installs exactly what it pins, from a real index on loopback.

Every release in the ledger (``releases/``) is uploaded with twine to a pypiserver;
``examples/strategy-insider-trading`` then installs its ``requirements.txt`` into a clean
venv with pip — tr-* only from that index, third-party wheels only from the local
wheelhouse — and trains its model. A newer tr-evaluation then reaches the index, and
the pinned repository still installs the version it pinned.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from release_helpers import run

from trrelease.artifacts import tool
from trrelease.index import LocalIndex
from trrelease.versions import bumped
from trrelease.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "strategy-insider-trading"
DATA = ROOT.parent / "shared" / "data" / "insider_ceo_purchases_2012_2021.csv.gz"
NOT_USED = ("tr-feature-selection", "tr-tuning", "tr-ensemble", "trading-research")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (EXAMPLE / "requirements.txt").read_text().splitlines():
        match = re.match(r"^(tr-[a-z-]+)==([0-9][^\s#]*)", line.strip())
        if match:
            pins[match.group(1)] = match.group(2)
    return pins


def _venv(path: Path, env: dict[str, str]) -> Path:
    """A clean venv with pip in it (seeded offline from the wheelhouse)."""
    run(
        [tool("uv"), "venv", "--quiet", "--seed", "--python", sys.executable, str(path)],
        path.parent,
        env,
    )
    return path / "bin" / "python"


def _pip_install(
    python: Path, index: LocalIndex, wheelhouse: Path, env: dict[str, str], *args: str
) -> dict[str, dict]:
    """pip install from the index (tr-*) and the wheelhouse (third-party); pip's report."""
    report = (
        python.parent.parent / f"report-{len(list(python.parent.parent.glob('report-*')))}.json"
    )
    run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-cache-dir",
            "--index-url",
            index.simple,
            "--find-links",
            str(wheelhouse),
            "--report",
            str(report),
            *args,
        ],
        python.parent.parent,
        env,
    )
    items = json.loads(report.read_text())["install"]
    return {item["metadata"]["name"]: item for item in items}


def _upload(index: LocalIndex, env: dict[str, str], files: list[Path]) -> None:
    run(
        [
            tool("twine"),
            "upload",
            "--non-interactive",
            "--disable-progress-bar",
            "--repository-url",
            index.url,
            *map(str, files),
        ],
        index.folder,
        env,
    )


def _installed(python: Path, env: dict[str, str]) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json; "
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"
    )
    return json.loads(run([str(python), "-c", code], python.parent, env).stdout)


def test_pinned_strategy_repo_installs_its_pins_from_the_index(
    tmp_path, offline_env, wheelhouse, index: LocalIndex
):
    pins = _pins()
    assert pins == {"tr-core": "0.1.0", "tr-sample-weighting": "0.1.0", "tr-evaluation": "0.1.0"}
    assert not [p.name for p in wheelhouse.iterdir() if p.name.startswith(("tr_", "trading"))]

    workspace = Workspace(ROOT)
    for name, version in pins.items():
        released = [str(v) for v in workspace.releases(name)]
        assert version in released, f"the strategy pins {name} {version}; released: {released}"
    files = [f for release in workspace.ledger.verify() for f in release.files]
    upload = {**offline_env, "TWINE_USERNAME": "ci", "TWINE_PASSWORD": "ci"}
    _upload(index, upload, files)
    for name in workspace.packages:
        assert f"{name.replace('-', '_')}-" in " ".join(p.name for p in index.folder.iterdir())

    python = _venv(tmp_path / "strategy-venv", offline_env)
    report = _pip_install(
        python, index, wheelhouse, offline_env, "-r", str(EXAMPLE / "requirements.txt")
    )
    for name, version in pins.items():
        assert report[name]["metadata"]["version"] == version
        # From the index, never from source or the wheelhouse.
        assert report[name]["download_info"]["url"].startswith(index.url), report[name]
    installed = _installed(python, offline_env)
    ours = sorted(n for n in installed if n.startswith("tr-") or n == "trading-research")
    assert ours == sorted(pins), f"the strategy venv holds {ours}, it pins {sorted(pins)}"
    assert not set(NOT_USED) & set(installed)

    if not DATA.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{DATA} is missing; CI always provides ../shared/data beside the repo")
        pytest.skip(f"real data not available: {DATA}")
    strategy = tmp_path / "strategy"
    shutil.copytree(EXAMPLE, strategy)
    out = tmp_path / "model"
    trained = run(
        [str(python), "research/train_production_model.py", "--data", str(DATA), "--out", str(out)],
        strategy,
        offline_env,
    )
    assert (
        "toolkit: tr-core==0.1.0, tr-sample-weighting==0.1.0, tr-evaluation==0.1.0"
        in trained.stdout
    )
    assert (out / "summary.json").is_file()
    assert (out / "model.pkl").is_file()

    # tr-evaluation moves on: a newer version reaches the index ...
    copy = tmp_path / "tr-evaluation"
    shutil.copytree(
        ROOT / "packages" / "tr-evaluation", copy, ignore=shutil.ignore_patterns("tests")
    )
    newer = bumped(workspace.last_release("tr-evaluation"), "patch")
    run([tool("hatch"), "version", str(newer)], copy, offline_env)
    built = tmp_path / "newer"
    run([tool("uv"), "build", "--quiet", "--out-dir", str(built), str(copy)], tmp_path, offline_env)
    assert sorted(p.name for p in built.glob("tr_evaluation-*")) == [
        f"tr_evaluation-{newer}-py3-none-any.whl",
        f"tr_evaluation-{newer}.tar.gz",
    ]
    _upload(index, upload, sorted(built.glob("tr_evaluation-*")))
    listed = run(
        [
            str(python),
            "-m",
            "pip",
            "index",
            "versions",
            "tr-evaluation",
            "--index-url",
            index.simple,
        ],
        tmp_path,
        offline_env,
    ).stdout
    assert f"tr-evaluation ({newer})" in listed

    # ... an unpinned install would take it ...
    fresh = _venv(tmp_path / "fresh-venv", offline_env)
    unpinned = _pip_install(fresh, index, wheelhouse, offline_env, "--dry-run", "tr-evaluation")
    assert unpinned["tr-evaluation"]["metadata"]["version"] == str(newer)

    # ... and the pinned strategy repository still installs what it pinned.
    again = _pip_install(
        fresh, index, wheelhouse, offline_env, "-r", str(EXAMPLE / "requirements.txt")
    )
    assert again["tr-evaluation"]["metadata"]["version"] == pins["tr-evaluation"]
    assert _installed(fresh, offline_env)["tr-evaluation"] == pins["tr-evaluation"]
