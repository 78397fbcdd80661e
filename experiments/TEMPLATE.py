"""Does an XGBoost ranking of insider trades beat all trades out of sample?

The standard form of an experiment (docs/EXPERIMENT_TEMPLATE.md). Copy this file to
``experiments/<study>/<name>.py``, rename ``NAME``, rewrite the sections below and
``run_study``; the sections are read from this docstring into the experiment record,
so the record and the file never disagree.

Date
----
2026-12-03

Context
-------
The synthetic insider-trading market of tr-core has a known cause of alpha: 13
informative features (insider, technical, market regime) and 6 pure-noise ones. A
model trained on all of them should rank trades so that its top bucket earns more
than the average trade. This template checks that claim the honest way: walk-forward
folds (train strictly before test, label windows purged, embargo), scores only out
of sample, and the same rows judged by the baselines.

Hypothesis
----------
On walk-forward out-of-sample rows, the top bucket (of 10) of an XGBoost regressor's
predicted alpha earns more than all trades on the same rows, and more than random
scores would (permutation p-value below 0.05).

Baseline
--------
The same out-of-sample rows ranked by: nothing (all trades, the unconditional mean
alpha), random scores (permutation p-value), and each feature alone (single-feature
rankers: a feature ranks trades by its value, higher first).

Results
-------
Written by the run, never here: the model's out-of-sample top bucket, spread and IC
beside each baseline's, the walk-forward folds with their train-test gap, and the
p-value against random scores. They go to the experiment store (``output/store``, or
the one ``$TR_EXPERIMENTS_STORE`` names; see ``tr-experiments``) and to
``output/<file>-results.md``, both ignored by git.

Key insights
------------
Computed by the run from its numbers (``insights`` in ``main``): whether the top
bucket beats all trades by more than its bootstrap interval, whether random scores
explain it, whether any single feature does as well as the model, and how far the
training top bucket overstates the test one.

References
----------
- López de Prado (2018), Advances in Financial Machine Learning, ch. 7 (purged CV)
- docs/tr-core/synthetic-market.md (the market's truth)
- docs/tr-evaluation/experiments.md (the experiment records)
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from tr_core.contract import DataContract
from tr_core.errors import InvalidParameterError, TrError
from tr_core.splits import WalkForward
from tr_core.synthetic import make_insider_trades
from tr_evaluation.baselines import BaselineEvaluator, BaselineResult
from tr_evaluation.experiments import Experiment, ExperimentStore, read_frame
from tr_evaluation.walk_forward import WalkForwardResult, evaluate_walk_forward

HERE = Path(__file__).resolve().parent
# The experiment's name in the store: rename it in every copy, so `tr-experiments list`
# tells the studies apart.
NAME = "template-xgboost-top-bucket"
TAGS = ("template",)
# One thread: OpenMP threads spin on a busy machine and make a small fit far slower.
MODEL_PARAMS: dict[str, Any] = {
    "n_estimators": 150,
    "max_depth": 3,
    "learning_rate": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 20,
    "tree_method": "hist",
    "n_jobs": 1,
}


@dataclass(frozen=True)
class StudyResult:
    """What ``run_study`` hands to the baselines and the record.

    Attributes
    ----------
    predictions : pandas.Series
        Out-of-sample score per row of the frame; NaN where no fold tested the row.
    walk_forward : WalkForwardResult
        Per-fold and pooled out-of-sample bucket results.
    params : dict
        Everything that defines the run beyond the data (logged as parameters).
    """

    predictions: pd.Series
    walk_forward: WalkForwardResult
    params: dict[str, Any]


def main(argv: list[str] | None = None) -> int:
    """Run the experiment, print and record its numbers; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-trades", type=int, default=8_000, help="synthetic rows")
    parser.add_argument("--seed", type=int, default=0, help="seed of data and models")
    parser.add_argument("--data", type=Path, help="your own frame (.csv or .parquet)")
    parser.add_argument("--contract", type=Path, help="JSON with DataContract arguments")
    parser.add_argument("--folds", type=int, default=4, help="walk-forward test blocks")
    parser.add_argument("--buckets", type=int, default=10, help="score buckets")
    parser.add_argument("--out", type=Path, default=HERE / "output", help="output folder")
    args = parser.parse_args(argv)
    # The command that reproduces this run, written beside its results.
    given = sys.argv[1:] if argv is None else argv
    args.command = shlex.join(
        ["python3", "-m", "nox", "-s", "experiment", "--", script_path(), *given]
    )
    started = time.perf_counter()

    experiment = read_experiment(args)
    frame, contract, source = load_data(args)
    print(f"data: {source}; {len(frame):,} rows, {len(contract.features)} features")

    study = run_study(frame, contract, args)
    wf = study.walk_forward
    print("\nwalk-forward folds (train = in sample, test = out of sample):")
    print(wf.to_frame().round(4).to_string())

    baseline = judge_against_baselines(frame, contract, study.predictions, args)
    table = baseline.to_frame()
    print(f"\nout of sample, the model beside its baselines (top bucket of {args.buckets}):")
    print(table.round(4).to_string())

    results = results_text(args, source, wf, table)
    insights = key_insights(wf, table)
    print("\n" + results)
    print("\nkey insights:\n" + "\n".join(f"- {line}" for line in insights))

    # $TR_EXPERIMENTS_STORE, when set, names one store for every experiment and strategy.
    store = ExperimentStore.from_env(args.out / "store")
    run_id, path = record(
        store, args, experiment, source, contract, study, baseline, results, insights
    )
    print(f"\nrun {run_id} recorded in {store.path}; results text: {path}")
    print(f"see it: tr-experiments --store {store.path} show {run_id}")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


