"""The bill of materials: exact pins of one tested set, and the versions actually installed."""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement

DIST = "trading-research"
HERE = Path(__file__).resolve().parents[1]
TR_PACKAGES = {
    "tr-core",
    "tr-evaluation",
    "tr-sample-weighting",
    "tr-feature-selection",
    "tr-tuning",
    "tr-ensemble",
}


def requirements() -> list[Requirement]:
    return [Requirement(line) for line in metadata.requires(DIST) or []]


def pins() -> dict[str, str]:
    """Distribution name -> the exact version it is pinned to."""
    found = {}
    for req in requirements():
        (spec,) = req.specifier
        found[req.name] = spec.version
    return found


def test_every_dependency_is_one_exact_pin() -> None:
    reqs = requirements()
    assert reqs, f"{DIST} declares no dependencies"
    for req in reqs:
        specs = list(req.specifier)
        assert len(specs) == 1, f"{req}: one specifier, an exact pin"
        (spec,) = specs
        assert spec.operator == "==", f"{req}: pin with ==, not {spec.operator}"
        assert "*" not in spec.version, f"{req}: a wildcard is a range, not a pin"
        assert req.marker is None, f"{req}: a pin for every platform"
        assert not req.extras, f"{req}: no extras"


def test_the_pins_are_every_tr_package_and_nothing_else() -> None:
    assert {req.name for req in requirements()} == TR_PACKAGES


@pytest.mark.parametrize("dist", sorted(TR_PACKAGES))
def test_each_pinned_package_is_installed_at_its_pin(dist: str) -> None:
    pinned = pins()[dist]
    assert metadata.version(dist) == pinned, f"{dist} installed is not the pinned {pinned}"
    module = importlib.import_module(dist.replace("-", "_"))
    assert module.__version__ == pinned, f"{module.__name__}.__version__"


def test_version_is_the_distributions() -> None:
    toolkit = importlib.import_module("ml_toolkit")
    assert toolkit.__version__ == metadata.version(DIST)


def test_readme_names_this_version_and_the_pins() -> None:
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    version = metadata.version(DIST)
    assert f"**Version {version}**" in readme
    assert f"{DIST}=={version}" in readme
    table = dict(
        re.findall(r"^\| \[`(tr-[a-z-]+)`\]\([^)]*\) \| `tr-[a-z-]+==([^`]+)` \|", readme, re.M)
    )
    assert table == pins()


def test_changelog_has_this_version() -> None:
    changelog = (HERE / "CHANGELOG.md").read_text(encoding="utf-8")
    heading = re.search(r"^## (\S+) — \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert heading is not None, "a '## <version> — <date>' entry"
    assert heading.group(1) == metadata.version(DIST), "the newest entry is this version"
