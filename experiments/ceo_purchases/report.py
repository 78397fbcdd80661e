"""Write the study's tables and figures to ``output/`` and record the run."""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tr_core.contract import DataContract, ValidationReport
from tr_evaluation.baselines import BaselineResult
from tr_evaluation.experiments import Experiment, ExperimentStore, write_report
from tr_evaluation.experiments import markdown_cell as cell
from tr_evaluation.experiments import markdown_table as markdown
from tr_evaluation.experiments import percent as pct
from tr_evaluation.walk_forward import WalkForwardResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COMMAND = "python3 -m nox -s experiment -- experiments/ceo_purchases/run.py"
CLAIM = "top bucket 16 % -> 26 % alpha with |alpha|^1.5 weights (strategy team, internal data)"


@dataclass
class Results:
    """Everything the script found, filled in section by section."""

    raw_errors: list[str] = field(default_factory=list)
    zero_trap: dict[str, float] = field(default_factory=dict)
    return_check: float = float("nan")
    cleaning: pd.DataFrame = field(default_factory=pd.DataFrame)
    missing_by_year: pd.DataFrame = field(default_factory=pd.DataFrame)
    profile: pd.DataFrame = field(default_factory=pd.DataFrame)
    drift: pd.DataFrame = field(default_factory=pd.DataFrame)
    filing_lag: pd.Series = field(default_factory=pd.Series)
    lookahead: str = ""
    leak_caught: str = ""
    validation: ValidationReport | None = None
    nan_audit: pd.DataFrame = field(default_factory=pd.DataFrame)
    contract: DataContract | None = None
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    variants: dict[tuple[str, int], WalkForwardResult] = field(default_factory=dict)
    weighting: pd.DataFrame = field(default_factory=pd.DataFrame)
    baselines: BaselineResult | None = None
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    months_dropped: int = 0
    overfit: dict[str, Any] = field(default_factory=dict)
    runtime_s: float = float("nan")


def data_section(res: Results) -> list[str]:
    """Markdown: raw validation errors, the zero trap, cleaning counts, filing lag and drift."""
    z = res.zero_trap
    lag = res.filing_lag
    out = [
        "## 1. Data and cleaning",
        "",
        "Validating the raw file against a DataContract fails loudly (messages shortened):",
        "",
        *[f"- `{line[:300]}`" for line in res.raw_errors],
        "",
        "**The zero trap** (3-month raw return as published):",
        "",
        "| treatment | rows | mean | median |",
        "|---|---|---|---|",
        f"| every finite `3m%`, 0.0 codes taken as 0 % returns | {z['rows_kept']:,} | "
        f"{pct(z['mean_zeros_kept'])} | {pct(z['median_zeros_kept'])} |",
        f"| 0.0 prices treated as missing | {z['rows_valid']:,} | "
        f"{pct(z['mean_zeros_missing'])} | {pct(z['median_zeros_missing'])} |",
        "",
        f"{z['rows_fake_zero']:,} rows carry a fake 0 % return (a 0.0 base or 3-month price; "
        "the contract cannot see them: 0.0 is a valid number). Published returns match "
        "`100 (P_3m / Price - 1)` on every usable row "
        f"(largest difference {res.return_check:.3f} pp), so they are measured from the "
        "trade-date price.",
        "",
        "Cleaning, step by step (drops are rows; NaN steps count values set to missing):",
        "",
        markdown(res.cleaning, index=False),
        "",
        "Purchases without a 3-month return, by filing year (a missing forward price is "
        "typical of a ticker that stopped trading; the kept rows lean to survivors):",
        "",
        markdown(res.missing_by_year, {"share missing": ".1%"}),
        "",
        f"Filing lag (filing date - trade date, days) of the kept rows: median {lag['50%']:.0f}, "
        f"75th percentile {lag['75%']:.0f}, max {lag['max']:.0f}.",
        "",
    ]
    out += drift_lines(res.drift)
    return out


