"""Stacking on out-of-fold predictions from leak-free time splits.

scikit-learn's ``StackingClassifier`` builds its meta-features with
``cross_val_predict``, which refuses any splitter whose test blocks do not tile the
rows — every walk-forward splitter, ``TimeSeriesSplit`` included (scikit-learn
issues 8043 and 17285). Here the meta-features are the base models' predictions
for the rows each fold of a tr-core splitter tests; rows no fold tests (the first
training block of a walk-forward) are left out of the meta-learner's training
instead of being predicted in sample. Stacked generalization: Wolpert (1992),
*Neural Networks* 5(2); Breiman (1996), *Machine Learning* 24(1).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import ClassifierMixin, RegressorMixin, TransformerMixin, clone
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.multiclass import check_classification_targets
from sklearn.utils import Bunch
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from tr_core.errors import InsufficientDataError, InvalidParameterError
from tr_core.splits import CheckedFolds
from tr_core.validation import as_float_array
from tr_core.weights import SampleWeight, resolve_sample_weight
from tr_ensemble.base_models import (
    BaseModels,
    check_estimators,
    check_fold_classes,
    check_weight_support,
    fit_all,
    out_of_fold,
    predict_columns,
    prediction_names,
    resolve_stack_methods,
)
from tr_ensemble.folds import ensemble_folds
from tr_ensemble.inputs import aligned_target, all_take_nan, checked_rows
from tr_ensemble.meta_learner import MetaLayout, fit_layout, meta_feature_values, trust_table
from tr_evaluation.parallel import check_n_jobs

__all__ = [
    "EXPECTED_FAILED_CHECKS",
    "TimeSeriesStackingClassifier",
    "TimeSeriesStackingRegressor",
]

_CLASS_STARVED = (
    "the check's 12-150 rows, in the order given, leave a walk-forward training block "
    "without some class (iris sorted by class; 20-30 random rows of 3 classes whose first "
    "block holds 2-5 rows); this estimator refuses a fold that trains without a class "
    "other rows have, instead of stacking models that predict different columns"
)

EXPECTED_FAILED_CHECKS: dict[str, str] = dict.fromkeys(
    (
        "check_classifier_data_not_an_array",
        "check_classifiers_classes",
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_estimators_nan_inf",
        "check_f_contiguous_array_estimator",
        "check_fit2d_predict1d",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_positive_only_tag_during_fit",
        "check_sample_weights_not_an_array",
        "check_sample_weights_pandas_series",
    ),
    _CLASS_STARVED,
)
"""The scikit-learn estimator checks :class:`TimeSeriesStackingClassifier` fails with its
default walk-forward ``cv``, each with its reason (pass it as ``expected_failed_checks``
to ``check_estimator``). All fail for one reason: their small datasets starve a fold of
a class, which is refused (issue 12's bad input). With ``cv=KFold(3)`` over the same
rows only ``check_positive_only_tag_during_fit`` fails (iris, sorted by class). The
regressor passes every check."""

FloatArray = npt.NDArray[np.float64]


def _final_has(method: str) -> Any:
    """``available_if`` check: the (fitted, else configured) final estimator has ``method``."""

    def check(self: Any) -> bool:
        final = getattr(self, "final_estimator_", None)
        if final is None:
            final = self.final_estimator or self._default_final()
        return hasattr(final, method)

    return check


class _TimeSeriesStacking(TransformerMixin, BaseModels):  # type: ignore[misc]
    """What the classifier and the regressor share."""

    _classifier: ClassVar[bool]

    def __init__(
        self,
        estimators: list[tuple[str, Any]],
        final_estimator: Any = None,
        cv: Any = None,
        stack_method: str = "auto",
        passthrough: bool = False,
        meta_features: Any = None,
        n_jobs: int | None = None,
        verbose: bool = True,
    ) -> None:
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.cv = cv
        self.stack_method = stack_method
        self.passthrough = passthrough
        self.meta_features = meta_features
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _default_final(self) -> Any:
        raise NotImplementedError

    # ------------------------------------------------------------------ fitting

    def fit(self, X: Any, y: Any, sample_weight: SampleWeight = None) -> Any:
        """Fit the base models per fold, the meta-learner out of fold, then refit on all rows.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_rows, n_features)
            Training rows. Base models get every column (select a model's own columns
            with a ``ColumnTransformer`` in a ``Pipeline``).
        y : array-like or Series
            Targets; a Series is matched to a DataFrame ``X`` by index label.
        sample_weight : array-like, Series, str or callable, optional
            The shared weights contract (:mod:`tr_core.weights`): one weight per row, a
            column name of ``X``, or a weighter computed on each fold's training rows.
            Weights reach every base model per fold, the meta-learner on its rows and
            the final refits.

        Returns
        -------
        self
        """
        pairs = check_estimators(self.estimators, classifier=self._classifier)
        methods = self._stack_methods(pairs)
        n_jobs = check_n_jobs(self.n_jobs)
        for name in ("passthrough", "verbose"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise InvalidParameterError(
                    f"`{name}` must be True or False, got {getattr(self, name)!r}."
                )
        X = checked_rows(self, X, reset=True)
        if len(X) < 2:
            raise InsufficientDataError(
                f"X has {len(X)} sample(s); stacking needs rows to fit base models on and "
                "later rows to predict out of fold."
            )
        target = self._target(X, y)
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
        weights = resolve_sample_weight(sample_weight, frame)
        final = clone(self.final_estimator) if self.final_estimator is not None else None
        final = final if final is not None else self._default_final()
        check_weight_support([*pairs, ("final_estimator", final)], weights)
        meta = meta_feature_values(self.meta_features, X)
        passthrough = self._passthrough_values(X)
        names = prediction_names(pairs, methods, getattr(self, "classes_", None))
        n_inputs = len(names) * (1 + (0 if meta is None else len(meta[1])))
        n_inputs += 0 if meta is None else len(meta[1])
        n_inputs += 0 if passthrough is None else passthrough[0].shape[1]
        # A linear meta-learner with an intercept is identified by one row more than inputs.
        folds = ensemble_folds(self.cv, X, target, min_rows=n_inputs + 1)
        if self._classifier:
            check_fold_classes(folds, target, self.classes_)
            self._check_meta_classes(folds, target)

        oof = out_of_fold(
            pairs, methods, X, target, folds, weights, frame, n_jobs=n_jobs, verbose=self.verbose
        )
        rows = oof.rows
        layout = fit_layout(
            names,
            None if meta is None else (meta[0][rows], meta[1]),
            [] if passthrough is None else passthrough[1],
        )
        inputs = layout.build(
            oof.predictions,
            None if meta is None else meta[0][rows],
            None if passthrough is None else passthrough[0][rows],
        )
        meta_weight = weights.for_rows(frame, rows, where="the meta-learner's rows")
        if meta_weight is None:
            final.fit(inputs, target[rows])
        else:
            final.fit(inputs, target[rows], sample_weight=meta_weight)
        every = np.arange(len(target), dtype=np.intp)
        self.estimators_ = fit_all(
            pairs,
            X,
            target,
            weights.for_rows(frame, every, where="the refit on all rows"),
            n_jobs=n_jobs,
            verbose=self.verbose,
        )
        self.named_estimators_ = Bunch(
            **{name: model for (name, _), model in zip(pairs, self.estimators_, strict=True)}
        )
        self.stack_method_ = methods
        self.final_estimator_ = final
        self.folds_: CheckedFolds = folds
        self.forward_ = folds.forward
        self.meta_rows_ = rows
        self.n_meta_rows_ = int(rows.size)
        self.meta_layout_: MetaLayout = layout
        self.meta_input_names_ = layout.names
        labels = folds.index[rows]
        self.oof_predictions_ = pd.DataFrame(oof.predictions, index=labels, columns=names)
        return self

    def _stack_methods(self, pairs: list[tuple[str, Any]]) -> list[str]:
        return resolve_stack_methods(pairs, self.stack_method)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = all_take_nan(self.estimators)
        return tags

    def _target(self, X: Any, y: Any) -> Any:
        return aligned_target(X, y)

    def _check_meta_classes(self, folds: CheckedFolds, y: Any) -> None:
        missing = np.setdiff1d(self.classes_, y[folds.tested_rows()])
        if missing.size:
            raise InsufficientDataError(
                f"no row predicted out of fold has class(es) {missing.tolist()}, which the "
                "training rows have: the meta-learner could not learn them. Use longer or "
                "more test blocks."
            )

    def _passthrough_values(self, X: Any) -> tuple[FloatArray, list[str]] | None:
        if not self.passthrough:
            return None
        names = [str(c) for c in getattr(self, "feature_names_in_", [])] or [
            f"x{j}" for j in range(self.n_features_in_)
        ]
        values = np.column_stack(
            [
                as_float_array(column, f"passthrough column {name!r}")
                for name, column in zip(names, np.asarray(X, dtype=object).T, strict=True)
            ]
        )
        return values, names

    # --------------------------------------------------------------- predicting

    def transform(self, X: Any) -> FloatArray:
        """Each base model's prediction (refit on all rows): the meta-learner's base inputs."""
        check_is_fitted(self)
        return self._base_predictions(checked_rows(self, X, reset=False))

    def _base_predictions(self, X: Any) -> FloatArray:
        pairs = list(zip(self.named_estimators_.keys(), self.estimators_, strict=True))
        return np.hstack(
            [
                predict_columns(model, X, method, name=name)
                for (name, model), method in zip(pairs, self.stack_method_, strict=True)
            ]
        )

    def get_feature_names_out(self, input_features: Any = None) -> npt.NDArray[np.object_]:
        """Names of :meth:`transform`'s columns: the base-prediction columns."""
        check_is_fitted(self)
        return np.asarray(self.meta_layout_.prediction_names, dtype=object)

    def _meta_inputs(self, X: Any) -> FloatArray:
        check_is_fitted(self)
        X = checked_rows(self, X, reset=False)
        predictions = self._base_predictions(X)
        meta = meta_feature_values(self.meta_features, X)
        passthrough = self._passthrough_values(X)
        return self.meta_layout_.build(
            predictions,
            None if meta is None else meta[0],
            None if passthrough is None else passthrough[0],
        )

    def predict(self, X: Any) -> Any:
        """The meta-learner's prediction from the base models' predictions for ``X``."""
        inputs = self._meta_inputs(X)
        return self.final_estimator_.predict(inputs)

    def meta_learner_weights(self) -> pd.DataFrame:
        """Each base model's weight in a linear meta-learner, and how the regime moves it.

        Returns
        -------
        DataFrame
            See :func:`tr_ensemble.meta_learner.trust_table`.

        Raises
        ------
        InvalidParameterError
            The final estimator is not a single-output linear model (no ``coef_``).
        """
        check_is_fitted(self)
        coef = getattr(self.final_estimator_, "coef_", None)
        if coef is None:
            raise InvalidParameterError(
                f"the final estimator {type(self.final_estimator_).__name__} has no coef_; "
                "base-model weights are read from a linear meta-learner (the default)."
            )
        return trust_table(self.meta_layout_, coef)


