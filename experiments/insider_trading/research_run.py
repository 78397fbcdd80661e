"""The main job: an honest research run on insider-trade events.

By default it runs on tr-core's synthetic insider-trading market, whose truth is
known; ``--data FILE --contract CONTRACT.json`` replaces it with any frame.

Steps (each prints what it found):

1. validate the frame against its data contract;
2. audit missing values per feature group (never filled);
3. lay out the time splits: walk-forward, purged k-fold, combinatorial purged CV,
   with the rows each purge and embargo removed;
4. run the lookahead check on engineered features, and show it catching leaky ones;
5. feature selection: mutual information of every feature, then one XGBoost
   model per feature group on that group's own complete rows (never filled),
   once on a purged time split and once over walk-forward folds, with the
   probability of backtest overfitting and the deflated Sharpe ratio of picking
   the best group;
6. hyperparameter tuning (tr-tuning): a small seeded Optuna study of an XGBoost
   regressor on the training part only, pruned fold by fold, with the deflated
   Sharpe ratio and PBO of picking its best trial; the tuned and the untuned model
   are then scored side by side on the later, purged test part;
7. walk-forward evaluation of an XGBoost model, unweighted and with
   |alpha|^1.5 sample weights: out-of-sample bucket results, overfit gap;
8. baselines for the out-of-sample scores (all trades, random scores with a
   permutation p-value, single-feature rankers, bootstrap CI);
9. ensemble (tr-ensemble): one XGBoost model per feature group, stacked on their
   out-of-fold walk-forward predictions with the market-regime features given to the
   meta-learner, and compared with each group model alone on the same out-of-sample
   rows (nested walk-forward), with the DSR/PBO of picking the best of them;
10. record everything as an experiment (JSON, parquet, PNG) and write an HTML report.

Run it with ``python3 -m nox -s demo`` (or ``python experiments/insider_trading/
research_run.py --help`` in a dev environment).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from _study import user_frame
from _terminal import (
    WIDTH,
    Steps,
    banner,
    number,
    probability,
    say,
    table,
    terminal_warnings,
)
from _verdict import (
    ALPHA,
    MAX_PBO,
    MIN_DSR,
    Verdict,
    pair_selection,
    paired_p_value,
    verdict_frame,
)
from sklearn.base import clone

from tr_core.contract import DataContract
from tr_core.errors import LookaheadError
from tr_core.lookahead import assert_no_lookahead
from tr_core.nan import complete_rows_by_group
from tr_core.splits import (
    CombinatorialPurgedKFold,
    PurgedKFold,
    WalkForward,
    time_train_test_split,
)
from tr_core.synthetic import make_insider_trades
from tr_ensemble import EnsembleComparison, TimeSeriesStackingRegressor, compare_to_base_models
from tr_ensemble.comparison import ENSEMBLE
from tr_evaluation.baselines import BaselineEvaluator, BaselineResult
from tr_evaluation.experiments import (
    Experiment,
    ExperimentStore,
    percent,
    write_run_report,
)
from tr_evaluation.walk_forward import WalkForwardResult, evaluate_walk_forward
from tr_feature_selection import FeatureGroupAnalyzer, mutual_information
from tr_sample_weighting import AlphaPowerWeighter
from tr_tuning import TuningResult, XGBoostOptimizer

HERE = Path(__file__).resolve().parent


PAIRED = "a paired t-test of the monthly top-bucket returns"
ALL_FEATURES = "all_features"
"""The candidate of every feature together, beside the contract's groups (step 5)."""
QUICK = {"n_trades": 10_000, "folds": 4, "tune_trials": 4, "permutations": 200}
FULL = {"n_trades": 60_000, "folds": 5, "tune_trials": 12, "permutations": 1000}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the same steps on a small market, in under a minute: "
        + ", ".join(f"{k}={v:,}" for k, v in QUICK.items()),
    )
    parser.add_argument("--n-trades", type=int, help=f"synthetic rows ({FULL['n_trades']:,})")
    parser.add_argument("--seed", type=int, default=0, help="seed of data and models")
    parser.add_argument("--data", type=Path, help="your own frame (.csv or .parquet)")
    parser.add_argument("--contract", type=Path, help="JSON with DataContract arguments")
    parser.add_argument("--folds", type=int, help=f"walk-forward test blocks ({FULL['folds']})")
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "output",
        help="output folder: runs/<run-id>/report.html, and the experiment store "
        "unless $TR_EXPERIMENTS_STORE names one",
    )
    parser.add_argument(
        "--ensemble",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the ensemble step (--no-ensemble skips it)",
    )
    parser.add_argument(
        "--tune-trials",
        type=int,
        help=f"Optuna trials of the tuning step (0 skips it; {FULL['tune_trials']})",
    )
    parser.add_argument(
        "--permutations",
        type=int,
        help=f"random-score permutations of the baseline p-value ({FULL['permutations']})",
    )
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pd.set_option("display.width", WIDTH)
    steps = Steps()
    with terminal_warnings():
        run_id = research_run(args, steps)
    print(f"\nrun {run_id}; its report:\n{args.out / 'runs' / run_id / 'report.html'}")
    return 0


