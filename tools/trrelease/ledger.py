"""The release ledger: every released wheel and sdist, committed in ``releases/``.

A release of ``<name>`` at version ``V`` is its wheel and its sdist in ``releases/`` —
the very files that were built, ``twine check``-ed and tested when it was released —
each listed with its SHA-256 in ``releases/SHA256SUMS`` (``sha256sum -c`` reads it).
The ledger is part of the tree, so every clone of ``main`` has every release: no tag,
no history and no index is needed to install one (``pip install --find-links releases``),
to test a package against its released siblings, or to compare an API with its release.
The git tag ``<name>-v<V>`` marks the commit that added the files; nothing reads it back.

A released file is never replaced: :meth:`Ledger.add` refuses a name the ledger holds,
and :meth:`Ledger.verify` refuses a file whose bytes no longer match their line.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from trrelease.errors import ReleaseRefusedError

FOLDER = "releases"
SUMS = "SHA256SUMS"


def sha256(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_artifact(filename: str) -> tuple[NormalizedName, Version]:
    """The distribution name and version of a wheel or sdist file name."""
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[:2]
        if filename.endswith(".tar.gz"):
            return parse_sdist_filename(filename)
    except (InvalidWheelFilename, InvalidSdistFilename) as exc:
        raise ReleaseRefusedError(f"{filename}: not a wheel or sdist name ({exc})") from None
    raise ReleaseRefusedError(f"{filename}: a release holds only a .whl and a .tar.gz")


@dataclass(frozen=True)
class Release:
    """One released version: its wheel and its sdist in the ledger."""

    name: str
    version: Version
    wheel: Path
    sdist: Path

    @property
    def files(self) -> list[Path]:
        return [self.wheel, self.sdist]


class Ledger:
    """The ``releases/`` folder of the repository at ``root`` and its ``SHA256SUMS``."""

    def __init__(self, root: Path) -> None:
        self.folder = root / FOLDER
        self.sums = self.folder / SUMS

    def entries(self) -> dict[str, str]:
        """File name -> SHA-256, as ``SHA256SUMS`` lists them (empty when there is none)."""
        if not self.sums.is_file():
            return {}
        listed: dict[str, str] = {}
        for number, line in enumerate(self.sums.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            digest, _, filename = line.partition("  ")
            if len(digest) != 64 or not filename or "/" in filename or filename in listed:
                raise ReleaseRefusedError(
                    f"{self.sums}:{number}: {line!r} is not '<sha256>  <file name>' (once each)"
                )
            listed[filename] = digest
        return listed

    def _by_release(self) -> dict[tuple[NormalizedName, Version], dict[str, Path]]:
        grouped: dict[tuple[NormalizedName, Version], dict[str, Path]] = {}
        for filename in self.entries():
            key = parse_artifact(filename)
            kind = "wheel" if filename.endswith(".whl") else "sdist"
            grouped.setdefault(key, {})[kind] = self.folder / filename
        return grouped

    def releases(self, name: str) -> list[Version]:
        """The released versions of ``name``, ascending."""
        key = canonicalize_name(name)
        return sorted(version for (dist, version) in self._by_release() if dist == key)

    def release(self, name: str, version: Version) -> Release:
        """The files of ``name`` ``version``, checked against their checksums."""
        key = canonicalize_name(name)
        files = self._by_release().get((key, version))
        if files is None:
            raise ReleaseRefusedError(
                f"{name} {version} is not in the release ledger ({self.sums}): released are "
                f"{[str(v) for v in self.releases(name)] or 'none'}"
            )
        release = self._complete(key, version, files)
        self._check(release.files)
        return release

    def verify(self) -> list[Release]:
        """Every release, checked: each listed file present with its bytes, none unlisted,
        a wheel and an sdist per release; refused with what is wrong otherwise."""
        listed = self.entries()
        if self.folder.is_dir():
            unlisted = sorted(
                p.name for p in self.folder.iterdir() if p.name != SUMS and p.name not in listed
            )
            if unlisted:
                raise ReleaseRefusedError(
                    f"{self.folder} holds files {SUMS} does not list: {unlisted}; only the "
                    "release flow (nox -s release) adds to the ledger"
                )
        releases = [self._complete(*key, files) for key, files in self._by_release().items()]
        self._check([f for release in releases for f in release.files])
        return sorted(releases, key=lambda r: (r.name, r.version))

    def _complete(self, name: NormalizedName, version: Version, files: dict[str, Path]) -> Release:
        missing = {"wheel", "sdist"} - set(files)
        if missing:
            raise ReleaseRefusedError(
                f"{name} {version} in {self.sums} has no {' and no '.join(sorted(missing))}: "
                "a release is both files"
            )
        return Release(name, version, files["wheel"], files["sdist"])

    def _check(self, files: list[Path]) -> None:
        listed = self.entries()
        for path in files:
            if not path.is_file():
                raise ReleaseRefusedError(f"{path} is listed in {self.sums} but missing")
            if sha256(path) != listed[path.name]:
                raise ReleaseRefusedError(
                    f"{path} does not match its SHA-256 in {self.sums}: a released file "
                    "never changes — restore it (git checkout -- releases/) and release a new "
                    "version instead"
                )

    def add(self, files: list[Path]) -> list[Path]:
        """Copy a new release's ``files`` into the ledger and list them; return the copies.

        Refused, with nothing copied, when the ledger already holds a file of that name.
        """
        listed = self.entries()
        taken = sorted(f.name for f in files if f.name in listed or (self.folder / f.name).exists())
        if taken:
            raise ReleaseRefusedError(
                f"the release ledger holds {taken} already: a released file is never replaced"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        copies = []
        for file in files:
            copy = self.folder / file.name
            shutil.copyfile(file, copy)
            listed[file.name] = sha256(copy)
            copies.append(copy)
        self._write(listed)
        return copies

    def remove(self, copies: list[Path]) -> None:
        """Undo :meth:`add` of ``copies`` (a release that failed after adding them)."""
        listed = self.entries()
        for copy in copies:
            copy.unlink(missing_ok=True)
            listed.pop(copy.name, None)
        self._write(listed)

    def _write(self, listed: dict[str, str]) -> None:
        if not listed:
            self.sums.unlink(missing_ok=True)
            return
        lines = [f"{listed[name]}  {name}\n" for name in sorted(listed)]
        self.sums.write_text("".join(lines), encoding="utf-8")