_DOC_PARAMETERS = """
    Parameters
    ----------
    estimators : list of (str, estimator)
        The base models, each with a unique name (it names its meta-feature column and
        its parameters, ``<name>__<param>``).
    final_estimator : estimator, optional
        The meta-learner, fitted on the out-of-fold predictions (cloned). Default: {final}.
    cv : splitter, iterable of (train, test) or None
        Where the out-of-fold predictions come from: any tr-core splitter (carrying its
        ``times`` and ``label_ends``; a Series is matched to ``X`` by index label, so
        nested cross-validation works), scikit-learn's splitters or given folds, checked
        once by :func:`tr_core.splits.checked_folds` (one test per row). Default:
        ``WalkForward(5)`` over ``X``'s DatetimeIndex, or over row order (row ``i``
        decided before row ``i + 1``, as scikit-learn's ``TimeSeriesSplit`` assumes).

        *Walk-forward* (the default) predicts every meta row with models trained
        strictly on earlier rows: the meta-learner learns how the base models do on
        data they have not seen, exactly as in production. The first training block is
        never predicted out of fold and is left out of the meta-learner's training
        (``meta_rows_`` lists the rows it used).

        *Purged k-fold* predicts every row, but each fold's models also train on later
        rows (purged and embargoed, so no label window overlaps). The meta-learner then
        learns from predictions made with some knowledge of the future regime; it
        estimates how to combine the models, not a backtest — ``forward_`` is False.
    stack_method : {methods}
        How a base model's output is read. ``"auto"`` takes the first of
        ``predict_proba``, ``decision_function`` and ``predict`` each model has. For a
        binary problem ``predict_proba`` gives one column, P(class 1).
    passthrough : bool, default False
        Also give the final estimator ``X``'s columns (numbers; NaN is refused).
    meta_features : list of str or DataFrame, optional
        Market-regime columns (volatility, momentum, dispersion — known at each
        decision time) given to the final estimator beside the base predictions,
        together with their products with the predictions (standardized on the
        meta rows), so a linear meta-learner weights each base model by regime
        (:mod:`tr_ensemble.meta_learner`; read the weights with
        :meth:`meta_learner_weights`). Column names of ``X``, or a DataFrame matched to
        ``X`` by index label. A regime must be known at every decision: rows where it is
        missing (e.g. before a trailing window fills) are refused, never filled — leave
        them out, as ``tr_core.nan.complete_rows_by_group`` does.
    n_jobs : int, optional
        Base-model fits run in parallel through joblib (``-1``: every core).
    verbose : bool, default True
        Progress bars over base models × folds (terminal or notebook only).

    Attributes
    ----------
    estimators_ : list of estimators
        The base models refit on all training rows; they predict new data.
    named_estimators_ : Bunch
        The same, by name.
    final_estimator_ : estimator
        The fitted meta-learner.
    stack_method_ : list of str
        The method read from each base model.
    meta_rows_ : ndarray of intp
        Positions of the rows the meta-learner was fitted on (predicted out of fold).
    n_meta_rows_ : int
        How many.
    oof_predictions_ : DataFrame
        The base models' out-of-fold predictions on those rows (index: ``X``'s labels).
    folds_ : tr_core.splits.CheckedFolds
        The checked folds.
    forward_ : bool
        Whether every fold trained only on earlier rows (walk-forward).
    meta_layout_ : MetaLayout
        How the meta-learner's inputs are built (names, regime standardization).
    meta_input_names_ : list of str
        The meta-learner's input columns.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        ``X``'s column names (DataFrame input only).
"""

