"""Pruning across folds: how many fold models it saves, and what it costs in the best score.

Issue 11 targets, on tr-core's synthetic market: 60 trials with the median pruner
fit at least 40 % fewer fold models than the same 60 trials without pruning, and
reach a best CV AUC within 0.005 of the unpruned run (same sampler seed).

Both runs are ``XGBoostOptimizer(metric="auc", random_state=0)`` with the default
search space over 5 walk-forward folds; only ``pruner`` differs ("median" / "none").
The fold models are counted from each run's trial table: a complete trial fitted
all 5 folds, a pruned one the folds up to and including ``pruned_at_fold``, a
failed one the folds it has scores for. The wall times are printed with the counts.
"""

from __future__ import annotations

import time

from harness import Bench
from tuning_common import COLUMNS, fold_fits, market, report

from tr_tuning import TuningResult, XGBoostOptimizer

N_TRIALS = 60
N_FOLDS = 5


def run(bench: Bench) -> None:
    n_rows, n_rounds, n_trials = (2_000, 10, 10) if bench.quick else (8_000, 50, N_TRIALS)
    frame, features = market(n_rows)
    runs: dict[str, tuple[TuningResult, float]] = {}
    for pruner in ("median", "none"):
        optimizer = XGBoostOptimizer(
            metric="auc",
            pruner=pruner,
            n_trials=n_trials,
            random_state=0,
            max_rounds=n_rounds,
            early_stopping_rounds=10,
            n_jobs=1,
            verbose=False,
        )
        start = time.perf_counter()
        result = optimizer.optimize(frame, features=features, **COLUMNS)
        runs[pruner] = (result, time.perf_counter() - start)
    (pruned, pruned_s), (full, full_s) = runs["median"], runs["none"]
    fits_pruned = fold_fits(pruned.trials, N_FOLDS)
    fits_full = fold_fits(full.trials, N_FOLDS)
    ratio = fits_pruned / fits_full
    states = pruned.trials["state"].value_counts().to_dict()
    at = pruned.trials["pruned_at_fold"].dropna().astype(int).value_counts().sort_index()
    report(
        bench,
        f"median pruner, {n_trials} trials: fold models fitted",
        ours_s=pruned_s,
        peer="no pruning (same seed)",
        peer_s=full_s,
        ratio=ratio,
        passed=ratio <= 0.60,
        need="<= 0.6x the fold models",
        note=f"{fits_pruned} vs {fits_full} fold fits ({1 - ratio:.0%} fewer); {states}; "
        f"pruned at fold {dict(at)}; {n_rows:,} rows",
    )
    gap = full.best_value - pruned.best_value
    report(
        bench,
        f"median pruner, {n_trials} trials: best CV AUC",
        ours_s=pruned_s,
        peer="no pruning (same seed)",
        peer_s=full_s,
        ratio=None,
        passed=gap <= 0.005,
        need="unpruned best - pruned best <= 0.005",
        note=f"best AUC {pruned.best_value:.4f} vs {full.best_value:.4f} (gap {gap:+.4f})",
    )
