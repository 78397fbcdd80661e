"""The models feature selection trains: a documented XGBoost default, or any scikit-learn model.

Every function here works on an *unfitted copy* of the caller's model, so a model
object passed in is never fitted or re-configured in place, and each feature group
or fold trains a fresh estimator with the same settings.

Labels, the task and the ranking scores are the rules every package that trains a
model per fold shares (:mod:`tr_evaluation.models`); they are re-exported here.
"""

from __future__ import annotations

from typing import Any

from sklearn.base import clone
from xgboost import XGBClassifier, XGBModel

from tr_core.errors import InvalidParameterError
from tr_evaluation.models import Label, Task, make_labels, model_task, predict_scores

__all__ = [
    "DEFAULT_XGB_PARAMS",
    "Label",
    "Task",
    "default_model",
    "make_labels",
    "model_task",
    "predict_scores",
    "prepare_model",
]

DEFAULT_XGB_PARAMS: dict[str, Any] = {
    "n_estimators": 200,
    "max_depth": 4,
    "learning_rate": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 5.0,
    "tree_method": "hist",
}
"""Settings of :func:`default_model`: shallow, slowly learning trees with row and
column subsampling — a conservative baseline for noisy return labels, meant to
compare feature sets, not to be the final tuned model (see tr-tuning)."""


def default_model(
    *, random_state: int | None = None, n_jobs: int | None = None, device: str | None = None
) -> XGBClassifier:
    """The default classifier: :class:`xgboost.XGBClassifier` with :data:`DEFAULT_XGB_PARAMS`.

    Parameters
    ----------
    random_state : int, optional
        Seed of XGBoost's row/column subsampling.
    n_jobs : int, optional
        XGBoost threads; None lets XGBoost decide.
    device : {"cpu", "cuda", "cuda:<n>"}, optional
        Where XGBoost trains; None is XGBoost's default (the CPU).

    Returns
    -------
    xgboost.XGBClassifier
        Unfitted. Missing values (NaN) are routed by XGBoost's learned default
        direction, which only matters under ``nan_policy="native"``.
    """
    params = dict(DEFAULT_XGB_PARAMS)
    if device is not None:
        params["device"] = device
    return XGBClassifier(**params, random_state=random_state, n_jobs=n_jobs)


def prepare_model(
    model: Any,
    *,
    random_state: int | None = None,
    n_jobs: int | None = None,
    device: str | None = None,
) -> Any:
    """An unfitted copy of ``model`` (or :func:`default_model`) with seed, threads and device set.

    Parameters
    ----------
    model : scikit-learn classifier or regressor, or None
        The template; None means :func:`default_model`. It is cloned, never changed.
    random_state, n_jobs : int, optional
        Set on the copy when given and when the model has such a top-level
        parameter. The steps inside a meta-estimator (a ``Pipeline``, say) are not
        reached: seed those yourself.
    device : str, optional
        Passed to XGBoost models only; a non-XGBoost model with a ``device`` raises.

    Returns
    -------
    estimator
        The configured, unfitted copy.

    Raises
    ------
    InvalidParameterError
        A model that is neither a classifier nor a regressor, or ``device`` for a
        model that is not an XGBoost model.
    """
    if model is None:
        return default_model(random_state=random_state, n_jobs=n_jobs, device=device)
    model_task(model)
    if device is not None and not isinstance(model, XGBModel):
        raise InvalidParameterError(
            f"`device`={device!r} is passed to XGBoost, but the model is a "
            f"{type(model).__name__}; leave device=None and configure the model yourself."
        )
    copy = clone(model)
    settable = copy.get_params(deep=False)
    updates: dict[str, Any] = {
        name: value
        for name, value in (("random_state", random_state), ("n_jobs", n_jobs), ("device", device))
        if value is not None and name in settable
    }
    return copy.set_params(**updates) if updates else copy