def drift_lines(drift: pd.DataFrame) -> list[str]:
    """Markdown: the pre-filing drift measured on the S&P 500 constituents overlap."""
    if drift.empty:
        return ["Pre-filing drift: `all_stocks_5yr.csv.gz` absent, not measured.", ""]
    d = drift["pre_filing_drift"]
    share = d.mean() / drift["alpha"].mean() if drift["alpha"].mean() != 0 else float("nan")
    return [
        f"**Trade date vs filing date.** On the {len(drift)} purchases whose ticker is in "
        f"`all_stocks_5yr` (S&P 500 constituents, 2013-02..2018-02; {drift['Ticker'].nunique()} "
        f"tickers) the excess return between trade and filing averages {pct(d.mean())} "
        f"(median {pct(d.median())}); their 3-month alpha from the trade date averages "
        f"{pct(drift['alpha'].mean())}, so the part a follower cannot earn is "
        f"{share:.0%} of it on these large caps.",
        "",
    ]


def model_section(res: Results) -> list[str]:
    """Markdown: features, NaN audit, walk-forward folds, weighting table, baselines."""
    assert res.validation is not None
    assert res.baselines is not None
    v = res.validation
    first = res.variants[("unweighted", 0)]
    folds = first.to_frame()
    audit = res.nan_audit.drop(columns=["nan_counts"]).astype(int)
    audit["NaN per feature"] = [
        ", ".join(f"{k} {n}" for k, n in counts.items() if n and k != "alpha") or "none"
        for counts in res.nan_audit["nan_counts"]
    ]
    w = res.weighting
    fmt_w = {c: ".2%" for c in w.columns if c != "seeds better"}
    fmt_w |= {"rank IC": ".4f", "overfit gap, IC": ".4f"}
    base = res.baselines.to_frame()[
        ["n_rows", "top_rows", "top_bucket_return", "ci_low", "ci_high", "p_value", "ic"]
    ]
    return [
        "## 2. Sample, features and missing values",
        "",
        f"{v.n_rows:,} purchases, {v.n_entities:,} tickers, filed {v.start.date()} .. "
        f"{v.end.date()}; target `alpha` = 3-month raw return - S&P 500 return over the same "
        "window (fraction); decision time = filing date.",
        "",
        "Lookahead check (`assert_no_lookahead`, alpha hidden until `label_end`): "
        f"{res.lookahead}. "
        "A full-sample purchase count per ticker is caught: "
        f"`{res.leak_caught[:240]}...`",
        "",
        "Missing values per feature group (XGBoost receives the NaN as missing, nothing is "
        "filled; each group's complete rows):",
        "",
        markdown(audit.rename_axis("group")),
        "",
        "## 3. Walk-forward, unweighted, seed 0 (5 expanding folds, purged by `label_end`)",
        "",
        markdown(folds, {c: ".4f" for c in folds.columns if not c.startswith("n_")}),
        "",
        f"## 4. Weighting: top decile of {w.attrs['n_seeds']} seeds, pooled out of sample",
        "",
        f"The claim tested: {CLAIM}. Top decile = bucket 9 of 10 by predicted alpha.",
        "",
        markdown(w, fmt_w),
        "",
        "What the unweighted model (seed 0) puts in its top decile, out of sample:",
        "",
        markdown(res.profile.rename_axis("column"), dict.fromkeys(res.profile.columns, ".4g")),
        "",
        "## 5. Baselines (unweighted model, seed 0; 2,000 permutations, 2,000 bootstraps)",
        "",
        markdown(base, {c: ".4f" for c in base.columns if c not in ("n_rows", "top_rows")}),
        "",
    ]


def overfit_section(res: Results) -> list[str]:
    """Markdown: DSR and PBO over the variants tried."""
    o = res.overfit
    lo, hi = o["sharpe_range"]
    return [
        "## 6. Overfitting statistics over the variants tried",
        "",
        f"Per-month mean alpha of each variant's out-of-sample top-decile purchases "
        f"({o['n_months']} months kept; {res.months_dropped} months where some variant had no "
        f"top-decile purchase dropped, not filled), {o['n_trials']} variants (weightings x seeds).",
        "",
        "| statistic | value |",
        "|---|---|",
        f"| best variant (monthly Sharpe) | {cell(o['best_variant'])} |",
        f"| its mean monthly top-decile alpha | {pct(o['best_mean_monthly_alpha'])} |",
        f"| its monthly Sharpe ratio (range over variants) | {o['best_sharpe_monthly']:.3f} "
        f"({lo:.3f} .. {hi:.3f}) |",
        f"| probabilistic Sharpe ratio vs 0 | {o['psr_best']:.4f} |",
        f"| deflated Sharpe ratio ({o['n_trials']} trials) | {o['dsr_best']:.4f} |",
        f"| PBO (CSCV, 8 blocks) | {o['pbo']:.3f} |",
        f"| probability the selected variant loses out of sample | "
        f"{o['pbo_probability_of_loss']:.3f} |",
        "",
    ]


