"""Does weighting trades by the size of their outcome lift the out-of-sample top bucket?

On tr-core's synthetic insider-trade market (alpha as a fraction, heavy tails), an
XGBoost regressor is trained on the earlier 70 % of trade dates (label windows that
reach the test period purged) and scored on the later 30 %. Only the training
sample weights change between runs. The figure of merit is the mean realized alpha
of the top bucket of 20 by predicted alpha, out of sample.

Run from the repository root::

    .venv/bin/python experiments/weighting_study/run.py

It prints a markdown table (mean ± sd over seeds; each seed draws a new market and
seeds the model) and writes it to ``experiments/weighting_study/output/results.md``
(ignored by git: a run never rewrites a tracked file).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd
import xgboost as xgb

from tr_core.splits import time_train_test_split
from tr_core.synthetic import make_insider_trades
from tr_evaluation.buckets import BucketAnalyzer
from tr_sample_weighting import (
    AlphaPowerWeighter,
    MagnitudeWeighter,
    SampleWeighter,
    UniquenessWeighter,
)

HERE = Path(__file__).resolve().parent
DEFAULT_SEEDS = 10
DEFAULT_TRADES = 20_000


def weighters(time_col: str, label_end: str, target: str) -> dict[str, SampleWeighter | None]:
    """The weightings compared, by name (None = unweighted)."""
    alpha_power = AlphaPowerWeighter(power=1.5, clip=(0.1, 10.0), scale="fraction", column=target)
    return {
        "unweighted": None,
        "alpha power, abs(α)^1.5": alpha_power.normalized("mean"),
        "magnitude, abs(α)": MagnitudeWeighter(scale="fraction", column=target, normalize="mean"),
        "alpha power × uniqueness": (
            alpha_power * UniquenessWeighter(time=time_col, label_end=label_end)
        ).normalized("mean"),
    }


def one_seed(seed: int, n_trades: int, n_jobs: int) -> dict[str, float]:
    """Top-bucket (of 20) out-of-sample mean alpha for every weighting, one market."""
    market = make_insider_trades(n_trades, random_state=seed)
    frame, contract = market.frame, market.contract
    assert contract.label_end is not None
    train, test = time_train_test_split(
        frame, times=contract.time, test_size=0.3, label_ends=contract.label_end
    )
    features = list(contract.features)
    fit_frame = frame.iloc[train]
    X_test = frame.iloc[test][features]
    realized = frame.iloc[test][contract.target]
    out: dict[str, float] = {}
    for name, weighter in weighters(contract.time, contract.label_end, contract.target).items():
        model = xgb.XGBRegressor(
            n_estimators=300,
            max_depth=4,
            learning_rate=0.05,
            subsample=0.8,
            colsample_bytree=0.8,
            random_state=seed,
            n_jobs=n_jobs,
        )
        weights = None if weighter is None else weighter(fit_frame)
        model.fit(fit_frame[features], fit_frame[contract.target], sample_weight=weights)
        scores = model.predict(X_test)
        result = BucketAnalyzer(n_buckets=20).analyze(scores, realized.to_numpy())
        out[name] = result.top_bucket_return
    return out


def table(results: pd.DataFrame, command: str, n_trades: int) -> str:
    """Markdown table of mean ± sd (percent) over seeds, with the reproducing command."""
    pct = 100 * results
    base = pct["unweighted"]
    lines = [
        f"Top bucket (of 20) mean out-of-sample alpha, {len(results)} seeds "
        f"(`make_insider_trades({n_trades:_}, random_state=s)`, s = "
        f"{', '.join(str(s) for s in results.index)}):",
        "",
        "| weighting | top-bucket alpha, mean ± sd | vs unweighted, mean ± sd | seeds better |",
        "|---|---|---|---|",
    ]
    for name in results.columns:
        col = pct[name]
        diff = col - base
        better = "–" if name == "unweighted" else f"{int((diff > 0).sum())}/{len(col)}"
        delta = "–" if name == "unweighted" else f"{diff.mean():+.2f} ± {diff.std(ddof=1):.2f} pp"
        lines.append(
            f"| {name} | {col.mean():.2f} % ± {col.std(ddof=1):.2f} | {delta} | {better} |"
        )
    lines += ["", f"Reproduce: `{command}`", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seeds", type=int, default=DEFAULT_SEEDS, help="number of seeds (0, 1, ...)"
    )
    parser.add_argument("--n-trades", type=int, default=DEFAULT_TRADES, help="trades per market")
    parser.add_argument("--n-jobs", type=int, default=1, help="XGBoost threads")
    parser.add_argument(
        "--out", type=Path, default=HERE / "output" / "results.md", help="markdown output"
    )
    args = parser.parse_args(argv)
    rows = {}
    for seed in range(args.seeds):
        start = time.perf_counter()
        rows[seed] = one_seed(seed, args.n_trades, args.n_jobs)
        shown = ", ".join(f"{k}: {100 * v:.2f} %" for k, v in rows[seed].items())
        print(f"seed {seed} ({time.perf_counter() - start:.0f} s): {shown}", flush=True)
    results = pd.DataFrame.from_dict(rows, orient="index")
    results.index.name = "seed"
    command = "python3 -m nox -s experiment -- experiments/weighting_study/run.py"
    if (args.seeds, args.n_trades) != (DEFAULT_SEEDS, DEFAULT_TRADES):
        command += f" --seeds {args.seeds} --n-trades {args.n_trades}"
    text = table(results, command, args.n_trades)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print("\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
