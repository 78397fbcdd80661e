"""The release flow of one package: checks, bump, build, check, test, ledger, commit, tag.

Every check runs before anything changes; a failure after the bump undoes it, so the
release ledger (``releases/``) only ever receives — and a tag only ever marks — a
version whose wheel and sdist were built, passed ``twine check --strict`` and passed the
package's tests installed from that wheel beside its released siblings.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from trrelease.artifacts import build, run_tool, tool, wheel_of
from trrelease.errors import ReleaseRefusedError
from trrelease.gitrepo import dirty_paths, git, tag_exists
from trrelease.ledger import FOLDER, SUMS
from trrelease.versions import Part, bumped, changelog_entry
from trrelease.workspace import Package, Workspace, tag_of


def sync_readme(package: Package, old: Version, new: Version) -> bool:
    """Move the README's install pins and release table from ``old`` to ``new``.

    The README states the package's version (``<name>==<version>`` in its install lines,
    ``| <version> | [CHANGELOG.md]`` in its release table or ``**Version <version>**``);
    a bump keeps it true.
    """
    readme = package.folder / "README.md"
    if not readme.is_file():
        return False
    text = readme.read_text(encoding="utf-8")
    pins = re.compile(
        rf"(?<![\w.-]){re.escape(package.name)}(\[[^\]]*\])?=={re.escape(str(old))}(?![\w.])"
    )
    moved = pins.sub(lambda m: f"{package.name}{m.group(1) or ''}=={new}", text)
    moved = moved.replace(f"| {old} | [CHANGELOG.md]", f"| {new} | [CHANGELOG.md]")
    moved = moved.replace(f"**Version {old}**", f"**Version {new}**")
    if moved == text:
        return False
    readme.write_text(moved, encoding="utf-8")
    return True


@dataclass(frozen=True)
class SiblingPin:
    """A tr-* requirement of the package, with the tree's and the last released version."""

    name: str
    requirement: Requirement
    tree: Version
    released: Version


@dataclass(frozen=True)
class ReleasePlan:
    """What ``release`` will do; made by :func:`plan_release` after every check passed."""

    package: Package
    current: Version
    new: Version
    last: Version | None
    changelog: str
    siblings: tuple[SiblingPin, ...]
    test_siblings: tuple[SiblingPin, ...]

    @property
    def tag(self) -> str:
        return tag_of(self.package.name, self.new)

    def steps(self) -> list[str]:
        rel = self.package.relative
        steps = []
        if self.new != self.current:
            steps.append(f"hatch version {self.new} in {rel} ({self.current} -> {self.new})")
            steps.append(f"{rel}/README.md: {self.package.name}=={self.current} -> =={self.new}")
        steps += [
            f"uv build {rel} -> dist/releases/{self.tag}/ (wheel + sdist)",
            "twine check --strict on both files",
            f"a clean venv: the wheel, {self._pins()}, the test group; pytest {rel}/tests",
            f"both files into the ledger: {FOLDER}/ and {FOLDER}/{SUMS}",
            f"git commit: release: {self.package.name} {self.new}",
            f"git tag -a {self.tag}",
        ]
        return steps

    def _pins(self) -> str:
        pins = [f"{p.name}=={p.released}" for p in (*self.siblings, *self.test_siblings)]
        return "released " + ", ".join(pins) if pins else "no tr-* siblings"


def _released_pin(workspace: Workspace, sibling: Package, req: Requirement, who: str) -> SiblingPin:
    tree = sibling.version
    if not req.specifier.contains(tree, prereleases=True):
        raise ReleaseRefusedError(
            f"{who} requires {req} but the tree's {sibling.name} is {tree}: the range excludes "
            f"the sibling's current version; widen the range in {who}'s pyproject.toml (or "
            f"move {sibling.name} into it) before releasing"
        )
    matching = [v for v in workspace.releases(sibling.name) if req.specifier.contains(v, True)]
    if not matching:
        raise ReleaseRefusedError(
            f"{who} requires {req} but no released {sibling.name} satisfies it (released: "
            f"{[str(v) for v in workspace.releases(sibling.name)] or 'none'}): release "
            f"{sibling.name} first (nox -s release -- {sibling.name})"
        )
    return SiblingPin(sibling.name, req, tree, max(matching))