def headline_section(res: Results) -> list[str]:
    """Markdown: the study's answers in a few computed sentences."""
    assert res.baselines is not None
    z, w, o = res.zero_trap, res.weighting, res.overfit
    table = res.baselines.to_frame()
    model, low = table.loc["model"], table.loc["low_price"]
    weighted = w.iloc[1]
    return [
        "## Headline",
        "",
        f"- Zero trap: taking the 0.0 codes at face value moves the mean 3-month return from "
        f"{pct(z['mean_zeros_missing'])} to {pct(z['mean_zeros_kept'])} and the median from "
        f"{pct(z['median_zeros_missing'])} to {pct(z['median_zeros_kept'])}.",
        f"- Model (unweighted, seed 0): out-of-sample top decile {pct(model['top_bucket_return'])} "
        f"3-month alpha vs {pct(table.loc['all trades', 'top_bucket_return'])} for all purchases "
        f"(permutation p = {model['p_value']:.4f}), but the cheapest-stock ranker alone reaches "
        f"{pct(low['top_bucket_return'])} (p = {low['p_value']:.4f}); pooled rank IC "
        f"{model['ic']:.4f}; top-decile median {pct(float(w.iloc[0]['top decile median']))}, "
        f"win rate {pct(float(w.iloc[0]['top decile win rate']), 1)} (mean over seeds).",
        f"- Weighting: {cell(str(w.index[1]))} changes the top decile by "
        f"{weighted['vs unweighted, mean'] * 100:+.2f} pp on average (seed sd of the top decile "
        f"{weighted['sd over seeds'] * 100:.2f} pp; better in {int(weighted['seeds better'])} of "
        f"{w.attrs['n_seeds']} seeds): {pct(float(w.iloc[0]['top decile alpha, mean']))} -> "
        f"{pct(float(weighted['top decile alpha, mean']))}.",
        f"- Selection among the {o['n_trials']} variants: DSR {o['dsr_best']:.4f}, "
        f"PBO {o['pbo']:.3f}.",
        "",
    ]


def write_results(res: Results, path: Path, args: argparse.Namespace) -> None:
    """Write every table of the study to ``path`` (markdown)."""
    command = COMMAND
    if (args.seeds, args.folds) != (5, 5):
        command += f" --seeds {args.seeds} --folds {args.folds}"
    lines = [
        "# CEO purchases: results",
        "",
        f"Produced by `{command}` (runtime {res.runtime_s:.0f} s). Do not edit by hand.",
        "",
        *headline_section(res),
        *data_section(res),
        *model_section(res),
        *overfit_section(res),
    ]
    path.write_text("\n".join(lines))


def weighting_figure(variants: dict[tuple[str, int], WalkForwardResult]) -> Figure:
    """OOS top-decile alpha per weighting (groups) and seed (bars)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.subplots()
    names = list(dict.fromkeys(name for name, _ in variants))
    seeds = sorted({seed for _, seed in variants})
    width = 0.8 / len(seeds)
    for j, seed in enumerate(seeds):
        tops = [100 * variants[(name, seed)].oos.top_bucket_return for name in names]
        ax.bar(np.arange(len(names)) + j * width, tops, width=width, label=f"seed {seed}")
    ax.set_xticks(np.arange(len(names)) + 0.4 - width / 2)
    ax.set_xticklabels(names)
    ax.set_ylabel("OOS top-decile mean 3-month alpha (%)")
    ax.legend(ncols=len(seeds), fontsize="small", loc="lower center")
    return fig


def save_figures(res: Results, out: Path) -> dict[str, Any]:
    """Write the study's figures as PNG under ``out``; return them by name."""
    assert res.baselines is not None
    figures = {
        "oos_buckets_unweighted_seed0": res.variants[("unweighted", 0)].plot(),
        "baselines": res.baselines.plot(),
        "pbo": res.overfit["pbo_result"].plot(),
        "weighting_by_seed": weighting_figure(res.variants),
    }
    for name, fig in figures.items():
        fig.savefig(out / f"{name}.png", dpi=100)
    return figures


