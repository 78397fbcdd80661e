"""Walk-forward variants (weighting x seed), baselines and overfitting statistics."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pandas as pd

from tr_core.contract import DataContract
from tr_core.splits import WalkForward
from tr_evaluation.baselines import BaselineEvaluator, BaselineResult
from tr_evaluation.metrics import (
    deflated_sharpe_ratio,
    probabilistic_sharpe_ratio,
    probability_of_backtest_overfitting,
    sharpe_ratio,
)
from tr_evaluation.walk_forward import WalkForwardResult, evaluate_walk_forward
from tr_sample_weighting import AlphaPowerWeighter, MagnitudeWeighter, SampleWeighter

N_BUCKETS = 10
WEIGHTINGS = ("unweighted", "alpha power |α|^1.5", "magnitude |α|")
BASELINE_FEATURES = (
    "low_price",
    "log_value",
    "own_change_pct",
    "prior_purchases_90d",
    "filing_lag_days",
)


def weighter(name: str, contract: DataContract) -> SampleWeighter | None:
    """The training weighting called ``name`` (None = unweighted), scale from the contract."""
    if name == "unweighted":
        return None
    if name == "alpha power |α|^1.5":
        return AlphaPowerWeighter.from_contract(contract, power=1.5, clip=(0.1, 10.0)).normalized(
            "mean"
        )
    return MagnitudeWeighter.from_contract(contract, clip=(0.1, 10.0)).normalized("mean")


def make_model(seed: int, n_jobs: int) -> Any:
    """A small, regularized, seeded XGBoost regressor (5k noisy rows: shallow trees)."""
    from xgboost import XGBRegressor

    return XGBRegressor(
        n_estimators=200,
        max_depth=3,
        learning_rate=0.03,
        subsample=0.7,
        colsample_bytree=0.7,
        min_child_weight=20,
        reg_lambda=5.0,
        tree_method="hist",
        n_jobs=n_jobs,
        random_state=seed,
    )


def run_variants(
    frame: pd.DataFrame, contract: DataContract, n_seeds: int, n_folds: int, n_jobs: int
) -> dict[tuple[str, int], WalkForwardResult]:
    """Walk-forward result of every (weighting, seed) pair on the same purged folds."""
    splitter = WalkForward(n_folds, times=contract.time, label_ends=contract.label_end)
    out: dict[tuple[str, int], WalkForwardResult] = {}
    for name in WEIGHTINGS:
        for seed in range(n_seeds):
            out[(name, seed)] = evaluate_walk_forward(
                lambda seed=seed: make_model(seed, n_jobs),
                frame,
                features=list(contract.features),
                target=contract.target,
                cv=splitter,
                sample_weight=weighter(name, contract),
                times=contract.time,
                entities=contract.entity,
                n_buckets=N_BUCKETS,
                verbose=sys.stderr.isatty(),
            )
            top = out[(name, seed)].oos.top_bucket_return
            print(f"  {name:<22} seed {seed}: OOS top-decile alpha {100 * top:6.2f} %", flush=True)
    return out


def weighting_table(variants: dict[tuple[str, int], WalkForwardResult]) -> pd.DataFrame:
    """Per weighting, over seeds: top-decile alpha, IC, spread, overfit gap, seeds better."""
    rows = []
    for (name, seed), res in variants.items():
        top_row = res.oos.table.iloc[-1]
        rows.append(
            {
                "weighting": name,
                "seed": seed,
                "top": res.oos.top_bucket_return,
                "top_median": top_row["median"],
                "top_win": top_row["win_rate"],
                "spread": res.oos.spread,
                "ic": res.oos.ic,
                "gap_top": res.overfit_gap["top_bucket_return"],
                "gap_ic": res.overfit_gap["ic"],
            }
        )
    long = pd.DataFrame(rows)
    base = long.loc[long["weighting"] == "unweighted"].set_index("seed")["top"]
    long["vs_unweighted"] = long["top"] - long["seed"].map(base)
    grouped = long.groupby("weighting", sort=False)
    table = pd.DataFrame(
        {
            "top decile alpha, mean": grouped["top"].mean(),
            "sd over seeds": grouped["top"].std(ddof=1),
            "vs unweighted, mean": grouped["vs_unweighted"].mean(),
            "seeds better": grouped["vs_unweighted"].apply(lambda d: int((d > 0).sum())),
            "top decile median": grouped["top_median"].mean(),
            "top decile win rate": grouped["top_win"].mean(),
            "spread (top - bottom)": grouped["spread"].mean(),
            "rank IC": grouped["ic"].mean(),
            "overfit gap, top": grouped["gap_top"].mean(),
            "overfit gap, IC": grouped["gap_ic"].mean(),
        }
    )
    table.attrs["n_seeds"] = int(long["seed"].nunique())
    return table


def top_decile_profile(
    frame: pd.DataFrame, result: WalkForwardResult, columns: tuple[str, ...]
) -> pd.DataFrame:
    """Medians of ``columns`` in the OOS top decile vs all OOS purchases: what the model picks."""
    tested = result.predictions.notna().to_numpy()
    oos = frame.loc[tested, list(columns)]
    top = result.oos.buckets == N_BUCKETS - 1
    return pd.DataFrame(
        {"top decile (median)": oos.loc[top].median(), "all OOS purchases (median)": oos.median()}
    )


def baselines(
    frame: pd.DataFrame, contract: DataContract, result: WalkForwardResult
) -> BaselineResult:
    """The model's OOS top decile vs all trades, random scores and single-feature rankers.

    ``low_price`` (minus the log trade price) ranks the cheapest stocks first: the
    "buy penny stocks" ranker the model has to beat to show more than a price tilt.
    """
    tested = result.predictions.notna().to_numpy()
    oos = frame.loc[tested].assign(low_price=-frame.loc[tested, "log_trade_price"])
    return BaselineEvaluator(
        n_buckets=N_BUCKETS, n_permutations=2000, n_bootstrap=2000, random_state=0
    ).evaluate(
        result.predictions[tested],
        oos[contract.target],
        features=oos[list(BASELINE_FEATURES)],
        times=oos[contract.time],
    )


def monthly_top_returns(
    frame: pd.DataFrame, contract: DataContract, variants: dict[tuple[str, int], WalkForwardResult]
) -> tuple[pd.DataFrame, int]:
    """Months x variants: mean alpha of the OOS top-decile purchases filed that month.

    Months in which some variant has no top-decile purchase are dropped (and
    counted), never filled: a common set of periods is needed to compare variants.
    """
    columns = {}
    for (name, seed), res in variants.items():
        tested = res.predictions.notna().to_numpy()
        oos = frame.loc[tested]
        top = res.oos.buckets == N_BUCKETS - 1
        month = oos[contract.time].dt.to_period("M")
        columns[f"{name} / seed {seed}"] = oos.loc[top, contract.target].groupby(month[top]).mean()
    matrix = pd.DataFrame(columns).sort_index()
    complete = matrix.dropna()
    return complete, int(len(matrix) - len(complete))


def overfitting_stats(monthly: pd.DataFrame) -> dict[str, Any]:
    """Best variant by monthly Sharpe, its PSR and DSR over all trials, and the PBO (CSCV)."""
    sharpes = monthly.apply(lambda c: sharpe_ratio(c.to_numpy(), periods_per_year=None))
    best = str(sharpes.idxmax())
    returns = monthly[best].to_numpy()
    pbo = probability_of_backtest_overfitting(monthly, n_partitions=8, metric="sharpe")
    return {
        "n_months": len(monthly),
        "n_trials": monthly.shape[1],
        "best_variant": best,
        "best_mean_monthly_alpha": float(np.mean(returns)),
        "best_sharpe_monthly": float(sharpes[best]),
        "sharpe_range": (float(sharpes.min()), float(sharpes.max())),
        "psr_best": probabilistic_sharpe_ratio(returns),
        "dsr_best": deflated_sharpe_ratio(returns, trial_returns=monthly),
        "pbo": pbo.pbo,
        "pbo_probability_of_loss": pbo.probability_of_loss,
        "pbo_result": pbo,
    }
