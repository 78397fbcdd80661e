"""Do lagged price/volume features rank S&P 500 stocks by their next-20-day excess return?

Real data: daily OHLCV of 505 S&P 500 names, 2013-02..2018-02, and the S&P 500
index. The script cleans the files loudly (every drop counted by reason), builds
lagged per-ticker features (each window shifted by a day) and the forward 20-day
return in excess of the index, checks the feature builder with
``assert_no_lookahead``, samples one rebalance date every 20 trading days
(non-overlapping labels), walks an XGBoost regressor forward (purged by the 20-day
windows) with deciles formed within each date, compares it with plain 12-1
momentum, short-term reversal, low volatility and random scores, compares
unweighted and |excess|^1.5 training weights, runs a short tr-tuning study and a
tr-ensemble stack, deflates the best variant's Sharpe ratio for the number of
variants tried, computes the PBO, and records the run.

Run from the repository root::

    .venv/bin/python experiments/sp500_cross_section/run.py --quick   # ~1 min, a subset
    .venv/bin/python experiments/sp500_cross_section/run.py           # every ticker
    python3 -m nox -s experiment -- experiments/sp500_cross_section/run.py

Writes ``results.md``, figures and the experiment store under ``output/`` (ignored by
git). Data are read from ``../shared/data/`` beside the repository, never copied in;
``--stocks PATH --index PATH`` point at other copies of the same files.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from cleaning import (
    HORIZON,
    INDEX_FILE,
    LABEL,
    STOCKS_FILE,
    CleaningLog,
    add_label,
    clean,
    daily_returns,
    read_index,
    read_stocks,
)
from evaluation import (
    Settings,
    baseline_table,
    contract_for,
    overfitting_stats,
    pooled_baselines,
    run_variants,
    stack,
    tune,
    variant_returns,
    weighting_table,
)
from features import FEATURES, build_features, centered_momentum
from report import Results, record, write_results

from tr_core.errors import TrError
from tr_core.lookahead import assert_no_lookahead

HERE = Path(__file__).resolve().parent
DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
WARMUP = 130  # trading days before the first rebalance (126-day windows + the lag)
QUICK_TICKERS = 100
LOOKAHEAD_TICKERS = 60
LOOKAHEAD_CUTOFFS = 6


class Clock:
    """Prints each step with the seconds it took and the time since the start."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def step(self, title: str) -> None:
        """Close the previous step and open ``title``."""
        now = time.perf_counter()
        took, total = now - self.last, now - self.start
        if total > 0.5:
            print(f"   (step took {took:.1f} s; {total:.0f} s in all)")
        print(f"== {title}", flush=True)
        self.last = now

    def total(self) -> float:
        """Seconds since the start."""
        return time.perf_counter() - self.start


SHOWN = {  # column: (header, percent?)
    "top decile": ("top", True),
    "bottom decile": ("bottom", True),
    "top - bottom": ("top-bot", True),
    "rank IC per date": ("IC/date", False),
    "IC t-stat": ("IC t", False),
    "long-short Sharpe (ann.)": ("LS Sharpe", False),
    "top_bucket_return": ("top", True),
    "spread": ("top-bot", True),
    "ic": ("IC", False),
    "overfit_gap_ic": ("IC gap", False),
}


def show(table: pd.DataFrame) -> None:
    """Print the known columns of ``table`` compactly: percentages as percentages."""
    columns = [c for c in SHOWN if c in table.columns]
    print(f"  {'':<32}" + "".join(f"{SHOWN[c][0]:>10}" for c in columns))
    for name, row in table.iterrows():
        cells = [f"{100 * row[c]:>9.2f}%" if SHOWN[c][1] else f"{row[c]:>10.3f}" for c in columns]
        print(f"  {str(name)[:32]:<32}" + "".join(cells))


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 tickers, 1 seed, 2 trials")
    parser.add_argument("--stocks", type=Path, default=DATA_DIR / STOCKS_FILE)
    parser.add_argument("--index", type=Path, default=DATA_DIR / INDEX_FILE)
    parser.add_argument(
        "--n-jobs", type=int, default=1, help="XGBoost threads per fit (1: fastest on 2 busy cores)"
    )
    parser.add_argument("--out", type=Path, default=HERE / "output", help="results, store")
    return parser.parse_args(argv)


