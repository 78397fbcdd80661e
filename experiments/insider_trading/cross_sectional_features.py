"""Do market-regime features, or the top 20 features by mutual information, beat the baseline?

Migrated from the insider-trading research. Three feature sets for the same XGBoost
regressor of alpha on the same purged 70/30 time split: the baseline (the trade-level
groups: insider and technical on the synthetic market, every group but the market
regime on your frame), the baseline plus the market-regime group, and the 20 features
(of every group, noise included) of highest mutual information with ``alpha > 0``
measured on the training part only.

Date
----
2026-12-04

Context
-------
Insider-trade features describe the trade; market-regime features (volatility,
momentum, dispersion of the whole market) are the same for every trade of a day, so
they cannot rank one day's trades against each other — they can only tell the model
*when* the insider signal is stronger. On tr-core's synthetic market the insider
signal is planted stronger in stressed markets (docs/tr-core/synthetic-market.md), and
six or more pure-noise features sit beside 13 informative ones; the study runs on the
plain market (no planted lesson) with 12 noise features, so that a top-20 selection by
mutual information has something to drop. Every variant trains on its own complete rows
(``tr_core.nan.complete_rows_by_group``, one group per variant; nothing is filled), on
the earlier 70 % of trade dates (label windows that reach the test period purged), and
is scored on the later 30 %.

Hypothesis
----------
On the same out-of-sample rows, adding the market-regime group raises the top-decile
mean alpha and the rank IC over the baseline (mean over seeds), and the top 20 features
by mutual information (training part only) do at least as well as all features.

Baseline
--------
The baseline feature set (trade-level groups only), and all trades, on the
same test rows: the rows complete in every variant's columns (each variant is also
shown on its own complete test rows, beside all trades of those rows). Selection bias
across the three variants: deflated Sharpe ratio of the best one's monthly top-bucket
returns given three tried, and PBO over the variants (tr_evaluation.metrics.selection).

Results
-------
Written by the run, never here: per variant, the out-of-sample top-decile mean alpha,
rank IC and all trades on the common test rows and on its own rows (means over seeds),
the training rows each kept, the features the mutual information kept and dropped,
and the selection-bias reading. They go to the experiment store (``output/store``), to
``output/cross_sectional_features-results.md`` and
``output/cross_sectional_features-report.html``, all ignored by git.

Key insights
------------
Computed by the run: whether the regime group lifted the top bucket and IC over the
baseline, on how many seeds, whether the mutual-information selection kept the
informative features and dropped the noise, and whether the best variant survives the
number of variants tried.

References
----------
- docs/tr-core/synthetic-market.md (the market's truth: groups, noise, regime effect)
- docs/tr-feature-selection/feature-groups.md (one model per group, own complete rows)
- tr_feature_selection.mutual_information (binned, Miller–Madow corrected)
- Bailey & López de Prado (2014), The deflated Sharpe ratio
- Bailey, Borwein, López de Prado & Zhu (2015), The probability of backtest overfitting
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _study

from tr_core.contract import DataContract
from tr_core.nan import complete_rows, complete_rows_by_group
from tr_evaluation.metrics.selection import SelectionBias
from tr_feature_selection import mutual_information

NAME = "insider-cross-sectional-features"
TAGS = ("insider_trading", "migrated", "features")
FULL = (10, 50_000)  # seeds, trades
QUICK = (3, 30_000)
TREES = 200
N_NOISE = 12
TOP_K = 20
VARIANTS = ("baseline", "+ market regime", f"top-{TOP_K} by MI")


def main(argv: list[str] | None = None) -> int:
    """Run the comparison, print and record its numbers; return the exit status."""
    kept: dict[int, dict[str, Any]] = {}

    def run(
        frame: pd.DataFrame, contract: DataContract, seed: int, args: argparse.Namespace
    ) -> dict[str, dict[str, _study.Scored]]:
        on_common, on_own, kept[seed] = run_variants(frame, contract, seed, args)
        return {"common rows": on_common, "own rows": on_own}

    return _study.compare_variants(
        argv,
        doc=__doc__ or "",
        file=__file__,
        name=NAME,
        tags=TAGS,
        full=FULL,
        quick=QUICK,
        variants=VARIANTS,
        settings={"": {"n_noise": N_NOISE}},
        synthetic_source=lambda args: (
            f"plain synthetic insider-trading market with {N_NOISE} noise features, "
            f"{args.n_trades:,} trades, seeds 0..{args.seeds - 1}"
        ),
        run=run,
        conclude=lambda args, source, results, tables, selections: conclude(
            args, source, results["common rows"], tables, selections["common rows"], kept
        ),
        user_setting="",
        select=["common rows"],
        add_arguments=add_arguments,
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This study's options: which contract groups are the regime and the baseline."""
    parser.add_argument(
        "--regime-group",
        default="market",
        help="the contract group of market-regime features (default: market)",
    )
    parser.add_argument(
        "--baseline-groups",
        default=None,
        help="comma-separated contract groups of the baseline (default: insider,technical "
        "on the synthetic market, every group but the regime group on your frame)",
    )


