"""TimeSeriesStackingClassifier's own overhead against the base-model fits it wraps.

Issue target: stacking 3 XGBoost base models over a 5-fold walk-forward costs at
most 1.10x the base models' own cross-validated fits plus their final refits.

Ours: ``TimeSeriesStackingClassifier`` of three ``XGBClassifier`` (different seeds
and depths, 100 trees, one thread each) with ``cv=WalkForward(5)`` carrying the
trades' times and label ends, fitted on 80k trades of the synthetic market (19
features, ``y = alpha > 0``; 20k with ``--quick``).
It checks its inputs and the folds (inside the timing), fits every base model per
fold and predicts the fold's test rows, fits the logistic meta-learner on the
out-of-fold predictions, and refits every base model on all rows.

The floor, "by-hand XGBoost fold fits + refits", is the bare work that cannot be
skipped: on the same checked folds (computed once, outside the timing — the
floor gets its folds for free), for each base model and fold fit a clone on the
training rows and ``predict_proba`` the test rows; then refit each base model on
all rows. Same parameters, seeds and threads.

One XGBoost thread: on the shared 2-core machines a 2-thread OpenMP fit stalls
whenever another job takes a core (a 0.4 s fit measured 4.2 s once), which swamped
the ratio (2.16x in one run under load, where both sides do the same XGBoost work);
single-threaded fits slow down in proportion instead. The stacker fits its base
models one after another either way (its ``n_jobs`` is left at None).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from harness import Bench
from sklearn.base import clone
from xgboost import XGBClassifier

from tr_core.splits import CheckedFolds, WalkForward, checked_folds
from tr_core.synthetic import make_insider_trades
from tr_ensemble.stacking import TimeSeriesStackingClassifier

N_THREADS = 1


def base_models() -> list[tuple[str, XGBClassifier]]:
    """Three XGBoost classifiers that differ in seed and depth."""
    common = {"n_estimators": 100, "learning_rate": 0.1, "tree_method": "hist"}
    return [
        (
            f"xgb_d{depth}",
            XGBClassifier(max_depth=depth, random_state=seed, n_jobs=N_THREADS, **common),
        )
        for seed, depth in ((0, 3), (1, 4), (2, 5))
    ]


def by_hand(
    models: list[tuple[str, XGBClassifier]], X: pd.DataFrame, y: np.ndarray, folds: CheckedFolds
) -> None:
    """Per model and fold: fit a clone on the training rows, predict the test rows; refit all."""
    for train, test in folds:
        X_train, y_train, X_test = X.iloc[train], y[train], X.iloc[test]
        for _, model in models:
            clone(model).fit(X_train, y_train).predict_proba(X_test)
    for _, model in models:
        clone(model).fit(X, y)


def run(bench: Bench) -> None:
    n = 20_000 if bench.quick else 80_000
    market = make_insider_trades(n, random_state=0)
    frame = market.frame
    X = frame[list(market.contract.features)]  # the 19 feature columns
    y = (frame["alpha"] > 0).to_numpy(dtype=np.int64)
    cv = WalkForward(5, times=frame["trade_date"], label_ends=frame["label_end"])
    folds = checked_folds(cv, X, disjoint_tests=True)
    models = base_models()
    stack = TimeSeriesStackingClassifier(models, cv=cv, verbose=False)
    n_fits = len(models) * (len(folds) + 1)
    n_meta = folds.tested_rows().size
    bench.within(
        f"TimeSeriesStackingClassifier, 3 XGBoost x WalkForward(5), {n:,} rows",
        lambda: stack.fit(X, y),
        lambda: by_hand(models, X, y, folds),
        floor_name="by-hand XGBoost fold fits + refits",
        at_most=1.10,
        repeat=2,
        note=f"ours / floor; {n_fits} XGBoost fits a side, {n_meta:,} meta rows",
    )
