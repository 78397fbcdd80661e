"""Does stacking an insider model and a technical model beat both, and does a regime-aware
meta-learner beat plain stacking, on a market whose regime effect is known?

tr-core's synthetic insider-trade market plants a regime effect: every insider
feature's weight on alpha is multiplied by 0.6 in calm and 1.8 in stressed
markets (stressed: ``mkt_volatility`` above the truth's threshold), and
``tech_momentum``'s effect flips sign when stressed. On the earlier 70 % of trade
dates (label windows reaching the later 30 % purged) we fit

(a) an XGBoost classifier that sees only the insider features;
(b) one that sees only the technical and market-regime features;
(c) ``TimeSeriesStackingClassifier`` of (a) and (b), plain logistic meta-learner;
(d) the same with ``meta_features`` = the three market-regime columns (the
    meta-learner weights each base model by regime);
(e) for reference, one XGBoost classifier on every feature;

and score all of them on the same later 30 % (``y = alpha > 0``): AUC (all test
rows, calm rows, stressed rows) and the mean realized alpha of the top bucket of
20 by predicted probability. The stackers' inner cross-validation is a tr-core
``WalkForward`` carrying the trades' times and label ends as Series, matched to
the training rows by index label.

Run from the repository root::

    python3 -m nox -s experiment -- experiments/ensemble_stacking/run.py
    .venv/bin/python experiments/ensemble_stacking/run.py --seeds 3      # dev venv

It prints the headline table for the first market (seed 0), the stackers'
meta-learner weights, and a summary over ``--seeds`` markets; it writes the same
under ``experiments/ensemble_stacking/output/`` (gitignored) and nothing else.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline
from xgboost import XGBClassifier

from tr_core.splits import WalkForward, time_train_test_split
from tr_core.synthetic import make_insider_trades
from tr_ensemble.stacking import TimeSeriesStackingClassifier
from tr_evaluation import BucketAnalyzer

HERE = Path(__file__).resolve().parent
OUT = HERE / "output"
DEFAULT_TRADES = 60_000
DEFAULT_SEEDS = 10
DEFAULT_INNER_SPLITS = 5
N_BUCKETS = 20
TEST_SIZE = 0.3
MODELS = ("(a) insider", "(b) technical+market", "(c) stack", "(d) stack, regime-aware")
REFERENCE = "(e) one model, all features"


def column_model(columns: list[str], seed: int, n_jobs: int) -> Pipeline:
    """XGBoost on ``columns`` only (NaN passed through: XGBoost learns where it goes)."""
    return Pipeline(
        [
            ("columns", ColumnTransformer([("keep", "passthrough", columns)], remainder="drop")),
            (
                "xgb",
                XGBClassifier(
                    n_estimators=200,
                    max_depth=3,
                    learning_rate=0.05,
                    subsample=0.8,
                    colsample_bytree=0.8,
                    random_state=seed,
                    n_jobs=n_jobs,
                ),
            ),
        ]
    )


@dataclass(frozen=True)
class MarketResult:
    """One market's out-of-sample figures and what the stackers learned."""

    metrics: pd.DataFrame
    plain_weights: pd.DataFrame
    regime_weights: pd.DataFrame
    n_meta_rows: int
    n_train: int
    n_test: int
    n_dropped: int
    stressed_share_test: float
    threshold: float


