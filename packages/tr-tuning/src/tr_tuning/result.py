"""The outcome of a study: best parameters, every trial, selection bias, plots, the refit model."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import optuna
import pandas as pd

from tr_core.errors import InsufficientDataError, InvalidParameterError
from tr_core.jsonable import plain
from tr_evaluation.metrics import SelectionBias, period_matrix, selection_bias
from tr_tuning.objective import trial_record
from tr_tuning.optuna_study import ATTR_PREFIX

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["TuningResult", "trials_frame"]

_FINISHED = (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)


@dataclass(frozen=True, eq=False)
class TuningResult:
    """Best parameters and the full record of a study.

    Attributes
    ----------
    study_name : str
        The study's name in its storage.
    storage : str
        Where the study lives (password hidden).
    metric : str
        The metric optimized.
    direction : {"maximize", "minimize"}
        Its direction.
    best_params : dict
        The best completed trial's parameters (fixed ones included), plus
        ``n_estimators`` chosen by early stopping when the model boosts.
    best_value : float
        Its cross-validated score (mean over folds).
    best_trial : int
        Its trial number.
    n_folds : int
        Folds each trial is scored on.
    trials : DataFrame
        One row per trial: state, value, parameters, per-fold scores, fold pruned at,
        boosting rounds, duration, worker.
    selection : SelectionBias
        Deflated Sharpe ratio of the best trial and PBO across the completed trials.
    holdout_value : float or None
        The refit best model's score on the holdout frame (reported, never used to
        select), None without a holdout.
    """

    study_name: str
    storage: str
    metric: str
    direction: str
    best_params: dict[str, Any]
    best_value: float
    best_trial: int
    n_folds: int
    trials: pd.DataFrame
    selection: SelectionBias
    holdout_value: float | None = None
    study: optuna.Study | None = field(default=None, repr=False)
    _refit: Callable[[], Any] | None = field(default=None, repr=False)
    _model: list[Any] = field(default_factory=list, repr=False)

    def __repr__(self) -> str:
        holdout = "" if self.holdout_value is None else f", holdout={self.holdout_value:.4g}"
        return (
            f"TuningResult(study={self.study_name!r}, metric={self.metric!r}, "
            f"best_value={self.best_value:.4g}{holdout}, best_trial={self.best_trial}, "
            f"n_trials={len(self.trials)}, dsr={self.selection.deflated_sharpe:.3g}, "
            f"pbo={self.selection.pbo:.3g})"
        )

    @classmethod
    def from_study(
        cls,
        study: optuna.Study,
        *,
        storage: str,
        holdout_value: float | None = None,
        refit: Callable[[], Any] | None = None,
    ) -> TuningResult:
        """Read a stored study (e.g. for ``tr-tune show``); ``best_model`` needs ``refit``.

        Raises
        ------
        InsufficientDataError
            The study has no completed trial yet.
        """
        # One read of the trials for everything below: other workers keep writing to a
        # shared study, and a best picked from one read beside a table from another
        # could disagree (a trial completed in between).
        snapshot = study.get_trials(deepcopy=False)
        complete = [t for t in snapshot if t.state == optuna.trial.TrialState.COMPLETE]
        if not complete:
            raise InsufficientDataError(
                f"study {study.study_name!r} has no completed trial yet; run more trials "
                "(or check the failed ones in its trial table)."
            )
        # Picked from the trials already read (one storage query, not another one).
        pick = max if study.direction == optuna.study.StudyDirection.MAXIMIZE else min
        best = pick(complete, key=lambda t: float(t.value if t.value is not None else math.nan))
        params = dict(best.params)
        fixed = study.user_attrs.get(ATTR_PREFIX + "fixed_params")
        if isinstance(fixed, dict):
            params = {**fixed, **params}
        rounds = trial_record(best).get("fold_rounds")
        if rounds:
            params["n_estimators"] = boosting_rounds(rounds)
        records = {t.number: trial_record(t).get("period_returns", {}) for t in complete}
        n_tried = sum(t.state in _FINISHED for t in snapshot)
        bias = selection_bias(period_matrix(records), best.number, n_tried=n_tried)
        return cls(
            study_name=study.study_name,
            storage=storage,
            metric=str(study.user_attrs.get(ATTR_PREFIX + "metric", "value")),
            direction=study.direction.name.lower(),
            best_params=params,
            best_value=float(best.value if best.value is not None else math.nan),
            best_trial=best.number,
            n_folds=int(study.user_attrs.get(ATTR_PREFIX + "n_folds", 0)),
            trials=_frame_of(snapshot),
            selection=bias,
            holdout_value=holdout_value,
            study=study,
            _refit=refit,
        )

    def to_frame(self) -> pd.DataFrame:
        """The trial table (a copy)."""
        return self.trials.copy()

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-ready dict: best trial, CV and holdout scores, trials, selection bias."""
        states = self.trials["state"].value_counts().to_dict() if len(self.trials) else {}
        return {
            "study_name": self.study_name,
            "storage": self.storage,
            "metric": self.metric,
            "direction": self.direction,
            "best_trial": self.best_trial,
            "best_value": plain(self.best_value),
            "holdout_value": None if self.holdout_value is None else plain(self.holdout_value),
            "best_params": {k: plain(v) for k, v in self.best_params.items()},
            "n_folds": self.n_folds,
            "trials": {str(k): int(v) for k, v in states.items()},
            "selection_bias": self.selection.summary(),
        }

    def best_model(self) -> Any:
        """The best parameters refit on all training rows (fit once, then cached).

        For boosted trees, the number of rounds is the median over folds of what
        early stopping chose in the best trial.

        Raises
        ------
        InvalidParameterError
            The result was read from storage without its data (``tr-tune show``).
        """
        if not self._model:
            if self._refit is None:
                raise InvalidParameterError(
                    "this result was read from a stored study without its data, so the best "
                    "model cannot be refit; run optimizer.optimize(frame, ...) with the same "
                    "storage and study name (it continues the study and can refit)."
                )
            self._model.append(self._refit())
        return self._model[0]

    def param_importances(self) -> pd.Series:
        """fANOVA importance of each searched parameter (Hutter et al. 2014), seeded.

        Raises
        ------
        InsufficientDataError
            Fewer than 2 completed trials, or no study attached.
        """
        study = self._require_study()
        complete = self.trials["state"].eq("COMPLETE").sum()
        if complete < 2:
            raise InsufficientDataError(
                f"parameter importances need at least 2 completed trials, got {complete}."
            )
        evaluator = optuna.importance.FanovaImportanceEvaluator(seed=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            values = optuna.importance.get_param_importances(study, evaluator=evaluator)
        return pd.Series(values, name="importance", dtype=np.float64).rename_axis("param")

    def plot_history(self) -> Figure:
        """Objective value of every trial and the best so far (Optuna's matplotlib plot)."""
        from optuna.visualization.matplotlib import plot_optimization_history

        return self._figure(plot_optimization_history, "optimization history")

    def plot_importances(self) -> Figure:
        """Bar chart of :meth:`param_importances`."""
        from optuna.visualization.matplotlib import plot_param_importances

        self.param_importances()  # refuses too few trials with a clear message
        evaluator = optuna.importance.FanovaImportanceEvaluator(seed=0)
        return self._figure(
            lambda s: plot_param_importances(s, evaluator=evaluator), "parameter importances"
        )

    def plot_slices(self) -> Figure:
        """Objective value against each searched parameter, one panel per parameter."""
        from optuna.visualization.matplotlib import plot_slice

        return self._figure(plot_slice, "slices")

    def _figure(self, draw: Callable[[optuna.Study], Any], what: str) -> Figure:
        study = self._require_study()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            axes = draw(study)
        first = np.asarray(axes, dtype=object).reshape(-1)[0]
        fig: Figure = first.figure
        fig.suptitle(f"{self.study_name}: {what} ({self.metric}, {self.direction})")
        return fig

    def _require_study(self) -> optuna.Study:
        if self.study is None:
            raise InsufficientDataError("no study is attached to this result.")
        return self.study


def boosting_rounds(rounds: list[int | None]) -> int:
    """Rounds for the refit: the median over folds of what early stopping chose."""
    known = [r for r in rounds if r is not None]
    return round(float(np.median(known)))


def trials_frame(study: optuna.Study) -> pd.DataFrame:
    """One row per trial of ``study``: state, value, parameters, per-fold scores and more."""
    return _frame_of(study.get_trials(deepcopy=False))


def _frame_of(trials: Sequence[optuna.trial.FrozenTrial]) -> pd.DataFrame:
    rows = []
    for t in trials:
        attrs = trial_record(t)
        row: dict[str, Any] = {
            "trial": t.number,
            "state": t.state.name,
            "value": t.value if t.value is not None else math.nan,
        }
        row |= {f"param_{k}": v for k, v in t.params.items()}
        for k, score in enumerate(attrs.get("fold_scores", [])):
            row[f"fold_{k}"] = score
        pruned = attrs.get("pruned_at_fold")
        row["pruned_at_fold"] = pruned if pruned is not None else pd.NA
        rounds = attrs.get("fold_rounds")
        row["n_rounds"] = boosting_rounds(rounds) if rounds else pd.NA
        duration = t.duration
        row["duration_s"] = duration.total_seconds() if duration is not None else math.nan
        row["worker"] = t.user_attrs.get("worker", "")
        if "failed_reason" in attrs:
            row["failed_reason"] = attrs["failed_reason"]
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    for col in ("pruned_at_fold", "n_rounds"):
        frame[col] = frame[col].astype("Int64")
    return frame.set_index("trial").sort_index()
