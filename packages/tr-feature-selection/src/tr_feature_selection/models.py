"""The models feature selection trains: a documented XGBoost default, or any scikit-learn model.

Every function here works on an *unfitted copy* of the caller's model, so a model
object passed in is never fitted or re-configured in place, and each feature group
or fold trains a fresh estimator with the same settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import clone, is_classifier, is_regressor
from xgboost import XGBClassifier, XGBModel

from tr_core.alignment import align_to
from tr_core.errors import InsufficientDataError, InvalidParameterError, NonFiniteError
from tr_core.validation import as_float_array

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

Task = Literal["classification", "regression"]

Label = float | Callable[[pd.Series], Any]
"""How the target becomes a class: a threshold (class 1 when ``target > threshold``)
or a function of the target Series returning one 0/1 (or bool) label per row."""

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


def model_task(model: Any) -> Task:
    """``"classification"`` or ``"regression"``, by scikit-learn's own estimator tags.

    Raises
    ------
    InvalidParameterError
        If ``model`` is neither (e.g. a transformer, or not an estimator at all).
    """
    if is_classifier(model):
        return "classification"
    if is_regressor(model):
        return "regression"
    raise InvalidParameterError(
        f"`model` must be a scikit-learn-compatible classifier or regressor with fit/predict, "
        f"got {type(model).__name__}."
    )


def make_labels(
    target: pd.Series, label: Label, *, where: str = "target", require_both: bool = True
) -> npt.NDArray[np.int8]:
    """The class of each row: ``target > label`` for a number, or ``label(target)``.

    Parameters
    ----------
    target : Series of float
        Realized target (e.g. alpha), finite.
    label : float or callable
        Threshold, or a function of ``target`` returning 0/1 or bool per row.
    where : str, default "target"
        Name used in error messages (e.g. a feature group's name).
    require_both : bool, default True
        Raise when all rows get the same class (right for training data; an
        evaluation slice may legitimately be one-sided).

    Returns
    -------
    ndarray of int8
        0/1, aligned to ``target``.

    Raises
    ------
    InvalidParameterError
        A callable returning anything but one 0/1 or bool value per row.
    IndexAlignmentError
        A callable returning a Series whose index labels are not ``target``'s (a
        Series in another order of the same labels is matched by label, never by
        position).
    InsufficientDataError
        If ``require_both`` and every row gets the same class (nothing to learn).
    """
    values = as_float_array(target, where)
    if callable(label):
        raw = label(target.copy())
        if isinstance(raw, pd.Series):
            raw = align_to(target.index, raw, "label")
        out = np.asarray(raw)
        if out.shape != values.shape or not np.isin(out, (0, 1)).all():
            raise InvalidParameterError(
                f"`label` must return one 0/1 (or bool) value per row of {where}; got an array "
                f"of shape {out.shape} with values {np.unique(out)[:5].tolist()}."
            )
        labels = out.astype(np.int8)
    elif isinstance(label, int | float) and not isinstance(label, bool) and np.isfinite(label):
        labels = (values > label).astype(np.int8)
    else:
        raise InvalidParameterError(
            f"`label` must be a finite threshold or a function of the target, got {label!r}."
        )
    if require_both and labels.size and labels.min() == labels.max():
        raise InsufficientDataError(
            f"every row of {where} has class {int(labels[0])} (`label`={label!r}): a model "
            "cannot learn from a constant target. Check the target column and the label rule."
        )
    return labels


def predict_scores(model: Any, X: Any) -> npt.NDArray[np.float64]:
    """Ranking scores of a fitted model: P(class 1) for a classifier, the prediction otherwise.

    Raises
    ------
    InvalidParameterError
        A classifier not trained on exactly the classes 0 and 1.
    NonFiniteError
        If the model returns NaN or infinite scores.
    """
    if is_classifier(model):
        classes = np.asarray(getattr(model, "classes_", [])).tolist()
        if sorted(classes) != [0, 1]:
            raise InvalidParameterError(
                f"the classifier was trained on classes {classes}; feature selection ranks by "
                "P(class 1) and needs exactly the classes 0 and 1."
            )
        scores = np.asarray(model.predict_proba(X), dtype=np.float64)[:, classes.index(1)]
    else:
        scores = np.asarray(model.predict(X), dtype=np.float64).reshape(-1)
    if not np.isfinite(scores).all():
        raise NonFiniteError(
            f"{type(model).__name__} returned {int((~np.isfinite(scores)).sum())} non-finite "
            "scores; check the model's inputs and settings."
        )
    return scores