def plan_release(workspace: Workspace, name: str, bump: Part | None = None) -> ReleasePlan:
    """Check that ``name`` can be released; return the plan, or refuse with the reason."""
    package = workspace.package(name)
    dirty = dirty_paths(workspace.root)
    if dirty:
        shown = ", ".join(dirty[:8]) + (" ..." if len(dirty) > 8 else "")
        raise ReleaseRefusedError(
            f"the working tree is dirty ({shown}): commit or stash first — a release tags a commit"
        )
    current = package.version
    new = bumped(current, bump) if bump else current
    tag = tag_of(package.name, new)
    if new in workspace.releases(package.name):
        raise ReleaseRefusedError(
            f"unchanged version: {package.name} {new} is already released (in {FOLDER}/"
            f"{SUMS}); pass --bump patch|minor|major"
            if bump is None
            else f"{package.name} {new} is in the release ledger already: a release is never "
            "re-made — bump past it"
        )
    if tag_exists(workspace.root, tag):
        raise ReleaseRefusedError(
            f"tag {tag} exists already: {package.name} {new} was released; a release is "
            "never re-made — bump past it"
        )
    last = workspace.last_release(package.name)
    if last is not None and new < last:
        raise ReleaseRefusedError(
            f"{package.name} {new} is older than its last release {last} "
            "(in the release ledger): bump past it"
        )
    entry = changelog_entry(package.changelog, new)
    if entry is None:
        raise ReleaseRefusedError(
            f"{package.relative}/CHANGELOG.md has no entry for {new}: add a heading "
            f"'## {new} — YYYY-MM-DD' with what changed (a heading saying 'unreleased' does "
            "not count), commit it, and run the release again"
        )
    siblings = tuple(
        _released_pin(workspace, sib, req, package.name)
        for sib, req in workspace.siblings(package.requirements())
    )
    test_siblings = tuple(
        _released_pin(workspace, sib, req, f"{package.name} (test group)")
        for sib, req in workspace.siblings(package.test_requirements())
        if sib.name not in {s.name for s in siblings}
    )
    return ReleasePlan(package, current, new, last, entry, siblings, test_siblings)


def _test_wheel(workspace: Workspace, plan: ReleasePlan, wheel: Path) -> None:
    """The package's tests against its installed wheel and its released siblings."""
    package = plan.package
    pins = (*plan.siblings, *plan.test_siblings)
    pinned = {pin.name for pin in pins}
    sibling_wheels = []
    for pin in pins:
        sibling_wheels.append(workspace.ledger.release(pin.name, pin.released).wheel)
        # A sibling's own tr-* needs that the package does not pin itself: their last release.
        for dep in workspace.closure(pin.name)[:-1]:
            released = workspace.last_release(dep.name)
            if dep.name not in pinned and released is not None:
                sibling_wheels.append(workspace.ledger.release(dep.name, released).wheel)
    third_party = [str(req) for req in package.test_requirements() if not workspace.siblings([req])]
    with tempfile.TemporaryDirectory(prefix=f"release-{package.name}-") as tmp:
        venv = Path(tmp) / "venv"
        run_tool(tool("uv"), "venv", "--quiet", "--python", sys.executable, str(venv))
        python = str(venv / "bin" / "python")
        run_tool(
            tool("uv"),
            "pip",
            "install",
            "--quiet",
            "--python",
            python,
            str(wheel),
            *map(str, sorted(set(sibling_wheels))),
            *third_party,
        )
        where = subprocess.run(
            [python, "-c", f"import {package.import_name} as m; print(m.__file__)"],
            capture_output=True,
            text=True,
            check=False,
        )
        if str(venv) not in where.stdout:
            raise ReleaseRefusedError(
                f"{package.import_name} did not import from the installed wheel: {where}"
            )
        env = {**os.environ, "MPLBACKEND": "Agg"}
        done = subprocess.run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{package.relative}/tests"],
            cwd=workspace.root,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            raise ReleaseRefusedError(
                f"{package.name} {plan.new}: its tests failed against the built wheel "
                f"(pytest exit {done.returncode}); nothing was tagged"
            )


def execute_release(workspace: Workspace, plan: ReleasePlan, out: Path) -> list[Path]:
    """Carry out ``plan``; undo the bump and drop the artifacts if any step fails.

    Returns the release's files as the ledger holds them.
    """
    package = plan.package
    target = out / plan.tag
    changed = [package.version_file.relative_to(workspace.root).as_posix()]
    copies: list[Path] = []
    try:
        if plan.new != plan.current:
            run_tool(tool("hatch"), "version", str(plan.new), cwd=package.folder)
            if package.version != plan.new:
                raise ReleaseRefusedError(f"hatch version left {package.version}, not {plan.new}")
            if sync_readme(package, plan.current, plan.new):
                changed.append(f"{package.relative}/README.md")
        files = build(package.folder, target, name=package.name, version=plan.new)
        _test_wheel(workspace, plan, wheel_of(files))
        copies = workspace.ledger.add(files)
        ledger = [p.relative_to(workspace.root).as_posix() for p in copies]
        git(workspace.root, "add", "--", *ledger, f"{FOLDER}/{SUMS}")
        git(
            workspace.root,
            "commit",
            "--quiet",
            "-m",
            f"release: {package.name} {plan.new}",
            "--",
            *changed,
            *ledger,
            f"{FOLDER}/{SUMS}",
        )
    except BaseException:
        if copies:
            # remove() writes SHA256SUMS back as it was; the reset unstages the files.
            git(workspace.root, "reset", "--quiet", "--", *map(str, copies), f"{FOLDER}/{SUMS}")
            workspace.ledger.remove(copies)
        git(workspace.root, "checkout", "--", *changed)
        raise
    finally:
        shutil.rmtree(target, ignore_errors=True)
    git(workspace.root, "tag", "-a", plan.tag, "-m", f"{package.name} {plan.new}")
    return copies
