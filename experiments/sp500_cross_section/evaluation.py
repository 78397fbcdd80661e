"""Walk-forward variants, baselines, tuning, stacking and selection statistics.

Everything measured here comes from the toolkit: ``evaluate_walk_forward`` and
``BucketAnalyzer`` (deciles within each rebalance date), ``BaselineEvaluator``,
``tr_sample_weighting``, ``tr_tuning.XGBoostOptimizer``, ``tr_ensemble`` and the
DSR/PBO functions of ``tr_evaluation.metrics``. Nothing is re-implemented.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from features import GROUPS
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from xgboost import XGBRegressor

from tr_core.contract import DataContract
from tr_core.splits import WalkForward, time_train_test_split
from tr_ensemble import EnsembleComparison, TimeSeriesStackingRegressor, compare_to_base_models
from tr_evaluation.baselines import BaselineEvaluator, BaselineResult
from tr_evaluation.buckets import BucketAnalyzer, BucketResult
from tr_evaluation.metrics import (
    deflated_sharpe_ratio,
    probabilistic_sharpe_ratio,
    probability_of_backtest_overfitting,
    sharpe_ratio,
)
from tr_evaluation.walk_forward import WalkForwardResult, evaluate_walk_forward
from tr_sample_weighting import AlphaPowerWeighter
from tr_tuning import DEFAULT_XGBOOST_REGRESSION_SPACE, TuningResult, XGBoostOptimizer

TIME, ENTITY, TARGET, LABEL_END = "date", "Name", "fwd_excess_20d", "label_end"
N_BUCKETS = 10
PERIODS_PER_YEAR = 252 / 20
WEIGHTINGS = ("unweighted", "|excess|^1.5")
# single-feature rankers: (name, column, sign) — sign -1 ranks the lowest values first
BASELINES = (
    ("momentum 12-1", "mom_12_1", 1.0),
    ("reversal 5d (short-term losers)", "rev_5d", -1.0),
    ("low volatility 63d", "vol_63d", -1.0),
)


@dataclass(frozen=True)
class Settings:
    """Sizes of one run (``--quick`` shrinks them)."""

    seeds: int
    folds: int
    inner_folds: int
    trials: int
    n_estimators: int
    max_rounds: int
    n_jobs: int


def contract_for(features: list[str]) -> DataContract:
    """Rebalance date as decision time; the 20-day excess return (fraction) as target."""
    return DataContract(
        time=TIME,
        target=TARGET,
        features=features,
        label_end=LABEL_END,
        entity=ENTITY,
        groups=GROUPS,
        target_units="fraction",
    )


def splitter(n_splits: int, frame: pd.DataFrame | None = None) -> WalkForward:
    """Expanding walk-forward over rebalance dates, purged by each row's 20-day window.

    A training row whose label window reaches the test block (``label_end >= t_lo``)
    is dropped: with one rebalance every 20 trading days that is the last rebalance
    before each test block, so training ends a full horizon before testing starts.
    Given ``frame``, times and label ends are Series (matched by label in nested use).
    """
    if frame is None:
        return WalkForward(n_splits, times=TIME, label_ends=LABEL_END)
    return WalkForward(n_splits, times=frame[TIME], label_ends=frame[LABEL_END])


def xgb(seed: int, settings: Settings) -> XGBRegressor:
    """A small, regularized XGBoost regressor of the 20-day excess return."""
    return XGBRegressor(
        n_estimators=settings.n_estimators,
        max_depth=3,
        learning_rate=0.05,
        subsample=0.8,
        colsample_bytree=0.8,
        min_child_weight=50,
        reg_lambda=5.0,
        tree_method="hist",
        max_bin=64,
        n_jobs=settings.n_jobs,
        random_state=seed,
    )


def weighter(name: str, contract: DataContract) -> AlphaPowerWeighter | None:
    """None (unweighted) or |excess|^1.5 weights, clipped and mean-normalized per fold."""
    if name == "unweighted":
        return None
    return AlphaPowerWeighter.from_contract(contract, power=1.5, clip=(0.1, 10.0)).normalized(
        "mean"
    )


def walk_forward(
    model: Any, frame: pd.DataFrame, features: list[str], settings: Settings, weights: Any = None
) -> WalkForwardResult:
    """One model walked forward; deciles formed within each rebalance date."""
    return evaluate_walk_forward(
        model,
        frame,
        features=features,
        target=TARGET,
        cv=splitter(settings.folds),
        sample_weight=weights,
        times=TIME,
        entities=ENTITY,
        n_buckets=N_BUCKETS,
        by="D",  # one rebalance per day: deciles within each date
        verbose=sys.stderr.isatty(),
    )


def run_variants(
    frame: pd.DataFrame, contract: DataContract, settings: Settings
) -> dict[tuple[str, int], WalkForwardResult]:
    """Walk-forward result of every (weighting, seed) pair on the same purged folds."""
    out: dict[tuple[str, int], WalkForwardResult] = {}
    for name in WEIGHTINGS:
        for seed in range(settings.seeds):
            res = walk_forward(
                xgb(seed, settings),
                frame,
                list(contract.features),
                settings,
                weighter(name, contract),
            )
            out[(name, seed)] = res
            print(
                f"  {name:<14} seed {seed}: top-bottom decile {100 * res.oos.spread:6.2f} %, "
                f"rank IC {res.oos.ic:.4f}",
                flush=True,
            )
    return out


def describe(result: BucketResult) -> dict[str, float]:
    """Top, bottom, spread, rank IC (pooled and per date) and long-short Sharpe of deciles."""
    spread = result.periods["spread"].dropna().to_numpy()
    return {
        "rows": float(result.n_rows),
        "top decile": result.top_bucket_return,
        "bottom decile": result.bottom_bucket_return,
        "top - bottom": result.spread,
        "rank IC": result.ic,
        "rank IC per date": result.ic_mean,
        "IC t-stat": result.ic_t_stat,
        "long-short Sharpe (ann.)": sharpe_ratio(spread, periods_per_year=PERIODS_PER_YEAR),
        "top-decile turnover": result.mean_turnover,
    }


def weighting_table(variants: dict[tuple[str, int], WalkForwardResult]) -> pd.DataFrame:
    """Per weighting, mean over seeds of the decile figures; seeds where it beats unweighted."""
    rows = [
        {"weighting": name, "seed": seed, **describe(res.oos)}
        for (name, seed), res in variants.items()
    ]
    long = pd.DataFrame(rows)
    base = long.loc[long["weighting"] == "unweighted"].set_index("seed")["top - bottom"]
    long["spread vs unweighted"] = long["top - bottom"] - long["seed"].map(base)
    grouped = long.drop(columns=["seed", "rows"]).groupby("weighting", sort=False)
    table = grouped.mean()
    table["seeds better"] = grouped["spread vs unweighted"].apply(lambda d: int((d > 0).sum()))
    table["spread sd over seeds"] = grouped["top - bottom"].std(ddof=1)
    table.attrs["n_seeds"] = int(long["seed"].nunique())
    return table


def oos_rows(frame: pd.DataFrame, result: WalkForwardResult) -> pd.DataFrame:
    """The rows the walk-forward tested, with the model's out-of-sample score."""
    tested = result.predictions.notna()
    return frame.loc[tested.to_numpy()].assign(score=result.predictions[tested])


