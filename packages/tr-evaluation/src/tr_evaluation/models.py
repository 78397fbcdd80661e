"""What every package that trains a model per fold shares: labels, the task, scores, copies.

Walk-forward evaluation, feature selection and tuning all fit a fresh model on each
fold's training rows and rank the test rows by its scores. The rules they share
live here, once:

- :func:`as_model_factory`: the caller's ``model`` — an unfitted estimator
  *template* (cloned for every fit, never fitted itself) or a zero-argument
  *factory* — as one callable returning a fresh estimator;
- :func:`model_task`: classifier or regressor, by scikit-learn's estimator tags;
- :func:`make_labels`: how a realized target becomes the 0/1 class a classifier
  is fit on (:data:`Label`);
- :func:`predict_scores`: the ranking score of a fitted model, P(class 1) for a
  classifier and the prediction for a regressor.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import clone, is_classifier, is_regressor

from tr_core.alignment import align_to
from tr_core.errors import InsufficientDataError, InvalidParameterError, NonFiniteError, TrTypeError
from tr_core.validation import as_float_array

__all__ = ["Label", "Task", "as_model_factory", "make_labels", "model_task", "predict_scores"]

Task = Literal["classification", "regression"]

Label = float | Callable[[pd.Series], Any]
"""How the target becomes a class: a threshold (class 1 when ``target > threshold``)
or a function of the target Series returning one 0/1 (or bool) label per row."""


class _TemplateCopies:
    """A factory of unfitted copies of one estimator template.

    A class rather than a closure, so the factory pickles with the standard
    library and travels to process and Dask workers.
    """

    __slots__ = ("template",)

    def __init__(self, template: Any) -> None:
        self.template = template

    def __call__(self) -> Any:
        if hasattr(self.template, "get_params"):
            return clone(self.template)
        return copy.deepcopy(self.template)


def as_model_factory(model: Any, *, name: str = "model") -> Callable[[], Any]:
    """A zero-argument callable returning a fresh, unfitted estimator per call.

    Parameters
    ----------
    model : estimator, class or callable
        An unfitted estimator *template* (an object with ``fit``): every call returns
        a copy — ``sklearn.base.clone`` for objects with ``get_params``, a deep copy
        otherwise — so the template itself is never fitted. A class (``LinearRegression``)
        or a zero-argument callable (``lambda: XGBRegressor(max_depth=3)``) is a
        factory and is returned as it is.
    name : str, default "model"
        The caller's argument name, used in the message.

    Returns
    -------
    callable
        ``factory()`` returns a new estimator on every call.

    Raises
    ------
    TrTypeError
        ``model`` is neither an estimator with ``fit`` nor callable.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> template = Ridge(alpha=2.0)
    >>> make = as_model_factory(template)
    >>> first, second = make(), make()
    >>> first is not template and first is not second, first.alpha
    (True, 2.0)
    """
    if hasattr(model, "fit"):
        if isinstance(model, type):
            return model  # a class is a factory: LinearRegression()
        return _TemplateCopies(model)
    if callable(model):
        return model  # type: ignore[no-any-return]
    raise TrTypeError(
        f"`{name}` must be an estimator with fit/predict or a callable returning one, got "
        f"{type(model).__name__}; pass an unfitted estimator (cloned for every fit) or a "
        "zero-argument factory such as the estimator's class."
    )


def model_task(model: Any) -> Task:
    """``"classification"`` or ``"regression"``, by scikit-learn's own estimator tags.

    Raises
    ------
    InvalidParameterError
        If ``model`` is neither (a transformer, an object without scikit-learn's
        estimator tags, not an estimator at all), or is a class instead of an instance.
    """
    if isinstance(model, type):
        raise InvalidParameterError(
            f"`model` must be an estimator instance, got the class {model.__name__}; "
            f"write {model.__name__}()."
        )
    try:
        if is_classifier(model):
            return "classification"
        if is_regressor(model):
            return "regression"
    except AttributeError:
        pass  # scikit-learn >= 1.6 raises for an object without estimator tags: neither
    raise InvalidParameterError(
        f"`model` must be a scikit-learn-compatible classifier or regressor with fit/predict, "
        f"got {type(model).__name__}; inherit from sklearn.base.BaseEstimator and "
        "ClassifierMixin or RegressorMixin, or wrap the model in one."
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
        Threshold, or a function of ``target`` returning 0/1 or bool per row. The
        function gets a copy, so it cannot change the caller's target.
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

    Examples
    --------
    >>> make_labels(pd.Series([-0.02, 0.0, 0.01, 0.05]), 0.0).tolist()
    [0, 0, 1, 1]
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
                f"the classifier was trained on classes {classes}; ranking uses P(class 1) and "
                "needs exactly the classes 0 and 1. Fit it on 0/1 labels (see `label`)."
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
