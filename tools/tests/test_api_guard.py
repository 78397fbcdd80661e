"""The API guard on a shallow, tag-less clone of this repository: a deliberate break is caught.

The clone's tr-sample-weighting source is set to its last release (the ledger's sdist),
so the test does not depend on what changed in the tree since.
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

import pytest
from packaging.version import Version
from release_helpers import run, trrelease

from trrelease.versions import allows_breaking_changes, bumped
from trrelease.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "tr-sample-weighting"
SOURCE = "packages/tr-sample-weighting/src/tr_sample_weighting"


@pytest.fixture
def clone(tmp_path: Path, offline_env: dict[str, str]) -> Path:
    repo = tmp_path / "clone"
    url = f"file://{ROOT}"
    run(
        ["git", "clone", "--quiet", "--depth=1", "--no-tags", url, str(repo)], tmp_path, offline_env
    )
    workspace = Workspace(repo)
    released = workspace.last_release(PACKAGE)
    assert released is not None
    assert released < Version("1")  # the bumps below are the pre-1.0 ones
    with tarfile.open(workspace.ledger.release(PACKAGE, released).sdist) as sdist:
        sdist.extractall(tmp_path / "sdist", filter="data")
    (top,) = (tmp_path / "sdist").iterdir()
    shutil.rmtree(repo / "packages" / PACKAGE / "src")
    shutil.copytree(top / "src", repo / "packages" / PACKAGE / "src")
    return repo


def _released(clone: Path) -> Version:
    released = Workspace(clone).last_release(PACKAGE)
    assert released is not None
    return released


def _set_version(repo: Path, version: Version) -> None:
    (repo / SOURCE / "__about__.py").write_text(f'__version__ = "{version}"\n')


def test_unchanged_api_passes(clone, offline_env):
    done = trrelease(clone, offline_env, "api", PACKAGE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 breaking change(s)" in done.stdout


def test_a_broken_signature_fails_until_the_breaking_bump(clone, offline_env):
    alpha = clone / SOURCE / "alpha.py"
    text = alpha.read_text()
    assert "def alpha_power_weights(\n    alpha" in text
    # The deliberate break: a new required first parameter moves every positional one.
    broken = "def alpha_power_weights(\n    prices,\n    alpha"
    alpha.write_text(text.replace("def alpha_power_weights(\n    alpha", broken, 1))

    caught = trrelease(clone, offline_env, "api", PACKAGE)
    assert caught.returncode == 1
    assert "alpha_power_weights(prices): Parameter was added as required" in caught.stdout
    assert "alpha_power_weights(alpha): Positional parameter was moved" in caught.stdout
    released = _released(clone)
    assert f"refused: a breaking change needs a minor bump after {released}" in caught.stdout

    _set_version(clone, bumped(released, "patch"))  # a patch does not announce a break
    assert trrelease(clone, offline_env, "api", PACKAGE).returncode == 1

    minor = bumped(released, "minor")  # below 1.0 the minor bump does
    _set_version(clone, minor)
    allowed = trrelease(clone, offline_env, "api", PACKAGE)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert f"allowed: {released} -> {minor} announces them" in allowed.stdout


def test_previous_compares_with_the_release_before_the_trees_version(clone, offline_env):
    """On a release's own commit (tree version == last release) the announced change is
    checked against the release before it; this package has none before its first."""
    released = _released(clone)
    minor = bumped(released, "minor")
    _set_version(clone, minor)
    (clone / SOURCE / "__init__.py").write_text("")  # every public name gone
    assert trrelease(clone, offline_env, "api", PACKAGE, "--previous").returncode == 0
    assert trrelease(clone, offline_env, "api", PACKAGE).returncode == 0

    _set_version(clone, released)
    same = trrelease(clone, offline_env, "api", PACKAGE)
    assert same.returncode == 1
    first = trrelease(clone, offline_env, "api", PACKAGE, "--previous")
    assert first.returncode == 0
    assert f"{PACKAGE} {released}: no release to compare with" in first.stdout


def test_a_removed_public_name_is_caught(clone, offline_env):
    init = clone / SOURCE / "__init__.py"
    text = init.read_text()
    removed = text.replace('    "magnitude_weights",\n', "").replace("    magnitude_weights,\n", "")
    assert removed.count("magnitude_weights") == 0
    init.write_text(removed)
    caught = trrelease(clone, offline_env, "api", PACKAGE)
    assert caught.returncode == 1
    assert "magnitude_weights" in caught.stdout


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("0.1.0", "0.1.1", False),
        ("0.1.0", "0.2.0", True),
        ("0.1.3", "1.0.0", True),
        ("1.2.0", "1.3.0", False),
        ("1.2.0", "2.0.0", True),
        ("2.0.0", "1.9.0", False),
    ],
)
def test_which_bumps_allow_a_break(old, new, allowed):
    assert allows_breaking_changes(Version(old), Version(new)) is allowed