def research_run(args: argparse.Namespace, steps: Steps) -> str:
    """Every step in order; returns the id of the run recorded in the store."""
    verdicts: list[Verdict] = []
    frame, contract, source = load_data(args)
    with steps.step(f"1. Data: {source}"):
        show_validation(contract.validate(frame).summary(), contract)

    with steps.step("2. Missing values, per feature group (never filled)"):
        audits = complete_rows_by_group(frame, contract.groups, always=[contract.target])
        print(
            table(
                pd.DataFrame({name: audit.summary() for name, (_, audit) in audits.items()})
                .T[["rows_in", "rows_out", "rows_dropped"]]
                .astype("int64")
            )
        )

    with steps.step("3. Time splits (purged, embargoed; ties never split)"):
        show_splits(frame, contract, n_folds=args.folds)

    with steps.step("4. Lookahead check on engineered features"):
        check_lookahead(frame, contract)

    with steps.step("5. Feature selection (per-group complete rows, never filled)"):
        selection = select_features(frame, contract, args)

    tuning: dict[str, Any] | None = None
    if args.tune_trials > 0:
        with steps.step("6. Hyperparameter tuning (Optuna, time-series CV, training part only)"):
            tuning = tune_hyperparameters(frame, contract, args, selection)
            verdicts.append(tuning["verdict"])
    else:
        print("\n6. Hyperparameter tuning: skipped (--tune-trials 0)")

    with steps.step("7. Walk-forward evaluation (XGBoost, out of sample only)"):
        weighter = AlphaPowerWeighter.from_contract(contract, power=1.5, clip=(0.1, 10.0))
        results = walk_forward(frame, contract, args, weighter)
        headlines = pd.DataFrame({k: headline(v) for k, v in results.items()}).T
        print("\nout-of-sample headline figures:")
        print(table(headlines))
        weighted, unweighted = results["alpha_power_1.5"].oos, results["unweighted"].oos
        pair = pair_selection({"alpha_power_1.5": weighted, "unweighted": unweighted})
        verdicts.insert(
            0,
            Verdict(
                question="weights: |alpha|^1.5 vs none",
                candidate_name="alpha_power_1.5",
                baseline_name="unweighted",
                candidate=weighted.top_bucket_return,
                baseline=unweighted.top_bucket_return,
                p_value=paired_p_value(weighted, unweighted),
                p_value_of=PAIRED,
                deflated_sharpe=pair.deflated_sharpe,
                pbo=pair.pbo,
            ),
        )

    with steps.step("8. Baselines for the weighted model's out-of-sample scores"):
        baseline = score_baselines(frame, contract, args, results["alpha_power_1.5"])
        cv = selection["groups_cv"].summary()
        verdicts.insert(
            0,
            Verdict(
                question="features: model vs all trades",
                candidate_name="alpha_power_1.5",
                baseline_name="all trades",
                candidate=weighted.top_bucket_return,
                baseline=float(baseline.to_frame().loc["all trades", "top_bucket_return"]),
                p_value=baseline.p_value,
                p_value_of=f"{args.permutations:,} random-score permutations",
                deflated_sharpe=measured(cv["deflated_sharpe"]),
                pbo=measured(cv["pbo"]),
            ),
        )

    ensemble: EnsembleComparison | None = None
    if args.ensemble:
        with steps.step("9. Ensemble: the group models stacked, regime-aware, vs each alone"):
            ensemble = stack_group_models(frame, contract, args)
            verdicts.append(ensemble_verdict(ensemble))
    else:
        print("\n9. Ensemble: skipped (--no-ensemble)")

    with steps.step("10. Experiment record and report"):
        run_id = record_run(
            args,
            contract,
            source,
            weighter,
            results,
            baseline,
            headlines,
            selection,
            tuning,
            ensemble,
            verdicts,
            steps,
        )

    banner("Summary: did each idea beat its baseline out of sample?")
    verdict_table = verdict_frame(verdicts)
    print(table(verdict_table.loc[:, :"answer"].rename(columns={"deflated_sharpe": "dsr"})))
    for question, row in verdict_table.iterrows():
        say(
            f"- {question}: {row['candidate_name']} vs {row['baseline_name']}; "
            f"p-value from {row['p_value_of']}",
        )
    say(
        f"answer: yes = ahead, p < {ALPHA} and the selection holds (DSR >= {MIN_DSR}, "
        f"PBO <= {MAX_PBO}); not shown = ahead but within chance or selection luck; "
        "no = not ahead. Returns are mean alpha of the top bucket of 20, out of sample."
    )
    print("\ntime per step:")
    print(table(steps.to_frame()))
    return run_id


