"""``tr-tune``: run a tuning study from a TOML file, join it from other machines, show it.

Three subcommands:

``tr-tune run CONFIG.toml``
    Reads the data and settings of the config (:mod:`tr_tuning.config`), stores the
    config with the study, tunes XGBoost, and prints the best trial, its CV and
    holdout values and the selection-bias reading.
``tr-tune worker --storage URL --study NAME``
    Joins a study started by ``tr-tune run`` using only its storage and name: the
    config (and the data file's path) come from the study itself; it runs trials
    until the study holds ``n_trials`` finished trials.
``tr-tune show --storage URL --study NAME``
    Prints the best trial, the summary and the trial table; ``--out DIR`` writes the
    optimization history, parameter importances and slice plots as PNG.

Bad input (a tr-core error, a missing file, TOML that does not parse, a storage that
cannot be reached) ends with one line, ``tr-tune: error: <message>``, on stderr and
exit status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import optuna
import pandas as pd

from tr_core.errors import (
    InvalidParameterError,
    StorageUnavailableError,
    StudyMismatchError,
    TrError,
)
from tr_evaluation.buckets import check_n_buckets
from tr_tuning.config import TuneConfig, TuningData, load_config, parse_config
from tr_tuning.metrics import resolve_metric
from tr_tuning.optimizer import quiet_optuna
from tr_tuning.optuna_study import ATTR_PREFIX, DEFAULT_STUDY_NAME, describe_storage, open_storage
from tr_tuning.result import TuningResult

__all__ = ["main"]

PROG = "tr-tune"
CONFIG_ATTR = ATTR_PREFIX + "config"
DATA_ATTR = ATTR_PREFIX + "data_sha256"
HOLDOUT_ATTR = ATTR_PREFIX + "holdout"
EXIT_ERROR = 2
DEFAULT_TOP = 10

_RUN_EXAMPLE = """\
example:
  tr-tune run packages/tr-tuning/examples/xgboost.toml --n-trials 50 \\
      --storage runs/xgb.journal --study xgb-insider
"""
_WORKER_EXAMPLE = """\
example (on each extra machine, or in a second terminal):
  tr-tune worker --storage postgresql://tuner@db-host/tuning --study xgb-insider
