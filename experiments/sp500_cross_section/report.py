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
from tr_evaluation.experiments import Experiment, ExperimentStore
from tr_evaluation.experiments import markdown_cell as cell
from tr_evaluation.experiments import markdown_table as markdown
from tr_evaluation.experiments import percent as pct

if TYPE_CHECKING:
    from evaluation import Settings
    from matplotlib.figure import Figure

    from tr_ensemble import EnsembleComparison
    from tr_evaluation.buckets import BucketResult
    from tr_evaluation.walk_forward import WalkForwardResult
    from tr_tuning import TuningResult

COMMAND = ".venv/bin/python experiments/sp500_cross_section/run.py"
STRATEGY = "sp500-cross-section-20d-excess"


@dataclass
class Results:
    """Everything the script found, filled in step by step."""

    quick: bool = False
    settings: Settings | None = None
    cleaning: pd.DataFrame = field(default_factory=pd.DataFrame)
    lookahead: str = ""
    leak_caught: str = ""
    validation: ValidationReport | None = None
    nan_share: pd.Series = field(default_factory=pd.Series)
    contract: DataContract | None = None
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    variants: dict[tuple[str, int], WalkForwardResult] = field(default_factory=dict)
    weighting: pd.DataFrame = field(default_factory=pd.DataFrame)
    baselines: pd.DataFrame = field(default_factory=pd.DataFrame)
    baseline_results: dict[str, BucketResult] = field(default_factory=dict)
    pooled: BaselineResult | None = None
    tuning: TuningResult | None = None
    stack: EnsembleComparison | None = None
    matrix: pd.DataFrame = field(default_factory=pd.DataFrame)
    dates_dropped: int = 0
    overfit: dict[str, Any] = field(default_factory=dict)
    runtime_s: float = float("nan")


PCT_COLUMNS = ("top decile", "bottom decile", "top - bottom", "spread vs unweighted")


def decile_fmt(columns: Any) -> dict[str, str]:
    """Percent for returns, 3 decimals for the rest."""
    fmt = {str(c): ".3f" for c in columns}
    fmt |= {str(c): ".2%" for c in columns if str(c) in PCT_COLUMNS or "spread sd" in str(c)}
    return fmt | {"rows": ",.0f", "seeds better": ".0f"}


def command(res: Results) -> str:
    """The command that produced this run."""
    return COMMAND + (" --quick" if res.quick else "")


def data_section(res: Results) -> list[str]:
    """Markdown: cleaning counts, the lookahead check, the sample."""
    assert res.validation is not None
    v = res.validation
    nan = res.nan_share[res.nan_share > 0]
    return [
        "## 1. Data and cleaning",
        "",
        "Every step, in order (drops are rows; NaN steps count values set to missing):",
        "",
        markdown(res.cleaning, {"count": ",d", "rows_left": ",.0f"}, index=False),
        "",
        "## 2. Features and the lookahead check",
        "",
        f"`assert_no_lookahead` on the feature builder ({LABEL_TEXT} hidden until its "
        f"`label_end`): {res.lookahead}. A centered 21-day window is caught: "
        f"`{res.leak_caught[:240]}...`",
        "",
        f"Sample: {v.n_rows:,} rows, {v.n_entities} tickers, "
        f"{res.frame['date'].nunique()} rebalance dates {v.start.date()} .. {v.end.date()}; "
        f"mean {LABEL_TEXT} {pct(float(res.frame['fwd_excess_20d'].mean()))}, median "
        f"{pct(float(res.frame['fwd_excess_20d'].median()))}. "
        "Missing feature values, left to XGBoost: "
        + (", ".join(f"{k} {pct(float(x), 1)}" for k, x in nan.items()) or "none")
        + ".",
        "",
    ]


LABEL_TEXT = "`fwd_excess_20d`"


def model_section(res: Results) -> list[str]:
    """Markdown: folds, weighting, baselines."""
    assert res.pooled is not None
    folds = res.variants[("unweighted", 0)].to_frame()
    w = res.weighting
    pooled = res.pooled.to_frame()[["n_rows", "top_bucket_return", "ci_low", "ci_high", "p_value"]]
    return [
        "## 3. Walk-forward, unweighted, seed 0 (expanding, purged by `label_end`)",
        "",
        markdown(folds, {c: ".4f" for c in folds.columns if not str(c).startswith("n_")}),
        "",
        f"## 4. Training weights: mean of {w.attrs['n_seeds']} seeds, out of sample",
        "",
        "Deciles are formed within each rebalance date; returns are 20-day excess returns.",
        "",
        markdown(w, decile_fmt(w.columns)),
        "",
        "## 5. Baselines on the model's out-of-sample rows (deciles within each date)",
        "",
        markdown(res.baselines, decile_fmt(res.baselines.columns)),
        "",
        f"Random scores: sd of the top-bottom spread over draws "
        f"{pct(res.baselines.attrs['random_spread_sd'])}.",
        "",
        "Pooled over all out-of-sample rows (`BaselineEvaluator`, 1,000 permutations and "
        "bootstraps; the top decile's mean 20-day excess return):",
        "",
        markdown(pooled, {c: ".4f" for c in pooled.columns if c != "n_rows"}),
        "",
    ]


