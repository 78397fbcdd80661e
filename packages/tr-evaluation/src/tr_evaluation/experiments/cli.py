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
import json
import os
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


def _print_list(store: ExperimentStore) -> None:
    runs = store.runs()
    if runs.empty:
        print(f"no runs in {store.path}")
        return
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        print(runs.drop(columns=["started_at", "ended_at"]).to_string(index=False, na_rep="-"))


if __name__ == "__main__":
    raise SystemExit(main())