def load_data(args: argparse.Namespace) -> tuple[pd.DataFrame, DataContract, str]:
    """The synthetic market, or the user's frame and contract."""
    if args.data is None:
        market = make_insider_trades(n_trades=args.n_trades, random_state=args.seed)
        return (
            market.frame,
            market.contract,
            f"synthetic insider-trading market, {args.n_trades:,} trades, seed {args.seed}",
        )
    if args.contract is None:
        raise SystemExit("--data needs --contract CONTRACT.json (DataContract arguments)")
    return user_frame(args)


def show_validation(summary: dict[str, Any], contract: DataContract) -> None:
    """The contract validation: the frame's shape, then NaN per feature and group."""
    nan = pd.Series(summary.pop("feature_nan"), dtype="int64")
    complete = summary.pop("group_complete_rows")
    n_rows = int(summary["n_rows"])
    for key, value in summary.items():
        print(f"{key:>16}: {number(value)}")
    per_feature = pd.DataFrame({"nan": nan, "share": (nan / n_rows).map(percent)})
    per_feature["group"] = pd.Series(
        {feature: group for group, cols in contract.groups.items() for feature in cols}
    )
    print("\nmissing values per feature (kept as NaN):")
    print(table(per_feature))
    print("\nrows complete in every feature of the group:")
    print(table(pd.DataFrame({"complete_rows": pd.Series(complete, dtype="int64")})))


def show_splits(frame: pd.DataFrame, contract: DataContract, *, n_folds: int) -> None:
    """Print each splitter's folds: sizes, spans and rows removed by purge/embargo."""
    times = pd.DatetimeIndex(frame[contract.time])
    splitters: dict[str, Any] = {
        f"WalkForward({n_folds}, expanding, embargo=1%)": WalkForward(
            n_folds, times=contract.time, label_ends=contract.label_end, embargo=0.01
        ),
        f"PurgedKFold({n_folds}, embargo=1%)": PurgedKFold(
            n_folds, times=contract.time, label_ends=contract.label_end, embargo=0.01
        ),
    }
    for name, splitter in splitters.items():
        rows = []
        for k, (train, test) in enumerate(splitter.split(frame)):
            rows.append(
                {
                    "fold": k,
                    "train": len(train),
                    "test": len(test),
                    "test_from": times[test].min().date(),
                    "test_to": times[test].max().date(),
                    "removed": len(frame) - len(train) - len(test),
                }
            )
        print(f"\n{name}  (removed = purged + embargoed + not yet usable)")
        print(table(pd.DataFrame(rows).set_index("fold")))
    cpcv = CombinatorialPurgedKFold(
        6, 2, times=contract.time, label_ends=contract.label_end, embargo=0.01
    )
    print()
    say(
        f"CombinatorialPurgedKFold(6, 2): {cpcv.get_n_splits()} splits, "
        f"{cpcv.get_n_paths()} backtest paths; split index per (path, group):"
    )
    print(table(pd.DataFrame(cpcv.backtest_paths()).rename_axis("path")))


