"""Shared plumbing of the migrated insider-trading experiments (not an experiment).

``cross_sectional_features.py``, ``weighted_classification.py`` and ``nan_handling.py``
have the form of ``experiments/TEMPLATE.py``; what they share lives here once: the
comparison's main (``compare_variants``: command line, the seeds of every planted
setting or the user's frame, printing and recording), the purged 70/30 time split, the
out-of-sample scoring of one variant beside its all-trades baseline, the selection-bias
statistic across variants, and the record (store, results file, HTML report). The
docstring sections are read by ``Experiment.from_docstring``. Everything statistical
comes from the library (tr_core, tr_evaluation).
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tr_core.contract import DataContract
from tr_core.errors import InvalidParameterError, TrError
from tr_core.splits import time_train_test_split
from tr_core.synthetic import make_insider_trades
from tr_evaluation.baselines import BaselineEvaluator
from tr_evaluation.experiments import (
    Experiment,
    ExperimentStore,
    markdown_table,
    read_frame,
    write_report,
)
from tr_evaluation.metrics.selection import SelectionBias, selection_bias

#: Top bucket of N_BUCKETS by score: the top decile, as in the planted-lesson tests.
N_BUCKETS = 10
TEST_SIZE = 0.3


# --- paths ------------------------------------------------------------------------------------


def script_path(file: str) -> str:
    """``file``'s path from the repository root (the folder holding noxfile.py)."""
    here = Path(file).resolve()
    root = next((p for p in here.parents if (p / "noxfile.py").is_file()), here.parent)
    return here.relative_to(root).as_posix()


# --- command line and data -----------------------------------------------------------------


def parser(doc: str, here: Path, *, seeds: int, n_trades: int) -> argparse.ArgumentParser:
    """The common command line: --quick, --seeds, --n-trades, --data/--contract, --out."""
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes (about 30 s), for tests")
    p.add_argument("--seeds", type=int, default=None, help=f"seeds 0..n-1 (default {seeds})")
    p.add_argument(
        "--n-trades", type=int, default=None, help=f"synthetic rows (default {n_trades:_})"
    )
    p.add_argument("--data", type=Path, help="your own frame (.csv or .parquet)")
    p.add_argument("--contract", type=Path, help="JSON with DataContract arguments")
    p.add_argument("--n-jobs", type=int, default=1, help="XGBoost threads (at most 2 here)")
    p.add_argument("--out", type=Path, default=here / "output", help="output folder")
    return p


def finish_args(
    args: argparse.Namespace,
    argv: Sequence[str] | None,
    file: str,
    *,
    full: tuple[int, int],
    quick: tuple[int, int],
) -> argparse.Namespace:
    """Resolve the size defaults (``full`` or ``quick`` = (seeds, n_trades)) and the command."""
    seeds, n_trades = quick if args.quick else full
    args.seeds = seeds if args.seeds is None else args.seeds
    args.n_trades = n_trades if args.n_trades is None else args.n_trades
    if args.seeds < 1:
        raise SystemExit("--seeds must be at least 1")
    if args.data is not None and args.contract is None:
        raise SystemExit("--data needs --contract CONTRACT.json (DataContract arguments)")
    given = sys.argv[1:] if argv is None else list(argv)
    args.command = shlex.join(
        ["python3", "-m", "nox", "-s", "experiment", "--", script_path(file), *given]
    )
    return args


def user_frame(args: argparse.Namespace) -> tuple[pd.DataFrame, DataContract, str]:
    """The user's frame and contract (``--data``/``--contract``), validated.

    A file or frame the toolkit refuses stops the run before any work, with the refusal's
    message (which names the column or file and the fix) and no traceback.
    """
    try:
        frame, contract = read_frame(args.data, args.contract)
        contract.validate(frame)
    except (TrError, FileNotFoundError) as exc:
        raise SystemExit(f"--data {args.data}: {exc}") from exc
    return frame, contract, str(args.data)


@dataclass(frozen=True)
class Split:
    """The purged 70/30 time split of one frame: earlier rows train, later rows test."""

    train: pd.DataFrame
    test: pd.DataFrame


