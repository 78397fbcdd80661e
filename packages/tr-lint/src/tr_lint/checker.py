"""Run the rules over sources, files and folders; apply ``# noqa``."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tr_lint.config import Config
from tr_lint.context import ModuleContext
from tr_lint.errors import SourceError
from tr_lint.finding import Finding
from tr_lint.noqa import is_suppressed, suppressions
from tr_lint.rules import RULES
from tr_lint.sources import Source, read_source

PARSE_ERROR = "TR000"
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".nox",
        ".tox",
        ".venv",
        "venv",
        "__pycache__",
        ".ipynb_checkpoints",
        "node_modules",
        "build",
        "dist",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)


def lint_source(source: Source | str, codes: Iterable[str] | None = None) -> list[Finding]:
    """The findings of the rules ``codes`` (default: all) in one source, sorted.

    Text that is not valid Python gives one ``TR000`` finding at the error, not an
    exception: a linter run over a folder reports the file and goes on.
    """
    if isinstance(source, str):
        source = Source("<string>", source)
    try:
        module = ModuleContext.parse(source.text, source.path)
    except SyntaxError as exc:
        cell, line = source.place(exc.lineno or 1) if exc.lineno else (None, 1)
        message = f"not valid Python, nothing else checked: {exc.msg}"
        return [Finding(source.path, cell, line, exc.offset or 1, PARSE_ERROR, message)]
    noqa = suppressions(source.text, module.nodes)
    chosen = set(RULES) if codes is None else set(codes)
    found: set[Finding] = set()
    for code in sorted(chosen):
        for node, message in RULES[code].check(module):
            first = getattr(node, "lineno", 1)
            last = getattr(node, "end_lineno", None) or first
            if is_suppressed(code, first, noqa) or is_suppressed(code, last, noqa):
                continue
            cell, line = source.place(first)
            col = getattr(node, "col_offset", 0) + 1
            found.add(Finding(source.path, cell, line, col, code, message))
    return sorted(found, key=lambda f: (f.cell or 0, f.line, f.col, f.code))


def is_excluded(path: Path, patterns: Iterable[str]) -> bool:
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(path.name, pattern)
        for pattern in patterns
    )


def iter_files(paths: Iterable[Path], exclude: Iterable[str] = ()) -> Iterator[Path]:
    """The ``.py`` and ``.ipynb`` files under ``paths`` (a file named directly is always
    linted), skipping virtual environments, caches and ``exclude`` patterns."""
    patterns = tuple(exclude)
    for path in paths:
        if path.is_file():
            yield path
            continue
        if not path.is_dir():
            raise SourceError(f"{path}: no such file or folder")
        for found in sorted(path.rglob("*")):
            if found.suffix not in {".py", ".ipynb"} or not found.is_file():
                continue
            relative = found.relative_to(path)
            if SKIPPED_DIRS & set(relative.parts[:-1]) or is_excluded(found, patterns):
                continue
            yield found


@dataclass(frozen=True)
class Report:
    """The findings of a run and the files it read."""

    findings: tuple[Finding, ...]
    files: int
    errors: tuple[str, ...]

    def statistics(self) -> dict[str, int]:
        """Findings per code, most frequent first."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.code] = counts.get(finding.code, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# Below this many files the worker processes cost more than they save.
PARALLEL_FROM = 64


def _lint_file(job: tuple[Path, frozenset[str]]) -> tuple[list[Finding], str | None]:
    path, codes = job
    try:
        source = read_source(path)
    except SourceError as exc:
        return [], str(exc)
    return lint_source(source, codes), None


def lint_paths(
    paths: Iterable[Path], config: Config | None = None, *, jobs: int | None = None
) -> Report:
    """Lint every file under ``paths`` with ``config`` (default: every rule).

    ``jobs`` worker processes share the files (default: one per CPU this process may
    use; ``1`` lints in this process). Findings come back in file order either way.
    """
    config = config or Config()
    work = [(path, config.codes) for path in iter_files(paths, config.exclude)]
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if jobs == 1 or len(work) < PARALLEL_FROM:
        results = [_lint_file(job) for job in work]
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(work))) as pool:
            results = list(pool.map(_lint_file, work, chunksize=max(1, len(work) // (8 * jobs))))
    findings = [finding for found, _ in results for finding in found]
    errors = [error for _, error in results if error is not None]
    return Report(tuple(findings), len(work), tuple(errors))