def one_market(seed: int, n_trades: int, inner_splits: int, n_jobs: int) -> MarketResult:
    """Fit (a)-(e) on the earlier 70 % of one market and score them on the later 30 %."""
    market = make_insider_trades(n_trades, random_state=seed)
    groups = market.truth.groups
    regime = list(groups["market"])
    insider = list(groups["insider"])
    technical = [*groups["technical"], *regime]
    everything = list(market.contract.features)
    # The regime columns are NaN while their trailing windows fill (the first 63 business
    # days); a meta-learner needs them known at every decision, so those trades are left
    # out of the study for every model (never filled).
    frame = market.frame.loc[market.frame[regime].notna().all(axis=1)]
    n_dropped = len(market.frame) - len(frame)
    train_at, test_at = time_train_test_split(
        frame, times="trade_date", test_size=TEST_SIZE, label_ends="label_end"
    )
    train, test = frame.iloc[train_at], frame.iloc[test_at]
    y_train = (train["alpha"] > 0).astype(np.int64)
    y_test = (test["alpha"] > 0).to_numpy(dtype=np.int64)
    # Times and label ends of every row, as Series: the stacker matches them to the
    # training rows it is given by index label.
    inner = WalkForward(inner_splits, times=frame["trade_date"], label_ends=frame["label_end"])

    def base() -> list[tuple[str, Pipeline]]:
        return [
            ("insider", column_model(insider, seed, n_jobs)),
            ("technical", column_model(technical, seed, n_jobs)),
        ]

    plain = TimeSeriesStackingClassifier(base(), cv=inner, verbose=False)
    regime_aware = TimeSeriesStackingClassifier(
        base(), cv=inner, meta_features=regime, verbose=False
    )
    models = {
        MODELS[0]: column_model(insider, seed, n_jobs),
        MODELS[1]: column_model(technical, seed, n_jobs),
        MODELS[2]: plain,
        MODELS[3]: regime_aware,
        REFERENCE: column_model(everything, seed, n_jobs),
    }
    threshold = market.truth.regime.threshold
    stressed = (test["mkt_volatility"] > threshold).to_numpy()
    realized = test["alpha"].to_numpy()
    rows = {}
    for name, model in models.items():
        model.fit(train, y_train)
        score = model.predict_proba(test)[:, 1]
        buckets = BucketAnalyzer(n_buckets=N_BUCKETS).analyze(score, realized)
        top = buckets.buckets == N_BUCKETS - 1
        rows[name] = {
            "AUC": roc_auc_score(y_test, score),
            "AUC calm": roc_auc_score(y_test[~stressed], score[~stressed]),
            "AUC stressed": roc_auc_score(y_test[stressed], score[stressed]),
            "top-bucket alpha": buckets.top_bucket_return,
            "top-bucket stressed share": float(stressed[top].mean()),
        }
    metrics = pd.DataFrame.from_dict(rows, orient="index")
    metrics.index.name = "model"
    return MarketResult(
        metrics=metrics,
        plain_weights=plain.meta_learner_weights(),
        regime_weights=regime_aware.meta_learner_weights(),
        n_meta_rows=regime_aware.n_meta_rows_,
        n_train=len(train),
        n_test=len(test),
        n_dropped=n_dropped,
        stressed_share_test=float(stressed.mean()),
        threshold=float(threshold),
    )