TRIAL_FMT = {
    "value": ".4f",
    "learning_rate": ".3f",
    "min_child_weight": ".2f",
    "subsample": ".2f",
    "colsample_bytree": ".2f",
    "reg_alpha": ".3g",
    "reg_lambda": ".3g",
}


def tuning_section(res: Results) -> list[str]:
    """Markdown: the tuning study and the stack."""
    assert res.tuning is not None
    assert res.stack is not None
    t = res.tuning
    trials = t.trials
    keep = [c for c in trials.columns if c in ("state", "value") or c.startswith("param_")]
    stack = res.stack.to_frame()
    sel = t.summary()["selection_bias"]
    margin = res.stack.margin()
    params = ", ".join(
        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in t.best_params.items()
    )
    return [
        f"## 6. Tuning ({len(trials)} trials, tr-tuning, rank IC of purged walk-forward folds)",
        "",
        f"Earlier 70 % of dates tuned, later 30 % the holdout (scored once). Best CV rank IC "
        f"{t.best_value:.4f}, holdout {cell(t.holdout_value, '.4f')}; best: {params}. "
        f"Selection: {sel['reading']}.",
        "",
        markdown(trials[keep].rename(columns=lambda c: c.removeprefix("param_")), TRIAL_FMT),
        "",
        "## 7. Stacking (TimeSeriesStackingRegressor: trend + risk XGBoost, RidgeCV)",
        "",
        markdown(stack, {c: ".4f" for c in stack.columns if not str(c).startswith("n_")}),
        "",
        f"Ensemble minus the best base model ({margin['over']}): top decile "
        f"{100 * margin['top_bucket_return']:+.2f} pp, rank IC {margin['ic']:+.4f}; "
        "selection among the "
        f"candidates: {res.stack.selection.deflated_sharpe:.3f} DSR, "
        f"PBO {res.stack.selection.pbo:.3f}.",
        "",
    ]


def overfit_section(res: Results) -> list[str]:
    """Markdown: DSR and PBO over every variant tried."""
    o = res.overfit
    lo, hi = o["sharpe_range"]
    return [
        "## 8. Selection bias over every variant tried",
        "",
        f"Per rebalance date, the top-minus-bottom decile return of each variant "
        f"({o['n_dates']} dates; {res.dates_dropped} dropped where some variant had none), "
        f"{o['n_trials']} variants: XGBoost weightings x seeds, the rankers, the stack and its "
        "base models (the tuning trials are counted in section 6).",
        "",
        "| statistic | value |",
        "|---|---|",
        f"| best variant (per-date Sharpe) | {cell(o['best_variant'])} |",
        f"| its mean top-bottom per 20 days | {pct(o['best_mean_spread'])} |",
        f"| its annualized Sharpe (per-date range {lo:.3f} .. {hi:.3f}) | "
        f"{o['best_sharpe_annual']:.2f} |",
        f"| probabilistic Sharpe ratio vs 0 | {o['psr_best']:.4f} |",
        f"| deflated Sharpe ratio ({o['n_trials']} trials) | {o['dsr_best']:.4f} |",
        f"| PBO (CSCV, 8 blocks) | {o['pbo']:.3f} |",
        f"| probability the selected variant loses out of sample | "
        f"{o['pbo_probability_of_loss']:.3f} |",
        "",
    ]


def write_results(res: Results, path: Path) -> None:
    """Write every table of the study to ``path`` (markdown)."""
    lines = [
        "# S&P 500 cross-section, 20-day excess return: results",
        "",
        f"Produced by `{command(res)}` on {dt.date.today()} (runtime {res.runtime_s:.0f} s). "
        "Do not edit by hand.",
        "",
        *data_section(res),
        *model_section(res),
        *tuning_section(res),
        *overfit_section(res),
    ]
    path.write_text("\n".join(lines))


