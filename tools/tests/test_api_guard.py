"""The API guard on a clone of this repository: a deliberate break is caught.

The clone's last release of tr-sample-weighting is made a tag of its HEAD, so the test
does not depend on which releases this repository has had.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.version import Version
from release_helpers import git, run, trrelease

from trrelease.versions import allows_breaking_changes

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "tr-sample-weighting"
SOURCE = "packages/tr-sample-weighting/src/tr_sample_weighting"


@pytest.fixture
def clone(tmp_path: Path, offline_env: dict[str, str]) -> Path:
    repo = tmp_path / "clone"
    run(["git", "clone", "--quiet", str(ROOT), str(repo)], tmp_path, offline_env)
    for tag in git(repo, offline_env, "tag", "--list", f"{PACKAGE}-v*").split():
        git(repo, offline_env, "tag", "-d", tag)
    version = re.search(r'"(.+)"', (repo / SOURCE / "__about__.py").read_text()).group(1)
    git(repo, offline_env, "tag", f"{PACKAGE}-v{version}")
    return repo


def _set_version(repo: Path, version: str) -> None:
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
    assert "refused: a breaking change needs a minor bump after 0.1.0" in caught.stdout

    _set_version(clone, "0.1.1")  # a patch does not announce a break
    assert trrelease(clone, offline_env, "api", PACKAGE).returncode == 1

    _set_version(clone, "0.2.0")  # below 1.0 the minor bump does
    allowed = trrelease(clone, offline_env, "api", PACKAGE)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "allowed: 0.1.0 -> 0.2.0 announces them" in allowed.stdout


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
