"""XGBoost tuning: a documented search space, and boosting rounds chosen by early stopping.

:class:`XGBoostOptimizer` is :class:`~tr_tuning.ModelOptimizer` with an XGBoost model
built per trial: ``XGBClassifier`` when ``label`` turns the target into classes
(the default: class 1 when the target is positive), ``XGBRegressor`` on the target
when ``label=None``. Boosting stops, in each fold, when the loss on a time-ordered
validation slice at the end of that fold's training rows has not improved for
``early_stopping_rounds`` rounds (see :mod:`tr_tuning.cross_validation`); the fold's
test rows are never looked at. The refit model uses the median over folds of the
rounds so chosen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from xgboost import XGBClassifier, XGBRegressor

from tr_core.errors import InvalidParameterError
from tr_core.weights import SampleWeight
from tr_tuning.cross_validation import FoldData
from tr_tuning.metrics import Metric
from tr_tuning.optimizer import ModelOptimizer
from tr_tuning.search_space import (
    DEFAULT_XGBOOST_REGRESSION_SPACE,
    DEFAULT_XGBOOST_SPACE,
    SearchSpace,
    check_search_space,
)

__all__ = ["XGBoostOptimizer"]


class XGBoostOptimizer(ModelOptimizer):
    """Tune XGBoost under leak-free time-series CV, pruning trials fold by fold.

    Parameters
    ----------
    search_space : dict or callable, optional
        Default :data:`~tr_tuning.search_space.DEFAULT_XGBOOST_SPACE` for a classifier
        (its docstring gives the reasons for each range) and
        :data:`~tr_tuning.search_space.DEFAULT_XGBOOST_REGRESSION_SPACE` for a
        regressor (the same without ``gamma``). ``n_estimators`` is decided by early
        stopping unless the space fixes or searches it.
    early_stopping_rounds : int or None, default 50
        Rounds without improvement on the validation slice before a fold's boosting
        stops; None boosts every fit for ``max_rounds`` rounds (no validation slice).
    validation_fraction : float, default 0.2
        Share of each fold's training timestamps (the latest) held out for early
        stopping, purged by ``label_ends`` from the rows before it.
    max_rounds : int, default 1000
        Upper bound of boosting rounds.
    device : str, default "cpu"
        XGBoost's ``device`` (``"cuda"``, ``"cuda:1"``), passed through unchanged.
    nan_policy : {"native", "drop"}, default "native"
        XGBoost routes NaN itself (a learned default direction per split).
    cv, metric, n_trials, timeout, sampler, pruner, storage, study_name, random_state,
    sample_weight, n_buckets, period, heartbeat_interval, n_jobs, verbose
        As in :class:`~tr_tuning.ModelOptimizer`; ``n_jobs`` is XGBoost's thread count.

    Examples
    --------
    >>> from tr_core.synthetic import make_insider_trades
    >>> data = make_insider_trades(3000, random_state=0)
    >>> opt = XGBoostOptimizer(n_trials=4, random_state=0, max_rounds=50, verbose=False)
    >>> result = opt.optimize(data.frame, features=data.contract.features, target="alpha",
    ...                       times="trade_date", label_ends="label_end")  # doctest: +SKIP
    """

    def __init__(
        self,
        search_space: Any = None,
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
        early_stopping_rounds: int | None = 50,
        validation_fraction: float = 0.2,
        max_rounds: int = 1000,
        device: str = "cpu",
        nan_policy: str = "native",
        period: str = "M",
        heartbeat_interval: int = 30,
        n_jobs: int | None = 1,
        verbose: bool = True,
    ) -> None:
        super().__init__(
            None,
            search_space,
            cv=cv,
            metric=metric,
            n_trials=n_trials,
            timeout=timeout,
            sampler=sampler,
            pruner=pruner,
            storage=storage,
            study_name=study_name,
            random_state=random_state,
            sample_weight=sample_weight,
            n_buckets=n_buckets,
            nan_policy=nan_policy,
            period=period,
            heartbeat_interval=heartbeat_interval,
            n_jobs=n_jobs,
            verbose=verbose,
        )
        self.early_stopping_rounds = early_stopping_rounds
        self.validation_fraction = validation_fraction
        self.max_rounds = max_rounds
        self.device = device

    def _model_name(self) -> str:
        return "XGBoost"

    def _space(self, classification: bool) -> SearchSpace:
        if self.search_space is not None:
            return check_search_space(self.search_space)
        if classification:
            return check_search_space(DEFAULT_XGBOOST_SPACE)
        return check_search_space(DEFAULT_XGBOOST_REGRESSION_SPACE)

    def _classification(self, label: Any) -> bool:
        return label is not None

    def _takes_nan(self) -> bool:
        return True

    def _validation_fraction(self) -> float | None:
        return None if self.early_stopping_rounds is None else float(self.validation_fraction)

    def _check_settings(self) -> None:
        esr = self.early_stopping_rounds
        if esr is not None and (isinstance(esr, bool) or not isinstance(esr, int) or esr < 1):
            raise InvalidParameterError(
                f"`early_stopping_rounds` must be None or a positive integer, got {esr!r}."
            )
        vf = self.validation_fraction
        if isinstance(vf, bool) or not isinstance(vf, int | float) or not 0.0 < vf < 1.0:
            raise InvalidParameterError(
                f"`validation_fraction` must be a fraction in (0, 1), got {vf!r}."
            )
        mr = self.max_rounds
        if isinstance(mr, bool) or not isinstance(mr, int) or mr < 1:
            raise InvalidParameterError(f"`max_rounds` must be a positive integer, got {mr!r}.")
        if not isinstance(self.device, str):
            raise InvalidParameterError(
                f"`device` must be a string such as 'cpu' or 'cuda', got {self.device!r}."
            )

    def _new_model(self, params: dict[str, Any], classification: bool) -> Any:
        cls = XGBClassifier if classification else XGBRegressor
        settings: dict[str, Any] = {
            "n_estimators": self.max_rounds,
            "tree_method": "hist",
            "device": self.device,
            "n_jobs": self.n_jobs,
            "random_state": self.random_state,
        }
        return cls(**(settings | params))

    def _fit_fold(
        self, params: dict[str, Any], fold: FoldData, classification: bool
    ) -> tuple[Any, int | None]:
        model = self._new_model(params, classification)
        if self.early_stopping_rounds is None:
            model.fit(fold.X_fit, fold.y_fit, sample_weight=fold.w_fit, verbose=False)
            return model, int(model.get_params()["n_estimators"])
        model.set_params(early_stopping_rounds=self.early_stopping_rounds)
        model.fit(
            fold.X_fit,
            fold.y_fit,
            sample_weight=fold.w_fit,
            eval_set=[(fold.X_val, fold.y_val)],
            verbose=False,
        )
        return model, int(model.best_iteration) + 1

    def _refit(
        self,
        params: dict[str, Any],
        X: pd.DataFrame,
        y: npt.NDArray[Any],
        w: npt.NDArray[np.float64] | None,
        classification: bool,
    ) -> Any:
        model = self._new_model(params, classification)
        return model.fit(X, y, sample_weight=w, verbose=False)
