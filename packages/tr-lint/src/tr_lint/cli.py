"""``tr-lint PATH...``: report findings as ``file:line:col: TRxxx message``.

Exit status: 0 nothing found, 1 findings, 2 a usage, configuration or read error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tr_lint.__about__ import __version__
from tr_lint.checker import Report, lint_paths
from tr_lint.config import find_pyproject, load_config
from tr_lint.errors import ConfigError, TrLintError
from tr_lint.rules import RULES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tr-lint",
        description="Lint research code and notebooks for NaN, lookahead and leakage "
        "anti-patterns (rules TR001-TR007).",
        epilog="Rules: "
        + "; ".join(f"{code} {rule.summary}" for code, rule in sorted(RULES.items())),
    )
    parser.add_argument("paths", nargs="*", type=Path, help=".py/.ipynb files or folders")
    parser.add_argument("--select", action="append", help="only these codes (TR001,TR004)")
    parser.add_argument("--ignore", action="append", help="skip these codes")
    parser.add_argument("--exclude", action="append", help="skip files matching a glob")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text")
    parser.add_argument("--statistics", action="store_true", help="counts per rule only")
    parser.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: one per CPU; 1: none)"
    )
    parser.add_argument(
        "--config", type=Path, default=None, help="a pyproject.toml (default: the nearest)"
    )
    parser.add_argument("--version", action="version", version=f"tr-lint {__version__}")
    return parser


def _render(report: Report, fmt: str, statistics: bool) -> str:
    if statistics:
        counts = report.statistics()
        if fmt == "json":
            return json.dumps(counts, indent=2)
        return "\n".join(
            f"{n:>5}  {code}  {RULES[code].summary}"
            if code in RULES
            else f"{n:>5}  {code}  not valid Python"
            for code, n in counts.items()
        )
    if fmt == "json":
        return json.dumps([f.to_dict() for f in report.findings], indent=2)
    if fmt == "github":
        lines = []
        for f in report.findings:
            where = f" (cell {f.cell})" if f.cell is not None else ""
            lines.append(
                f"::error file={f.path},line={f.line},col={f.col},title={f.code}::"
                f"{f.code} {f.message}{where}"
            )
        return "\n".join(lines)
    return "\n".join(f"{f.location}: {f.code} {f.message}" for f in report.findings)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.paths:
        print("tr-lint: name at least one file or folder (tr-lint experiments/)", file=sys.stderr)
        return 2
    try:
        pyproject = args.config or find_pyproject(args.paths[0])
        if args.config is not None and not args.config.is_file():
            print(f"tr-lint: --config {args.config}: no such file", file=sys.stderr)
            return 2
        config = load_config(pyproject).with_options(args.select, args.ignore, args.exclude)
        if args.jobs is not None and args.jobs < 1:
            raise ConfigError(f"--jobs must be at least 1, got {args.jobs}")
        report = lint_paths(args.paths, config, jobs=args.jobs)
    except TrLintError as exc:
        print(f"tr-lint: {exc}", file=sys.stderr)
        return 2
    output = _render(report, args.format, args.statistics)
    if output:
        print(output)
    for error in report.errors:
        print(f"tr-lint: {error}", file=sys.stderr)
    if args.format == "text" and not args.statistics:
        summary = f"{len(report.findings)} finding(s) in {report.files} file(s)"
        print(summary, file=sys.stderr)
    if report.errors:
        return 2
    return 1 if report.findings else 0