def record(res: Results, args: argparse.Namespace, weightings: tuple[str, ...]) -> tuple[str, Path]:
    """Record the run in ``output/store`` (or ``$TR_EXPERIMENTS_STORE``); write the report."""
    assert res.contract is not None
    assert res.baselines is not None
    figures = save_figures(res, args.out)
    store = ExperimentStore.from_env(args.out / "store")
    experiment = Experiment(
        name="ceo-purchases-3m-alpha",
        date=dt.date.today(),
        context=(
            "Public SEC Form 4 open-market purchases by CEOs, 2012-2021 (OpenInsider), with "
            "forward prices; S&P 500 as the benchmark. Tests on public data the strategy "
            f"team's claim: {CLAIM}."
        ),
        hypothesis=(
            "An XGBoost model on filing-time features ranks CEO purchases so that its top "
            "decile earns more 3-month alpha than all purchases and than random selections, "
            "and |alpha|^1.5 training weights raise that top-decile alpha."
        ),
        baseline="all purchases; random scores (permutation p-value); single-feature rankers",
        references=(
            "Lakonishok & Lee (2001), Are Insider Trades Informative?, RFS 14(1)",
            "Cohen, Malloy & Pomorski (2012), Decoding Inside Information, JF 67(3)",
            "Bailey & López de Prado (2014), The Deflated Sharpe Ratio, JPM 40(5)",
            "Bailey, Borwein, López de Prado & Zhu (2017), The Probability of Backtest "
            "Overfitting, J. Computational Finance 20(4)",
            "López de Prado (2018), Advances in Financial Machine Learning, ch. 4 and 7",
        ),
        tags=("insider", "ceo", "real-data", "weighting"),
    )
    o = res.overfit
    w = res.weighting
    with experiment.run(store) as run:
        run.log_params(
            {
                "seeds": args.seeds,
                "folds": args.folds,
                "n_buckets": 10,
                "horizon": "3 calendar months",
                "contract": repr(res.contract),
                "weightings": list(weightings),
            }
        )
        for i, name in enumerate(w.index):
            run.log_metrics(
                {
                    f"w{i}_top_decile_alpha": float(w.loc[name, "top decile alpha, mean"]),
                    f"w{i}_rank_ic": float(w.loc[name, "rank IC"]),
                }
            )
        run.log_metrics(
            {
                # With model_p_value, dsr_best and pbo: the names every strategy's record
                # shares (experiments/README.md, "One store for every strategy").
                "top_bucket_alpha": float(w.loc["unweighted", "top decile alpha, mean"]),
                "model_p_value": float(res.baselines.p_value),
                "dsr_best": float(o["dsr_best"]),
                "psr_best": float(o["psr_best"]),
                "pbo": float(o["pbo"]),
                "n_rows": float(len(res.frame)),
            }
        )
        run.log_table("cleaning", res.cleaning)
        run.log_table("weighting", w.reset_index())
        run.log_table("baselines", res.baselines.to_frame())
        run.log_table("monthly_top_decile", res.monthly.set_axis(res.monthly.index.astype(str)))
        run.log_table("nan_audit", res.nan_audit.drop(columns=["nan_counts"]).astype(int))
        for name, fig in figures.items():
            run.log_figure(name, fig)
        unweighted = float(w.loc["unweighted", "top decile alpha, mean"])
        weighted = float(w.loc[weightings[1], "top decile alpha, mean"])
        run.conclude(
            results=(
                f"OOS top-decile 3-month alpha: unweighted {pct(unweighted)}, |alpha|^1.5 "
                f"{pct(weighted)} (mean of {w.attrs['n_seeds']} seeds); model p-value vs random "
                f"{res.baselines.p_value:.4f}; DSR {o['dsr_best']:.3f}; PBO {o['pbo']:.3f}."
            ),
            insights=[
                f"{name}: top decile {pct(float(w.loc[name, 'top decile alpha, mean']))}, "
                f"{int(w.loc[name, 'seeds better'])} seeds better than unweighted"
                for name in w.index
            ],
        )
    paths = write_report(store, [run.run_id], args.out / "report.html")
    return run.run_id, paths[0]