def purged_split(frame: pd.DataFrame, contract: DataContract) -> Split:
    """Earlier 70 % of dates to train (label windows reaching the test purged), rest to test."""
    train, test = time_train_test_split(
        frame, times=contract.time, test_size=TEST_SIZE, label_ends=contract.label_end
    )
    return Split(frame.iloc[train], frame.iloc[test])


# --- models ---------------------------------------------------------------------------------

#: The planted-lesson tests' model (packages/tr-sample-weighting/tests/test_planted_lessons.py),
#: with ``n_estimators`` set per run.
MODEL_PARAMS: dict[str, Any] = {
    "max_depth": 4,
    "learning_rate": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "tree_method": "hist",
}


def regressor(seed: int, n_estimators: int, n_jobs: int) -> Any:
    """XGBoost regressor on the target (NaN routed natively)."""
    from xgboost import XGBRegressor

    return XGBRegressor(**MODEL_PARAMS, n_estimators=n_estimators, random_state=seed, n_jobs=n_jobs)


def classifier(seed: int, n_estimators: int, n_jobs: int) -> Any:
    """XGBoost classifier of ``target > 0`` (NaN routed natively)."""
    from xgboost import XGBClassifier

    return XGBClassifier(
        **MODEL_PARAMS, n_estimators=n_estimators, random_state=seed, n_jobs=n_jobs
    )