def conclude(
    args: argparse.Namespace,
    source: str,
    common: dict[int, dict[str, _study.Scored]],
    tables: dict[str, pd.DataFrame],
    selection: tuple[str, SelectionBias],
    kept: dict[int, dict[str, Any]],
) -> _study.Conclusion:
    """Parameters, metrics, Results text, Key insights and the MI ranking of the run."""
    selected = pd.DataFrame(
        [
            {"seed": s, "feature": f, "mi_rank": i + 1}
            for s, k in kept.items()
            for i, f in enumerate(k["mi_order"])
        ]
    )
    return _study.Conclusion(
        params={
            "source": source,
            "seeds": args.seeds,
            "n_trades": args.n_trades,
            "quick": args.quick,
            "regime_group": args.regime_group,
            "model": f"XGBRegressor({_study.MODEL_PARAMS}, n_estimators={TREES})",
            "split": "time_train_test_split(test_size=0.3, label_ends purged)",
            "mutual_information": "binned, target alpha > 0, training part only",
            "n_buckets": _study.N_BUCKETS,
        },
        metrics=collect_metrics(common, tables, selection[1], kept),
        results=results_text(args, source, common, tables, selection, kept),
        insights=key_insights(common, tables, selection, kept),
        tables={"mi_ranking": selected},
    )


def feature_sets(
    train: pd.DataFrame, contract: DataContract, args: argparse.Namespace
) -> tuple[dict[str, list[str]], list[str]]:
    """The three variants' columns, and every feature ranked by MI on the training rows."""
    groups = dict(contract.groups)
    regime_group = args.regime_group
    baseline_groups = args.baseline_groups
    if baseline_groups is None and args.data is None:
        baseline_groups = "insider,technical"
    if baseline_groups is None:
        chosen = [g for g in groups if g != regime_group]
    else:
        chosen = [g.strip() for g in baseline_groups.split(",") if g.strip()]
    unknown = [g for g in [regime_group, *chosen] if g not in groups]
    if unknown:
        raise SystemExit(
            f"the contract has no group(s) {unknown} (groups: {sorted(groups)}); "
            "pass --regime-group / --baseline-groups"
        )
    features = list(contract.features)
    baseline = [f for g in chosen for f in groups[g] if f not in groups[regime_group]]
    # measured on the training part only: the test rows never choose the features
    mi = mutual_information(train[features], train[contract.target] > 0)
    order = [str(f) for f in mi.index]
    sets = {
        "baseline": baseline,
        "+ market regime": [*baseline, *groups[regime_group]],
        f"top-{TOP_K} by MI": order[:TOP_K],
    }
    return sets, order


def run_variants(
    frame: pd.DataFrame, contract: DataContract, seed: int, args: argparse.Namespace
) -> tuple[dict[str, _study.Scored], dict[str, _study.Scored], dict[str, Any]]:
    """Each variant on its own complete training rows; scored on the common and own test rows.

    The common test rows are those complete in the union of every variant's columns:
    every variant can score each of them with nothing filled, so the three are judged
    on identical rows (and the all-trades baseline is the same for all three).
    """
    split = _study.purged_split(frame, contract)
    train, test = split.train, split.test
    sets, order = feature_sets(train, contract, args)
    fitted = complete_rows_by_group(train, sets, always=[contract.target])
    union = list(dict.fromkeys(f for cols in sets.values() for f in cols))
    common_test, _ = complete_rows(test, union)
    on_common, on_own, n_train = {}, {}, {}
    for name, cols in sets.items():
        rows, _audit = fitted[name]
        n_train[name] = len(rows)
        model = _study.regressor(seed, TREES, args.n_jobs).fit(rows[cols], rows[contract.target])
        own_test, _ = complete_rows(test, cols)
        own_scores = pd.Series(model.predict(own_test[cols]), index=own_test.index)
        on_own[name] = _study.score(own_scores, own_test, contract, seed)
        on_common[name] = _study.score(
            own_scores.loc[common_test.index], common_test, contract, seed
        )
    kept = {"mi_order": order, "n_train": n_train, "features": sets}
    return on_common, on_own, kept


def noise_kept(kept: dict[int, dict[str, Any]]) -> tuple[float, float]:
    """Mean count of ``noise_*`` features among the top-K, and among those left out."""
    inside = [sum(f.startswith("noise_") for f in k["mi_order"][:TOP_K]) for k in kept.values()]
    outside = [sum(f.startswith("noise_") for f in k["mi_order"][TOP_K:]) for k in kept.values()]
    return float(np.mean(inside)), float(np.mean(outside))