def settings_for(args: argparse.Namespace) -> Settings:
    """Sizes of the run."""
    if args.quick:
        return Settings(
            seeds=1,
            folds=4,
            inner_folds=3,
            trials=2,
            n_estimators=60,
            max_rounds=100,
            n_jobs=args.n_jobs,
        )
    return Settings(
        seeds=3,
        folds=5,
        inner_folds=4,
        trials=8,
        n_estimators=200,
        max_rounds=300,
        n_jobs=args.n_jobs,
    )


def rebalance_sample(panel: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """One row per ticker and rebalance date (every 20th trading day), drops counted."""
    calendar = np.sort(panel["date"].unique())
    last = len(calendar) - 1 - HORIZON
    dates = calendar[WARMUP : last + 1 : HORIZON]
    rows = panel.loc[panel["date"].isin(dates)]
    log.add(f"rebalance dates: {len(dates)} (every {HORIZON} trading days)", "rows", len(rows))
    steps = (
        ("no close on the rebalance day (gap, bad print)", rows["close"].isna()),
        ("under 100 returns in the last 126 days (new listing)", rows["mom_126d"].isna()),
        ("data end within 20 days (no forward price)", rows["label_end"].isna()),
        ("20-day window holds a gap/bad print/spin-off", rows[LABEL].isna()),
    )
    keep = pd.Series(True, index=rows.index)
    for what, bad in steps:
        new = bad & keep
        keep &= ~bad
        log.add(what, "rows dropped", new.sum(), int(keep.sum()))
    return rows.loc[keep].sort_values(["date", "Name"], kind="stable").reset_index(drop=True)


def lookahead(panel: pd.DataFrame, n_tickers: int) -> tuple[str, str]:
    """assert_no_lookahead on the builder (label hidden until label_end), and a leak caught."""
    names = panel["Name"].drop_duplicates().sort_values()
    subset = panel.loc[panel["Name"].isin(names.iloc[:: max(1, len(names) // n_tickers)])]
    subset = subset.loc[subset["label_end"].notna()]  # observed_at needs a time on every row
    report = assert_no_lookahead(
        build_features,
        subset,
        time="date",
        cutoffs=LOOKAHEAD_CUTOFFS,
        observed_at={LABEL: "label_end"},
    )
    passed = (
        f"{len(report.features)} features, {report.values_compared:,} values compared at "
        f"{LOOKAHEAD_CUTOFFS} cutoffs on {subset['Name'].nunique()} tickers"
    )
    try:
        assert_no_lookahead(centered_momentum, subset, time="date", cutoffs=LOOKAHEAD_CUTOFFS)
    except TrError as err:
        return passed, f"{type(err).__name__}: {err}"
    raise AssertionError("the centered window was not caught")


def main(argv: list[str] | None = None) -> int:
    """Run the study; return the exit status."""
    args = parse(argv)
    for what, path, flag in (("stocks", args.stocks, "--stocks"), ("index", args.index, "--index")):
        if not path.exists():
            print(
                f"{what} file {path} not found. This study reads the public data in the "
                f"repository's sibling folder ../shared/data/ (see its README); point at "
                f"another copy with {flag} PATH.",
                file=sys.stderr,
            )
            return 2
    settings = settings_for(args)
    args.out.mkdir(parents=True, exist_ok=True)
    clock = Clock()
    res = Results(quick=args.quick, settings=settings)

    clock.step("1. Load and clean (every drop counted)")
    raw = read_stocks(args.stocks)
    index = read_index(args.index)
    if args.quick:
        names = np.sort(raw["Name"].unique())
        keep = names[:: max(1, len(names) // QUICK_TICKERS)]
        raw = raw.loc[raw["Name"].isin(keep)]
        print(f"  --quick: {len(keep)} of {len(names)} tickers (every {len(names) // len(keep)}th)")
    log = CleaningLog()
    panel = clean(raw, index, log)
    panel = add_label(daily_returns(panel), log)

    clock.step("2. Lagged features per ticker; lookahead check")
    panel = pd.concat([panel, build_features(panel)], axis=1)
    res.lookahead, res.leak_caught = lookahead(panel, 25 if args.quick else LOOKAHEAD_TICKERS)
    print("  point-in-time features pass:", res.lookahead)
    print("  centered window caught ->", res.leak_caught[:60], "...")

    clock.step("3. Rebalance sample (non-overlapping 20-day labels); contract")
    frame = rebalance_sample(panel, log)
    res.cleaning = log.to_frame()
    contract = contract_for(FEATURES)
    res.validation = contract.validate(frame)
    res.nan_share = frame[FEATURES].isna().mean()
    v = res.validation
    print(
        f"  {v.n_rows:,} rows, {v.n_entities} tickers, {frame['date'].nunique()} dates "
        f"{v.start.date()} .. {v.end.date()}; mean {LABEL} {100 * frame[LABEL].mean():.2f} %"
    )
    res.contract, res.frame = contract, frame

    clock.step("4. Walk-forward XGBoost, weightings x seeds (purged; deciles per date)")
    res.variants = run_variants(frame, contract, settings)
    res.weighting = weighting_table(res.variants)
    show(res.weighting)

    clock.step("5. Baselines on the same out-of-sample rows")
    first = res.variants[("unweighted", 0)]
    res.baselines, res.baseline_results = baseline_table(frame, first, 5 if args.quick else 20)
    res.pooled = pooled_baselines(frame, first)
    show(res.baselines)

    clock.step(f"6. Tuning: {settings.trials} trials of XGBoost, purged walk-forward CV")
    res.tuning = tune(frame, FEATURES, settings)
    print(
        f"  best rank IC (CV) {res.tuning.best_value:.4f}; holdout {res.tuning.holdout_value:.4f}"
    )
    for part in res.tuning.summary()["selection_bias"]["reading"].split("; "):
        print("  selection:", part)

    clock.step("7. Stacking a trend and a risk model (TimeSeriesStackingRegressor)")
    res.stack = stack(frame, FEATURES, settings)
    show(res.stack.to_frame())

    clock.step("8. Selection bias over every variant tried: DSR, PBO")
    res.matrix, res.dates_dropped = variant_returns(res.variants, res.baseline_results, res.stack)
    res.overfit = overfitting_stats(res.matrix)
    o = res.overfit
    print(
        f"  {o['n_trials']} variants, {o['n_dates']} dates: best {o['best_variant']}; "
        f"DSR {o['dsr_best']:.3f}, PBO {o['pbo']:.3f}"
    )

    clock.step("9. Record and write results")
    res.runtime_s = clock.total()
    write_results(res, args.out / "results.md")
    run_id, store = record(res, args)
    print(f"  results: {args.out / 'results.md'}\n  run {run_id} in {store}")
    print_summary(res, clock.total())
    return 0


def print_summary(res: Results, seconds: float) -> None:
    """A short final summary, rounded."""
    b, o, w = res.baselines, res.overfit, res.weighting
    model = b.iloc[0]
    mom = b.loc["momentum 12-1"]
    t = res.tuning
    ens = res.stack.to_frame()
    print("\n" + "=" * 78)
    print(f"SUMMARY ({'quick' if res.quick else 'full'} run, {seconds:.0f} s)")
    print(
        f"  XGBoost OOS, deciles per date: top-bottom {100 * model['top - bottom']:.2f} % "
        f"per 20 days, rank IC {model['rank IC per date']:.3f}"
    )
    print(
        f"  momentum 12-1: top-bottom {100 * mom['top - bottom']:.2f} %, rank IC "
        f"{mom['rank IC per date']:.3f}; random: {100 * b.iloc[-1]['top - bottom']:.2f} %"
    )
    print(
        f"  |excess|^1.5 weights: top-bottom {100 * w.iloc[1]['top - bottom']:.2f} % vs "
        f"{100 * w.iloc[0]['top - bottom']:.2f} % unweighted (mean of {w.attrs['n_seeds']} seeds)"
    )
    print(
        f"  tuning: CV rank IC {t.best_value:.3f}, holdout {t.holdout_value:.3f}; "
        f"stack top-bottom {100 * ens.loc['ensemble', 'spread']:.2f} %"
    )
    print(
        f"  selection over {o['n_trials']} variants: best {o['best_variant']}, "
        f"DSR {o['dsr_best']:.2f}, PBO {o['pbo']:.2f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