def engineered_features(contract: DataContract) -> dict[str, Callable[[pd.DataFrame], Any]]:
    """Feature builders to check: point-in-time safe ones and classic leaks."""
    t, tgt, ent = contract.time, contract.target, contract.entity
    first = contract.features[0]

    def prior_trades(f: pd.DataFrame) -> pd.Series:
        # earlier trades of the same ticker, strictly before this decision time
        order = f.sort_values(t, kind="stable")
        per_day = order.groupby([ent, t], sort=False).size()
        before = per_day.groupby(level=0).cumsum() - per_day
        return pd.Series(
            before.reindex(pd.MultiIndex.from_frame(order[[ent, t]])).to_numpy(),
            index=order.index,
            name="prior_trades",
        ).astype(float)

    def expanding_z(f: pd.DataFrame) -> pd.Series:
        s = f.sort_values(t, kind="stable")[first]
        past = s.expanding(min_periods=20)
        return ((s - past.mean().shift(1)) / past.std().shift(1)).rename(f"{first}_z_expanding")

    def full_sample_z(f: pd.DataFrame) -> pd.Series:
        s = f[first]
        return ((s - s.mean()) / s.std()).rename(f"{first}_z_full_sample")

    def ticker_alpha_momentum(f: pd.DataFrame) -> pd.Series:
        # mean alpha of the ticker's last 5 trades: those alphas are only known at label_end
        order = f.sort_values(t, kind="stable")
        # A deliberate leak: this run shows assert_no_lookahead catching it.
        means = order.groupby(ent, sort=False)[tgt].rolling(5, min_periods=1).mean()  # noqa: TR002
        return means.reset_index(level=0, drop=True).rename("ticker_alpha_last5")

    return {
        "prior_trades (safe)": prior_trades,
        "expanding z-score, lagged (safe)": expanding_z,
        "full-sample z-score (LEAKS)": full_sample_z,
        "mean of last 5 realized alphas (LEAKS: alpha known only at label_end)": (
            ticker_alpha_momentum
        ),
    }


def check_lookahead(frame: pd.DataFrame, contract: DataContract) -> None:
    observed = {contract.target: contract.label_end} if contract.label_end else None
    for name, fn in engineered_features(contract).items():
        try:
            rep = assert_no_lookahead(
                fn, frame, time=contract.time, cutoffs=4, observed_at=observed
            )
        except LookaheadError as err:
            # the first sentence names the feature and the first differing row; the
            # exception itself carries the values and the fix
            say(f"- {name}: CAUGHT -> {str(err).split(': at cutoff')[0]}")
        else:
            say(f"- {name}: passes ({rep.values_compared:,} values compared at 4 cutoffs)")
    rep = assert_no_lookahead(
        lambda f: f[list(contract.features)], frame, time=contract.time, cutoffs=4
    )
    n = len(contract.features)
    say(f"- the frame's own {n} features: pass ({rep.values_compared:,} values compared)")


def select_features(
    frame: pd.DataFrame, contract: DataContract, args: argparse.Namespace
) -> dict[str, Any]:
    """Mutual information per feature, then the feature groups on a split and over folds."""
    features = list(contract.features)
    target = frame[contract.target]
    mi = mutual_information(frame[features], target > 0)
    mi_table = pd.DataFrame({"mi_nats": mi, "rows_used": pd.Series(mi.attrs["n_rows"])}).loc[
        mi.index
    ]
    say("mutual information with alpha > 0 (binned, Miller-Madow; each feature its own rows):")
    print(table(mi_table))

    train_pos, test_pos = time_train_test_split(
        frame, times=contract.time, test_size=0.3, label_ends=contract.label_end
    )
    train, test = frame.iloc[train_pos], frame.iloc[test_pos]
    groups = candidate_groups(contract)
    analyzer = FeatureGroupAnalyzer(
        evaluation_metric="bucket_19_return",
        contract=contract,
        random_state=args.seed,
        n_jobs=2,
        verbose=sys.stderr.isatty(),
    )
    # |alpha|^1.5 (clipped to 0.1..10), computed on each group's training rows only.
    alpha_weights = AlphaPowerWeighter.from_contract(contract, power=1.5, clip=(0.1, 10.0))
    split = analyzer.test_feature_groups(train, test, groups, sample_weight=alpha_weights)
    columns = ["n_features", "train_used", "train_nan_dropped", "test_used", "test_nan_dropped"]
    columns += ["train_metric", "test_metric", "overfit_gap", "auc", "ic"]
    print("\nfeature groups, |alpha|^1.5-weighted XGBoost, purged 70/30 time split")
    print("(metric: mean alpha of the top bucket of 20 on the test rows):")
    print(table(split.to_frame()[columns]))
    print(f"best group on the test rows: {split.best()}")

    cv = analyzer.cross_validate_groups(
        frame,
        groups,
        WalkForward(args.folds, times=contract.time, label_ends=contract.label_end),
        sample_weight=alpha_weights,
    )
    print("\nthe same over walk-forward folds (mean and std of the test metric):")
    shown = ["n_features", "n_folds", "test_metric_mean", "test_metric_std", "auc_mean"]
    shown += ["ic_mean", "overfit_gap_mean", "train_used_mean", "test_used_mean"]
    print(table(cv.to_frame()[shown], percent_columns=lambda c: "metric" in c or "gap" in c))
    summary = cv.summary()
    if len(groups) > 1:  # one group: the note below says there is no selection
        say(
            f"best group over the folds: {summary['best']}; selection bias across "
            f"{len(groups)} candidates over {summary['n_periods']} test months: "
            f"PBO = {probability(summary['pbo'])}, deflated Sharpe ratio of the best = "
            f"{probability(summary['deflated_sharpe'])}"
        )
    if summary["selection_note"]:
        say(summary["selection_note"])
    return {"mutual_information": mi_table, "groups_split": split, "groups_cv": cv}


