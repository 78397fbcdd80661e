"""Blending: base models fitted on earlier rows, blend weights fitted on a later time slice.

Blending (the "holdout" form of stacking that won the Netflix Prize, Töscher,
Jahrer & Bell 2009; ensemble selection, Caruana, Niculescu-Mizil, Crew & Ksikes
2004, *ICML*) splits the training rows in two: the base models are fitted on the
first part and predict the second, the *blend slice*, where a small set of
weights — one per model, non-negative, summing to one — is fitted to the
objective that matters (log loss, AUC, or the return of the top score bucket).

In a time series the blend slice must come *after* the base models' training
rows and must not overlap them, neither in time nor through label windows (a
training row whose outcome window is still open when the blend slice starts
would let the weights reward a model for knowing the blend slice's outcomes).
Every form of ``blend_cv`` is checked once by
:func:`tr_ensemble.folds.ensemble_folds` with ``forward=True``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import OptimizeResult, differential_evolution, minimize
from sklearn.base import is_classifier, is_regressor
from sklearn.metrics import accuracy_score, r2_score
from sklearn.multiclass import check_classification_targets
from sklearn.utils import Bunch, ClassifierTags, RegressorTags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from tr_core.alignment import align_to
from tr_core.errors import (
    FoldError,
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
)
from tr_core.splits import CheckedFolds, time_train_test_split
from tr_core.validation import as_float_array, as_weight_array
from tr_core.weights import SampleWeight, resolve_sample_weight
from tr_ensemble.base_models import (
    BaseModels,
    check_estimators,
    check_fold_classes,
    check_weight_support,
    fit_all,
    predict_columns,
    rows_of,
)
from tr_ensemble.folds import ensemble_folds, row_order_times
from tr_ensemble.inputs import aligned_target, all_take_nan, checked_rows
from tr_ensemble.objectives import (
    PROBABILITY_CLIP,
    log_loss,
    percentile_ranks,
    roc_auc,
    top_bucket_return,
)
from tr_evaluation.buckets import check_n_buckets
from tr_evaluation.parallel import check_n_jobs

__all__ = [
    "EXPECTED_FAILED_CHECKS_CLASSIFIER",
    "EXPECTED_FAILED_CHECKS_REGRESSOR",
    "OBJECTIVES",
    "WEIGHTINGS",
    "Blender",
]

FloatArray = npt.NDArray[np.float64]
Positions = npt.NDArray[np.intp]

OBJECTIVES = ("logloss", "auc", "top_bucket_return")
"""What blend weights are fitted to; see :class:`Blender`'s ``objective``."""

WEIGHTINGS = ("optimize", "equal", "rank_average")
"""The named forms of :class:`Blender`'s ``weights`` (an array of weights is the fourth)."""

_MINIMIZED = {"logloss": True, "auc": False, "top_bucket_return": False}

_REPEATS_MOVE_THE_SLICE = (
    "the check repeats rows to compare with integer weights; repeated rows lengthen the "
    "timeline, so the last fraction of rows (the blend slice) is another set of rows and "
    "the weights are fitted elsewhere"
)
_SLICE_WITHOUT_A_CLASS = (
    "the check's 10-30 rows, in the order given, leave the blend slice (the last 20 %) "
    "without one class, where log loss cannot tell the models apart: the fit is refused"
)

EXPECTED_FAILED_CHECKS_REGRESSOR: dict[str, str] = {
    "check_sample_weight_equivalence_on_dense_data": _REPEATS_MOVE_THE_SLICE,
}
"""The scikit-learn estimator checks a regressor :class:`Blender` fails, with the reason
(pass it as ``check_estimator(..., expected_failed_checks=...)``)."""

EXPECTED_FAILED_CHECKS_CLASSIFIER: dict[str, str] = {
    **dict.fromkeys(
        (
            "check_classifier_data_not_an_array",
            "check_estimators_nan_inf",
            "check_n_features_in_after_fitting",  # scikit-learn 1.6's version of it
            "check_positive_only_tag_during_fit",
            "check_sample_weights_not_an_array",
            "check_sample_weights_not_overwritten",
            "check_sample_weights_pandas_series",
            "check_sample_weights_shape",
        ),
        _SLICE_WITHOUT_A_CLASS,
    ),
    "check_sample_weight_equivalence_on_dense_data": (
        _REPEATS_MOVE_THE_SLICE + "; here the moved slice also lacks a class"
    ),
}
"""The scikit-learn estimator checks a classifier :class:`Blender` fails with
``objective="logloss"``, each with its reason."""