def read_experiment(args: argparse.Namespace) -> Experiment:
    """The experiment record's fields, read from this module's docstring sections.

    Parameters
    ----------
    args : argparse.Namespace
        ``data``: the run is tagged ``synthetic`` or ``user-data``.

    Returns
    -------
    Experiment
        Date, Context, Hypothesis, Baseline and References from the docstring
        (``Experiment.from_docstring``), ``NAME`` and ``TAGS`` from the code.

    Raises
    ------
    SystemExit
        A section is missing or empty: the record would be incomplete.
    """
    tags = (*TAGS, "synthetic" if args.data is None else "user-data")
    try:
        return Experiment.from_docstring(__doc__ or "", name=NAME, tags=tags)
    except InvalidParameterError as exc:
        raise SystemExit(str(exc)) from exc


def script_path() -> str:
    """This file's path from the repository root (the folder holding noxfile.py).

    Returns
    -------
    str
        POSIX path, e.g. ``experiments/<study>/<file>.py``.
    """
    here = Path(__file__).resolve()
    root = next((p for p in here.parents if (p / "noxfile.py").is_file()), here.parent)
    return here.relative_to(root).as_posix()


def load_data(args: argparse.Namespace) -> tuple[pd.DataFrame, DataContract, str]:
    """The synthetic market, or the user's frame and contract, validated (as research_run.py
    reads them).

    Parameters
    ----------
    args : argparse.Namespace
        ``data``, ``contract``, ``n_trades`` and ``seed``.

    Returns
    -------
    frame : pandas.DataFrame
    contract : DataContract
    source : str
        One line saying where the data came from (printed and recorded).

    Raises
    ------
    SystemExit
        The user's file or frame is refused (the contract's message, no traceback).
    """
    if args.data is None:
        market = make_insider_trades(n_trades=args.n_trades, random_state=args.seed)
        market.contract.validate(market.frame)
        source = f"synthetic insider-trading market, {args.n_trades:,} trades, seed {args.seed}"
        return market.frame, market.contract, source
    if args.contract is None:
        raise SystemExit("--data needs --contract CONTRACT.json (DataContract arguments)")
    try:
        frame, contract = read_frame(args.data, args.contract)
        contract.validate(frame)
    except (TrError, FileNotFoundError) as exc:  # the message names the column and the fix
        raise SystemExit(f"--data {args.data}: {exc}") from exc
    return frame, contract, str(args.data)


def make_model(seed: int) -> Any:
    """A small XGBoost regressor: enough to rank, fast enough for a template run.

    Parameters
    ----------
    seed : int
        Its ``random_state`` (row and column subsampling).

    Returns
    -------
    xgboost.XGBRegressor
        Unfitted; ``evaluate_walk_forward`` clones it for every fold.
    """
    from xgboost import XGBRegressor

    return XGBRegressor(**MODEL_PARAMS, random_state=seed)