def measured(value: float | None) -> float:
    """A statistic of a result's ``summary()``, NaN where it was not measured (None)."""
    return math.nan if value is None else float(value)


def candidate_groups(contract: DataContract) -> dict[str, tuple[str, ...]]:
    """The feature groups step 5 compares: the contract's, and all features together.

    All features join as one more candidate only where no group already holds exactly
    them (a contract with one group, or none): two candidates a backtest cannot tell
    apart would make the selection statistics say nothing (PBO = 1 for identical
    variants). A group of the user's named like the extra candidate keeps its name.
    """
    groups = {name: tuple(columns) for name, columns in contract.groups.items()}
    everything = tuple(contract.features)
    if not any(set(columns) == set(everything) for columns in groups.values()):
        name = ALL_FEATURES
        while name in groups:
            name = f"{name}_together"
        groups[name] = everything
    return groups


def tune_hyperparameters(
    frame: pd.DataFrame,
    contract: DataContract,
    args: argparse.Namespace,
    selection: dict[str, Any],
) -> dict[str, Any]:
    """A small Optuna study on the training part; tuned vs untuned on the later test part.

    The split is step 5's purged 70/30 time split: the study sees only the first 70 %
    (its own walk-forward folds, early stopping on a purged slice of each fold's
    training rows), and the last 30 % scores the refit best model once — reported,
    never used to choose anything.
    """
    best_group = selection["groups_cv"].summary()["best"]
    features = list(candidate_groups(contract)[best_group])
    train_pos, test_pos = time_train_test_split(
        frame, times=contract.time, test_size=0.3, label_ends=contract.label_end
    )
    train, test = frame.iloc[train_pos], frame.iloc[test_pos]
    # label=None below makes it a regressor, whose default space leaves gamma at 0
    # (tr_tuning.DEFAULT_XGBOOST_REGRESSION_SPACE).
    optimizer = XGBoostOptimizer(
        metric="top_bucket_return",
        n_trials=args.tune_trials,
        max_rounds=200,
        early_stopping_rounds=20,
        random_state=args.seed,
        n_jobs=1,  # one thread per fit: OpenMP threads on a busy machine spin and slow down
        verbose=sys.stderr.isatty(),
    )
    say(repr(optimizer))
    say(
        f"on the {len(train):,} training rows (features of the group "
        f"selected over the folds, {best_group!r}: {len(features)}); the {len(test):,} "
        "later rows are the holdout"
    )
    result = optimizer.optimize(
        train,
        features=features,
        target=contract.target,
        times=contract.time,
        label_ends=contract.label_end,
        label=None,  # a regressor on alpha, like step 7's model
        holdout=test,
    )
    trials = result.to_frame()
    n_pruned = int(trials["state"].eq("PRUNED").sum())
    fold_cols = [c for c in trials.columns if c.startswith("fold_")]
    shown = ["state", "value", *fold_cols, "pruned_at_fold", "n_rounds"]
    print(table(trials[shown]))
    print()
    say(f"best trial {result.best_trial}: CV top-bucket return {percent(result.best_value)}")
    say("best parameters: " + ", ".join(f"{k}={number(v)}" for k, v in result.best_params.items()))
    say(
        f"pruned: {n_pruned} of {len(trials)} trials (median pruner, one step per fold); "
        f"selection bias: {result.selection.reading}"
    )

    # Tuned vs untuned, through the same evaluation path as step 7, on one fold:
    # fit on the training part, score the later, purged test part.
    one_split = [(train_pos, test_pos)]
    compared = {
        name: evaluate_walk_forward(
            factory,
            frame,
            features=features,
            target=contract.target,
            cv=one_split,
            times=contract.time,
            label_ends=contract.label_end,
            entities=contract.entity,
            n_buckets=20,
            verbose=False,
        )
        for name, factory in (
            ("untuned", lambda: make_model(args.seed)),
            ("tuned", lambda: make_model(args.seed, result.best_params)),
        )
    }
    scores = pd.DataFrame({k: headline(v) for k, v in compared.items()}).T
    print("\nout of sample (the later 30 %), untuned vs tuned:")
    print(table(scores))
    say(f"(the study's own holdout score of its refit best model: {percent(result.holdout_value)})")
    tuned, untuned = compared["tuned"].oos, compared["untuned"].oos
    verdict = Verdict(
        question="tuning: tuned vs hand-set",
        candidate_name="tuned",
        baseline_name="untuned",
        candidate=tuned.top_bucket_return,
        baseline=untuned.top_bucket_return,
        p_value=paired_p_value(tuned, untuned),
        p_value_of=PAIRED,
        deflated_sharpe=result.selection.deflated_sharpe,
        pbo=result.selection.pbo,
    )
    return {
        "result": result,
        "table": scores,
        "results": compared,
        "n_pruned": n_pruned,
        "features": features,
        "verdict": verdict,
    }


