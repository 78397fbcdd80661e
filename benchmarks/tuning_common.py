"""Inputs shared by the tr-tuning benchmarks (``bench_tuning_*.py``, ``tuning_worker.py``).

Not a benchmark module itself (``run.py`` only runs ``bench_*.py``): the worker
processes of ``bench_tuning_workers.py`` import it too, so that every process tunes
exactly the same market with exactly the same optimizer.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from harness import Bench, Row

from tr_core.synthetic import make_insider_trades

COLUMNS: dict[str, str] = {"target": "alpha", "times": "trade_date", "label_ends": "label_end"}
"""The column roles of tr-core's synthetic market, as ``optimize`` takes them."""

FIXED_PARAMS: dict[str, Any] = {
    "max_depth": 4,
    "learning_rate": 0.1,
    "min_child_weight": 1.0,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "gamma": 0.0,
    "reg_alpha": 0.01,
    "reg_lambda": 1.0,
}
"""One XGBoost setting, used where every trial must cost the same."""


def market(n_rows: int) -> tuple[pd.DataFrame, list[str]]:
    """tr-core's synthetic insider-trading market (seed 0) and its feature columns."""
    data = make_insider_trades(n_rows, random_state=0)
    return data.frame, list(data.contract.features)


def fixed_cost_space() -> dict[str, Any]:
    """A search space whose trials all cost about the same.

    Depth, learning rate and the sampling fractions are fixed (they set how much
    work a fit does); only the L1/L2 penalties are searched, which change the
    leaf weights but not the number or size of the trees. With a fixed number of
    rounds (no early stopping), every trial is the same amount of work, so a wall
    time measures the tuner and its storage, not which parameters were drawn.
    """
    space: dict[str, Any] = dict(FIXED_PARAMS)
    space["reg_alpha"] = ("float", 1e-3, 10.0, "log")
    space["reg_lambda"] = ("float", 1e-2, 100.0, "log")
    return space


def fold_fits(trials: pd.DataFrame, n_folds: int) -> int:
    """Fold models a study fitted, read from its trial table.

    A complete trial fitted every fold; a pruned one the folds up to and including
    the one it was pruned at; a failed one the folds it has scores for.
    """
    fits = 0
    fold_cols = [c for c in trials.columns if str(c).startswith("fold_")]
    for _, row in trials.iterrows():
        if row["state"] == "COMPLETE":
            fits += n_folds
        elif row["state"] == "PRUNED":
            fits += int(row["pruned_at_fold"]) + 1
        else:
            fits += int(row[fold_cols].notna().sum())
    return fits


def report(
    bench: Bench,
    name: str,
    *,
    ours_s: float,
    peer: str,
    peer_s: float | None,
    ratio: float | None,
    passed: bool | None,
    need: str,
    note: str = "",
) -> None:
    """Print and record one measurement the harness's helpers cannot time themselves.

    (Ratios measured interleaved or in subprocesses, counts of fitted models.)
    """
    verdict = "" if passed is None else ("PASS" if passed else "FAIL") + f" (need {need})"
    bench._add(Row(name, ours_s, peer, peer_s, ratio, verdict, note))
