"""Tune any scikit-learn estimator under leak-free time-series cross-validation.

:class:`ModelOptimizer` is the machinery; :class:`~tr_tuning.XGBoostOptimizer` is the
same machinery with XGBoost's search space and early stopping. A study runs in this
process, or is shared by many processes and machines through its storage (see
:mod:`tr_tuning.optuna_study`): every worker runs the same script (or
``tr-tune worker``), and together they stop when the study holds ``n_trials``
finished trials.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
import optuna
import pandas as pd
from tqdm.auto import tqdm

from tr_core.alignment import align_to
from tr_core.deprecation import NOT_GIVEN
from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    LookaheadError,
    MissingColumnError,
    TrTypeError,
)
from tr_core.nan import check_nan_policy, takes_nan
from tr_core.periods import calendar_periods
from tr_core.splits import CheckedFolds, WalkForward, checked_folds
from tr_core.validation import as_datetime_array, as_float_array, check_columns
from tr_core.weights import SampleWeight, TrainingWeights, resolve_sample_weight
from tr_evaluation.buckets import check_n_buckets
from tr_evaluation.models import Label, make_labels, model_task, predict_scores
from tr_evaluation.parallel import check_n_jobs
from tr_evaluation.progress import show_progress
from tr_tuning.bayesian_search import make_pruner, make_sampler
from tr_tuning.cross_validation import FoldData, prepare_folds
from tr_tuning.metrics import Metric, require_both_classes, resolve_metric
from tr_tuning.objective import TrialObjective, trial_record
from tr_tuning.optuna_study import (
    ATTR_PREFIX,
    DEFAULT_STUDY_NAME,
    describe_storage,
    open_storage,
    open_study,
)
from tr_tuning.result import TuningResult
from tr_tuning.search_space import SearchSpace, check_search_space

__all__ = ["ModelOptimizer"]

_NAN_POLICIES = ("drop", "native")
_FINISHED = (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)
_MAXIMIZE = optuna.study.StudyDirection.MAXIMIZE
DEFAULT_N_SPLITS = 5
MAX_CONSECUTIVE_FAILURES = 10
"""A worker stops (with an error) after this many failed trials in a row."""


class ModelOptimizer:
    """Tune a scikit-learn estimator's hyperparameters with Optuna under time-series CV.

    Every trial fits a fresh copy of ``estimator`` with the trial's parameters on each
    fold's training rows and scores the fold's test rows; the trial's value is the
    mean over folds. After each fold the running mean is reported to the pruner at
    step = fold number, so unpromising trials stop early, fold by fold.

    Parameters
    ----------
    estimator : scikit-learn classifier or regressor
        The template (cloned per fit, never fitted itself). A classifier learns the
        classes of ``label``; a regressor learns the target.
    search_space : dict or callable
        Parameter ranges (see :mod:`tr_tuning.search_space`) or ``trial -> params``.
    cv : splitter or iterable of (train, test), optional
        Any tr-core splitter (or scikit-learn-style splitter, or folds). Default:
        ``WalkForward(5, times=times, label_ends=label_ends)``. Its folds pass the
        shared fold check (:func:`tr_core.splits.checked_folds`) once.
    metric : str or Metric, default "top_bucket_return"
        See :mod:`tr_tuning.metrics`.
    n_trials : int, default 100
        Finished (complete or pruned) trials the *study* should hold; a resumed or
        shared study counts the trials already there.
    timeout : float, optional
        Stop this worker after so many seconds.
    sampler : str or optuna sampler, default "tpe"
        See :mod:`tr_tuning.bayesian_search`.
    pruner : str or optuna pruner, default "median"
        ``"median"``, ``"hyperband"``, ``"none"`` or an optuna pruner; steps are folds.
    storage : None, path or URL, optional
        In memory, a journal file, or a database (see :mod:`tr_tuning.optuna_study`).
    study_name : str, optional
        Name of the study in the storage; default ``"tr-tuning"``.
    random_state : int, optional
        Seeds the sampler and, when it has one, the estimator's ``random_state``. An
        in-memory study is reproducible; with a storage each worker's sampler is
        seeded from ``random_state`` and its process id, so workers sharing a study
        explore different parameters.
    sample_weight : array-like, Series, str or callable, optional
        Training weights (:mod:`tr_core.weights`): a callable/weighter is computed on
        each fold's fit rows only. Metrics are unweighted unless a custom metric
        reads its ``sample_weight``.
    n_buckets : int, default 20
        Buckets of the bucket metrics and of the per-period returns.
    nan_policy : {"drop", "native"}, default "drop"
        ``"drop"`` leaves rows with a missing feature out of each fold (train and
        test separately); ``"native"`` passes NaN to a model that routes it itself
        (XGBoost, LightGBM, HistGradientBoosting). Filling with a constant is refused.
    period : str, default "M"
        Calendar period (pandas alias) of the per-period returns behind the deflated
        Sharpe ratio and PBO.
    heartbeat_interval : int, default 30
        Seconds between heartbeats of a running trial (database storages).
    n_jobs : int, optional
        Threads of each model fit, set on the estimator's ``n_jobs`` when it has one;
        None leaves the estimator's own setting.
        Trials run one after the other in a worker (pruning needs their order);
        more workers share a study through its storage.
    verbose : bool, default True
        A progress bar over trials with the best value so far (off when not a TTY).
    """

    def __init__(
        self,
        estimator: Any,
        search_space: Any,
        *,
        cv: Any = None,
        metric: str | Metric = "top_bucket_return",
        n_trials: int = 100,
        timeout: float | None = None,
        sampler: Any = "tpe",
        pruner: Any = "median",
        storage: Any = None,
        study_name: str | None = None,
        random_state: int | None = None,
        sample_weight: SampleWeight = None,
        n_buckets: int = 20,
        nan_policy: str = "drop",
        period: str = "M",
        heartbeat_interval: int = 30,
        n_jobs: int | None = None,
        verbose: bool = True,
    ) -> None:
        self.estimator = estimator
        self.search_space = search_space
        self.cv = cv
        self.metric = metric
        self.n_trials = n_trials
        self.timeout = timeout
        self.sampler = sampler
        self.pruner = pruner
        self.storage = storage
        self.study_name = study_name
        self.random_state = random_state
        self.sample_weight = sample_weight
        self.n_buckets = n_buckets
        self.nan_policy = nan_policy
        self.period = period
        self.heartbeat_interval = heartbeat_interval
        self.n_jobs = n_jobs
        self.verbose = verbose

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(estimator={self._model_name()}, metric={self.metric!r}, "
            f"n_trials={self.n_trials}, sampler={self.sampler!r}, pruner={self.pruner!r}, "
            f"storage={describe_storage(self.storage)!r})"
        )

    # -- hooks for subclasses ---------------------------------------------------------
    def _model_name(self) -> str:
        return type(self.estimator).__name__

    def _space(self, classification: bool) -> SearchSpace:
        return check_search_space(self.search_space)

    def _classification(self, label: Any) -> bool:
        task = model_task(self.estimator)
        if task == "regression" and label is not None and label is not NOT_GIVEN:
            raise InvalidParameterError(
                f"{self._model_name()} is a regressor and learns the target itself; pass "
                "label=None (a `label` threshold is for classifiers)."
            )
        return task == "classification"

    def _check_settings(self) -> None:
        """Check the parameters only this kind of optimizer has (none here)."""

    def _takes_nan(self) -> bool:
        return takes_nan(self.estimator)

    def _validation_fraction(self) -> float | None:
        """Share of each fold's training time held out for early stopping (None: none)."""
        return None

    def _new_model(self, params: dict[str, Any], classification: bool) -> Any:
        from sklearn.base import clone

        model = clone(self.estimator)
        settable = model.get_params(deep=False)
        extra = {
            k: v
            for k, v in (("random_state", self.random_state), ("n_jobs", self.n_jobs))
            if k in settable and v is not None
        }
        return model.set_params(**extra, **params)

    def _fit_fold(
        self, params: dict[str, Any], fold: FoldData, classification: bool
    ) -> tuple[Any, int | None]:
        model = self._new_model(params, classification)
        kwargs = {} if fold.w_fit is None else {"sample_weight": fold.w_fit}
        model.fit(fold.X_fit, fold.y_fit, **kwargs)
        return model, None

    def _refit(
        self,
        params: dict[str, Any],
        X: pd.DataFrame,
        y: npt.NDArray[Any],
        w: npt.NDArray[np.float64] | None,
        classification: bool,
    ) -> Any:
        model = self._new_model(params, classification)
        kwargs = {} if w is None else {"sample_weight": w}
        return model.fit(X, y, **kwargs)

    # -- the public API ---------------------------------------------------------------
    def optimize(
        self,
        frame: pd.DataFrame,
        *,
        features: Iterable[str],
        target: str,
        times: Any = None,
        label_ends: Any = None,
        label: Label | None = NOT_GIVEN,
        holdout: pd.DataFrame | None = None,
    ) -> TuningResult:
        """Run (or continue, or join) the study and return its result.

        Parameters
        ----------
        frame : DataFrame
            Training rows, one per event; never modified or reordered.
        features : iterable of str
            Feature columns.
        target : str
            Realized return column: the bucket metrics and per-period returns read
            it; regressors learn it; classifiers learn its classes (``label``).
        times : str or array-like, optional
            Decision-time column (or one datetime per row). Needed for the default
            ``cv``; defaults to the splitter's own ``times``.
        label_ends : str or array-like, optional
            When each row's outcome window closes: used to purge (folds, the
            early-stopping slice) and to check the holdout.
        label : float, callable or None, optional
            For a classifier: class 1 when ``target > label`` (or ``label(target)``
            returning 0/1 per row); default 0.0 (a positive target is class 1). A
            regressor learns the target itself: leave ``label`` out (or None).
            :class:`~tr_tuning.XGBoostOptimizer` builds a classifier unless
            ``label=None``.
        holdout : DataFrame, optional
            Later rows, strictly after every training row (and its label window),
            scored once by the refit best model and reported next to the CV score —
            never used to select anything.

        Returns
        -------
        TuningResult

        Raises
        ------
        MissingColumnError, InvalidParameterError, TrTypeError, NonFiniteError,
        InsufficientDataError, FoldError, LookaheadError, StorageUnavailableError,
        StudyMismatchError
            Bad input, each naming the argument and the fix; all raised before the
            first trial.
        """
        with quiet_optuna():
            setup = self._setup(frame, features, target, times, label_ends, label, holdout)
            study = setup["study"]
            remaining = self.n_trials - _count_finished(study)
            if remaining > 0:
                self._run(study, setup["objective"], remaining)
            return self._result(study, setup, frame, holdout, target)

    # -- internals ----------------------------------------------------------------------
    def _setup(
        self,
        frame: Any,
        features: Iterable[str],
        target: str,
        times: Any,
        label_ends: Any,
        label: Any,
        holdout: Any,
    ) -> dict[str, Any]:
        if not isinstance(frame, pd.DataFrame):
            raise TrTypeError(f"`frame` must be a DataFrame, got {type(frame).__name__}.")
        self._check_settings()
        feature_list = _columns(frame, features, target, times, label_ends)
        n_buckets = check_n_buckets(self.n_buckets)
        metric = resolve_metric(self.metric, n_buckets)
        _check_count(self.n_trials, "n_trials")
        if self.timeout is not None and not (
            isinstance(self.timeout, int | float) and self.timeout > 0
        ):
            raise InvalidParameterError(
                f"`timeout` must be None or a positive number of seconds, got {self.timeout!r}."
            )
        _check_count(self.heartbeat_interval, "heartbeat_interval")
        check_n_jobs(self.n_jobs)
        nan_policy = check_nan_policy(self.nan_policy, _NAN_POLICIES)
        classification = self._classification(label)
        label = 0.0 if label is NOT_GIVEN else label
        space = self._space(classification)
        if metric.needs_classes and not classification:
            raise InvalidParameterError(
                f"`metric`={metric.name!r} scores classes, but the model is a regressor; use a "
                "classifier (a `label` threshold) or metric='top_bucket_return'/'ic'/'spread'."
            )
        alpha = as_float_array(frame[target], f"target {target!r}")
        for col in feature_list:
            as_float_array(frame[col], f"feature {col!r}", allow_nan=True)
        y = (
            make_labels(frame[target], label, where=f"target {target!r}", require_both=True)
            if classification
            else alpha
        )
        weights = resolve_sample_weight(self.sample_weight, frame)
        folds = self._folds(frame, times, label_ends)
        complete: npt.NDArray[np.bool_] | None = None
        if nan_policy == "drop":
            complete = ~np.asarray(frame[feature_list].isna().to_numpy().any(axis=1))
        elif not self._takes_nan() and frame[feature_list].isna().to_numpy().any():
            raise InvalidParameterError(
                f"`nan_policy`='native', but {self._model_name()} cannot route missing "
                "values and the features have NaN; use nan_policy='drop' or a model that "
                "routes NaN (XGBoost, LightGBM, HistGradientBoosting)."
            )
        codes, periods = self._periods(frame, times, folds)
        fold_data = prepare_folds(
            frame,
            folds,
            features=feature_list,
            y=y,
            alpha=alpha,
            weights=weights,
            complete=complete,
            validation_fraction=self._validation_fraction(),
            period_codes=codes,
            classification=classification,
        )
        self._check_fold_sizes(fold_data, metric, n_buckets)
        if holdout is not None:
            _check_holdout(holdout, frame, feature_list, target, times, label_ends, folds)
        storage = open_storage(self.storage, heartbeat_interval=self.heartbeat_interval)
        shared = not isinstance(storage, optuna.storages.InMemoryStorage)
        sampler = make_sampler(self.sampler, random_state=self.random_state, shared=shared)
        pruner = make_pruner(self.pruner, len(fold_data))
        attrs = {
            "metric": metric.name,
            "search_space": space.describe(),
            "model": self._model_name(),
        }
        study_name = self.study_name or DEFAULT_STUDY_NAME
        study = open_study(
            storage,
            study_name,
            direction=metric.direction,
            attrs=attrs,
            sampler=sampler,
            pruner=pruner,
        )
        fixed = {r.name: r.value for r in space.ranges if r.kind == "fixed"}
        for key, value in (("n_folds", len(fold_data)), ("fixed_params", fixed)):
            if ATTR_PREFIX + key not in study.user_attrs:
                study.set_user_attr(ATTR_PREFIX + key, value)
        objective = TrialObjective(
            folds=fold_data,
            space=space,
            metric=metric,
            fit=lambda params, fold: self._fit_fold(params, fold, classification),
            n_buckets=n_buckets,
            periods=periods,
        )
        return {
            "study": study,
            "objective": objective,
            "metric": metric,
            "features": feature_list,
            "y": y,
            "weights": weights,
            "complete": complete,
            "classification": classification,
            "label": label,
            "storage": describe_storage(self.storage),
        }

    def _folds(self, frame: pd.DataFrame, times: Any, label_ends: Any) -> CheckedFolds:
        cv = self.cv
        if cv is None:
            if times is None:
                raise InvalidParameterError(
                    "give `times` (the decision-time column) for the default "
                    f"cv=WalkForward({DEFAULT_N_SPLITS}, times=...), or pass a `cv` of your own."
                )
            cv = WalkForward(DEFAULT_N_SPLITS, times=times, label_ends=label_ends)
        folds = checked_folds(cv, frame, times=times, label_ends=label_ends)
        if len(folds) < 2:
            raise InvalidParameterError(
                f"`cv` gives {len(folds)} fold; tuning needs at least 2 (one fold selects "
                "parameters on a single test period). Use e.g. WalkForward(n_splits=5, ...)."
            )
        return folds

    def _periods(
        self, frame: pd.DataFrame, times: Any, folds: CheckedFolds
    ) -> tuple[npt.NDArray[np.intp], tuple[str, ...]]:
        # The periods are read on the times' own wall clock (tz kept), so given times are
        # used as given: a column, or per-row values aligned to the frame (a Series by
        # label, an array by position with its length checked).
        raw: Any
        own = getattr(self.cv, "times", None)
        if isinstance(times, str):
            raw = frame[times]
        elif isinstance(times, pd.Series):
            raw = align_to(frame.index, times, "times")
        elif times is not None:  # checked as datetimes by the fold check already
            raw = pd.DatetimeIndex(align_to(frame.index, times, "times"))
        elif isinstance(own, str):
            raw = frame[own]
        else:  # the splitter's own per-row times, as the fold check resolved them (UTC)
            raw = pd.DatetimeIndex(folds.times)
        period_index = calendar_periods(raw, self.period, name="times")
        codes, uniques = pd.factorize(np.asarray(period_index.astype(str)), sort=True)
        return codes.astype(np.intp), tuple(str(u) for u in uniques)

    def _check_fold_sizes(
        self, folds: tuple[FoldData, ...], metric: Metric, n_buckets: int
    ) -> None:
        for fold in folds:
            if fold.test_rows.size < n_buckets:
                raise InsufficientDataError(
                    f"fold {fold.fold} has {fold.test_rows.size} test rows, fewer than "
                    f"n_buckets={n_buckets}; use fewer buckets or longer test blocks."
                )
            if metric.builtin and metric.needs_classes:
                try:
                    require_both_classes(fold.y_test, metric.name)
                except InsufficientDataError as exc:
                    raise InsufficientDataError(f"fold {fold.fold}: {exc}") from exc

    def _run(self, study: optuna.Study, objective: TrialObjective, remaining: int) -> None:
        """Run trials until the study holds ``n_trials`` finished ones (or time runs out).

        Failed trials (a non-finite score, a dead worker's trial) do not count, so a
        worker keeps going until the study is full — and stops with a clear error
        after :data:`MAX_CONSECUTIVE_FAILURES` failures in a row rather than forever.
        """
        bar = tqdm(
            total=remaining,
            desc=f"trials ({study.study_name})",
            disable=not show_progress(self.verbose),
            leave=False,
        )
        failures: list[optuna.trial.FrozenTrial] = []
        best: list[float] = []

        def after_trial(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
            if trial.state == optuna.trial.TrialState.FAIL:
                failures.append(trial)
                if len(failures) >= MAX_CONSECUTIVE_FAILURES:
                    study.stop()
                return
            failures.clear()
            if trial.state not in _FINISHED:
                return
            bar.update(1)
            # The best this worker has seen, tracked here: asking the storage for the
            # study's best after every trial would cost a query per trial.
            value = trial.value if trial.state == optuna.trial.TrialState.COMPLETE else None
            if value is not None and (
                not best or (value > best[0]) == (study.direction == _MAXIMIZE)
            ):
                best[:] = [value]
                bar.set_postfix(best=f"{value:.4g}", refresh=False)

        stop_at_total = optuna.study.MaxTrialsCallback(self.n_trials, states=_FINISHED)
        try:
            study.optimize(
                objective,
                n_trials=None,
                timeout=self.timeout,
                callbacks=[stop_at_total, after_trial],
            )
        finally:
            bar.close()
        if len(failures) >= MAX_CONSECUTIVE_FAILURES:
            reason = trial_record(failures[-1]).get("failed_reason", "see the trial table")
            raise InsufficientDataError(
                f"{len(failures)} trials in a row failed (last: {reason}); the study stops "
                "rather than retry forever. Check the search space (e.g. a model too "
                "regularized to rank anything), the metric and the fold sizes."
            )

    def _result(
        self,
        study: optuna.Study,
        setup: dict[str, Any],
        frame: pd.DataFrame,
        holdout: pd.DataFrame | None,
        target: str,
    ) -> TuningResult:
        features: list[str] = setup["features"]
        complete = setup["complete"]
        rows = np.arange(len(frame)) if complete is None else np.flatnonzero(complete)
        weights: TrainingWeights = setup["weights"]
        classification: bool = setup["classification"]

        def refit() -> Any:
            params = dict(result.best_params)
            w = weights.for_rows(frame, rows, where="the refit on all training rows")
            return self._refit(
                params, frame[features].iloc[rows], setup["y"][rows], w, classification
            )

        result = TuningResult.from_study(study, storage=setup["storage"], refit=refit)
        if holdout is None:
            return result
        value = self._holdout_value(
            result.best_model(),
            holdout,
            features,
            target,
            setup["label"],
            setup["metric"],
            classification,
        )
        return replace(result, holdout_value=value)

    def _holdout_value(
        self,
        model: Any,
        holdout: pd.DataFrame,
        features: list[str],
        target: str,
        label: Any,
        metric: Metric,
        classification: bool,
    ) -> float:
        rows = holdout
        if self.nan_policy == "drop":
            rows = holdout.iloc[np.flatnonzero(holdout[features].notna().to_numpy().all(axis=1))]
        if len(rows) == 0:
            raise InsufficientDataError(
                "every holdout row has a missing feature (nan_policy='drop'); nothing to score."
            )
        alpha = as_float_array(rows[target], f"holdout target {target!r}")
        y = (
            make_labels(rows[target], label, where="the holdout", require_both=False)
            if classification
            else alpha
        )
        score = predict_scores(model, rows[features])
        return metric(y, score, alpha, None)


@contextmanager
def quiet_optuna() -> Iterator[None]:
    """Optuna's INFO lines (one per trial) off while tuning: the progress bar reports."""
    logger = optuna.logging.get_logger("optuna")
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


def _count_finished(study: optuna.Study) -> int:
    return len(study.get_trials(deepcopy=False, states=_FINISHED))


def _check_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise InvalidParameterError(f"`{name}` must be a positive integer, got {value!r}.")
    return int(value)


def _columns(
    frame: pd.DataFrame, features: Iterable[str], target: str, times: Any, label_ends: Any
) -> list[str]:
    feature_list = [features] if isinstance(features, str) else list(features)
    if not feature_list:
        raise InvalidParameterError("`features` is empty; name the columns the model is fit on.")
    check_columns(
        frame,
        {"features": feature_list, "target": target, "times": times, "label_ends": label_ends},
    )
    if target in feature_list:
        raise InvalidParameterError(
            f"`features` contains the target {target!r}: the model would see the outcome. "
            "Remove it from `features`."
        )
    return feature_list


def _check_holdout(
    holdout: Any,
    frame: pd.DataFrame,
    features: list[str],
    target: str,
    times: Any,
    label_ends: Any,
    folds: CheckedFolds,
) -> None:
    """The holdout must be a frame of the same columns, strictly after the training rows."""
    if not isinstance(holdout, pd.DataFrame):
        raise TrTypeError(f"`holdout` must be a DataFrame, got {type(holdout).__name__}.")
    if not isinstance(times, str):
        raise InvalidParameterError(
            "a `holdout` needs `times` given as a column name, so that its rows' times can "
            "be checked against the training rows'."
        )
    missing = [c for c in (*features, target, times) if c not in holdout.columns]
    if missing:
        raise MissingColumnError(f"`holdout` lacks the columns {missing} of the training frame.")
    as_float_array(holdout[target], f"holdout target {target!r}")
    start = as_datetime_array(holdout[times], "holdout times").min()
    last_time = folds.times.max()
    last_end = folds.label_ends.max()
    if start <= last_time or start <= last_end:
        which = "decision time" if start <= last_time else "label window end"
        latest = pd.Timestamp(max(last_time, last_end) if start <= last_end else last_time)
        raise LookaheadError(
            f"`holdout` starts at {pd.Timestamp(start)}, but a training row's {which} reaches "
            f"{latest}: the holdout must lie strictly after every training row and its label "
            "window. Move the split date, or drop the overlapping training rows."
        )