def walk_forward(
    frame: pd.DataFrame,
    contract: DataContract,
    args: argparse.Namespace,
    weighter: AlphaPowerWeighter,
) -> dict[str, WalkForwardResult]:
    """The XGBoost regressor walked forward, unweighted and |alpha|^1.5-weighted."""
    splitter = WalkForward(
        args.folds, times=contract.time, label_ends=contract.label_end, embargo=0.01
    )
    results: dict[str, WalkForwardResult] = {}
    for name, weights in (("unweighted", None), ("alpha_power_1.5", weighter)):
        results[name] = evaluate_walk_forward(
            lambda: make_model(args.seed),
            frame,
            features=list(contract.features),
            target=contract.target,
            cv=splitter,
            sample_weight=weights,
            times=contract.time,
            entities=contract.entity,
            n_buckets=20,
            verbose=sys.stderr.isatty(),
        )
        gap = results[name].summary()["overfit_gap"]
        print(f"\n[{name}]")
        print(table(results[name].to_frame()))
        say(
            f"overfit gap (train minus test, mean over folds): top bucket "
            f"{percent(gap['top_bucket_return'])}, IC {number(gap['ic'])}"
        )
    return results


def score_baselines(
    frame: pd.DataFrame,
    contract: DataContract,
    args: argparse.Namespace,
    result: WalkForwardResult,
) -> BaselineResult:
    """The model's out-of-sample scores against all trades, random scores and each feature."""
    tested = result.predictions.notna().to_numpy()
    oos = frame.loc[tested]
    baseline = BaselineEvaluator(
        n_permutations=args.permutations,
        n_bootstrap=1000,
        random_state=args.seed,
        n_buckets=20,
    ).evaluate(
        result.predictions[tested],
        oos[contract.target],
        features=oos[list(contract.features)],
    )
    print(table(baseline.to_frame()))
    return baseline


def ensemble_verdict(comparison: EnsembleComparison) -> Verdict:
    """The stack against the best group model on the same out-of-sample rows."""
    over = comparison.margin()["over"]
    stack, best = comparison.results[ENSEMBLE].oos, comparison.results[over].oos
    return Verdict(
        question="ensemble: stack vs best group",
        candidate_name=ENSEMBLE,
        baseline_name=over,
        candidate=stack.top_bucket_return,
        baseline=best.top_bucket_return,
        p_value=paired_p_value(stack, best),
        p_value_of=PAIRED,
        deflated_sharpe=comparison.selection.deflated_sharpe,
        pbo=comparison.selection.pbo,
    )


