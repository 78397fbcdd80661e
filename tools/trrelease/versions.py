"""Version arithmetic, the changelog rule and what counts as a breaking-change bump."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from packaging.version import Version

Part = Literal["major", "minor", "patch"]
PARTS: tuple[Part, ...] = ("major", "minor", "patch")


def bumped(version: Version, part: Part) -> Version:
    """``version`` with ``part`` raised by one and the parts after it reset."""
    major, minor, patch = (*version.release, 0, 0)[:3]
    if part == "major":
        return Version(f"{major + 1}.0.0")
    if part == "minor":
        return Version(f"{major}.{minor + 1}.0")
    return Version(f"{major}.{minor}.{patch + 1}")


def allows_breaking_changes(old: Version, new: Version) -> bool:
    """Whether going from ``old`` to ``new`` may break the public API (semantic versioning).

    From 1.0 on only a new major version may; below 1.0 a new minor version (0.1 → 0.2)
    is the breaking bump, as in Cargo's and npm's caret rules.
    """
    if new.major != old.major:
        return new.major > old.major
    return new.major == 0 and new.minor > old.minor


def breaking_bump_name(old: Version) -> Part:
    """The bump that allows a breaking change after ``old``."""
    return "minor" if old.major == 0 else "major"


def changelog_entry(changelog: Path, version: Version) -> str | None:
    """The heading of ``version``'s entry in ``changelog``, or None.

    An entry is a level-2 heading naming the version (``## 0.1.1 — 2026-12-03`` or
    ``## [0.1.1] ...``); a heading that still says "unreleased" does not count.
    """
    if not changelog.is_file():
        return None
    pattern = re.compile(rf"^##\s+\[?{re.escape(str(version))}\]?(?=[\s(—-]|$)(.*)$")
    for line in changelog.read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        if match and "unreleased" not in line.lower():
            return line.strip()
    return None
