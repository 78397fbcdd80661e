"""Train the insider-trading strategy's production model on CEO open-market purchases.

Reads the public OpenInsider file ``insider_ceo_purchases_2012_2021.csv.gz``,
cleans it loudly (every dropped row counted by reason; 0.0 forward prices are
missing, never a return), builds features known at the filing date, estimates
the out-of-sample quality walk-forward (purged by label window, embargoed),
then fits the production model on every labelled row. Target: the raw 3-month
return from the trade-date price, as a fraction (not an excess return).

Uses only the pinned toolkit (tr-core, tr-sample-weighting, tr-evaluation),
numpy, pandas and scikit-learn.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

from tr_core.contract import DataContract
from tr_core.errors import TrError
from tr_core.splits import WalkForward
from tr_evaluation.walk_forward import evaluate_walk_forward
from tr_sample_weighting import AlphaPowerWeighter

DATA_FILE = "insider_ceo_purchases_2012_2021.csv.gz"
TOOLKIT = ("tr-core", "tr-sample-weighting", "tr-evaluation")
INT32_MAX = 2_147_483_647
GROUPS = {
    "trade": ["log_value", "log_qty", "log_trade_price", "own_change_pct", "new_position"],
    "timing": ["filing_lag_days", "prior_purchases_90d"],
    "title": ["is_chairman", "is_president", "is_ten_pct_owner", "is_director"],
}
FEATURES = [f for group in GROUPS.values() for f in group]
TITLES = {
    "is_chairman": r"\bCOB\b|Chair",
    "is_president": r"\bPres",
    "is_ten_pct_owner": r"10%",
    "is_director": r"\bDir\b",
}
N_BUCKETS = 10
REQUIRED = ("idx", "Filing_Date", "Trade_Date", "Ticker", "Title", "Price", "Qty", "Value", "ΔOwn")


def load(path: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """Cleaned purchases with target ``ret_3m`` (fraction); rows dropped, by reason."""
    raw = pd.read_csv(path)
    missing = [c for c in (*REQUIRED, "3m", "3m%") if c not in raw.columns]
    if missing:
        raise ValueError(f"columns {missing} are missing (has {list(raw.columns)[:8]} ...)")
    dropped: dict[str, int] = {}
    frame = raw.drop_duplicates(subset=[c for c in raw.columns if c != "idx"]).copy()
    dropped["exact duplicate rows"] = len(raw) - len(frame)
    frame["filing_date"] = pd.to_datetime(frame["Filing_Date"], format="%Y-%m-%d")
    frame["trade_date"] = pd.to_datetime(frame["Trade_Date"], format="%Y-%m-%d")
    frame["label_end"] = frame["trade_date"] + pd.DateOffset(months=3)
    # 0.0 codes a missing price: the return is missing (NaN), never 0 %.
    bad_base = ~(frame["Price"] > 0)
    no_forward = ~bad_base & frame["3m"].eq(0.0)
    frame["ret_3m"] = (frame["3m%"] / 100.0).where(~bad_base & ~no_forward)
    other = ~bad_base & ~no_forward & ~np.isfinite(frame["ret_3m"])
    stale = frame["label_end"] < frame["filing_date"]
    dropped["base Price 0.0/negative/NaN (no return)"] = int(bad_base.sum())
    dropped["3m forward price coded 0.0 (missing)"] = int(no_forward.sum())
    dropped["3m forward price/return NaN (missing)"] = int(other.sum())
    dropped["filed after the 3m window closed"] = int((stale & frame["ret_3m"].notna()).sum())
    frame = frame.loc[frame["ret_3m"].notna() & ~stale]
    return frame.sort_values("filing_date", kind="stable").reset_index(drop=True), dropped


def add_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Features known when the Form 4 is filed; missing stays NaN (never filled)."""
    out = frame.copy()
    value = out["Value"].where((out["Value"] > 0) & (out["Value"] < INT32_MAX))
    qty = out["Qty"].where(out["Qty"] > 0)
    new = out["ΔOwn"].astype(str).str.strip().eq("New")
    out["log_value"] = np.log(value)
    out["log_qty"] = np.log(qty)
    out["log_trade_price"] = np.log(value / qty)  # as filed; back-adjusted Price embeds the future
    out["own_change_pct"] = pd.to_numeric(out["ΔOwn"].where(~new), errors="raise")
    out["new_position"] = new.astype(float)
    out["filing_lag_days"] = (out["filing_date"] - out["trade_date"]).dt.days.astype(float)
    for name, pattern in TITLES.items():
        out[name] = out["Title"].astype(str).str.contains(pattern, regex=True).astype(float)
    # Same-ticker CEO purchases filed in the 90 days strictly before this filing day.
    prior = pd.Series(np.nan, index=out.index)
    for _, g in out.groupby("Ticker", sort=False):
        days = np.sort(g["filing_date"].to_numpy())
        own = g["filing_date"].to_numpy()
        prior[g.index] = np.searchsorted(days, own) - np.searchsorted(
            days, own - np.timedelta64(90, "D")
        )
    out["prior_purchases_90d"] = prior.astype(float)
    return out