# Labels of candidates_ (rows and columns) that an estimator name would collide with.
_RESERVED = frozenset(
    {"equal", "rank_average", "optimize", "given", "blend", "objective_value", "chosen"}
)

# Differential evolution: population per weight and generations (enough for the few
# weights of a blend; each generation evaluates the population once).
_DE_POPULATION_PER_WEIGHT = 15
_DE_MAX_GENERATIONS = 100
_DE_TOLERANCE = 1e-4


@dataclass(frozen=True)
class _LastFold:
    """A splitter's last fold as a one-fold splitter that keeps its times and label windows."""

    splitter: Any

    @property
    def times(self) -> Any:
        return getattr(self.splitter, "times", None)

    @property
    def label_ends(self) -> Any:
        return getattr(self.splitter, "label_ends", None)

    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Any]:
        if y is None and groups is None:
            folds = list(self.splitter.split(X))
        else:
            folds = list(self.splitter.split(X, y, groups))
        if folds:
            yield folds[-1]

    def __repr__(self) -> str:
        return f"the last fold of {self.splitter!r}"


@dataclass(frozen=True)
class _BlendSlice:
    """The blend slice's outcomes, and the objective of blended scores on it."""

    objective: str
    positive: npt.NDArray[np.bool_] | None
    weight: FloatArray | None
    returns: FloatArray | None
    n_buckets: int

    def score(self, scores: FloatArray) -> float:
        """The objective's raw value (``"logloss"`` is a loss, the others gains)."""
        if self.objective == "logloss":
            return log_loss(self.positive, scores, self.weight)
        if self.objective == "auc":
            return roc_auc(self.positive, scores, self.weight)
        return top_bucket_return(scores, self.returns, self.n_buckets)


def _blend_kind(pairs: list[tuple[str, Any]]) -> Literal["classifier", "regressor"]:
    """Whether the base models are all classifiers or all regressors.

    Raises
    ------
    InvalidParameterError
        A mix, or a model that declares neither (naming the models of each kind).
    """
    classifiers = [name for name, est in pairs if is_classifier(est)]
    regressors = [name for name, est in pairs if is_regressor(est)]
    if len(classifiers) == len(pairs):
        return "classifier"
    if len(regressors) == len(pairs):
        return "regressor"
    other = [name for name, _ in pairs if name not in classifiers and name not in regressors]
    raise InvalidParameterError(
        f"`estimators` must be all classifiers (blending P(class 1)) or all regressors "
        f"(blending predictions); got classifiers {classifiers}, regressors {regressors}"
        + (f" and neither {other}" if other else "")
        + ". Blend each kind in a Blender of its own."
    )


def _is_splitter(value: Any) -> bool:
    return hasattr(value, "split") and not isinstance(value, str | bytes)


def _is_positions(value: Any) -> bool:
    arr = np.asarray(value) if not isinstance(value, str | bytes) else np.asarray([])
    return arr.ndim == 1 and arr.size > 0 and arr.dtype.kind in "iub"


