"""Every check of the monorepo, in one place. uv is the virtualenv backend.

    python3 -m nox -t ci        # everything CI runs: tests, compat, lint, typecheck, build
    python3 -m nox -s demo      # the main job (the research run)
    python3 -m nox -s bench     # speed ratios against named peers
    python3 -m nox -l           # list sessions

Each package is tested in its own fresh environment holding only its declared
dependencies, its local sibling packages (tr-*) and its ``test`` dependency group
— which proves it stands alone.
"""

from __future__ import annotations

import json
import tomllib
from functools import cache
from pathlib import Path

import nox

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
}
DEFAULT_COVERAGE_FLOOR = 90

# What every check runs under. Matplotlib draws off screen. Bytecode is cached in each
# session's own venv even where the machine sets PYTHONDONTWRITEBYTECODE (an empty value
# unsets it): uv installs without .pyc files, so otherwise every process a test starts
# (tr-tune, tuning workers) would recompile scipy, scikit-learn and xgboost — 10-20 s each.
RUN_ENV = {"MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": ""}


@cache
def _pyproject(dist: str) -> dict:
    with (PACKAGES_DIR / dist / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


def _packages() -> list[str]:
    return sorted(p.parent.name for p in PACKAGES_DIR.glob("*/pyproject.toml"))


def _import_name(dist: str) -> str:
    return dist.replace("-", "_")


def _requirement_name(req: str) -> str:
    for stop in "<>=!~;[ ":
        req = req.split(stop, 1)[0]
    return req.strip().lower()


def _local_closure(dist: str) -> list[str]:
    """``dist`` and the tr-* packages it needs, dependencies first."""
    order: list[str] = []

    def visit(name: str) -> None:
        for req in _pyproject(name)["project"].get("dependencies", []):
            dep = _requirement_name(req)
            if (PACKAGES_DIR / dep).is_dir() and dep not in order:
                visit(dep)
        if name not in order:
            order.append(name)

    visit(dist)
    return order


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
        env=RUN_ENV,
    )


@nox.session(python=PYTHON, tags=["ci"])
@nox.parametrize("resolution", ["lowest-direct", "highest"])
@nox.parametrize("package", _packages())
def compat(session: nox.Session, package: str, resolution: str) -> None:
    """One package against the lowest and the highest versions its ranges allow.

    Sibling tr-* packages are installed from the local tree (none is released
    yet; once they are, add the released versions here as a third resolution).
    """
    _install_package(session, package, f"--resolution={resolution}")
    session.run(
        "python",
        "-c",
        "import importlib.metadata as m, json, sys; "
        "names = ['numpy', 'pandas', 'scipy', 'matplotlib', 'pyarrow', 'scikit-learn', 'xgboost']; "
        "v = {}\n"
        "for n in names:\n"
        "    try: v[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print('resolved:', json.dumps(v))",
    )
    session.run("pytest", f"packages/{package}/tests", "-q", *session.posargs, env=RUN_ENV)


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
    """mypy --strict (settings in the root pyproject.toml) on every package's src/."""
    session.install("mypy>=1.10", "pandas-stubs", *[str(PACKAGES_DIR / p) for p in _packages()])
    session.run("mypy", *[f"packages/{p}/src" for p in _packages()])


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
    for old in dist.glob("tr_*"):
        old.unlink()
    for package in _packages():
        session.run("uv", "build", "--quiet", "--out-dir", str(dist), f"packages/{package}")
    artifacts = sorted(str(p) for p in [*dist.glob("*.whl"), *dist.glob("*.tar.gz")])
    session.run("twine", "check", "--strict", *artifacts)
    for package in _packages():
        wheel = next(dist.glob(f"{_import_name(package)}-*.whl"))
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
            "ours = sorted(d.metadata['Name'] for d in m.distributions() "
            "if d.metadata['Name'].startswith('tr-'))\n"
            "assert ours == expected, f'installed tr-* {ours} != declared closure {expected}'\n"
            f"mod = importlib.import_module({_import_name(package)!r})\n"
            f"assert mod.__version__ == m.version({package!r}), mod.__version__\n"
            "print(f'{mod.__name__} {mod.__version__} imports alone; tr-* installed: {ours}')\n"
        )
        session.run(python, "-c", check, external=True)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Speed ratios against named peers (see benchmarks/). ``-- --quick`` for a smoke run."""
    session.install(
        *[str(PACKAGES_DIR / p) for p in _packages()],
        "scikit-learn>=1.4",
        "alphalens-reloaded>=0.4",
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