# --- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One variant's out-of-sample figures, with the all-trades baseline of the same rows.

    Attributes
    ----------
    top_bucket : float
        Mean realized target of the top bucket (of ``N_BUCKETS``) by score.
    ic : float
        Rank IC of score and realized target.
    baseline : float
        Mean realized target of every scored row (all trades, the same rows).
    p_value : float
        Permutation p-value of the top bucket against random scores (same rows).
    n_rows : int
        Test rows scored.
    periods : pandas.Series
        Top-bucket mean target per calendar month (the selection-bias input).
    """

    top_bucket: float
    ic: float
    baseline: float
    p_value: float
    n_rows: int
    periods: pd.Series = field(repr=False)

    @property
    def lift(self) -> float:
        """Top bucket minus all trades of the same rows."""
        return self.top_bucket - self.baseline

    def row(self) -> dict[str, float]:
        """The figures as a table row (no periods)."""
        return {
            "top_bucket": self.top_bucket,
            "all_trades": self.baseline,
            "lift": self.lift,
            "ic": self.ic,
            "p_value": self.p_value,
            "n_rows": float(self.n_rows),
        }


def score(scores: pd.Series, test: pd.DataFrame, contract: DataContract, seed: int) -> Scored:
    """The top bucket, IC and all-trades baseline of ``scores`` on the test rows they cover.

    Rows whose score is NaN (a variant that cannot score them) are left out of the
    model *and* of its baseline, so the two always describe the same rows.
    """
    covered = scores.notna()
    rows = test.loc[covered[covered].index]
    evaluator = BaselineEvaluator(
        n_buckets=N_BUCKETS, n_permutations=200, n_bootstrap=50, random_state=seed
    )
    result = evaluator.evaluate(scores[covered], rows[contract.target], times=rows[contract.time])
    table = result.to_frame()
    periods = result.model.periods
    monthly = pd.Series(dtype=float) if periods is None else periods["top_return"].astype(float)
    return Scored(
        top_bucket=float(table.loc["model", "top_bucket_return"]),
        ic=float(table.loc["model", "ic"]),
        baseline=float(table.loc["all trades", "top_bucket_return"]),
        p_value=float(table.loc["model", "p_value"]),
        n_rows=int(table.loc["model", "n_rows"]),
        periods=monthly,
    )


def stack_periods(by_seed: Mapping[int, Mapping[str, Scored]]) -> pd.DataFrame:
    """Months × variants matrix of top-bucket returns, the months of every seed stacked.

    Each seed is its own market, so its test months are further observations of the
    same variants; the rows are labelled ``s<seed>:<YYYY-MM>``.
    """
    columns: dict[str, pd.Series] = {}
    for seed, variants in by_seed.items():
        for name, scored in variants.items():
            s = scored.periods.copy()
            s.index = [f"s{seed}:{pd.Timestamp(p):%Y-%m}" for p in s.index]
            columns[name] = pd.concat([columns[name], s]) if name in columns else s
    return pd.DataFrame(columns).sort_index()


def variants_selection(by_seed: Mapping[int, Mapping[str, Scored]]) -> tuple[str, SelectionBias]:
    """The best variant by mean top bucket over seeds, and its DSR / PBO among the variants.

    The deflated Sharpe ratio and PBO read the monthly top-bucket returns
    (:func:`tr_evaluation.metrics.selection.selection_bias`, ``metric="mean"``: the
    variants are picked by their mean top bucket).
    """
    names = list(next(iter(by_seed.values())))
    means = {n: float(np.mean([v[n].top_bucket for v in by_seed.values()])) for n in names}
    best = max(means, key=lambda n: means[n])
    return best, selection_bias(stack_periods(by_seed), best, metric="mean")


def mean_over_seeds(
    by_seed: Mapping[int, Mapping[str, Scored]], value: Callable[[Scored], float]
) -> dict[str, float]:
    """``value`` of every variant, averaged over seeds."""
    names = list(next(iter(by_seed.values())))
    return {n: float(np.mean([value(v[n]) for v in by_seed.values()])) for n in names}


def variant_table(by_seed: Mapping[int, Mapping[str, Scored]]) -> pd.DataFrame:
    """One row per variant: its figures averaged over seeds."""
    rows = {}
    for name in next(iter(by_seed.values())):
        rows[name] = pd.DataFrame([v[name].row() for v in by_seed.values()]).mean()
    table = pd.DataFrame(rows).T
    table.index.name = "variant"
    return table


def seed_table(by_seed: Mapping[int, Mapping[str, Scored]], setting: str) -> pd.DataFrame:
    """Long table: one row per (setting, seed, variant) with every figure."""
    rows = [
        {"setting": setting, "seed": seed, "variant": name, **scored.row()}
        for seed, variants in by_seed.items()
        for name, scored in variants.items()
    ]
    return pd.DataFrame(rows)


def settings_markdown(tables: Mapping[str, pd.DataFrame], variants: Sequence[str]) -> str:
    """Markdown: variant × setting of top bucket, IC and the all-trades baseline (same rows)."""
    out = pd.DataFrame(index=pd.Index(list(variants), name="variant"))
    fmt = {}
    for setting, table in tables.items():
        for col, label, spec in (
            ("top_bucket", "top bucket", ".2%"),
            ("ic", "IC", "+.3f"),
            ("all_trades", "all trades", ".2%"),
        ):
            out[f"{setting}: {label}"] = table.loc[list(variants), col]
            fmt[f"{setting}: {label}"] = spec
    return markdown_table(out, fmt)


def selection_line(setting: str, best: str, bias: SelectionBias) -> str:
    """One line: which variant was best and what picking it among the others is worth."""
    return (
        f"{setting}: best variant '{best}' of {bias.n_trials} over {bias.n_periods} "
        f"seed-months: {bias.reading}"
    )


def selection_metrics(prefix: str, bias: SelectionBias) -> dict[str, float]:
    """The selection-bias figures under stable metric names."""
    out = {}
    if not np.isnan(bias.deflated_sharpe):
        out[f"{prefix}.selection.deflated_sharpe"] = bias.deflated_sharpe
    if not np.isnan(bias.pbo):
        out[f"{prefix}.selection.pbo"] = bias.pbo
    out[f"{prefix}.selection.n_variants"] = float(bias.n_trials)
    return out


def slug(name: str) -> str:
    """A variant's name as a metric-name part (letters, digits, '_')."""
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


def gap(scored: Mapping[str, Scored], better: str, worse: str, what: str) -> float:
    """``better``'s figure minus ``worse``'s (``what``: top_bucket or ic)."""
    return float(getattr(scored[better], what) - getattr(scored[worse], what))


def gap_metrics(
    prefix: str,
    by_seed: Mapping[int, Mapping[str, Scored]],
    better: str,
    worse: str,
    *,
    min_seed: bool = True,
) -> dict[str, float]:
    """``<prefix>.top_bucket`` / ``.ic``: mean over seeds of ``better`` minus ``worse``.

    With ``min_seed``, also ``<prefix>.top_bucket_min_seed`` / ``.ic_min_seed``: the
    smallest gap of any seed.
    """
    out = {}
    for what in ("top_bucket", "ic"):
        gaps = [gap(v, better, worse, what) for v in by_seed.values()]
        out[f"{prefix}.{what}"] = float(np.mean(gaps))
        if min_seed:
            out[f"{prefix}.{what}_min_seed"] = float(np.min(gaps))
    return out


