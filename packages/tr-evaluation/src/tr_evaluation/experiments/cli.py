"""``tr-experiments``: list, show, compare and report runs of an experiment store.

Usage::

    tr-experiments --store PATH list
    tr-experiments --store PATH show RUN
    tr-experiments --store PATH compare RUN [RUN ...]
    tr-experiments --store PATH report RUN [RUN ...] -o report.html
    tr-experiments --store PATH report RUN [RUN ...] --runs-dir DIR

``--store`` defaults to the ``TR_EXPERIMENTS_STORE`` environment variable. RUN is a
run id or a unique prefix of one. The command line only reads a store: it never
creates one (``list`` on a missing folder says so; other commands fail).
``report --runs-dir DIR`` writes each run's page as ``DIR/<run_id>/report.html``
(one folder per run; an existing page is never overwritten). Exit
status: 0 on success, 2 on bad input (unknown run, missing store), 1 when a file
cannot be read or written.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from tr_core.errors import TrError
from tr_evaluation.experiments.report import write_report, write_run_report
from tr_evaluation.experiments.store import STORE_ENV_VAR, ExperimentStore

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tr-experiments", description="Inspect runs recorded in an experiment store."
    )
    parser.add_argument(
        "--store",
        default=os.environ.get(STORE_ENV_VAR),
        help=f"store directory (default: ${STORE_ENV_VAR})",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="one line per run")
    show = sub.add_parser("show", help="everything recorded for one run")
    show.add_argument("run")
    compare = sub.add_parser("compare", help="metrics side by side")
    compare.add_argument("runs", nargs="+")
    report = sub.add_parser("report", help="self-contained HTML report")
    report.add_argument("runs", nargs="+")
    where = report.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", help="output HTML file (default: report.html)")
    where.add_argument(
        "--runs-dir",
        help="write one page per run as DIR/<run_id>/report.html (never overwritten)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.store:
        parser.error(f"pass --store PATH or set {STORE_ENV_VAR}")
    if not Path(args.store).exists():
        if args.command == "list":
            print(f"no runs in {args.store} (the folder does not exist)")
            return 0
        print(f"tr-experiments: error: no experiment store at {args.store}", file=sys.stderr)
        return 2
    try:
        store = ExperimentStore(args.store)
        if args.command == "list":
            _print_list(store)
        elif args.command == "show":
            print(json.dumps(store.load(args.run).summary(), indent=2))
        elif args.command == "compare":
            print(store.compare(args.runs).to_string(na_rep="-"))
        elif args.runs_dir is not None:
            for run in args.runs:
                print(write_run_report(store, run, args.runs_dir))
        else:
            for path in write_report(store, args.runs, args.output or "report.html"):
                print(path)
    except TrError as exc:
        print(f"tr-experiments: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"tr-experiments: error: {exc}", file=sys.stderr)
        return 1
    return 0


SHORT_ID = 15
"""Run ids are listed by their shortest unique prefix, at least this long (the second)."""
IDENTITY = ("run_id", "experiment", "date", "status", "tags")
"""What ``list`` always shows of a run; metrics follow as far as the terminal is wide."""


def _print_list(store: ExperimentStore) -> None:
    """One line per run, as wide as the terminal (``$COLUMNS``; 80 at least).

    A run is named by the shortest prefix of its id that no other run shares (at least
    :data:`SHORT_ID` characters: the second it started), which every command accepts.

    Metrics that every run logged come first (the measures shared across experiments),
    then the others in the order they were logged; columns are added while the lines
    fit, and a last line says how many metrics were left out and where to see them.
    """
    runs = store.runs()
    if runs.empty:
        print(f"no runs in {store.path}")
        return
    runs["run_id"] = _short_ids(runs["run_id"].tolist())
    runs["tags"] = [",".join(tags) for tags in runs["tags"]]
    width = max(80, shutil.get_terminal_size((100, 24)).columns)
    metrics = [c for c in runs.columns if c not in (*IDENTITY, "started_at", "ended_at")]
    metrics.sort(key=lambda c: runs[c].isna().any())  # stable: shared metrics first

    # The widest line grows with the columns shown: the most metrics that fit, by
    # bisection (a few renderings, not one per metric).
    def listing(k: int) -> str:
        return _listing(runs[[*IDENTITY, *metrics[:k]]])

    fits, too_many = 0, len(metrics) + 1
    while too_many - fits > 1:
        k = (fits + too_many) // 2
        if max(map(len, listing(k).splitlines())) <= width:
            fits = k
        else:
            too_many = k
    print(listing(fits))
    left_out = len(metrics) - fits
    if left_out:
        print(
            f"({left_out} more metric{'s' if left_out > 1 else ''} at this width: "
            "`tr-experiments show RUN` or `compare RUN [RUN ...]` shows them all)"
        )


def _short_ids(ids: list[str], at_least: int = SHORT_ID) -> list[str]:
    """Each id cut to its shortest prefix that no other id shares (every command takes one).

    In sorted order an id shares its longest prefix with a neighbour, so one more
    character than the longer of the two common prefixes tells it apart (n log n,
    not a comparison of every pair).
    """
    order = sorted(range(len(ids)), key=ids.__getitem__)
    common = [_common_prefix(ids[a], ids[b]) for a, b in itertools.pairwise(order)]
    short = [""] * len(ids)
    for position, i in enumerate(order):
        before = common[position - 1] if position > 0 else 0
        after = common[position] if position < len(common) else 0
        short[i] = ids[i][: max(at_least, before + 1, after + 1)]
    return short


def _common_prefix(a: str, b: str) -> int:
    return next(
        (k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _listing(runs: pd.DataFrame) -> str:
    return runs.to_string(index=False, na_rep="-", float_format=lambda v: f"{v:.4g}")


if __name__ == "__main__":
    raise SystemExit(main())
