"""Every package's README states its version, its changelog, its tr-* ranges and its
install line — and they are the ones its pyproject and version file say."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from trrelease.versions import changelog_entry
from trrelease.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
WORKSPACE = Workspace(ROOT)


@pytest.mark.parametrize("name", sorted(WORKSPACE.packages))
def test_readme_states_version_changelog_ranges_and_install_line(name):
    package = WORKSPACE.package(name)
    readme = (package.folder / "README.md").read_text(encoding="utf-8")
    version = str(package.version)
    assert f"{name}=={version}" in readme, f"{name}'s README has no install line {name}=={version}"
    assert "](CHANGELOG.md)" in readme, f"{name}'s README does not link its CHANGELOG.md"
    for raw in package.pyproject["project"].get("dependencies", []):
        if WORKSPACE.siblings([Requirement(raw)]):
            assert raw.replace(" ", "") in readme, f"{name}'s README does not state its range {raw}"


@pytest.mark.parametrize("name", sorted(WORKSPACE.packages))
def test_changelog_has_an_entry_for_a_released_version(name):
    package = WORKSPACE.package(name)
    released = WORKSPACE.releases(name)
    for version in released:
        assert changelog_entry(package.changelog, version), f"{name} {version}: no changelog entry"
    if package.version in released:
        assert changelog_entry(package.changelog, package.version)