def long_short_figure(res: Results) -> Figure:
    """Cumulative top-minus-bottom decile return per date, model vs rankers vs stack."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.subplots()
    keep = [c for c in res.matrix.columns if "seed 0" in c or "stack: ensemble" in c]
    keep += [c for c in res.matrix.columns if not c.startswith(("xgb", "stack"))]
    for column in keep:
        ax.plot(res.matrix.index, 100 * res.matrix[column].cumsum(), label=column)
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_ylabel("cumulative top - bottom decile (%, summed)")
    ax.legend(fontsize="x-small")
    return fig


def save_figures(res: Results, out: Path) -> dict[str, Any]:
    """Write the figures as PNG under ``out``; return them by name."""
    figures = {
        "oos_deciles_unweighted_seed0": res.variants[("unweighted", 0)].plot(),
        "long_short_cumulative": long_short_figure(res),
        "pbo": res.overfit["pbo_result"].plot(),
    }
    for name, fig in figures.items():
        fig.savefig(out / f"{name}.png", dpi=100)
    return figures


def record(res: Results, args: argparse.Namespace) -> tuple[str, Path]:
    """Record the run in ``output/store`` (or ``$TR_EXPERIMENTS_STORE``); id and store."""
    assert res.contract is not None
    assert res.pooled is not None
    assert res.tuning is not None
    assert res.stack is not None
    figures = save_figures(res, args.out)
    store = ExperimentStore.from_env(args.out / "store")
    experiment = Experiment(
        name=STRATEGY,
        date=dt.date.today(),
        context=(
            "Daily OHLCV of 505 S&P 500 constituents (membership as of 2018: survivors), "
            "2013-02..2018-02, and the S&P 500 index. One rebalance every 20 trading days; "
            "label = next-20-day return in excess of the index."
        ),
        hypothesis=(
            "An XGBoost model on lagged momentum, reversal, volatility, beta and volume "
            "features ranks the cross-section so that its top decile beats its bottom decile "
            "out of sample, by more than plain 12-1 momentum and random scores; |excess|^1.5 "
            "training weights raise that spread."
        ),
        baseline="12-1 momentum, 5-day reversal and low-volatility rankers; random scores",
        references=(
            "Jegadeesh & Titman (1993), Returns to Buying Winners and Selling Losers, JF 48(1)",
            "Jegadeesh (1990), Evidence of Predictable Behavior of Security Returns, JF 45(3)",
            "George & Hwang (2004), The 52-Week High and Momentum Investing, JF 59(5)",
            "Gu, Kelly & Xiu (2020), Empirical Asset Pricing via Machine Learning, RFS 33(5)",
            "Bailey & López de Prado (2014), The Deflated Sharpe Ratio, JPM 40(5)",
            "Bailey, Borwein, López de Prado & Zhu (2017), The Probability of Backtest "
            "Overfitting, J. Computational Finance 20(4)",
        ),
        tags=("cross-section", "sp500", "real-data", "weighting", "tuning", "stacking"),
    )
    o, w, b = res.overfit, res.weighting, res.baselines
    stack = res.stack.to_frame()
    with experiment.run(store) as run:
        run.log_params(
            {
                "quick": res.quick,
                "settings": repr(res.settings),
                "n_buckets": 10,
                "horizon": "20 trading days",
                "contract": repr(res.contract),
                "weightings": list(w.index),
            }
        )
        for i, name in enumerate(w.index):
            run.log_metrics(
                {
                    f"w{i}_top_decile_alpha": float(w.loc[name, "top decile"]),
                    f"w{i}_spread": float(w.loc[name, "top - bottom"]),
                    f"w{i}_rank_ic": float(w.loc[name, "rank IC per date"]),
                }
            )
        run.log_metrics(
            {
                # With model_p_value, dsr_best and pbo: the names every strategy's record
                # shares (experiments/README.md, "One store for every strategy").
                "top_bucket_alpha": float(w.loc["unweighted", "top decile"]),
                "model_p_value": float(res.pooled.p_value),
                "momentum_12_1_spread": float(b.loc["momentum 12-1", "top - bottom"]),
                "tuning_best_cv_ic": float(res.tuning.best_value),
                "tuning_holdout_ic": float(res.tuning.holdout_value or np.nan),
                "stack_spread": float(stack.loc["ensemble", "spread"]),
                "dsr_best": float(o["dsr_best"]),
                "psr_best": float(o["psr_best"]),
                "pbo": float(o["pbo"]),
                "n_rows": float(len(res.frame)),
            }
        )
        run.log_table("cleaning", res.cleaning.astype({"rows_left": "float"}))
        run.log_table("weighting", w.reset_index())
        run.log_table("baselines", b.reset_index(names="ranker"))
        run.log_table("stack", stack.reset_index(names="candidate"))
        run.log_table("spread_by_date", res.matrix.set_axis(res.matrix.index.astype(str)))
        for name, fig in figures.items():
            run.log_figure(name, fig)
        model = b.iloc[0]
        run.conclude(
            results=(
                f"OOS top-bottom decile per 20 days: XGBoost {pct(model['top - bottom'])}, "
                f"12-1 momentum {pct(b.loc['momentum 12-1', 'top - bottom'])}; |excess|^1.5 "
                f"{pct(w.iloc[1]['top - bottom'])} vs unweighted {pct(w.iloc[0]['top - bottom'])}"
                f"; DSR {o['dsr_best']:.3f}; PBO {o['pbo']:.3f}."
            ),
            insights=[
                f"{name}: top-bottom {pct(float(row['top - bottom']))}, rank IC per date "
                f"{row['rank IC per date']:.3f}"
                for name, row in b.iterrows()
            ],
        )
    return run.run_id, store.path