def baseline_table(
    frame: pd.DataFrame, result: WalkForwardResult, n_random: int
) -> tuple[pd.DataFrame, dict[str, BucketResult]]:
    """Model vs single-feature rankers and random scores, deciles within each date.

    All on the model's out-of-sample rows. Random: the mean of ``n_random`` seeded
    draws of uniform scores (its spread is 0 up to noise; the per-draw sd is shown).
    """
    oos = oos_rows(frame, result)
    analyzer = BucketAnalyzer(n_buckets=N_BUCKETS, by="D")
    results: dict[str, BucketResult] = {"XGBoost (unweighted, seed 0)": result.oos}
    for name, column, sign in BASELINES:
        results[name] = analyzer.analyze(
            sign * oos[column], oos[TARGET], times=oos[TIME], entities=oos[ENTITY], data=oos
        )
    table = pd.DataFrame({name: describe(res) for name, res in results.items()}).T
    rng = np.random.default_rng(0)
    draws = pd.DataFrame(
        [
            describe(
                analyzer.analyze(
                    pd.Series(rng.uniform(size=len(oos)), index=oos.index),
                    oos[TARGET],
                    times=oos[TIME],
                    entities=oos[ENTITY],
                    data=oos,
                )
            )
            for _ in range(n_random)
        ]
    )
    table.loc[f"random scores (mean of {n_random})"] = draws.mean()
    table.attrs["random_spread_sd"] = float(draws["top - bottom"].std(ddof=1))
    return table, results


def pooled_baselines(frame: pd.DataFrame, result: WalkForwardResult) -> BaselineResult:
    """BaselineEvaluator on the pooled OOS rows: bootstrap CI and permutation p-value."""
    oos = oos_rows(frame, result)
    feats = pd.DataFrame({name: sign * oos[col] for name, col, sign in BASELINES})
    return BaselineEvaluator(
        n_buckets=N_BUCKETS, n_permutations=1000, n_bootstrap=1000, random_state=0
    ).evaluate(oos["score"], oos[TARGET], features=feats, times=oos[TIME])


