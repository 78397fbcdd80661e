"""One trial: fit and score every fold, reporting to the pruner fold by fold.

Optuna's own XGBoost pruning callback reports boosting rounds as steps, so under
cross-validation only the first fold can report (the later folds collide on "step
already reported"), and a trial that is good on the first fold and bad on the
rest is never stopped. Here the step is the *fold*: after fold ``k`` the trial
reports the running mean of its fold scores at step ``k``, so the pruner compares
trials fold by fold, and a trial that turns bad on a later fold is pruned there.
The trial record says at which fold.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import optuna

from tr_core.errors import InsufficientDataError
from tr_evaluation.buckets import assign_buckets
from tr_evaluation.models import predict_scores
from tr_tuning.cross_validation import FoldData
from tr_tuning.metrics import Metric
from tr_tuning.optuna_study import worker_id
from tr_tuning.search_space import SearchSpace

__all__ = ["RECORD_ATTR", "FitFold", "TrialObjective", "trial_record"]

RECORD_ATTR = "record"
"""The user attribute holding a trial's record (see :func:`trial_record`)."""

FitFold = Callable[[dict[str, Any], FoldData], tuple[Any, int | None]]
"""Fit a fresh model with the trial's parameters on one fold: ``(model, n_rounds)``."""


@dataclass(frozen=True, eq=False)
class TrialObjective:
    """The callable Optuna optimizes: mean metric over the folds, pruned per fold.

    Each trial records its worker (user attribute ``worker``, set when it starts)
    and, when it ends, one ``record`` (:func:`trial_record`): its fold scores, the
    boosting rounds early stopping chose per fold, the fold it was pruned at, and —
    when complete — its per-period top-bucket returns (for PBO and the deflated
    Sharpe ratio).
    """

    folds: tuple[FoldData, ...]
    space: SearchSpace
    metric: Metric
    fit: FitFold
    n_buckets: int
    periods: tuple[str, ...]

    def __call__(self, trial: optuna.trial.Trial) -> float:
        params = self.space.suggest(trial)
        trial.set_user_attr("worker", worker_id())
        scores: list[float] = []
        rounds: list[int | None] = []
        sums = np.zeros(len(self.periods))
        counts = np.zeros(len(self.periods))
        for fold in self.folds:
            model, n_rounds = self.fit(params, fold)
            score = predict_scores(model, fold.X_test)
            try:
                value = self.metric(fold.y_test, score, fold.alpha_test, fold.w_test)
            except InsufficientDataError as exc:
                raise InsufficientDataError(f"fold {fold.fold}: {exc}") from exc
            scores.append(value)
            rounds.append(n_rounds)
            if not math.isfinite(value):
                self._record(
                    trial,
                    scores,
                    rounds,
                    failed_reason=f"{self.metric.name} is {value} on fold {fold.fold}",
                )
                return math.nan  # Optuna marks the trial failed; the study goes on
            # The top rows as the bucket metrics define them: the highest *occupied* bucket
            # (tied top scores can leave bucket n-1 empty; a constant score fills one bucket).
            buckets = np.asarray(assign_buckets(score, self.n_buckets))
            top = buckets == buckets.max()
            np.add.at(sums, fold.test_periods[top], fold.alpha_test[top])
            np.add.at(counts, fold.test_periods[top], 1.0)
            running = float(np.mean(scores))
            trial.report(running, step=fold.fold)
            if trial.should_prune():
                self._record(trial, scores, rounds, pruned_at_fold=fold.fold)
                raise optuna.TrialPruned(
                    f"pruned after fold {fold.fold}: running {self.metric.name} {running:.4g}"
                )
        with np.errstate(invalid="ignore", divide="ignore"):
            means = sums / counts
        period_returns = {
            p: (float(m) if c > 0 else None)
            for p, m, c in zip(self.periods, means, counts, strict=True)
        }
        self._record(trial, scores, rounds, period_returns=period_returns)
        return float(np.mean(scores))

    @staticmethod
    def _record(
        trial: optuna.trial.Trial,
        scores: list[float],
        rounds: list[int | None],
        **extra: Any,
    ) -> None:
        # One attribute, written once: every write to a journal file is an fsync'd append.
        record: dict[str, Any] = {"fold_scores": scores, **extra}
        if any(r is not None for r in rounds):
            record["fold_rounds"] = rounds
        trial.set_user_attr(RECORD_ATTR, record)


def trial_record(trial: optuna.trial.FrozenTrial) -> dict[str, Any]:
    """What a trial recorded: ``fold_scores``, and where they apply ``fold_rounds``,
    ``pruned_at_fold``, ``period_returns`` and ``failed_reason``; empty before it ends."""
    record = trial.user_attrs.get(RECORD_ATTR, {})
    return record if isinstance(record, dict) else {}
