"""Do public CEO open-market purchases predict 3-month alpha, and does |alpha|^1.5 weighting help?

Real data: SEC Form 4 purchases by CEOs, 2012-2021 (OpenInsider), against the
S&P 500. The script cleans the file loudly (every drop counted by reason),
builds the excess-return target and point-in-time features, evaluates an
XGBoost regressor walk-forward (purged) under three training weightings and
several seeds, compares it with baselines, deflates the best variant's Sharpe
ratio for the number of variants tried, computes the probability of backtest
overfitting, and records the run.

Run from the repository root::

    python3 -m nox -s experiment -- experiments/ceo_purchases/run.py
    .venv/bin/python experiments/ceo_purchases/run.py        # dev venv

Writes ``results.md``, figures, the experiment store and an HTML report under
``output/`` (ignored by git: a run never rewrites a tracked file). Data are read from
``../shared/data/`` beside the repository, never copied into it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from cleaning import (
    INSIDER_FILE,
    MARKET_FILE,
    CleaningLog,
    add_target,
    check_returns,
    clean,
    missing_by_year,
    read_market,
    read_raw,
    zero_trap,
)
from evaluation import (
    WEIGHTINGS,
    baselines,
    monthly_top_returns,
    overfitting_stats,
    run_variants,
    top_decile_profile,
    weighting_table,
)
from features import GROUPS, build_features, prior_purchases
from filing_bias import pre_filing_drift
from report import Results, record, write_results

from tr_core.contract import DataContract
from tr_core.errors import TrError
from tr_core.lookahead import assert_no_lookahead
from tr_core.nan import complete_rows_by_group

HERE = Path(__file__).resolve().parent
DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
HORIZON, MONTHS = "3m", 3
PROFILE_COLUMNS = (
    "alpha",
    "stock_return",
    "trade_price",
    "Value",
    "own_change_pct",
    "filing_lag_days",
    "prior_purchases_90d",
    "mkt_mom_63d",
)


def section(title: str) -> None:
    """Print a section header."""
    print(f"\n{'=' * 78}\n{title}\n{'=' * 78}", flush=True)


def contract_for(features: list[str]) -> DataContract:
    """The study's data contract: filing date as decision time, alpha as a fraction."""
    return DataContract(
        time="filing_date",
        target="alpha",
        features=features,
        label_end="label_end",
        entity="Ticker",
        groups=GROUPS,
        target_units="fraction",
    )


def raw_validation_errors(raw: pd.DataFrame) -> list[str]:
    """Validate the raw file (dates parsed) against a contract; return the errors raised.

    First as published (the ``3m%`` target holds NaN and inf), then on the rows
    whose ``3m%`` is finite (``ΔOwn`` still holds text) — both must fail loudly.
    """
    frame = raw.assign(
        Filing_Date=pd.to_datetime(raw["Filing_Date"], format="%Y-%m-%d"),
        Trade_Date=pd.to_datetime(raw["Trade_Date"], format="%Y-%m-%d"),
    )
    raw_contract = DataContract(
        time="Filing_Date", target="3m%", features=["Value", "ΔOwn"], target_units="percent"
    )
    finite = frame.loc[np.isfinite(frame["3m%"])]
    errors = []
    for what, candidate in (("as published", frame), ("rows with a finite 3m%", finite)):
        try:
            raw_contract.validate(candidate)
        except TrError as err:
            errors.append(f"{what}: {type(err).__name__}: {err}")
        else:
            raise AssertionError(f"the raw frame ({what}) unexpectedly passed validation")
    return errors


def check_lookahead(frame: pd.DataFrame, market: pd.Series) -> str:
    """assert_no_lookahead on every feature builder, with alpha hidden until label_end."""
    report = assert_no_lookahead(
        lambda f: build_features(f, market),
        frame,
        time="filing_date",
        cutoffs=6,
        observed_at={"alpha": "label_end", "stock_return": "label_end"},
    )
    return (
        f"{len(report.features)} features, {report.values_compared:,} values compared at 6 cutoffs"
    )


def leaky_count_caught(frame: pd.DataFrame) -> str:
    """Show the check catching a count that includes the row's own and later filings."""

    def leaky(f: pd.DataFrame) -> pd.Series:
        count = f.groupby("Ticker")["filing_date"].transform("size").astype(float)
        return count.rename("purchases_per_ticker_full_sample")

    try:
        assert_no_lookahead(leaky, frame, time="filing_date", cutoffs=6)
    except TrError as err:
        return f"{type(err).__name__}: {err}"
    raise AssertionError("the full-sample count per ticker was not caught")