def run_study(frame: pd.DataFrame, contract: DataContract, args: argparse.Namespace) -> StudyResult:
    """The study itself: replace this body in your copy, keep its return value.

    Walk-forward folds (expanding training window, label windows purged, 1 % embargo):
    each fold's model is fitted on earlier rows only and scores the next block.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows, with the contract's columns.
    contract : DataContract
        Column roles.
    args : argparse.Namespace
        The command line (``seed``, ``folds``, ``buckets``).

    Returns
    -------
    StudyResult
    """
    cv = WalkForward(args.folds, times=contract.time, label_ends=contract.label_end, embargo=0.01)
    model = make_model(args.seed)
    wf = evaluate_walk_forward(
        model,
        frame,
        features=list(contract.features),
        target=contract.target,
        cv=cv,
        entities=contract.entity,
        n_buckets=args.buckets,
        verbose=sys.stderr.isatty(),
    )
    params = {
        "model": f"XGBRegressor({MODEL_PARAMS}, random_state={args.seed})",
        "cv": f"WalkForward({args.folds}, expanding, label windows purged, embargo=1%)",
        "features": list(contract.features),
        "n_buckets": args.buckets,
    }
    return StudyResult(predictions=wf.predictions, walk_forward=wf, params=params)


def judge_against_baselines(
    frame: pd.DataFrame, contract: DataContract, predictions: pd.Series, args: argparse.Namespace
) -> BaselineResult:
    """The out-of-sample rows ranked by the model and by each baseline.

    Parameters
    ----------
    frame : pandas.DataFrame
    contract : DataContract
    predictions : pandas.Series
        Out-of-sample scores, NaN for rows no fold tested (those are left out).
    args : argparse.Namespace
        ``buckets`` and ``seed``.

    Returns
    -------
    BaselineResult
        One row per ranker: ``model``, ``all trades``, ``random``, then each feature.
    """
    tested = predictions.notna()
    oos = frame.loc[tested]
    # 300 permutations and resamples keep the template fast; p-values below 1/300 read
    # as "at most 0.003". Raise both for a result you will quote.
    evaluator = BaselineEvaluator(
        n_buckets=args.buckets, n_permutations=300, n_bootstrap=300, random_state=args.seed
    )
    return evaluator.evaluate(
        predictions[tested], oos[contract.target], features=oos[list(contract.features)]
    )


def results_text(
    args: argparse.Namespace, source: str, wf: WalkForwardResult, table: pd.DataFrame
) -> str:
    """The Results section, generated from the run (markdown).

    Parameters
    ----------
    args : argparse.Namespace
    source : str
    wf : WalkForwardResult
    table : pandas.DataFrame
        The baseline table (``BaselineResult.to_frame()``).

    Returns
    -------
    str
    """
    model, everyone = table.loc["model"], table.loc["all trades"]
    features = table[table["kind"] == "feature"]
    best = features["top_bucket_return"].idxmax()
    gap = wf.overfit_gap
    lines = [
        f"Out of sample: {int(model['n_rows']):,} rows of {source}, {len(wf.folds)} "
        f"walk-forward folds, top bucket of {args.buckets} by the model's score:",
        "",
        "| ranker | top bucket mean | 95 % interval | p vs random | spread | IC |",
        "|---|---|---|---|---|---|",
    ]
    for name in ("model", "all trades", "random", best):
        row = table.loc[name]
        p = "–" if pd.isna(row["p_value"]) else f"{row['p_value']:.3f}"
        spread = "–" if pd.isna(row["spread"]) else f"{row['spread']:+.4f}"
        ic = "–" if pd.isna(row["ic"]) else f"{row['ic']:+.3f}"
        label = f"best single feature ({name})" if name == best else name
        lines.append(
            f"| {label} | {row['top_bucket_return']:+.4f} | "
            f"[{row['ci_low']:+.4f}, {row['ci_high']:+.4f}] | {p} | {spread} | {ic} |"
        )
    lift = model["top_bucket_return"] - everyone["top_bucket_return"]
    lines += [
        "",
        f"Model minus all trades: {lift:+.4f}. "
        f"Train-minus-test gap, mean over folds: top bucket {gap['top_bucket_return']:+.4f}, "
        f"IC {gap['ic']:+.3f}.",
    ]
    return "\n".join(lines)


