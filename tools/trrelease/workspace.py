"""The monorepo as the release tooling sees it: packages, versions, ranges and releases.

A package is a folder ``packages/<name>/`` with a ``pyproject.toml`` whose version is
hatch's (``[tool.hatch.version] path``, a ``__version__ = "..."`` line). A release of
``<name>`` at version ``V`` is its wheel and sdist in the release ledger (``releases/``,
:mod:`trrelease.ledger`); the git tag ``<name>-v<V>`` marks the commit that added them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from trrelease.errors import ReleaseRefusedError
from trrelease.ledger import Ledger

_VERSION_LINE = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def tag_of(name: str, version: Version | str) -> str:
    """The release tag of ``name`` at ``version``: ``<name>-v<version>``."""
    return f"{name}-v{version}"


@dataclass(frozen=True)
class Package:
    """One distribution of the monorepo, read from its folder."""

    name: str
    folder: Path

    @cached_property
    def pyproject(self) -> dict:
        with (self.folder / "pyproject.toml").open("rb") as fh:
            return tomllib.load(fh)

    @property
    def relative(self) -> str:
        """The folder relative to the repository root (``packages/<name>``)."""
        return f"packages/{self.folder.name}"

    @property
    def import_name(self) -> str:
        """The top-level import package, from hatch's wheel target (``src/<import>``)."""
        targets = self.pyproject.get("tool", {}).get("hatch", {}).get("build", {})
        packages = targets.get("targets", {}).get("wheel", {}).get("packages", [])
        if packages:
            return Path(packages[0]).name
        return self.name.replace("-", "_")

    @property
    def version_file(self) -> Path:
        path = self.pyproject.get("tool", {}).get("hatch", {}).get("version", {}).get("path")
        if not path:
            raise ReleaseRefusedError(
                f"{self.relative}/pyproject.toml has no [tool.hatch.version] path: the release "
                "flow bumps hatch's version file; add one (src/<import>/__about__.py)"
            )
        return self.folder / str(path)

    @property
    def version(self) -> Version:
        """The version in the tree (the version file, read as hatch's regex source does)."""
        match = _VERSION_LINE.search(self.version_file.read_text(encoding="utf-8"))
        if match is None:
            raise ReleaseRefusedError(f"no __version__ = '...' line in {self.version_file}")
        return Version(match.group(1))

    @property
    def changelog(self) -> Path:
        return self.folder / "CHANGELOG.md"

    def requirements(self) -> list[Requirement]:
        """The run-time requirements (``[project] dependencies``)."""
        return [Requirement(r) for r in self.pyproject["project"].get("dependencies", [])]

    def test_requirements(self) -> list[Requirement]:
        """The ``test`` dependency group (plain requirement strings only)."""
        group = self.pyproject.get("dependency-groups", {}).get("test", [])
        return [Requirement(r) for r in group if isinstance(r, str)]


class Workspace:
    """The packages of the repository at ``root`` and their releases (its ledger)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        folders = sorted((self.root / "packages").glob("*/pyproject.toml"))
        if not folders:
            raise ReleaseRefusedError(f"no packages/*/pyproject.toml under {self.root}")
        self.packages: dict[str, Package] = {}
        for pyproject in folders:
            with pyproject.open("rb") as fh:
                name = canonicalize_name(tomllib.load(fh)["project"]["name"])
            self.packages[name] = Package(name=name, folder=pyproject.parent)
        self.ledger = Ledger(self.root)

    def package(self, name: str) -> Package:
        """The package called ``name``, or a refusal that lists the known ones."""
        key = canonicalize_name(name)
        if key not in self.packages:
            raise ReleaseRefusedError(
                f"unknown package {name!r}: choose one of {', '.join(sorted(self.packages))}"
            )
        return self.packages[key]

    def siblings(self, requirements: list[Requirement]) -> list[tuple[Package, Requirement]]:
        """The requirements that name a package of this repository, with the package."""
        found = []
        for req in requirements:
            key = canonicalize_name(req.name)
            if key in self.packages:
                found.append((self.packages[key], req))
        return found

    def closure(self, name: str) -> list[Package]:
        """``name`` and the packages it needs at run time, dependencies first."""
        order: list[Package] = []

        def visit(package: Package) -> None:
            for sibling, _ in self.siblings(package.requirements()):
                visit(sibling)
            if package not in order:
                order.append(package)

        visit(self.package(name))
        return order

    def releases(self, name: str) -> list[Version]:
        """The released versions of ``name`` (in the ledger), ascending."""
        return self.ledger.releases(self.package(name).name)

    def last_release(self, name: str) -> Version | None:
        released = self.releases(name)
        return released[-1] if released else None