class Blender(BaseModels):
    """Blend base models with weights fitted on a later time slice than their training rows.

    The base models are fitted on the *base rows*, predict the *blend slice* (rows
    after them in time, checked not to overlap them), and one weight per model is
    chosen there; the models are then refit on all rows (``refit=True``). The
    prediction for new rows is the weighted average of the models' outputs.

    The Blender is a classifier when every base model is one (it blends P(class 1)
    of a binary target, and has ``predict_proba`` and ``classes_``), and a regressor
    when every base model is one: ``sklearn.base.is_classifier`` /
    ``is_regressor`` follow the base models through the estimator tags. A single
    class instead of two twins, because the kind is a property of the models given,
    not a choice of the user; a mix of both is refused.

    Parameters
    ----------
    estimators : list of (str, estimator)
        The base models, each with a unique name (it indexes ``weights_`` and names
        its parameters, ``<name>__<param>``). The names ``"equal"``,
        ``"rank_average"``, ``"optimize"``, ``"given"``, ``"blend"``,
        ``"objective_value"`` and ``"chosen"`` label ``candidates_`` and are refused.
    weights : {"optimize", "equal", "rank_average"}, array-like or Series, default "optimize"
        How the models' outputs are combined.

        - ``"optimize"``: non-negative weights summing to one that optimize
          ``objective`` on the blend slice. For ``"logloss"`` (smooth and convex in
          the weights) by sequential least squares programming (SLSQP, Kraft 1988,
          DFVLR-FB 88-28; ``scipy.optimize.minimize``) with bounds ``[0, 1]``, the
          constraint ``sum(w) = 1`` and the analytic gradient, started at equal
          weights. ``"auc"`` and ``"top_bucket_return"`` are step functions of the
          weights (they depend on the order of the blended scores only), so a
          gradient method stalls: they are maximized by differential evolution
          (Storn & Price 1997, *J. Global Optimization* 11(4);
          ``scipy.optimize.differential_evolution``, seeded by ``random_state``)
          over ``w = v / sum(v)``, ``v`` in ``[0, 1]^k``, with each model alone and
          the equal weights in the starting population. If a model alone or the
          equal weights score better on the blend slice than the optimizer's
          answer, that weighting is kept, so the result is never worse than them.
          Differential evolution evaluates the objective up to ``15 k × 101`` times
          (``k`` models), each a sort of the blend slice: about 10 s for four models
          on 20,000 blend rows.
        - ``"equal"``: ``1/k`` each.
        - ``"rank_average"``: the average of each model's mid-rank percentiles
          ``(rank - 1/2) / n`` of its outputs *within the rows predicted together*
          (:func:`tr_ensemble.objectives.percentile_ranks`). This is a ranking
          score, not a probability: ``predict_proba`` returns it as the second
          column and ``predict`` thresholds it at one half (the upper half of the
          rows passed), and the same row scores differently in another batch.
          Rank averaging ignores each model's scale and calibration.
        - an array of one weight per estimator (or a Series / dict by estimator
          name): non-negative, not all zero, normalized to sum to one.
    objective : {"logloss", "auc", "top_bucket_return"}, default "logloss"
        What the candidate weightings are scored by on the blend slice (and what
        ``"optimize"`` optimizes). ``"logloss"`` (lower is better) and ``"auc"``
        need classifiers and are weighted by ``sample_weight``.
        ``"top_bucket_return"`` is the mean realized return of the blend slice's
        rows in the top of ``n_buckets`` buckets of the blended score
        (:func:`tr_evaluation.assign_buckets`; unweighted: the mean return per
        trade the strategy would take); it needs ``returns`` in ``fit`` (by default
        ``y`` for regressors).
    blend_cv : float, splitter or (array-like, array-like), default 0.2
        Where the blend weights are fitted: a time slice *later* than the base
        models' training rows.

        - A float in (0, 1): the last fraction of rows in time
          (:func:`tr_core.splits.time_train_test_split` over ``X``'s DatetimeIndex,
          or over row order: row ``i`` decided before row ``i + 1``). No label
          windows are known in this form; pass a splitter with ``label_ends`` to
          purge base rows whose outcome is still open at the blend slice.
        - A splitter, e.g. ``WalkForward(5, times=..., label_ends=...)``: its last
          fold (train: the base rows, test: the blend slice), checked against the
          splitter's own ``times`` and ``label_ends``.
        - A pair ``(base_rows, blend_rows)`` of integer positions (or boolean masks).

        Every form is checked by :func:`tr_ensemble.folds.ensemble_folds` with
        ``forward=True``: a blend slice that overlaps the base rows in time or by
        label windows raises :class:`~tr_core.errors.FoldError`.
    refit : bool, default True
        Refit the base models on all rows after the weights are chosen (they
        predict new data). False keeps the models fitted on the base rows — the
        ones whose blend-slice predictions the weights were fitted on.
    n_buckets : int, default 20
        Buckets of ``"top_bucket_return"``.
    random_state : int or None, default 0
        Seeds differential evolution (``objective`` ``"auc"`` or
        ``"top_bucket_return"`` with ``weights="optimize"``).
    n_jobs : int, optional
        Base-model fits run in parallel through joblib (``-1``: every core).
    verbose : bool, default True
        Progress bars over the base-model fits (terminal or notebook only).

    Attributes
    ----------
    weights_ : Series
        The weight of each base model (index: estimator names), summing to one.
    blend_ : {"scores", "ranks"}
        Whether the weights average the models' outputs or their percentile ranks
        (``weights="rank_average"``).
    candidates_ : DataFrame
        One row per weighting tried on the blend slice: each model alone (labelled
        by its name), ``"equal"``, ``"rank_average"``, and ``"optimize"`` or
        ``"given"`` (an array of weights). Columns: the weight of each model, then
        ``blend`` (``"scores"`` or ``"ranks"``), ``objective_value`` (the objective
        on the blend slice) and ``chosen`` (the row used).
    objective_value_ : float
        The objective of the chosen weighting on the blend slice (an in-sample
        number for ``"optimize"``: the weights were fitted on these rows).
    optimize_result_ : scipy.optimize.OptimizeResult or None
        The optimizer's report (``weights="optimize"`` with two or more models).
    base_rows_, blend_rows_ : ndarray of intp
        Positions of the base models' training rows and of the blend slice.
    blend_predictions_ : DataFrame
        The base models' outputs on the blend slice (index: ``X``'s labels).
    folds_ : tr_core.splits.CheckedFolds
        The one checked fold ``(base_rows_, blend_rows_)``.
    estimators_ : list of estimators
        The fitted base models (refit on all rows when ``refit``).
    named_estimators_ : Bunch
        The same, by name.
    classes_ : ndarray
        The two class labels (classifiers only).
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        ``X``'s column names (DataFrame input only).

    Raises
    ------
    InvalidParameterError
        Mixed classifiers and regressors; a bad ``weights``, ``objective``,
        ``blend_cv``, ``n_buckets``, ``refit``, ``random_state``, ``n_jobs`` or
        ``verbose``; an objective that needs classifiers or ``returns``; a
        classifier without ``predict_proba``; more than two classes; weights for a
        model whose ``fit`` takes none; a reserved estimator name.
    LengthMismatchError
        An array of ``weights`` with another length than ``estimators``; ``y`` or
        ``returns`` of another length than ``X``.
    FoldError
        A blend slice that overlaps the base models' training rows.
    InsufficientDataError
        Base rows without both classes; a blend slice without both classes (for
        ``"logloss"`` and ``"auc"``).

    Notes
    -----
    ``sklearn.utils.estimator_checks.check_estimator`` passes except for the checks in
    :data:`EXPECTED_FAILED_CHECKS_CLASSIFIER` / :data:`EXPECTED_FAILED_CHECKS_REGRESSOR`,
    each with its reason (the checks' tiny, class-ordered data leave the blend slice
    without a class; repeated rows move the slice).

    Fitting ``weights`` on the blend slice and reporting ``objective_value_`` on
    the same rows is optimistic (the weights were selected there); evaluate the
    Blender on later data, e.g. with :func:`tr_evaluation.evaluate_walk_forward`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(400, 3))
    >>> y = (X[:, 0] + 0.5 * rng.normal(size=400) > 0).astype(int)
    >>> blend = Blender(
    ...     [("linear", LogisticRegression()), ("tree", DecisionTreeClassifier(max_depth=2))],
    ...     verbose=False,
    ... ).fit(X, y)
    >>> blend.blend_rows_.size  # the last 20% of rows
    80
    >>> float(blend.weights_.sum())
    1.0
    """

    classes_: npt.NDArray[Any]

    def __init__(
        self,
        estimators: list[tuple[str, Any]],
        weights: Any = "optimize",
        objective: str = "logloss",
        blend_cv: Any = 0.2,
        refit: bool = True,
        n_buckets: int = 20,
        random_state: int | None = 0,
        n_jobs: int | None = None,
        verbose: bool = True,
    ) -> None:
        self.estimators = estimators
        self.weights = weights
        self.objective = objective
        self.blend_cv = blend_cv
        self.refit = refit
        self.n_buckets = n_buckets
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    # ---------------------------------------------------------------- parameters

    def _kind(self) -> str | None:
        """ "classifier" or "regressor" from the configured models; None if malformed."""
        try:
            return _blend_kind(check_estimators(self.estimators, classifier=False))
        except (InvalidParameterError, TypeError, AttributeError):
            return None

    def _is_classifier(self) -> bool:
        return self._kind() == "classifier"

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        kind = self._kind()
        tags.estimator_type = kind
        tags.target_tags.required = True
        if kind == "classifier":
            tags.classifier_tags = ClassifierTags(multi_class=False)
        elif kind == "regressor":
            tags.regressor_tags = RegressorTags()
        tags.input_tags.allow_nan = all_take_nan(self.estimators)
        return tags

    # -------------------------------------------------------------------- fitting

    def fit(
        self, X: Any, y: Any, sample_weight: SampleWeight = None, returns: Any = None
    ) -> Blender:
        """Fit the base models on the base rows, the weights on the blend slice, then refit.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_rows, n_features)
            Training rows. Base models get every column (select a model's own
            columns with a ``ColumnTransformer`` in a ``Pipeline``).
        y : array-like or Series
            Targets (binary classes for classifiers); a Series is matched to a
            DataFrame ``X`` by index label.
        sample_weight : array-like, Series, str or callable, optional
            The shared weights contract (:mod:`tr_core.weights`): one weight per row,
            a column name of ``X``, or a weighter computed on the rows each fit uses.
            Weights reach the base models' fits (on the base rows, then on all
            rows) and weight ``"logloss"`` and ``"auc"`` on the blend slice.
        returns : array-like or Series, optional
            Realized return of each row, for ``objective="top_bucket_return"``
            (matched to a DataFrame ``X`` by index label). Default for regressors:
            ``y``.

        Returns
        -------
        self
        """
        pairs = check_estimators(self.estimators, classifier=False)
        kind = _blend_kind(pairs)
        names = [name for name, _ in pairs]
        reserved = sorted(set(names) & _RESERVED)
        if reserved:
            raise InvalidParameterError(
                f"estimator names {reserved} label the candidates_ table of a Blender; "
                "rename those models (e.g. 'equal_model')."
            )
        weighting, given = self._check_weights(names)
        objective = self._check_objective(kind)
        n_buckets = check_n_buckets(self.n_buckets)
        n_jobs = check_n_jobs(self.n_jobs)
        for flag in ("refit", "verbose"):
            if not isinstance(getattr(self, flag), bool | np.bool_):
                raise InvalidParameterError(
                    f"`{flag}` must be True or False, got {getattr(self, flag)!r}."
                )
        rs = self.random_state
        if rs is not None and (isinstance(rs, bool) or not isinstance(rs, int | np.integer)):
            raise InvalidParameterError(
                f"`random_state` must be an integer seed or None, got {rs!r}."
            )
        if kind == "classifier":
            lacking = [name for name, est in pairs if not hasattr(est, "predict_proba")]
            if lacking:
                raise InvalidParameterError(
                    f"estimators {lacking} have no predict_proba; a classifier Blender "
                    "averages P(class 1) — configure them to provide it (e.g. "
                    "SVC(probability=True)) or calibrate them (CalibratedClassifierCV)."
                )
        self._check_blend_cv_form()

        X = checked_rows(self, X, reset=True)
        if len(X) < 2:
            raise InsufficientDataError(
                f"X has {len(X)} sample(s); blending needs base rows and later blend rows."
            )
        target = self._target(X, y, kind)
        realized = self._returns(X, returns, target, kind, objective)
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
        sample_weights = resolve_sample_weight(sample_weight, frame)
        check_weight_support(pairs, sample_weights)

        folds = self._blend_folds(X, target)
        base, blend = folds[0]
        if kind == "classifier":
            check_fold_classes(folds, target, self.classes_)
            if objective != "top_bucket_return":
                missing = np.setdiff1d(self.classes_, target[blend])
                if missing.size:
                    raise InsufficientDataError(
                        f"the blend slice ({blend.size} rows) has no row of class(es) "
                        f"{missing.tolist()}: {objective} cannot tell the models apart "
                        "there. Use a longer blend slice (a larger `blend_cv`)."
                    )

        method = "predict_proba" if kind == "classifier" else "predict"
        base_weight = sample_weights.for_rows(frame, base, where="the base rows")
        X_base, y_base = rows_of(X, base), target[base]
        base_models = fit_all(
            pairs,
            X_base,
            y_base,
            base_weight,
            n_jobs=n_jobs,
            verbose=self.verbose,
            desc="base models (base rows)",
        )
        X_blend = rows_of(X, blend)
        P = np.hstack(
            [
                predict_columns(model, X_blend, method, name=name)
                for name, model in zip(names, base_models, strict=True)
            ]
        )
        blend_weight = None
        if objective != "top_bucket_return":
            blend_weight = sample_weights.for_rows(frame, blend, where="the blend slice")
        on_slice = _BlendSlice(
            objective,
            positive=None if kind != "classifier" else target[blend] == self.classes_[1],
            weight=blend_weight,
            returns=None if realized is None else realized[blend],
            n_buckets=n_buckets,
        )
        table, chosen_weights, chosen_blend, result = self._candidates(
            names, P, on_slice, weighting, given
        )

        if self.refit:
            every = np.arange(len(target), dtype=np.intp)
            models = fit_all(
                pairs,
                X,
                target,
                sample_weights.for_rows(frame, every, where="the refit on all rows"),
                n_jobs=n_jobs,
                verbose=self.verbose,
            )
        else:
            models = base_models
        self.estimators_ = models
        self.named_estimators_ = Bunch(**dict(zip(names, models, strict=True)))
        self.weights_ = pd.Series(
            chosen_weights, index=pd.Index(names, name="estimator"), name="weight"
        )
        self.blend_ = chosen_blend
        self.candidates_ = table
        self.objective_value_ = float(table.loc[table["chosen"], "objective_value"].iloc[0])
        self.optimize_result_ = result
        self.folds_: CheckedFolds = folds
        self.base_rows_ = base
        self.blend_rows_ = blend
        self.blend_predictions_ = pd.DataFrame(P, index=folds.index[blend], columns=names)
        return self

    # ------------------------------------------------------------ checked inputs

    def _check_weights(self, names: list[str]) -> tuple[str, FloatArray | None]:
        """The weighting's name and, for given weights, the normalized array."""
        weights = self.weights
        if isinstance(weights, str):
            if weights not in WEIGHTINGS:
                raise InvalidParameterError(
                    f"`weights` must be one of {list(WEIGHTINGS)} or one weight per "
                    f"estimator, got {weights!r}."
                )
            return weights, None
        if isinstance(weights, dict):
            weights = pd.Series(weights, dtype=object)
        if isinstance(weights, pd.Series):
            weights = align_to(pd.Index(names), weights, "weights").to_numpy()
        elif not isinstance(weights, list | tuple | np.ndarray) and not hasattr(
            weights, "__array__"
        ):
            raise InvalidParameterError(
                f"`weights` must be one of {list(WEIGHTINGS)} or one weight per estimator "
                f"(a list, array, or Series by estimator name), got {type(weights).__name__}."
            )
        if np.ndim(weights) != 1 or len(weights) != len(names):
            raise LengthMismatchError(
                f"`weights` has shape {np.shape(weights)} but there are {len(names)} "
                f"estimators {names}; give one weight per estimator, in their order."
            )
        values = as_weight_array(weights, "`weights`", source=pd.Index(names))
        return "given", values / values.sum()

    def _check_objective(self, kind: str) -> str:
        objective = self.objective
        if not isinstance(objective, str) or objective not in OBJECTIVES:
            raise InvalidParameterError(
                f"`objective` must be one of {list(OBJECTIVES)}, got {objective!r}."
            )
        if objective != "top_bucket_return" and kind != "classifier":
            raise InvalidParameterError(
                f"`objective`={objective!r} scores probabilities of a binary target, but the "
                "base models are regressors; use objective='top_bucket_return' (the mean "
                "realized return of the top score bucket)."
            )
        return objective

    def _check_blend_cv_form(self) -> None:
        cv = self.blend_cv
        if isinstance(cv, bool | np.bool_):
            ok = False
        elif isinstance(cv, float | np.floating):
            ok = 0.0 < float(cv) < 1.0
        elif _is_splitter(cv):
            ok = True
        elif isinstance(cv, tuple | list) and len(cv) == 2:
            ok = all(_is_positions(side) for side in cv)
        else:
            ok = False
        if not ok:
            raise InvalidParameterError(
                f"`blend_cv` must be a fraction of rows in (0, 1) for the last rows in time "
                "(e.g. 0.2), a time splitter whose last fold gives the blend slice (e.g. "
                "WalkForward(5, times=..., label_ends=...)), or a pair (base_rows, "
                f"blend_rows) of non-empty 1-D integer positions; got {cv!r}."
            )

    def _blend_folds(self, X: Any, y: Any) -> CheckedFolds:
        """The one fold (base rows, blend slice), checked to be forward and purged."""
        cv = self.blend_cv
        source: Any
        if isinstance(cv, float | np.floating):
            try:
                base, blend = time_train_test_split(
                    X, times=row_order_times(X), test_size=float(cv)
                )
            except InsufficientDataError as exc:
                raise InsufficientDataError(
                    f"`blend_cv`={cv!r} cannot split X into base rows and a later blend "
                    f"slice: {exc}"
                ) from exc
            source = [(base, blend)]
        elif _is_splitter(cv):
            source = _LastFold(cv)
        else:
            source = [(np.asarray(cv[0]), np.asarray(cv[1]))]
        try:
            return ensemble_folds(source, X, y, forward=True)
        except FoldError as exc:
            raise FoldError(
                f"`blend_cv`={cv!r} does not give a blend slice strictly after the base "
                f"models' training rows: {exc} The blend slice overlaps the base models' "
                "training rows (in time or by label windows), so the weights would be "
                "fitted on predictions for rows the models trained on or whose outcomes "
                "they saw. Fix: use a fraction (blend_cv=0.2, the last rows in time), a "
                "WalkForward(..., times=..., label_ends=...) (it purges), or base rows that "
                "all end, label windows included, before the blend slice starts."
            ) from exc

    def _target(self, X: Any, y: Any, kind: str) -> Any:
        values = aligned_target(X, y)
        if hasattr(self, "classes_"):
            del self.classes_
        if kind == "regressor":
            return as_float_array(values, "y")
        check_classification_targets(values)
        classes = np.unique(values)
        if classes.size != 2:
            raise InvalidParameterError(
                f"`y` has {classes.size} class(es) {classes.tolist()[:10]}. Only binary "
                "classification is supported: a classifier Blender blends P(class 1) of a "
                "binary target. Binarize the target (e.g. "
                "alpha > 0) or stack multiclass models with TimeSeriesStackingClassifier."
            )
        self.classes_ = classes
        return values

    def _returns(
        self, X: Any, returns: Any, target: Any, kind: str, objective: str
    ) -> FloatArray | None:
        if returns is None:
            if objective != "top_bucket_return":
                return None
            if kind == "regressor":
                return np.asarray(target, dtype=np.float64)
            raise InvalidParameterError(
                "objective='top_bucket_return' needs the realized return of each row: pass "
                "`returns` to fit (an array in row order or a Series by X's index), e.g. "
                "blender.fit(X, y, returns=frame['alpha'])."
            )
        if isinstance(returns, pd.Series | pd.DataFrame) and isinstance(X, pd.DataFrame):
            returns = align_to(X.index, returns, "returns")
        values = np.asarray(returns)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values[:, 0]
        if values.ndim != 1 or len(values) != len(X):
            raise LengthMismatchError(
                f"`returns` has shape {values.shape} but X has {len(X)} rows; pass one "
                "realized return per row."
            )
        return as_float_array(values, "returns")

    # -------------------------------------------------------------- the weights

    def _candidates(
        self,
        names: list[str],
        P: FloatArray,
        on_slice: _BlendSlice,
        weighting: str,
        given: FloatArray | None,
    ) -> tuple[pd.DataFrame, FloatArray, str, OptimizeResult | None]:
        k = len(names)
        score = on_slice.score
        sign = 1.0 if _MINIMIZED[on_slice.objective] else -1.0

        def loss(w: FloatArray) -> float:
            value = sign * score(P @ w)
            return value if np.isfinite(value) else np.inf

        labels: list[str] = []
        rows: list[FloatArray] = []
        blends: list[str] = []
        values: list[float] = []

        def add(label: str, w: FloatArray, blend: str, value: float) -> None:
            labels.append(label)
            rows.append(w)
            blends.append(blend)
            values.append(value)

        for j, name in enumerate(names):
            unit = np.zeros(k)
            unit[j] = 1.0
            add(name, unit, "scores", score(P[:, j]))
        equal = np.full(k, 1.0 / k)
        add("equal", equal, "scores", score(P @ equal))
        add("rank_average", equal, "ranks", score(percentile_ranks(P) @ equal))

        result: OptimizeResult | None = None
        chosen_weights, chosen_blend, chosen = equal, "scores", weighting
        if weighting == "rank_average":
            chosen_blend = "ranks"
        elif weighting == "given":
            assert given is not None
            chosen_weights = given
            add("given", given, "scores", score(P @ given))
        elif weighting == "optimize":
            if k == 1:
                chosen_weights = np.ones(1)
            else:
                if on_slice.objective == "logloss":
                    result = self._slsqp(P, on_slice, equal)
                else:
                    result = self._evolve(P, loss, k)
                chosen_weights = np.clip(np.asarray(result.x, dtype=np.float64), 0.0, None)
                chosen_weights = chosen_weights / chosen_weights.sum()
                # Never worse than a vertex or the centre of the simplex (already scored).
                simplex = [*rows[:k], equal]
                best = min(simplex, key=loss)
                if loss(best) < loss(chosen_weights):
                    chosen_weights = best.copy()
            add("optimize", chosen_weights, "scores", score(P @ chosen_weights))

        table = pd.DataFrame(
            np.vstack(rows), index=pd.Index(labels, name="candidate"), columns=names
        )
        table["blend"] = blends
        table["objective_value"] = values
        table["chosen"] = [label == chosen for label in labels]
        return table, chosen_weights, chosen_blend, result

    @staticmethod
    def _slsqp(P: FloatArray, on_slice: _BlendSlice, start: FloatArray) -> OptimizeResult:
        """Log-loss weights by SLSQP on the simplex, with the analytic gradient."""
        y = np.asarray(on_slice.positive, dtype=np.float64)
        w_rows = np.ones(y.size) if on_slice.weight is None else on_slice.weight
        w_rows = w_rows / w_rows.sum()

        def gradient(w: FloatArray) -> FloatArray:
            p = np.clip(P @ w, PROBABILITY_CLIP, 1 - PROBABILITY_CLIP)
            d = -(y / p - (1.0 - y) / (1.0 - p)) * w_rows
            return np.asarray(d @ P, dtype=np.float64)

        k = P.shape[1]
        return minimize(
            lambda w: on_slice.score(P @ w),
            start,
            jac=gradient,
            method="SLSQP",
            bounds=[(0.0, 1.0)] * k,
            constraints=[
                {"type": "eq", "fun": lambda w: w.sum() - 1.0, "jac": lambda w: np.ones(k)}
            ],
            options={"ftol": 1e-12, "maxiter": 500},
        )

    def _evolve(self, P: FloatArray, loss: Callable[[FloatArray], float], k: int) -> OptimizeResult:
        """Order-based objectives by differential evolution over ``w = v / sum(v)``."""
        rng = np.random.default_rng(self.random_state)
        population = rng.uniform(size=(_DE_POPULATION_PER_WEIGHT * k, k))
        population[:k] = np.eye(k)  # each model alone
        population[k] = 1.0  # equal weights

        def on_simplex(v: FloatArray) -> FloatArray:
            total = v.sum()
            return v / total if total > 0 else np.full(k, 1.0 / k)

        result = differential_evolution(
            lambda v: loss(on_simplex(v)),
            bounds=[(0.0, 1.0)] * k,
            init=population,
            maxiter=_DE_MAX_GENERATIONS,
            tol=_DE_TOLERANCE,
            polish=False,
            seed=rng,
        )
        result.x = on_simplex(np.asarray(result.x, dtype=np.float64))
        return result

    # ----------------------------------------------------------------- predicting

    def _blended(self, X: Any) -> FloatArray:
        check_is_fitted(self)
        X = checked_rows(self, X, reset=False)
        method = "predict_proba" if hasattr(self, "classes_") else "predict"
        P = np.hstack(
            [
                predict_columns(model, X, method, name=name)
                for name, model in self.named_estimators_.items()
            ]
        )
        if self.blend_ == "ranks":
            P = percentile_ranks(P)
        return np.asarray(P @ self.weights_.to_numpy(), dtype=np.float64)

    def predict(self, X: Any) -> Any:
        """Classes (blended P(class 1) above one half) or the blended prediction."""
        scores = self._blended(X)
        if hasattr(self, "classes_"):
            return self.classes_[(scores > 0.5).astype(np.intp)]
        return scores

    @available_if(lambda self: self._is_classifier())  # type: ignore[untyped-decorator]
    def predict_proba(self, X: Any) -> FloatArray:
        """``[1 - s, s]`` for the blended P(class 1) ``s`` (a rank score for
        ``weights="rank_average"``)."""
        scores = np.clip(self._blended(X), 0.0, 1.0)
        return np.column_stack([1.0 - scores, scores])

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy (classifier) or R² (regressor) of :meth:`predict` on ``X``."""
        predicted = self.predict(X)
        if hasattr(self, "classes_"):
            return float(accuracy_score(y, predicted, sample_weight=sample_weight))
        return float(r2_score(y, predicted, sample_weight=sample_weight))