def variant_metrics(prefix: str, table: pd.DataFrame, columns: Sequence[str]) -> dict[str, float]:
    """``<prefix>.<variant>.<column>`` for every row of a ``variant_table``."""
    return {
        f"{prefix}.{slug(str(name))}.{col}": float(row[col])
        for name, row in table.iterrows()
        for col in columns
    }


# --- the comparison's main --------------------------------------------------------------------

#: Scored variants by setting (or view of it), seed and variant name.
Results = dict[str, dict[int, dict[str, Scored]]]
#: The best variant and its selection bias, by setting.
Selections = dict[str, tuple[str, SelectionBias]]


@dataclass(frozen=True)
class Conclusion:
    """What a script makes of its results: recorded, and (text, insights) printed.

    Attributes
    ----------
    params : dict
        The run's parameters (``command`` is added).
    metrics : dict of str to float
        Stable metric names; non-finite values are left out of the record.
    results : str
        The Results text (markdown).
    insights : list of str
        The Key insights.
    tables : dict of str to pandas.DataFrame
        The script's own tables, recorded after ``by_seed`` and before ``variants_*``.
    """

    params: dict[str, Any]
    metrics: dict[str, float]
    results: str
    insights: list[str]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def compare_variants(
    argv: Sequence[str] | None,
    *,
    doc: str,
    file: str,
    name: str,
    tags: Sequence[str],
    full: tuple[int, int],
    quick: tuple[int, int],
    variants: Sequence[str],
    settings: Mapping[str, Mapping[str, Any]],
    synthetic_source: Callable[[argparse.Namespace], str],
    run: Callable[
        [pd.DataFrame, DataContract, int, argparse.Namespace], Mapping[str, dict[str, Scored]]
    ],
    conclude: Callable[
        [argparse.Namespace, str, Results, dict[str, pd.DataFrame], Selections], Conclusion
    ],
    user_setting: str = "user_data",
    select: Sequence[str] | None = None,
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
) -> int:
    """A migrated comparison from command line to record; return the exit status.

    On the synthetic market, every setting (``make_insider_trades`` keyword arguments,
    e.g. a planted mechanism on and off) runs for seeds 0..n-1; on the user's frame
    (``--data``) one run under ``user_setting``. ``run`` scores the variants of one
    market and returns them by view: ``{"": scored}`` when the market is judged one way,
    ``{"common rows": ..., "own rows": ...}`` when several; results are keyed by the
    setting and the view joined with a space (either may be ""). Each key gets its
    variant table; ``select`` (default: every key) the selection bias among the
    variants. The script's ``conclude`` turns them into parameters, metrics, text and
    insights; everything is printed, stored, and written under ``--out``.

    Parameters
    ----------
    argv : sequence of str or None
        The command line (None: ``sys.argv[1:]``).
    doc, file, name, tags
        The script's ``__doc__``, ``__file__``, experiment name and tags.
    full, quick : tuple of int
        (seeds, n_trades) by default and with ``--quick``.
    variants : sequence of str
        The variants' names, in table order.
    settings : mapping of str to mapping
        Setting name ("" for a single one) to ``make_insider_trades`` keyword arguments.
    synthetic_source : callable
        The one-line source description of a synthetic run, from the command line.
    run, conclude : callable
        The script's own study and reading of it (see above).
    user_setting : str, default "user_data"
        The setting name of a run on the user's frame.
    select : sequence of str, optional
        The result keys whose variants are compared for selection bias.
    add_arguments : callable, optional
        Adds the script's own options to the parser.

    Returns
    -------
    int
        0.
    """
    p = parser(doc, Path(file).resolve().parent, seeds=full[0], n_trades=full[1])
    if add_arguments is not None:
        add_arguments(p)
    args = finish_args(p.parse_args(argv), argv, file, full=full, quick=quick)
    experiment = read_experiment(doc, name, tags, args)
    started = time.perf_counter()
    results: Results = {}

    def judge(setting: str, frame: pd.DataFrame, contract: DataContract, seed: int) -> None:
        views = run(frame, contract, seed, args)
        for view, scored in views.items():
            results.setdefault(" ".join(filter(None, (setting, view))), {})[seed] = scored
        show(setting, seed, next(iter(views.values())), started)

    if args.data is None:
        for setting, market_args in settings.items():
            for seed in range(args.seeds):
                market = make_insider_trades(args.n_trades, random_state=seed, **market_args)
                judge(setting, market.frame, market.contract, seed)
        source = synthetic_source(args)
    else:
        frame, contract, source = user_frame(args)
        judge(user_setting, frame, contract, 0)

    tables = {key: variant_table(r) for key, r in results.items()}
    selections = {key: variants_selection(results[key]) for key in select or results}
    print("\n" + settings_markdown(tables, variants))
    conclusion = conclude(args, source, results, tables, selections)
    print("\n" + conclusion.results)
    print("\nkey insights:\n" + "\n".join(f"- {line}" for line in conclusion.insights))
    long = pd.concat([seed_table(r, key) for key, r in results.items()], ignore_index=True)
    store = ExperimentStore.from_env(args.out / "store")
    run_id, path = record(
        store,
        doc=doc,
        file=file,
        experiment=experiment,
        args=args,
        params=conclusion.params,
        metrics=conclusion.metrics,
        tables={
            "by_seed": long,
            **conclusion.tables,
            **{f"variants_{k.replace(' ', '_')}": t.reset_index() for k, t in tables.items()},
        },
        results=conclusion.results,
        insights=conclusion.insights,
    )
    print(f"\nrun {run_id} recorded in {store.path}; results text: {path}")
    print(f"({time.perf_counter() - started:.1f} s)")
    return 0