_DOC_RAISES = """
    Raises
    ------
    InvalidParameterError
        Duplicate or malformed estimator names; a base model without the method
        ``stack_method`` needs; weights for a model whose ``fit`` takes none; a bad
        ``n_jobs``, ``passthrough`` or ``verbose``; ``meta_features`` naming columns of
        an array ``X``.
    InsufficientDataError
        ``cv`` predicts fewer rows out of fold than the meta-learner needs (10, and two
        per input column); a fold that trains without a class other rows have.
    FoldError
        A fold that leaks, or a row tested by two folds (``CombinatorialPurgedKFold``).
    MissingColumnError, IndexAlignmentError, NonFiniteError
        ``meta_features`` missing from ``X``, misaligned with it, or not finite.
"""


class TimeSeriesStackingClassifier(ClassifierMixin, _TimeSeriesStacking):  # type: ignore[misc]
    __doc__ = (
        """Stack classifiers on out-of-fold predictions from leak-free time splits.

    The base models are fitted per fold of ``cv`` and predict only that fold's test
    rows; the meta-learner is fitted on those predictions; the base models are then
    refit on all rows to predict new data.
"""
        + _DOC_PARAMETERS.format(
            final="``LogisticRegression()``",
            methods='{"auto", "predict_proba", "decision_function", "predict"}, default "auto"',
        )
        + """    classes_ : ndarray
        The class labels.
"""
        + _DOC_RAISES
        + """
    Notes
    -----
    ``sklearn.utils.estimator_checks.check_estimator`` passes except for the checks
    listed in :data:`tr_ensemble.stacking.EXPECTED_FAILED_CHECKS`, each with its reason:
    the checks' small datasets leave a walk-forward fold without some class, which is
    refused.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 3))
    >>> y = (X[:, 0] + 0.5 * rng.normal(size=300) > 0).astype(int)
    >>> stack = TimeSeriesStackingClassifier(
    ...     [("linear", LogisticRegression()), ("tree", DecisionTreeClassifier(max_depth=3))],
    ...     verbose=False,
    ... ).fit(X, y)
    >>> stack.n_meta_rows_  # the first of six blocks is never predicted out of fold
    250
    """
    )

    _classifier = True

    def _default_final(self) -> Any:
        return LogisticRegression()

    def _target(self, X: Any, y: Any) -> Any:
        values = super()._target(X, y)
        check_classification_targets(values)
        self.classes_ = np.unique(values)
        if self.classes_.size < 2:
            raise InsufficientDataError(
                f"`y` has only one class ({self.classes_[0]!r}); a classifier needs at least "
                "two. Check the target and the label rule."
            )
        return values

    @available_if(_final_has("predict_proba"))  # type: ignore[untyped-decorator]
    def predict_proba(self, X: Any) -> FloatArray:
        """Class probabilities from the meta-learner."""
        inputs = self._meta_inputs(X)
        return np.asarray(self.final_estimator_.predict_proba(inputs))

    @available_if(_final_has("decision_function"))  # type: ignore[untyped-decorator]
    def decision_function(self, X: Any) -> FloatArray:
        """Decision function of the meta-learner."""
        inputs = self._meta_inputs(X)
        return np.asarray(self.final_estimator_.decision_function(inputs))


class TimeSeriesStackingRegressor(RegressorMixin, _TimeSeriesStacking):  # type: ignore[misc]
    __doc__ = (
        """Stack regressors on out-of-fold predictions from leak-free time splits.

    The twin of :class:`TimeSeriesStackingClassifier` for regressors (e.g. models of
    the realized return).
"""
        + _DOC_PARAMETERS.format(
            final="``RidgeCV()``", methods='{"auto", "predict"}, default "auto"'
        )
        + _DOC_RAISES
        + """
    Notes
    -----
    ``sklearn.utils.estimator_checks.check_estimator`` passes every check.
    """
    )

    _classifier = False

    def _default_final(self) -> Any:
        return RidgeCV()

    def _stack_methods(self, pairs: list[tuple[str, Any]]) -> list[str]:
        if self.stack_method not in ("auto", "predict"):
            raise InvalidParameterError(
                f"`stack_method` of a regressor stack must be 'auto' or 'predict', got "
                f"{self.stack_method!r}."
            )
        return resolve_stack_methods(pairs, "predict")

    def _target(self, X: Any, y: Any) -> Any:
        return as_float_array(super()._target(X, y), "y")