def collect_metrics(
    common: dict[int, dict[str, _study.Scored]],
    tables: dict[str, pd.DataFrame],
    bias: SelectionBias,
    kept: dict[int, dict[str, Any]],
) -> dict[str, float]:
    """Stable metric names: ``<rows>.<variant>.<figure>`` and the headline gaps."""
    metrics: dict[str, float] = {}
    for rows, table in tables.items():
        columns = ("top_bucket", "ic", "all_trades", "lift", "n_rows")
        metrics.update(_study.variant_metrics(_study.slug(rows), table, columns))
    for other in VARIANTS[1:]:
        prefix = f"common_rows.{_study.slug(other)}_minus_baseline"
        metrics.update(_study.gap_metrics(prefix, common, other, "baseline", min_seed=False))
    for name in VARIANTS:
        metrics[f"train_rows.{_study.slug(name)}"] = float(
            np.mean([k["n_train"][name] for k in kept.values()])
        )
    inside, outside = noise_kept(kept)
    metrics[f"mi.noise_in_top_{TOP_K}"] = inside
    metrics["mi.noise_left_out"] = outside
    metrics.update(_study.selection_metrics("common_rows", bias))
    return metrics


def results_text(
    args: argparse.Namespace,
    source: str,
    common: dict[int, dict[str, _study.Scored]],
    tables: dict[str, pd.DataFrame],
    selection: tuple[str, SelectionBias],
    kept: dict[int, dict[str, Any]],
) -> str:
    """The Results section, generated from the run (markdown)."""
    first = next(iter(kept.values()))
    left_out = first["mi_order"][TOP_K:]
    train_rows = pd.DataFrame(
        {n: [np.mean([k["n_train"][n] for k in kept.values()])] for n in VARIANTS},
        index=["training rows kept (mean)"],
    ).T
    train_rows.index.name = "variant"
    per_seed = pd.DataFrame(
        {
            f"{other} minus baseline": {
                f"seed {seed}": f"{_study.gap(v, other, 'baseline', 'top_bucket'):+.2%} / "
                f"{_study.gap(v, other, 'baseline', 'ic'):+.3f}"
                for seed, v in common.items()
            }
            for other in VARIANTS[1:]
        }
    )
    per_seed.index.name = "seed"
    lines = [
        f"Out of sample on {source}: earlier 70 % of trade dates train (label windows "
        f"purged), later 30 % test; XGBoost regressor of alpha, top bucket of "
        f"{_study.N_BUCKETS}, means over seeds. 'common rows': the test rows complete in "
        "every variant's columns, the same rows for all three; 'own rows': each variant's "
        "own complete test rows; 'all trades' is the mean alpha of the rows judged.",
        "",
        _study.settings_markdown(tables, VARIANTS),
        "",
        _study.markdown_table(train_rows, {"training rows kept (mean)": ",.0f"}),
        "",
        "On the common rows, per seed (top bucket / rank IC):",
        "",
        _study.markdown_table(per_seed),
        "",
        f"Mutual information (training part of seed {next(iter(kept))}) left out: "
        f"{', '.join(left_out) if left_out else 'nothing'}.",
        "",
        f"Selection bias across the variants: {_study.selection_line('common rows', *selection)}",
        "",
        f"Command: `{args.command}`",
    ]
    return "\n".join(lines)


def key_insights(
    common: dict[int, dict[str, _study.Scored]],
    tables: dict[str, pd.DataFrame],
    selection: tuple[str, SelectionBias],
    kept: dict[int, dict[str, Any]],
) -> list[str]:
    """The Key insights, each a rule applied to the run's numbers (never typed in)."""
    regime = "+ market regime"
    top = float(np.mean([_study.gap(v, regime, "baseline", "top_bucket") for v in common.values()]))
    ic = float(np.mean([_study.gap(v, regime, "baseline", "ic") for v in common.values()]))
    wins = sum(_study.gap(v, regime, "baseline", "top_bucket") > 0 for v in common.values())
    verdict = "lifted" if top > 0 and ic > 0 else "did not clearly lift"
    insights = [
        f"the market-regime group {verdict} the baseline on the common test rows: "
        f"{top:+.2%} top bucket, {ic:+.3f} IC ({wins}/{len(common)} seeds better)"
    ]
    mi_name = VARIANTS[2]
    mi_top = float(np.mean([_study.gap(v, mi_name, regime, "top_bucket") for v in common.values()]))
    insights.append(
        f"top-{TOP_K} by MI minus all features: {mi_top:+.2%} top bucket on the common rows"
    )
    inside, outside = noise_kept(kept)
    if inside + outside > 0:
        reading = "it finds the noise" if outside >= inside else "noise survives it"
        insights.append(
            f"the MI selection kept {inside:.1f} and left out {outside:.1f} of the noise "
            f"features on average ({reading})"
        )
    common_table = tables["common rows"]
    insights.append(
        f"all trades of the common rows earn {common_table['all_trades'].iloc[0]:.2%}; "
        f"every variant's top bucket beats them by {common_table['lift'].min():+.2%} to "
        f"{common_table['lift'].max():+.2%}"
    )
    insights.append(_study.selection_line("common rows", *selection))
    return insights


if __name__ == "__main__":
    raise SystemExit(main())