def make_model(seed: int) -> HistGradientBoostingRegressor:
    """Small, regularized, seeded; NaN features are handled natively by the trees."""
    return HistGradientBoostingRegressor(
        max_iter=150,
        learning_rate=0.05,
        max_depth=3,
        min_samples_leaf=40,
        l2_regularization=1.0,
        random_state=seed,
    )


def main(argv: list[str] | None = None) -> int:
    """Evaluate walk-forward, fit the production model; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help=f"path to {DATA_FILE} (default: $TR_DATA_DIR)")
    parser.add_argument("--out", type=Path, help="write model.pkl and summary.json here")
    parser.add_argument("--folds", type=int, default=5, help="walk-forward test blocks")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weighting", choices=("alpha-power", "none"), default="alpha-power")
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    versions = {d: importlib.metadata.version(d) for d in TOOLKIT}
    print("toolkit:", ", ".join(f"{d}=={v}" for d, v in versions.items()))
    path = args.data
    if path is None and os.environ.get("TR_DATA_DIR"):
        path = Path(os.environ["TR_DATA_DIR"]) / DATA_FILE
    if path is None:
        print(f"error: no data: pass --data PATH/{DATA_FILE} or set TR_DATA_DIR", file=sys.stderr)
        return 2
    if not path.is_file():
        print(f"error: data file not found: {path}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        frame, dropped = load(path)
        frame = add_features(frame)
        contract = DataContract(
            time="filing_date",
            target="ret_3m",
            features=FEATURES,
            label_end="label_end",
            entity="Ticker",
            groups=GROUPS,
            target_units="fraction",
        )
        report = contract.validate(frame)
    except (OSError, ValueError, TrError) as err:
        print(f"error: {path} is not a usable {DATA_FILE}: {err}", file=sys.stderr)
        return 2
    print(
        f"rows used: {len(frame):,} ({report.start:%Y-%m-%d} .. {report.end:%Y-%m-%d}, "
        f"{report.n_entities:,} tickers)"
    )
    for reason, n in dropped.items():
        print(f"  dropped {n:5,d}  {reason}")
    print("  feature NaN (kept as NaN):", {k: v for k, v in report.feature_nan.items() if v})

    weighter = None
    if args.weighting == "alpha-power":
        weighter = AlphaPowerWeighter(
            power=1.5, clip=(0.1, 10.0), scale="fraction", column="ret_3m", normalize="mean"
        )
    cv = WalkForward(args.folds, times="filing_date", label_ends="label_end", embargo=0.01)
    wf = evaluate_walk_forward(
        lambda: make_model(args.seed),
        frame,
        features=FEATURES,
        target="ret_3m",
        cv=cv,
        sample_weight=weighter,
        times="filing_date",
        entities="Ticker",
        n_buckets=N_BUCKETS,
        verbose=False,
    )
    oos = wf.oos
    tested = wf.predictions.notna()
    print(f"walk-forward ({args.folds} folds, purged, embargo 1%, weighting={args.weighting}):")
    print(
        f"  out-of-sample rows {oos.n_rows:,}; all-trades mean 3m return "
        f"{frame.loc[tested, 'ret_3m'].mean():+.2%}"
    )
    print(
        f"  top decile {oos.top_bucket_return:+.2%}  bottom decile {oos.bottom_bucket_return:+.2%}"
        f"  spread {oos.spread:+.2%}"
    )
    print(
        f"  rank IC (Spearman) {oos.ic:+.3f}; monotonicity {oos.monotonicity:+.2f}; "
        f"overfit gap (top, train - test) {wf.overfit_gap['top_bucket_return']:+.2%}"
    )

    model = make_model(args.seed)
    weights = None if weighter is None else weighter(frame)
    model.fit(frame[FEATURES], frame["ret_3m"], sample_weight=weights)
    print(f"production model fit on {len(frame):,} rows in {time.perf_counter() - started:.1f} s")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        with open(args.out / "model.pkl", "wb") as fh:
            pickle.dump({"model": model, "features": FEATURES, "versions": versions}, fh)
        summary = {
            "data": str(path),
            "versions": versions,
            "rows_used": len(frame),
            "dropped": dropped,
            "weighting": args.weighting,
            "seed": args.seed,
            "features": FEATURES,
            "walk_forward": wf.summary(),
        }
        (args.out / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
        print(f"wrote {args.out / 'model.pkl'} and {args.out / 'summary.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
