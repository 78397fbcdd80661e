"""The API guard: a package's public API against its last release, with griffe.

A breaking change (a public name removed, a parameter removed, renamed, moved or made
required, a default changed, ...) is allowed only with the bump that announces it: a new
major version, or below 1.0 a new minor version (``versions.allows_breaking_changes``).
"""

from __future__ import annotations

import re
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import griffe
from packaging.version import Version

from trrelease.errors import ReleaseRefusedError
from trrelease.versions import allows_breaking_changes, breaking_bump_name
from trrelease.workspace import Package, Workspace

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class ApiReport:
    """Breaking changes of ``package`` since ``released``; whether its version allows them."""

    package: str
    released: Version | None
    version: Version
    breakages: tuple[str, ...]

    @property
    def allowed(self) -> bool:
        if not self.breakages or self.released is None:
            return True
        return allows_breaking_changes(self.released, self.version)

    def summary(self) -> str:
        if self.released is None:
            return f"{self.package} {self.version}: no release to compare with"
        head = (
            f"{self.package} {self.version} against its release {self.released}: "
            f"{len(self.breakages)} breaking change(s)"
        )
        lines = [head, *(f"  - {b}" for b in self.breakages)]
        if not self.allowed:
            lines.append(
                f"refused: a breaking change needs a {breaking_bump_name(self.released)} bump "
                f"after {self.released} (nox -s release -- {self.package} --bump "
                f"{breaking_bump_name(self.released)}), or keep the old signature working "
                "(a deprecation: tr_core.deprecation) until then"
            )
        elif self.breakages:
            lines.append(f"allowed: {self.released} -> {self.version} announces them")
        return "\n".join(lines)


def _load(package: Package, src: Path) -> griffe.Object:
    loaded = griffe.load(
        package.import_name,
        search_paths=[src],
        try_relative_path=False,
        resolve_aliases=True,
        resolve_external=False,
    )
    if not isinstance(loaded, griffe.Object):
        raise ReleaseRefusedError(f"griffe loaded an alias for {package.import_name}, not a module")
    return loaded


def check_api(workspace: Workspace, name: str, *, previous: bool = False) -> ApiReport:
    """Compare ``name``'s API in the tree with its last release (the ledger's sdist).

    ``previous``: with the last release *older than the tree's version* instead — on a
    release's own commit, the check of the change that the release announces.
    """
    package = workspace.package(name)
    older = [v for v in workspace.releases(package.name) if not previous or v < package.version]
    released = older[-1] if older else None
    if released is None:
        return ApiReport(package.name, None, package.version, ())
    sdist = workspace.ledger.release(package.name, released).sdist
    with tempfile.TemporaryDirectory(prefix="trrelease-api-") as tmp:
        with tarfile.open(sdist) as archive:
            archive.extractall(tmp, filter="data")
        (top,) = Path(tmp).iterdir()
        old = _load(package, top / "src")
        new = _load(package, package.folder / "src")
        breakages = tuple(
            _ANSI.sub("", b.explain(griffe.ExplanationStyle.ONE_LINE))
            for b in griffe.find_breaking_changes(old, new)
        )
    return ApiReport(package.name, released, package.version, breakages)