def main(argv: list[str] | None = None) -> int:
    """Run the study; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5, help="model seeds per weighting")
    parser.add_argument("--folds", type=int, default=5, help="walk-forward test blocks")
    parser.add_argument("--n-jobs", type=int, default=2, help="XGBoost threads")
    parser.add_argument("--out", type=Path, default=HERE / "output", help="figures, store, report")
    args = parser.parse_args(argv)
    for name in (INSIDER_FILE, MARKET_FILE):
        if not (DATA_DIR / name).exists():
            print(
                f"data file {DATA_DIR / name} not found: this study reads the public data in "
                "the repository's sibling folder ../shared/data/ (see its README).",
                file=sys.stderr,
            )
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    res = Results()

    section("1. Load, validate raw, clean")
    raw = read_raw(DATA_DIR)
    market = read_market(DATA_DIR)
    res.raw_errors = raw_validation_errors(raw)
    for line in res.raw_errors:
        print("raw frame rejected ->", line[:400])
    res.zero_trap = zero_trap(raw, HORIZON)
    print("zero trap:", res.zero_trap)
    log = CleaningLog()
    cleaned = clean(raw, log)
    res.return_check = check_returns(cleaned, HORIZON)
    res.missing_by_year = missing_by_year(cleaned, HORIZON)
    print(res.missing_by_year.to_string())
    print(f"max |3m% - 100(3m/Price - 1)| on usable rows: {res.return_check:.4f} pp")
    frame = add_target(cleaned, market, log, HORIZON, MONTHS)
    frame = frame.sort_values("filing_date", kind="stable").reset_index(drop=True)
    res.cleaning = log.to_frame()
    print(res.cleaning.to_string(index=False))
    res.drift = pre_filing_drift(frame, market, DATA_DIR)
    res.filing_lag = (frame["filing_date"] - frame["trade_date"]).dt.days.describe()

    section("2. Features known at filing; lookahead check; NaN audit per group")
    feats = build_features(frame, market)
    frame = pd.concat([frame, feats], axis=1)
    res.lookahead = check_lookahead(frame, market)
    print("point-in-time features pass:", res.lookahead)
    res.leak_caught = leaky_count_caught(frame)
    print("leaky full-sample count ->", res.leak_caught[:300])
    assert_no_lookahead(prior_purchases, frame, time="filing_date", cutoffs=12)
    features = [f for group in GROUPS.values() for f in group]
    contract = contract_for(features)
    res.validation = contract.validate(frame)
    audits = complete_rows_by_group(frame, contract.groups, always=[contract.target])
    res.nan_audit = pd.DataFrame({name: audit.summary() for name, (_, audit) in audits.items()}).T[
        ["rows_in", "rows_out", "rows_dropped", "nan_counts"]
    ]
    print(res.nan_audit.to_string())
    res.contract = contract
    res.frame = frame

    section("3. Walk-forward: XGBoost x weightings x seeds (purged, out of sample only)")
    res.variants = run_variants(frame, contract, args.seeds, args.folds, args.n_jobs)
    res.weighting = weighting_table(res.variants)
    print(res.weighting.to_string())
    res.profile = top_decile_profile(
        frame.assign(trade_price=frame["Value"] / frame["Qty"]),
        res.variants[("unweighted", 0)],
        PROFILE_COLUMNS,
    )
    print(res.profile.to_string())

    section("4. Baselines (unweighted, seed 0), bootstrap CI and permutation p-value")
    res.baselines = baselines(frame, contract, res.variants[("unweighted", 0)])
    print(res.baselines.to_frame().round(4).to_string())

    section("5. Overfitting statistics over all variants")
    res.monthly, res.months_dropped = monthly_top_returns(frame, contract, res.variants)
    res.overfit = overfitting_stats(res.monthly)
    print({k: v for k, v in res.overfit.items() if k != "pbo_result"})

    section("6. Record and write results")
    res.runtime_s = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    write_results(res, args.out / "results.md", args)
    run_id, report = record(res, args, WEIGHTINGS)
    print(f"results: {args.out / 'results.md'}\nrun {run_id}; report: {report}")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