def stack_group_models(
    frame: pd.DataFrame, contract: DataContract, args: argparse.Namespace
) -> EnsembleComparison:
    """One model per feature group, stacked on out-of-fold predictions, vs each alone.

    The meta-learner gets the market-regime group (when the contract has one) beside
    the base predictions, so it can learn which group's model to trust in which
    regime. Rows without the regime features are left out of this step (never
    filled); every candidate is then scored on the same out-of-sample rows.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    regime = list(contract.groups.get("market", ()))
    rows = frame
    if regime:
        rows, audit = complete_rows_by_group(frame, {"market": regime})["market"]
        say(
            f"rows with the regime features {regime}: {audit.rows_out:,} of "
            f"{audit.rows_in:,} ({audit.rows_in - audit.rows_out:,} left out, never filled)"
        )
    features = list(contract.features)
    base_models = [
        (
            name,
            Pipeline(
                [
                    ("columns", ColumnTransformer([(name, "passthrough", list(cols))])),
                    ("model", make_model(args.seed, {"n_estimators": 150})),
                ]
            ),
        )
        for name, cols in contract.groups.items()
    ]
    inner = WalkForward(
        3, times=rows[contract.time], label_ends=rows[contract.label_end], embargo=0.01
    )
    stack = TimeSeriesStackingRegressor(
        base_models, cv=inner, meta_features=regime or None, verbose=False
    )
    outer = WalkForward(
        args.folds, times=contract.time, label_ends=contract.label_end, embargo=0.01
    )
    comparison = compare_to_base_models(
        stack,
        rows,
        outer,
        features=features,
        target=contract.target,
        entities=contract.entity,
        n_permutations=200,
        random_state=args.seed,
        verbose=sys.stderr.isatty(),
    )
    print(table(comparison.to_frame()))
    say(f"selection: {comparison.selection.reading}")
    margin = comparison.margin()
    say(
        f"ensemble vs the best group model ({margin['over']}): top bucket "
        f"{percent(margin['top_bucket_return'])}, IC {number(margin['ic'])}"
    )
    # The meta-learner fitted on every row of this step, for its trust table.
    full = clone(stack).fit(rows[features], rows[contract.target])
    say(
        f"meta-learner fitted on {full.n_meta_rows_:,} out-of-fold rows; each group "
        "model's weight at the average regime, and its change per standard deviation of "
        "each regime feature:"
    )
    print(table(full.meta_learner_weights()))
    return comparison


def make_model(seed: int, params: dict[str, Any] | None = None) -> Any:
    from xgboost import XGBRegressor

    settings: dict[str, Any] = {
        "n_estimators": 300,
        "max_depth": 4,
        "learning_rate": 0.05,
        "subsample": 0.8,
        "colsample_bytree": 0.8,
        "min_child_weight": 20,
    }
    # Tuned parameters (n_estimators included: early stopping chose it) replace these.
    return XGBRegressor(
        **(settings | (params or {})), tree_method="hist", n_jobs=2, random_state=seed
    )


def headline(result: WalkForwardResult) -> dict[str, float]:
    s = result.oos.summary()
    return {
        "top_bucket_return": s["top_bucket_return"],
        "bottom_bucket_return": s["bottom_bucket_return"],
        "spread": s["spread"],
        "monotonicity": s["monotonicity"],
        "ic": s["ic"],
        "ic_ir": s["ic_ir"],
    }


def record_run(
    args: argparse.Namespace,
    contract: DataContract,
    source: str,
    weighter: AlphaPowerWeighter,
    results: dict[str, WalkForwardResult],
    baseline: BaselineResult,
    headlines: pd.DataFrame,
    selection: dict[str, Any],
    tuning: dict[str, Any] | None,
    ensemble: EnsembleComparison | None,
    verdicts: list[Verdict],
    steps: Steps,
) -> str:
    """Everything in the experiment store, and the run's own report; returns the run id."""
    store = ExperimentStore.from_env(args.out / "store")
    experiment = Experiment(
        name="insider-trading-research-run",
        date=dt.date.today(),
        context=f"Main job of trading-research on {source}.",
        hypothesis=(
            "An XGBoost model on insider, technical and market-regime features ranks "
            "trades so that the top of 20 buckets earns more than all trades, and "
            "|alpha|^1.5 sample weights, tuning and a stack of the group models lift the "
            "top bucket further."
        ),
        baseline="all trades (unconditional mean alpha), random scores, and for each idea "
        "the model without it",
        references=(
            "López de Prado (2018), Advances in Financial Machine Learning, ch. 4 and 7",
            "Bailey & López de Prado (2014), The Deflated Sharpe Ratio",
            "Bailey, Borwein, López de Prado & Zhu (2015), The Probability of Backtest Overfitting",
        ),
        tags=("insider", "demo", "synthetic" if args.data is None else "user-data"),
    )
    verdict_table = verdict_frame(verdicts)
    with experiment.run(store) as run:
        run.log_params(
            {
                "n_trades": args.n_trades if args.data is None else None,
                "data": str(args.data) if args.data is not None else "synthetic",
                "seed": args.seed,
                "folds": args.folds,
                "quick": args.quick,
                "permutations": args.permutations,
                "contract": repr(contract),
                "weighting": repr(weighter),
                "tune_trials": args.tune_trials,
                "ensemble": args.ensemble,
            }
        )
        run.log_table("verdict", verdict_table)
        # The features question also gives the names every strategy's record shares
        # (experiments/README.md, "One store for every strategy").
        shared = {
            "top_bucket_alpha": "candidate",
            "model_p_value": "p_value",
            "dsr_best": "deflated_sharpe",
            "pbo": "pbo",
        }
        for question, row in verdict_table.iterrows():
            key = str(question).split(":")[0]
            measures = ("candidate", "baseline", "difference", "p_value")
            names = {f"verdict.{key}.{n}": n for n in measures}
            if key == "features":
                names |= shared
            run.log_metrics({k: float(row[n]) for k, n in names.items() if pd.notna(row[n])})
        for name, res in results.items():
            run.log_metrics({f"{name}.{k}": v for k, v in headline(res).items() if v is not None})
            run.log_table(f"{name}_folds", res.to_frame())
            run.log_figure(f"{name}_tear_sheet", res.oos.plot_tear_sheet())
        run.log_table("mutual_information", selection["mutual_information"])
        run.log_table("feature_groups_split", selection["groups_split"].to_frame())
        run.log_figure("feature_groups_split", selection["groups_split"].plot())
        run.log_table("feature_groups_cv", selection["groups_cv"].to_frame())
        run.log_figure("feature_groups_cv", selection["groups_cv"].plot())
        run.log_table("headline", headlines)
        run.log_table("baselines", baseline.to_frame())
        run.log_figure("baselines", baseline.plot())
        if tuning is not None:
            log_tuning(run, tuning)
        if ensemble is not None:
            run.log_table("ensemble_comparison", ensemble.to_frame())
            run.log_figure("ensemble_comparison", ensemble.plot())
            run.log_figure("ensemble_tear_sheet", ensemble.results[ENSEMBLE].oos.plot_tear_sheet())
            run.log_params({"ensemble.selection_bias": ensemble.selection.reading})
        run.log_table("step_seconds", steps.to_frame())
        run.log_metrics({f"seconds.{k.split('.')[0]}": v for k, v in steps.seconds.items()})
        run.conclude(
            results="; ".join(
                f"{question}: {percent(row['candidate'])} vs {percent(row['baseline'])} "
                f"({row['answer']})"
                for question, row in verdict_table.iterrows()
            ),
            insights=[
                f"{question}: {row['answer']} (p = {probability(row['p_value'])}, "
                f"DSR = {probability(row['deflated_sharpe'])}, PBO = {probability(row['pbo'])})"
                for question, row in verdict_table.iterrows()
            ],
        )
    report = write_run_report(store, run.run_id, args.out / "runs")
    print(f"run {run.run_id} stored in\n{store.path}\nreport:\n{report}")
    return run.run_id


