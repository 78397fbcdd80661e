"""XGBoostOptimizer's own cost per trial against the same XGBoost fits written by hand.

Issue 11 target: one trial of ``XGBoostOptimizer`` over 5 walk-forward folds costs
at most 1.10x the same 5 bare ``xgboost`` fits and predictions written by hand.

The trial is pinned so that both sides do the same boosting: every parameter is
fixed except ``max_depth``, a categorical with a single choice (so the trial still
asks Optuna for a parameter), one thread, early stopping after 20 rounds on the
same validation slice. The floor builds the folds with ``WalkForward`` (5 splits,
purged by ``label_end``), holds out the last 20 % of each fold's training time with
``tr_core.splits.time_train_test_split`` (purged, as the tuner does), fits the same
``XGBClassifier`` with ``eval_set`` and predicts P(class 1) of the test rows. Before
timing, the benchmark checks that both sides use the same rows and stop after the
same rounds on every fold.

Three lines:

- per trial: ``study.optimize(objective, n_trials=1)`` on a study the tuner set up
  once (suggest, fit 5 folds, score, report to the pruner, record) against the
  floor's fits and predictions on folds sliced beforehand;
- the one-time setup (checks, folds, early-stopping slices, study), timed alone;
- one whole ``optimize(n_trials=1)`` call (setup, the trial, the result with its
  deflated Sharpe ratio and trial table) against the floor including its own folds
  and slices.

The per-trial line uses the optimizer's private ``_setup`` to reach the objective
without the setup; if that method is renamed, this module must follow.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from harness import Bench, Interleaved
from tuning_common import COLUMNS, FIXED_PARAMS, market, report
from xgboost import XGBClassifier

from tr_core.splits import WalkForward, time_train_test_split
from tr_tuning import XGBoostOptimizer
from tr_tuning.objective import trial_record
from tr_tuning.optimizer import quiet_optuna

N_FOLDS = 5
EARLY_STOPPING = 20
VALIDATION_FRACTION = 0.2

Slices = list[tuple[Any, ...]]


def slices(frame: pd.DataFrame, features: list[str]) -> Slices:
    """The floor's folds: walk-forward splits, a purged validation slice at each end."""
    times = frame[COLUMNS["times"]].to_numpy()
    ends = frame[COLUMNS["label_ends"]].to_numpy()
    X = frame[features]
    y = (frame[COLUMNS["target"]].to_numpy() > 0).astype(np.int8)
    folds = WalkForward(N_FOLDS, times=COLUMNS["times"], label_ends=COLUMNS["label_ends"])
    out = []
    for train, test in folds.split(frame):
        fit, val = time_train_test_split(
            train, times=times[train], label_ends=ends[train], test_size=VALIDATION_FRACTION
        )
        fit, val = train[fit], train[val]
        out.append((fit, val, test, X.iloc[fit], y[fit], X.iloc[val], y[val], X.iloc[test]))
    return out


def fit_predict(folds: Slices, max_rounds: int) -> list[int]:
    """The bare work: per fold, fit with early stopping and predict the test rows."""
    rounds = []
    for *_, X_fit, y_fit, X_val, y_val, X_test in folds:
        model = XGBClassifier(
            n_estimators=max_rounds,
            tree_method="hist",
            n_jobs=1,
            random_state=0,
            early_stopping_rounds=EARLY_STOPPING,
            **FIXED_PARAMS,
        )
        model.fit(X_fit, y_fit, eval_set=[(X_val, y_val)], verbose=False)
        model.predict_proba(X_test)
        rounds.append(int(model.best_iteration) + 1)
    return rounds


def run(bench: Bench) -> None:
    n_rows, max_rounds, repeat = (3_000, 20, 1) if bench.quick else (20_000, 200, 3)
    frame, features = market(n_rows)
    space = {**FIXED_PARAMS, "max_depth": ("categorical", [FIXED_PARAMS["max_depth"]])}
    optimizer = XGBoostOptimizer(
        space,
        n_trials=1,
        pruner="none",
        random_state=0,
        max_rounds=max_rounds,
        early_stopping_rounds=EARLY_STOPPING,
        validation_fraction=VALIDATION_FRACTION,
        n_jobs=1,
        verbose=False,
    )
    args: dict[str, Any] = {"features": features, **COLUMNS}

    def setup() -> dict[str, Any]:
        with quiet_optuna():
            return optimizer._setup(
                frame, features, COLUMNS["target"], COLUMNS["times"], COLUMNS["label_ends"],
                0.0, None,
            )  # fmt: skip

    state = setup()
    study, objective = state["study"], state["objective"]

    def one_trial() -> None:
        with quiet_optuna():
            study.optimize(objective, n_trials=1)

    # Same work on both sides: the same rows in every fold, the same rounds kept.
    prepared = slices(frame, features)
    one_trial()
    tuner_rounds = trial_record(study.trials[-1])["fold_rounds"]
    for ours, (fit, val, test, *_) in zip(objective.folds, prepared, strict=True):
        for mine, theirs in ((ours.fit_rows, fit), (ours.val_rows, val), (ours.test_rows, test)):
            if not np.array_equal(mine, theirs):
                raise AssertionError(f"fold {ours.fold}: the tuner and the floor use other rows")
    hand_rounds = fit_predict(prepared, max_rounds)
    if tuner_rounds != hand_rounds:
        raise AssertionError(f"rounds differ: tuner {tuner_rounds}, by hand {hand_rounds}")
    label = f"{N_FOLDS} walk-forward folds, {n_rows:,} rows, early stop at {hand_rounds}"

    per_trial = Interleaved.time(one_trial, lambda: fit_predict(prepared, max_rounds), repeat)
    report(
        bench,
        "XGBoostOptimizer: one trial (setup excluded)",
        ours_s=per_trial.ours_s,
        peer="by-hand XGBoost fit+predict",
        peer_s=per_trial.peer_s,
        ratio=per_trial.ours_s / per_trial.peer_s,
        passed=per_trial.ours_s / per_trial.peer_s <= 1.10,
        need="<= 1.1x slower",
        note=label,
    )
    setup_s = bench.absolute(
        "XGBoostOptimizer: one-time setup (folds, checks, study)", setup, repeat=repeat
    )
    print(f"{'':<52} setup = {setup_s / per_trial.ours_s:.1%} of one trial", flush=True)

    def whole() -> None:
        optimizer.optimize(frame, **args)

    def by_hand_whole() -> None:
        fit_predict(slices(frame, features), max_rounds)

    end_to_end = Interleaved.time(whole, by_hand_whole, repeat)
    report(
        bench,
        "XGBoostOptimizer: optimize(n_trials=1), end to end",
        ours_s=end_to_end.ours_s,
        peer="by hand, folds + fit+predict",
        peer_s=end_to_end.peer_s,
        ratio=end_to_end.ours_s / end_to_end.peer_s,
        passed=end_to_end.ours_s / end_to_end.peer_s <= 1.10,
        need="<= 1.1x slower",
        note="setup, 1 trial and the result (DSR, trial table)",
    )