"""
_SHOW_EXAMPLE = """\
example:
  tr-tune show --storage runs/xgb.journal --study xgb-insider --out runs/plots --top 20
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``tr-tune``; returns the exit status (0, or 2 on bad input)."""
    args = _parser().parse_args(argv)
    try:
        with quiet_optuna():
            return int(args.handler(args))
    except (TrError, OSError) as exc:
        # One line, no traceback: the message already names the setting and the fix.
        print(f"{PROG}: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Tune XGBoost with Optuna under leak-free walk-forward cross-validation; "
            "share one study between many workers through its storage."
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fmt = argparse.RawDescriptionHelpFormatter

    run = sub.add_parser(
        "run",
        help="run (or continue) a study described by a TOML config",
        description=(
            "Read the data and settings of CONFIG.toml, store the config with the study "
            "(so that `tr-tune worker` can join it), tune, and print the best trial, its "
            "cross-validated and holdout values and the selection-bias reading. Running it "
            "again with the same storage and study continues the study."
        ),
        epilog=_RUN_EXAMPLE,
        formatter_class=fmt,
    )
    run.add_argument("config", metavar="CONFIG.toml", help="the study's TOML configuration")
    run.add_argument("--n-trials", type=int, help="finished trials the study should hold")
    run.add_argument(
        "--storage", help="journal file path or database URL (overrides [study] storage)"
    )
    run.add_argument("--study", help="study name in the storage (overrides [study] study_name)")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no report")
    run.set_defaults(handler=_run)

    worker = sub.add_parser(
        "worker",
        help="join a study started by `tr-tune run`",
        description=(
            "Join a shared study from another process or machine, knowing only its storage "
            "and name: the config stored by `tr-tune run` says what to tune (its data file "
            "must exist at the same path here). Runs trials until the study holds its "
            "n_trials finished trials."
        ),
        epilog=_WORKER_EXAMPLE,
        formatter_class=fmt,
    )
    _study_arguments(worker)
    worker.add_argument("--n-trials", type=int, help="finished trials the study should hold")
    worker.add_argument("--quiet", action="store_true", help="no progress bar and no report")
    worker.set_defaults(handler=_worker)

    show = sub.add_parser(
        "show",
        help="print a stored study's best trial and trial table; plots to PNG",
        description=(
            "Print a stored study's best trial, summary (with the deflated Sharpe ratio and "
            "PBO of the selection) and its best trials; with --out, write history.png, "
            "importances.png (with at least 2 completed trials) and slices.png."
        ),
        epilog=_SHOW_EXAMPLE,
        formatter_class=fmt,
    )
    _study_arguments(show)
    show.add_argument("--out", type=Path, help="folder for the PNG plots (created if needed)")
    show.add_argument(
        "--top", type=int, default=DEFAULT_TOP, help=f"trials listed (default {DEFAULT_TOP})"
    )
    show.set_defaults(handler=_show)
    return parser


def _study_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--storage", required=True, help="journal file path or database URL")
    parser.add_argument("--study", required=True, help="study name in the storage")


# -- run ------------------------------------------------------------------------------------
def _run(args: argparse.Namespace) -> int:
    storage_arg = args.storage
    if storage_arg is not None and "://" not in storage_arg:
        storage_arg = str(Path(storage_arg).resolve())  # a path on the command line: from cwd
    config = load_config(args.config).with_study(
        n_trials=args.n_trials, storage=storage_arg, study_name=args.study
    )
    data = config.load_data()
    spec = config.study.get("storage")
    storage = open_storage(spec, heartbeat_interval=config.study.get("heartbeat_interval", 30))
    name = config.study.get("study_name", DEFAULT_STUDY_NAME)
    metric = resolve_metric(
        config.study.get("metric", "top_bucket_return"),
        check_n_buckets(config.study.get("n_buckets", 20)),
    )
    try:
        study = optuna.create_study(
            storage=storage, study_name=name, direction=metric.direction, load_if_exists=True
        )
    except Exception as exc:  # the storage's own failure, in one line
        raise StorageUnavailableError(
            f"study {name!r} cannot be opened in {describe_storage(spec)}: {exc}"
        ) from None
    _store_config(study, config, data)
    # In memory, the optimizer must use this very storage; a file or a database it
    # opens itself (and then reports by its path or URL).
    optimizer = config.optimizer(storage=storage if spec is None else spec, verbose=not args.quiet)
    result = _optimize(optimizer, config, data)
    if spec is None:
        result = replace(result, storage=describe_storage(None))
    if not args.quiet:
        print(_data_line(config, data))
        print(_report(result))
    return 0


def _store_config(study: optuna.Study, config: TuneConfig, data: TuningData) -> None:
    """Record the config with the study; refuse one that would mix with other trials."""
    attrs = study.user_attrs
    has_trials = bool(study.get_trials(deepcopy=False))
    if has_trials:
        if CONFIG_ATTR not in attrs:
            raise StudyMismatchError(
                f"study {study.study_name!r} exists with {len(study.trials)} trials but was not "
                "started by `tr-tune run` (it has no stored config); choose another study name "
                "(--study)."
            )
        differences = config.differences(json.loads(attrs[CONFIG_ATTR]))
        if attrs.get(DATA_ATTR) not in (None, data.sha256):
            differences.append(f"[data] file {config.path} has changed since the study started")
        if differences:
            raise StudyMismatchError(
                f"study {study.study_name!r} exists with another config — "
                f"{'; '.join(differences)}. Its trials measured something else; choose "
                "another study name (--study) or restore the config."
            )
    # A study without trials has nothing to mix with: a corrected config replaces it.
    study.set_user_attr(CONFIG_ATTR, json.dumps(config.to_dict(), sort_keys=True))
    study.set_user_attr(DATA_ATTR, data.sha256)


def _optimize(optimizer: Any, config: TuneConfig, data: TuningData) -> TuningResult:
    d = config.data
    result: TuningResult = optimizer.optimize(
        data.frame,
        features=d["features"],
        target=d["target"],
        times=d["times"],
        label_ends=d.get("label_ends"),
        label=config.label,
        holdout=data.holdout,
    )
    if result.holdout_value is not None and result.study is not None:
        # Kept with the study for `tr-tune show`, tied to the trial that was scored.
        result.study.set_user_attr(
            HOLDOUT_ATTR, {"trial": result.best_trial, "value": result.holdout_value}
        )
    return result


# -- worker ---------------------------------------------------------------------------------
def _worker(args: argparse.Namespace) -> int:
    _require_existing_storage(args.storage)
    study = _load_study(args.storage, args.study)
    raw = study.user_attrs.get(CONFIG_ATTR)
    if raw is None:
        raise InvalidParameterError(
            f"study {args.study!r} in {describe_storage(args.storage)} was not started by "
            "`tr-tune run` (it has no stored config), so a worker cannot know what to tune; "
            "join it from Python with the same optimizer settings instead."
        )
    config = parse_config(json.loads(raw), base=None).with_study(
        n_trials=args.n_trials, storage=args.storage, study_name=args.study
    )
    data = config.load_data()
    stored = study.user_attrs.get(DATA_ATTR)
    if stored is not None and stored != data.sha256:
        raise StudyMismatchError(
            f"the data file {str(config.path)!r} on this machine differs from the one study "
            f"{args.study!r} was started with (its SHA-256 does not match); copy the same file "
            "to this path."
        )
    result = _optimize(config.optimizer(storage=args.storage, verbose=not args.quiet), config, data)
    if not args.quiet:
        print(_report(result))
    return 0


# -- show -----------------------------------------------------------------------------------
def _show(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise InvalidParameterError(f"--top {args.top} must be at least 1.")
    _require_existing_storage(args.storage)
    study = _load_study(args.storage, args.study)
    holdout = study.user_attrs.get(HOLDOUT_ATTR)
    best = _best_number(study)
    value = holdout["value"] if isinstance(holdout, dict) and holdout.get("trial") == best else None
    result = TuningResult.from_study(
        study, storage=describe_storage(args.storage), holdout_value=value
    )
    print(_report(result))
    if isinstance(holdout, dict) and value is None:
        print(
            f"(the holdout was scored for trial {holdout.get('trial')}, no longer the best; "
            "run `tr-tune run` or `tr-tune worker` again to score the new best trial)"
        )
    print(json.dumps(result.summary(), indent=2))
    print(f"\ntop {args.top} trials by value:")
    print(_top_trials(result, args.top).to_string())
    if args.out is not None:
        for path in _write_plots(result, args.out):
            print(f"wrote {path}")
    return 0


def _best_number(study: optuna.Study) -> int | None:
    try:
        return study.best_trial.number
    except ValueError:  # no completed trial; TuningResult.from_study says so
        return None


def _top_trials(result: TuningResult, k: int) -> pd.DataFrame:
    """Completed trials best first, then the others (a pruned trial's value is partial)."""
    table = result.trials
    ascending = result.direction == "minimize"
    order = table.sort_values("value", ascending=ascending, na_position="last", kind="stable")
    complete = order["state"].eq("COMPLETE")
    return pd.concat([order[complete], order[~complete]]).head(k)


def _write_plots(result: TuningResult, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")  # files only: never open a window
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    plots = [("history.png", result.plot_history), ("slices.png", result.plot_slices)]
    if int(result.trials["state"].eq("COMPLETE").sum()) >= 2:
        plots.insert(1, ("importances.png", result.plot_importances))
    written = []
    for name, plot in plots:
        fig = plot()
        path = out / name
        fig.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(fig)
        written.append(path)
    return written


# -- shared -------------------------------------------------------------------------------
def _require_existing_storage(storage: str) -> None:
    """``worker`` and ``show`` read a study: a mistyped path must not create a new file."""
    path: str | None = None
    if "://" not in storage:
        path = storage
    elif storage.startswith("sqlite:///") and storage != "sqlite:///:memory:":
        path = storage[len("sqlite:///") :]
    if path is not None and not Path(path).is_file():
        raise StorageUnavailableError(
            f"--storage {storage!r}: no such file ({str(Path(path).resolve())!r}); give the "
            "storage that `tr-tune run` used."
        )


def _load_study(storage: str, name: str) -> optuna.Study:
    opened = open_storage(storage)
    try:
        return optuna.load_study(study_name=name, storage=opened)
    except KeyError:
        names = [s.study_name for s in optuna.get_all_study_summaries(opened)]
        raise InvalidParameterError(
            f"study {name!r} does not exist in {describe_storage(storage)} (it holds "
            f"{names}); start it with `tr-tune run CONFIG.toml --storage {storage} "
            f"--study {name}`."
        ) from None


def _data_line(config: TuneConfig, data: TuningData) -> str:
    line = f"data: {config.path.name}, {len(data.frame)} training rows"
    if data.holdout is not None:
        line += (
            f", {len(data.holdout)} holdout rows from {config.data['holdout_start']}, "
            f"{data.n_purged} purged (label window reaching the holdout)"
        )
    return line


def _report(result: TuningResult) -> str:
    """The human summary: what was tuned, the best trial, and how far to trust it."""
    states = result.trials["state"].value_counts()
    counts = ", ".join(f"{state} {n}" for state, n in states.items())
    holdout = (
        "not scored (no holdout, or not for this trial)"
        if result.holdout_value is None
        else f"{result.holdout_value:.6g} (reported, never used to select)"
    )
    params = ", ".join(f"{k}={_short(v)}" for k, v in result.best_params.items())
    return "\n".join(
        [
            f"study {result.study_name!r} ({result.storage}): {len(result.trials)} trials "
            f"({counts})",
            f"metric {result.metric} ({result.direction}) over {result.n_folds} folds",
            f"best trial {result.best_trial}: CV value {result.best_value:.6g}",
            f"holdout value: {holdout}",
            f"best params: {params}",
            f"selection bias: {result.selection.reading}",
        ]
    )


def _short(value: Any) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:.4g}"
    return str(value)


if __name__ == "__main__":
    raise SystemExit(main())