def log_tuning(run: Any, tuning: dict[str, Any]) -> None:
    """The tuning step's parameters, scores, trial table and plots, in the run's record."""
    result: TuningResult = tuning["result"]
    run.log_params(
        {
            "tuning.best_params": result.best_params,
            "tuning.features": tuning["features"],
            "tuning.selection_bias": result.selection.reading,
        }
    )
    metrics = {
        "tuning.cv_top_bucket_return": result.best_value,
        "tuning.holdout_top_bucket_return": result.holdout_value,
        "tuning.n_pruned": tuning["n_pruned"],
        "tuning.deflated_sharpe": result.selection.deflated_sharpe,
        "tuning.pbo": result.selection.pbo,
    }
    for name, row in tuning["table"].iterrows():
        metrics |= {f"tuning.{name}.{k}": v for k, v in row.items()}
    run.log_metrics({k: float(v) for k, v in metrics.items() if v is not None and v == v})
    run.log_table("tuning_trials", result.to_frame())
    run.log_table("tuning_oos_untuned_vs_tuned", tuning["table"])
    for name, res in tuning["results"].items():
        run.log_figure(f"tuning_{name}_tear_sheet", res.oos.plot_tear_sheet())
    run.log_figure("tuning_history", result.plot_history())
    if result.selection.n_trials >= 2:  # fANOVA importances need 2 completed trials
        run.log_figure("tuning_importances", result.plot_importances())


if __name__ == "__main__":
    raise SystemExit(main())
