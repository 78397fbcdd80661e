"""The base models of an ensemble: their names, how each is read, and their out-of-fold fits.

Shared by stacking and blending. :func:`check_estimators` validates the
``(name, estimator)`` list once; :func:`resolve_stack_methods` picks how each
model's output is read (``predict_proba``, ``decision_function`` or ``predict``);
:func:`out_of_fold` fits a copy of every model on every fold's training rows —
each weighted by the shared ``sample_weight`` contract on those rows only — and
predicts the fold's test rows, allocating only the rows some fold tests;
:func:`fit_all` refits every model on all rows for prediction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from joblib import delayed
from sklearn.base import clone, is_classifier
from sklearn.utils import Bunch
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.validation import has_fit_parameter

from tr_core.errors import InsufficientDataError, InvalidParameterError, NonFiniteError
from tr_core.splits import CheckedFolds
from tr_core.weights import TrainingWeights
from tr_evaluation.parallel import run_parallel

__all__ = [
    "STACK_METHODS",
    "BaseModels",
    "OutOfFold",
    "check_estimators",
    "check_fold_classes",
    "check_weight_support",
    "fit_all",
    "out_of_fold",
    "predict_columns",
    "prediction_names",
    "resolve_stack_methods",
    "rows_of",
]

STACK_METHODS = ("auto", "predict_proba", "decision_function", "predict")
_AUTO_ORDER = ("predict_proba", "decision_function", "predict")

FloatArray = npt.NDArray[np.float64]
Positions = npt.NDArray[np.intp]


class BaseModels(_BaseComposition):  # type: ignore[misc]
    """An estimator built on an ``estimators`` list of ``(name, estimator)`` pairs.

    Each base model's parameters are the ensemble's, as ``<name>__<param>``, so
    ``GridSearchCV`` can tune them; ``estimators`` must be set by ``__init__``.
    """

    estimators: list[tuple[str, Any]]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters, with each base model's as ``<name>__<param>`` when ``deep``."""
        return self._get_params("estimators", deep=deep)  # type: ignore[no-any-return]

    def set_params(self, **params: Any) -> Any:
        """Set parameters, including a base model's (``insider__max_depth=3``)."""
        self._set_params("estimators", **params)
        return self

    @property
    def named_estimators(self) -> Bunch:
        """The (unfitted) base models by name."""
        return Bunch(**dict(self.estimators))