def key_insights(wf: WalkForwardResult, table: pd.DataFrame) -> list[str]:
    """The Key insights, each a rule applied to the run's numbers (never typed in).

    Parameters
    ----------
    wf : WalkForwardResult
    table : pandas.DataFrame
        The baseline table.

    Returns
    -------
    list of str
    """
    model, everyone = table.loc["model"], table.loc["all trades"]
    top, mean_all = model["top_bucket_return"], everyone["top_bucket_return"]
    features = table[table["kind"] == "feature"]
    best = features["top_bucket_return"].idxmax()
    insights = []
    if model["ci_low"] > mean_all:
        insights.append(
            f"the top bucket ({top:+.4f}) beats all trades ({mean_all:+.4f}) beyond its "
            f"95 % interval (lower bound {model['ci_low']:+.4f})"
        )
    else:
        insights.append(
            f"the top bucket ({top:+.4f}) is not clearly above all trades ({mean_all:+.4f}): "
            f"its 95 % interval reaches {model['ci_low']:+.4f}"
        )
    verdict = "unlikely" if model["p_value"] < 0.05 else "not ruled out"
    insights.append(f"random scores as good: {verdict} (p = {model['p_value']:.3f})")
    best_top = features.loc[best, "top_bucket_return"]
    insights.append(
        f"best single feature {best}: top bucket {best_top:+.4f}, "
        f"{'above' if best_top > top else 'below'} the model's {top:+.4f}"
    )
    gap = wf.overfit_gap["top_bucket_return"]
    insights.append(
        f"training rows overstate the top bucket by {gap:+.4f} on average: "
        "only the out-of-sample figures count"
    )
    return insights


def record(
    store: ExperimentStore,
    args: argparse.Namespace,
    experiment: Experiment,
    source: str,
    contract: DataContract,
    study: StudyResult,
    baseline: BaselineResult,
    results: str,
    insights: list[str],
) -> tuple[str, Path]:
    """Store the run (tr-evaluation's experiment records) and write the Results text.

    Parameters
    ----------
    store : ExperimentStore
        Where the run is recorded.
    args : argparse.Namespace
        The command line (``out``, ``seed``, ``data``, ``command``).
    experiment : Experiment
        What is recorded (``read_experiment``).
    source : str
        Where the data came from.
    contract : DataContract
    study : StudyResult
    baseline : BaselineResult
    results : str
        The generated Results text.
    insights : list of str
        The generated Key insights.

    Returns
    -------
    run_id : str
    path : Path
        The markdown file under the output folder (ignored by git).
    """
    table = baseline.to_frame()
    wf = study.walk_forward
    with experiment.run(store) as run:
        run.log_params(
            {"source": source, "seed": args.seed, "contract": repr(contract), **study.params}
        )
        metrics = {
            "oos_top_bucket_return": table.loc["model", "top_bucket_return"],
            "oos_spread": table.loc["model", "spread"],
            "oos_ic": table.loc["model", "ic"],
            "p_value_vs_random": table.loc["model", "p_value"],
            "all_trades_return": table.loc["all trades", "top_bucket_return"],
            "overfit_gap_top_bucket": wf.overfit_gap["top_bucket_return"],
        }
        run.log_metrics({k: float(v) for k, v in metrics.items() if pd.notna(v)})
        run.log_table("baselines", table)
        run.log_table("walk_forward_folds", wf.to_frame())
        run.log_figure("baselines", baseline.plot())
        run.log_figure("walk_forward", wf.plot())
        run.conclude(results=results, insights=insights)
    path = args.out / f"{Path(__file__).stem}-results.md"
    text = [f"# {__doc__.splitlines()[0]}", "", f"Run `{run.run_id}`.", "", results, ""]
    text += [
        "Key insights:",
        "",
        *[f"- {line}" for line in insights],
        "",
        f"Reproduce: `{args.command}`",
    ]
    path.write_text("\n".join(text) + "\n")
    return run.run_id, path


if __name__ == "__main__":
    raise SystemExit(main())