def metrics_table(metrics: pd.DataFrame) -> str:
    """Markdown table of one market's figures (AUC to 4 places, alpha in percent)."""
    lines = [
        "| model | AUC | AUC calm | AUC stressed | top-bucket alpha "
        "| stressed share of top bucket |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in metrics.iterrows():
        lines.append(
            f"| {name} | {row['AUC']:.4f} | {row['AUC calm']:.4f} | {row['AUC stressed']:.4f} "
            f"| {100 * row['top-bucket alpha']:.2f} % "
            f"| {100 * row['top-bucket stressed share']:.1f} % |"
        )
    return "\n".join(lines)


def weights_table(weights: pd.DataFrame) -> str:
    """Markdown table of a meta-learner's weights (and their slopes per regime sd)."""
    columns = list(weights.columns)
    lines = [
        "| base model | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, row in weights.iterrows():
        lines.append(f"| {name} | " + " | ".join(f"{row[c]:+.3f}" for c in columns) + " |")
    return "\n".join(lines)


# metric: (column header, multiplier, decimals, unit)
SUMMARY = {
    "AUC": ("AUC", 1.0, 4, ""),
    "AUC stressed": ("AUC stressed", 1.0, 4, ""),
    "top-bucket alpha": ("top-bucket alpha", 100.0, 2, " %"),
    "top-bucket stressed share": ("stressed share of top bucket", 100.0, 1, " %"),
}


def summary_table(per_seed: pd.DataFrame) -> str:
    """Mean ± sd over markets and how often each comparison of the hypothesis holds."""
    headers = [h for h, _, _, _ in SUMMARY.values()]
    lines = [
        "| model | " + " | ".join(f"{h}, mean ± sd" for h in headers) + " |",
        "|---|" + "---|" * len(headers),
    ]
    for name in [*MODELS, REFERENCE]:
        m = per_seed.xs(name, level="model")
        cells = [
            f"{k * m[col].mean():.{dp}f}{unit} ± {k * m[col].std(ddof=1):.{dp}f}"
            for col, (_, k, dp, unit) in SUMMARY.items()
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    a, b, c, d = (per_seed.xs(name, level="model") for name in MODELS)
    n = len(a)
    lines += [
        "",
        "Markets where the comparison holds, and the mean ± sd gap (pp for the percentages):",
        "",
        "| comparison | " + " | ".join(headers) + " |",
        "|---|" + "---|" * len(headers),
    ]
    for label in ("(c) > (a) and (c) > (b)", "(d) > (c)"):
        cells = []
        for col, (_, k, dp, _) in SUMMARY.items():
            if label.startswith("(c)") and col == "top-bucket stressed share":
                cells.append("–")  # a mechanism of (d), not a score
                continue
            if label.startswith("(c)"):
                wins = (c[col] > a[col]) & (c[col] > b[col])
                gap = c[col] - np.maximum(a[col], b[col])
            else:
                wins = d[col] > c[col]
                gap = d[col] - c[col]
            cells.append(
                f"{int(wins.sum())}/{n} ({k * gap.mean():+.{dp}f} ± {k * gap.std(ddof=1):.{dp}f})"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-trades", type=int, default=DEFAULT_TRADES, help="trades per market")
    parser.add_argument(
        "--seeds", type=int, default=DEFAULT_SEEDS, help="markets for the summary (seeds 0, 1, ...)"
    )
    parser.add_argument(
        "--inner-splits",
        type=int,
        default=DEFAULT_INNER_SPLITS,
        help="walk-forward splits of the stackers' inner cross-validation",
    )
    parser.add_argument("--n-jobs", type=int, default=1, help="XGBoost threads")
    args = parser.parse_args(argv)
    results: dict[int, MarketResult] = {}
    for seed in range(max(args.seeds, 1)):
        start = time.perf_counter()
        results[seed] = one_market(seed, args.n_trades, args.inner_splits, args.n_jobs)
        m = results[seed].metrics
        shown = ", ".join(
            f"{name[:3]} AUC {row['AUC']:.4f} top {100 * row['top-bucket alpha']:.2f} %"
            for name, row in m.iterrows()
        )
        print(f"seed {seed} ({time.perf_counter() - start:.0f} s): {shown}", flush=True)

    first = results[0]
    command = "python3 -m nox -s experiment -- experiments/ensemble_stacking/run.py"
    defaults = (DEFAULT_TRADES, DEFAULT_SEEDS, DEFAULT_INNER_SPLITS)
    if (args.n_trades, args.seeds, args.inner_splits) != defaults:
        command += (
            f" --n-trades {args.n_trades} --seeds {args.seeds} --inner-splits {args.inner_splits}"
        )
    text = [
        f"## Market seed 0: `make_insider_trades({args.n_trades:_}, random_state=0)`",
        "",
        f"{first.n_train:,} training trades (earlier {100 * (1 - TEST_SIZE):.0f} % of dates, "
        f"purged), {first.n_test:,} test trades ({100 * first.stressed_share_test:.0f} % "
        f"stressed: mkt_volatility > {first.threshold:.2f}); {first.n_dropped:,} trades "
        "before the regime columns exist left out. Stackers: inner "
        f"`WalkForward({args.inner_splits})`, meta-learner fitted on "
        f"{first.n_meta_rows:,} out-of-fold rows (`n_meta_rows_`).",
        "",
        metrics_table(first.metrics),
        "",
        "Plain meta-learner, `meta_learner_weights()`:",
        "",
        weights_table(first.plain_weights),
        "",
        "Regime-aware meta-learner, `meta_learner_weights()` (weight at the average regime, "
        "and its change per standard deviation of each regime feature):",
        "",
        weights_table(first.regime_weights),
    ]
    if len(results) > 1:
        per_seed = pd.concat({s: r.metrics for s, r in results.items()}, names=["seed", "model"])
        slopes = pd.DataFrame({s: r.regime_weights["mkt_volatility"] for s, r in results.items()}).T
        text += [
            "",
            f"## {len(results)} markets (seeds 0–{len(results) - 1}), same protocol",
            "",
            summary_table(per_seed),
            "",
            "Slope of each base model's meta-learner weight per sd of mkt_volatility "
            f"(regime-aware stacker): insider {slopes['insider'].mean():+.3f} ± "
            f"{slopes['insider'].std(ddof=1):.3f} (positive in "
            f"{int((slopes['insider'] > 0).sum())}/{len(slopes)}), technical "
            f"{slopes['technical'].mean():+.3f} ± {slopes['technical'].std(ddof=1):.3f} "
            f"(negative in {int((slopes['technical'] < 0).sum())}/{len(slopes)}).",
        ]
        OUT.mkdir(exist_ok=True)
        per_seed.to_csv(OUT / "per_seed.csv")
        slopes.to_csv(OUT / "volatility_slopes.csv")
    text += ["", f"Reproduce: `{command}`", ""]
    report = "\n".join(text)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.md").write_text(report)
    print("\n" + report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