def show(setting: str, seed: int, scored: Mapping[str, Scored], started: float) -> None:
    """One progress line per market."""
    parts = ", ".join(f"{n}: {s.top_bucket:.2%} (IC {s.ic:+.3f})" for n, s in scored.items())
    where = " ".join(filter(None, (setting, f"seed {seed}")))
    print(f"{where} [{time.perf_counter() - started:.0f} s]: {parts}", flush=True)


# --- the record ---------------------------------------------------------------------------------


def read_experiment(
    doc: str, name: str, tags: Sequence[str], args: argparse.Namespace
) -> Experiment:
    """The experiment record from the docstring sections (``Experiment.from_docstring``).

    Tagged ``synthetic`` or ``user-data`` besides ``tags``; a missing or empty section
    stops the run before any work.
    """
    tags = (*tags, "synthetic" if args.data is None else "user-data")
    try:
        return Experiment.from_docstring(doc, name=name, tags=tags)
    except InvalidParameterError as exc:
        raise SystemExit(str(exc)) from exc


def record(
    store: ExperimentStore,
    *,
    doc: str,
    file: str,
    experiment: Experiment,
    args: argparse.Namespace,
    params: Mapping[str, Any],
    metrics: Mapping[str, float],
    tables: Mapping[str, pd.DataFrame],
    results: str,
    insights: list[str],
) -> tuple[str, Path]:
    """Store the run in ``store``, write ``output/<file>-results.md`` and the HTML report.

    Everything goes under ``args.out`` (``experiments/insider_trading/output`` by
    default, ignored by git) and the store (``args.out / "store"`` unless
    ``$TR_EXPERIMENTS_STORE`` names one): a run never writes a tracked file.

    Returns
    -------
    run_id : str
    path : Path
        The results markdown file.
    """
    with experiment.run(store) as run:
        run.log_params({**params, "command": args.command})
        run.log_metrics(
            {k: float(v) for k, v in metrics.items() if v is not None and np.isfinite(v)}
        )
        for table_name, table in tables.items():
            run.log_table(table_name, table)
        run.conclude(results=results, insights=insights)
    stem = Path(file).stem
    path = args.out / f"{stem}-results.md"
    text = [f"# {doc.splitlines()[0]}", "", f"Run `{run.run_id}`.", "", results, ""]
    text += ["Key insights:", "", *[f"- {line}" for line in insights], ""]
    text += [f"Reproduce: `{args.command}`"]
    path.write_text("\n".join(text) + "\n")
    write_report(store, [run.run_id], args.out / f"{stem}-report.html")
    return run.run_id, path