def check_estimators(estimators: Any, *, classifier: bool) -> list[tuple[str, Any]]:
    """The ``(name, estimator)`` pairs, checked: named uniquely, each an unfitted estimator.

    Raises
    ------
    InvalidParameterError
        An empty list, an entry that is not a ``(str, estimator)`` pair, a duplicate
        name, a name with ``"__"`` (scikit-learn's parameter separator), or (for a
        classifier ensemble) a base model that is not a classifier.
    """
    if isinstance(estimators, str | bytes) or not isinstance(estimators, Sequence):
        raise InvalidParameterError(
            "`estimators` must be a list of (name, estimator) pairs, e.g. "
            f"[('insider', XGBClassifier()), ('technical', LogisticRegression())]; got "
            f"{type(estimators).__name__}."
        )
    if len(estimators) == 0:
        raise InvalidParameterError(
            "`estimators` is empty; an ensemble needs at least one (name, estimator) pair."
        )
    pairs: list[tuple[str, Any]] = []
    for i, entry in enumerate(estimators):
        if not (isinstance(entry, tuple | list) and len(entry) == 2):
            raise InvalidParameterError(
                f"`estimators[{i}]` must be a (name, estimator) pair, got {entry!r}."
            )
        name, estimator = entry
        if not isinstance(name, str) or not name or "__" in name:
            raise InvalidParameterError(
                f"`estimators[{i}]` has the name {name!r}; names are non-empty strings without "
                "'__' (scikit-learn's parameter separator), e.g. 'insider_xgb'."
            )
        if not hasattr(estimator, "fit") or isinstance(estimator, type):
            raise InvalidParameterError(
                f"estimator {name!r} must be an unfitted estimator instance with fit, got "
                f"{estimator!r}."
            )
        if classifier and not is_classifier(estimator):
            raise InvalidParameterError(
                f"estimator {name!r} ({type(estimator).__name__}) is not a classifier; a "
                "classifier ensemble combines classifiers' outputs — use the regressor twin "
                "for regressors."
            )
        pairs.append((name, estimator))
    names = [name for name, _ in pairs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidParameterError(
            f"estimator names {repeated} appear more than once; each base model needs its own "
            "name (it names the model's meta-feature column and its parameters)."
        )
    return pairs


def resolve_stack_methods(pairs: list[tuple[str, Any]], stack_method: Any) -> list[str]:
    """How each base model's output is read.

    ``"auto"`` takes the first of ``predict_proba``, ``decision_function`` and
    ``predict`` the model has; a named method must exist on every model.

    Raises
    ------
    InvalidParameterError
        An unknown ``stack_method``, or a model without the named method.
    """
    if stack_method not in STACK_METHODS:
        raise InvalidParameterError(
            f"`stack_method` must be one of {list(STACK_METHODS)}, got {stack_method!r}."
        )
    methods = []
    for name, estimator in pairs:
        if stack_method == "auto":
            methods.append(next(m for m in _AUTO_ORDER if hasattr(estimator, m)))
        elif not hasattr(estimator, stack_method):
            raise InvalidParameterError(
                f"estimator {name!r} ({type(estimator).__name__}) has no {stack_method}; use "
                "stack_method='auto' (the first of predict_proba, decision_function and "
                "predict each model has), or configure the model to provide it (e.g. "
                "SVC(probability=True))."
            )
        else:
            methods.append(stack_method)
    return methods


def prediction_names(
    pairs: list[tuple[str, Any]], methods: list[str], classes: Any = None
) -> list[str]:
    """Names of the base-prediction columns: one per model, one per class for multiclass."""
    n_classes = 0 if classes is None else len(classes)
    names: list[str] = []
    for (name, _), method in zip(pairs, methods, strict=True):
        if method == "predict" or n_classes <= 2:
            names.append(name)
        else:
            names.extend(f"{name}[{c}]" for c in classes)
    return names


def predict_columns(model: Any, X: Any, method: str, *, name: str) -> FloatArray:
    """A fitted model's output as a float matrix: binary scores drop the redundant column.

    Raises
    ------
    NonFiniteError
        The model returned NaN or infinite values.
    """
    out = np.asarray(getattr(model, method)(X), dtype=np.float64)
    if out.ndim == 1:
        out = out.reshape(-1, 1)
    elif method == "predict_proba" and out.shape[1] == 2:
        out = out[:, 1:]  # P(class 0) = 1 - P(class 1): a collinear column
    if not np.isfinite(out).all():
        raise NonFiniteError(
            f"estimator {name!r} returned {int((~np.isfinite(out)).sum())} non-finite values "
            f"from {method}; check its inputs and settings."
        )
    return out


def rows_of(X: Any, rows: Positions) -> Any:
    """``X``'s rows at ``rows`` (positions): ``iloc`` for pandas, indexing otherwise."""
    if isinstance(X, pd.DataFrame | pd.Series):
        return X.iloc[rows]
    return X[rows]


def check_fold_classes(folds: CheckedFolds, y: Any, classes: Any) -> None:
    """Refuse folds whose training rows miss a class that other rows have.

    Raises
    ------
    InsufficientDataError
        Naming the fold and the classes it never trains on.
    """
    labels = np.asarray(y)
    for k, (train, _) in enumerate(folds):
        missing = np.setdiff1d(classes, labels[train])
        if missing.size:
            raise InsufficientDataError(
                f"fold {k} trains on {train.size} rows without class(es) "
                f"{missing.tolist()} that other folds have: its models would predict other "
                "columns than the rest. Use fewer splits or a longer first training block, "
                "or merge rare classes."
            )


@dataclass(frozen=True)
class OutOfFold:
    """Base-model predictions for the rows some fold tests.

    Attributes
    ----------
    rows : ndarray of intp
        Sorted positions of the rows predicted out of fold.
    predictions : ndarray of float64, shape (len(rows), n_columns)
        Each base model's output for those rows, from the fold that tests them.
    """

    rows: Positions
    predictions: FloatArray


def _fit(estimator: Any, X: Any, y: Any, weight: FloatArray | None) -> Any:
    model = clone(estimator)
    if weight is None:
        return model.fit(X, y)
    return model.fit(X, y, sample_weight=weight)


def _fit_predict(
    estimator: Any,
    X: Any,
    y: Any,
    weight: FloatArray | None,
    X_test: Any,
    method: str,
    name: str,
) -> FloatArray:
    return predict_columns(_fit(estimator, X, y, weight), X_test, method, name=name)


def check_weight_support(pairs: list[tuple[str, Any]], weights: TrainingWeights) -> None:
    """Refuse weights for a model whose ``fit`` cannot take ``sample_weight``.

    Raises
    ------
    InvalidParameterError
        Naming the model.
    """
    if not weights.active:
        return
    for name, estimator in pairs:
        if not has_fit_parameter(estimator, "sample_weight"):
            raise InvalidParameterError(
                f"estimator {name!r} ({type(estimator).__name__}) does not take "
                "`sample_weight` in fit, so the weights would be ignored for it; use a model "
                "that does, or fit without weights. (A Pipeline takes them as "
                "'<step>__sample_weight'; wrap it in a model that routes them.)"
            )


def out_of_fold(
    pairs: list[tuple[str, Any]],
    methods: list[str],
    X: Any,
    y: Any,
    folds: CheckedFolds,
    weights: TrainingWeights,
    weight_frame: pd.DataFrame,
    *,
    n_jobs: int | None,
    verbose: bool,
) -> OutOfFold:
    """Fit every base model on every fold's training rows and predict its test rows.

    Returns
    -------
    OutOfFold
        Only the tested rows are allocated (a walk-forward's first training block is
        never predicted and takes no memory).
    """
    rows = folds.tested_rows()
    y_values = np.asarray(y)

    def tasks() -> Any:
        for k, (train, test) in enumerate(folds):
            weight = weights.for_rows(weight_frame, train, where=f"fold {k}")
            X_train, y_train, X_test = rows_of(X, train), y_values[train], rows_of(X, test)
            for (name, estimator), method in zip(pairs, methods, strict=True):
                yield delayed(_fit_predict)(
                    estimator, X_train, y_train, weight, X_test, method, name
                )

    outputs = run_parallel(
        tasks(),
        n_jobs=n_jobs,
        total=len(folds) * len(pairs),
        desc="base models × folds",
        verbose=verbose,
    )
    widths = [out.shape[1] for out in outputs[: len(pairs)]]
    starts = np.concatenate([[0], np.cumsum(widths)])
    predictions = np.empty((rows.size, int(starts[-1])), dtype=np.float64)
    for k, (_, test) in enumerate(folds):
        at = np.searchsorted(rows, test)
        for j in range(len(pairs)):
            out = outputs[k * len(pairs) + j]
            predictions[at, starts[j] : starts[j + 1]] = out
    return OutOfFold(rows=rows, predictions=predictions)


def fit_all(
    pairs: list[tuple[str, Any]],
    X: Any,
    y: Any,
    weight: FloatArray | None,
    *,
    n_jobs: int | None,
    verbose: bool,
    desc: str = "base models (refit on all rows)",
) -> list[Any]:
    """A fitted copy of every base model on the rows given (all rows: the models that
    predict new data)."""
    y_values = np.asarray(y)
    return run_parallel(
        (delayed(_fit)(estimator, X, y_values, weight) for _, estimator in pairs),
        n_jobs=n_jobs,
        total=len(pairs),
        desc=desc,
        verbose=verbose,
    )