def tune(frame: pd.DataFrame, features: list[str], settings: Settings) -> TuningResult:
    """A short XGBoost study on the earlier 70 % of dates; the later 30 % is its holdout.

    Trials are scored by the rank IC of each purged walk-forward fold (``label=None``:
    a regressor of the excess return); the holdout, purged by the 20-day windows, is
    scored once with the best parameters and never used to select.
    """
    train_at, test_at = time_train_test_split(
        frame, times=TIME, test_size=0.3, label_ends=LABEL_END
    )
    train, holdout = frame.iloc[train_at], frame.iloc[test_at]
    optimizer = XGBoostOptimizer(
        {**DEFAULT_XGBOOST_REGRESSION_SPACE, "max_bin": 64},
        cv=splitter(settings.inner_folds),
        metric="ic",
        n_trials=settings.trials,
        random_state=0,
        n_buckets=N_BUCKETS,
        max_rounds=settings.max_rounds,
        early_stopping_rounds=30,
        n_jobs=settings.n_jobs,
        verbose=False,
    )
    return optimizer.optimize(
        train,
        features=features,
        target=TARGET,
        times=TIME,
        label_ends=LABEL_END,
        label=None,
        holdout=holdout,
    )


def column_model(columns: list[str], seed: int, settings: Settings) -> Pipeline:
    """XGBoost on ``columns`` only (NaN passed through to XGBoost, never filled)."""
    return Pipeline(
        [
            ("columns", ColumnTransformer([("keep", "passthrough", columns)], remainder="drop")),
            ("xgb", xgb(seed, settings)),
        ]
    )


def stack(frame: pd.DataFrame, features: list[str], settings: Settings) -> EnsembleComparison:
    """A trend model and a risk model, stacked on out-of-fold predictions (RidgeCV).

    Nested: on each outer walk-forward fold the stack is refit on that fold's training
    rows and runs its own inner walk-forward there (times and label ends as Series).
    """
    model = TimeSeriesStackingRegressor(
        [
            ("trend", column_model(GROUPS["trend"], 0, settings)),
            ("risk", column_model(GROUPS["risk"], 0, settings)),
        ],
        cv=splitter(settings.inner_folds, frame),
        verbose=False,
    )
    return compare_to_base_models(
        model,
        frame,
        splitter(settings.folds),
        features=features,
        target=TARGET,
        entities=ENTITY,
        n_buckets=N_BUCKETS,
        by="D",  # one rebalance per day: deciles within each date
        baselines=False,
        verbose=False,
    )


def variant_returns(
    variants: dict[tuple[str, int], WalkForwardResult],
    baselines: dict[str, BucketResult],
    comparison: EnsembleComparison,
) -> tuple[pd.DataFrame, int]:
    """Rebalance dates x every variant tried: the top-minus-bottom decile return that date.

    Dates where some variant has no spread are dropped for all (counted), never filled.
    """
    columns = {
        f"xgb {name} / seed {seed}": r.oos.periods["spread"] for (name, seed), r in variants.items()
    }
    columns |= {
        name: r.periods["spread"] for name, r in baselines.items() if not name.startswith("XGBoost")
    }
    columns |= {f"stack: {k}": r.oos.periods["spread"] for k, r in comparison.results.items()}
    matrix = pd.DataFrame(columns).sort_index()
    complete = matrix.dropna(how="any")  # a common set of dates; the drop is counted
    return complete, int(len(matrix) - len(complete))


def overfitting_stats(matrix: pd.DataFrame) -> dict[str, Any]:
    """Best variant by Sharpe of its per-date spread; its PSR, DSR over all, and PBO."""
    sharpes = matrix.apply(lambda c: sharpe_ratio(c.to_numpy(), periods_per_year=None))
    best = str(sharpes.idxmax())
    returns = matrix[best].to_numpy()
    pbo = probability_of_backtest_overfitting(matrix, n_partitions=8, metric="sharpe")
    return {
        "n_dates": len(matrix),
        "n_trials": matrix.shape[1],
        "best_variant": best,
        "best_mean_spread": float(np.mean(returns)),
        "best_sharpe_annual": sharpe_ratio(returns, periods_per_year=PERIODS_PER_YEAR),
        "sharpe_range": (float(sharpes.min()), float(sharpes.max())),
        "psr_best": probabilistic_sharpe_ratio(returns),
        "dsr_best": deflated_sharpe_ratio(returns, trial_returns=matrix),
        "pbo": pbo.pbo,
        "pbo_probability_of_loss": pbo.probability_of_loss,
        "pbo_result": pbo,
    }
