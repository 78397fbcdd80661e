"""Single-feature importance (SFI): each feature alone, scored out of sample over time folds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import product
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import clone

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
)
from tr_core.validation import as_weight_array, resolve_column
from tr_evaluation.progress import progress
from tr_feature_selection._alignment import check_aligned
from tr_feature_selection._inputs import check_features, feature_matrix, target_values
from tr_feature_selection.importance.results import SingleFeatureImportance
from tr_feature_selection.models import (
    Label,
    make_labels,
    model_task,
    predict_scores,
    prepare_model,
)
from tr_feature_selection.scoring import Metric, ScoredSlice, resolve_metric

__all__ = ["single_feature_importance"]


def single_feature_importance(
    frame: pd.DataFrame,
    *,
    features: Sequence[str],
    target: str,
    splitter: Any,
    model: Any = None,
    label: Label = 0.0,
    metric: str | Callable[..., Any] = "auc",
    n_buckets: int = 20,
    sample_weight: str | Any | None = None,
    random_state: int | None = None,
    n_jobs: int | None = None,
    device: str | None = None,
    verbose: bool = True,
) -> SingleFeatureImportance:
    r"""Out-of-sample metric of a model trained on each feature alone (SFI).

    For every feature and every fold of ``splitter``, a fresh copy of the model
    is trained on the fold's training rows where *that* feature is present and
    scored on the fold's test rows where it is present — each feature on its own
    complete rows, never filled. The importance is the mean metric over the
    folds that could be scored, with its standard deviation (López de Prado,
    2018, *Advances in Financial Machine Learning*, §8.4.1).

    Parameters
    ----------
    frame : DataFrame
        Features, target and whatever columns ``splitter`` reads; never modified.
    features : sequence of str
        Numeric feature columns (NaN allowed: it only removes rows of that feature).
    target : str
        Realized target column, finite in every row. Regressors train on it;
        classifiers on ``make_labels(target, label)``.
    splitter : tr_core.splits splitter
        E.g. :class:`~tr_core.splits.PurgedKFold` or :class:`~tr_core.splits.WalkForward`,
        built with ``times=``/``label_ends=`` aligned to ``frame`` (or naming its
        columns); ``splitter.split(frame)`` gives the folds.
    model : scikit-learn classifier or regressor, optional
        Template, cloned per fit; None is :func:`tr_feature_selection.models.default_model`.
    label : float or callable, default 0.0
        Class rule (see :func:`tr_feature_selection.models.make_labels`), applied to
        each training and each test slice separately.
    metric : str or callable, default "auc"
        Higher-is-better metric, see :func:`tr_feature_selection.scoring.resolve_metric`.
    n_buckets : int, default 20
        Score buckets of the bucket metrics.
    sample_weight : str or array-like, optional
        Training weight per row (a column name or aligned values, finite, ``>= 0``,
        not all zero; a Series must carry ``frame``'s index), passed to ``fit``.
    random_state, n_jobs : int, optional
        Seed and threads of the model (see :func:`~tr_feature_selection.models.prepare_model`).
    device : str, optional
        XGBoost device, e.g. ``"cuda"``.
    verbose : bool, default True
        Progress bar over features × folds (only on a terminal).

    Returns
    -------
    SingleFeatureImportance
        Metric per feature and fold, rows used, ``.importance`` (highest first),
        ``.to_frame()``, ``.summary()``, ``.plot()``.

    Raises
    ------
    MissingColumnError, FeatureTypeError, NonFiniteError, EmptyDataError
        A missing column, a non-numeric feature, a target with NaN, no rows.
    InvalidParameterError
        An empty feature list, a splitter without ``split``, negative weights or a
        weight Series indexed unlike ``frame``, a model that is neither classifier
        nor regressor.
    ZeroWeightError
        Weights that are zero in every row.
    InsufficientDataError
        The splitter yields no folds.

    Notes
    -----
    A fold is left unscored (NaN) for a feature when the feature has no present
    training rows there, fewer present test rows than ``n_buckets`` (too few to
    bucket), when its training rows hold a single class, or when the metric is
    undefined on its test rows (AUC with one class); ``n_test`` shows the rows. SFI
    ignores joint effects: a feature useful only in interaction with another
    (e.g. through the market regime) can score at chance level alone.
    """
    names = check_features(frame, features)
    y = target_values(frame, target)
    template = prepare_model(model, random_state=random_state, n_jobs=n_jobs, device=device)
    classify = model_task(template) == "classification"
    weights = _weights(frame, sample_weight)
    scorer = resolve_metric(metric, n_buckets=n_buckets, argument="metric")
    if not callable(getattr(splitter, "split", None)):
        raise InvalidParameterError(
            f"`splitter` must have a split(frame) method (e.g. tr_core.splits.PurgedKFold), "
            f"got {type(splitter).__name__}."
        )
    folds = list(splitter.split(frame))
    if not folds:
        raise InsufficientDataError(f"{splitter!r} yields no folds for {len(frame)} rows.")
    matrix = feature_matrix(frame, names)
    shape = (len(names), len(folds))
    scores = np.full(shape, np.nan)
    n_train = np.zeros(shape, dtype=np.int64)
    n_test = np.zeros(shape, dtype=np.int64)
    cells = progress(
        product(range(len(names)), range(len(folds))),
        desc="single-feature importance",
        total=scores.size,
        verbose=verbose,
    )
    column = pd.Series(y, index=frame.index, name=target)
    for j, k in cells:
        present = ~np.isnan(matrix[:, j])
        train, test = folds[k]
        fold = (train[present[train]], test[present[test]])
        n_train[j, k], n_test[j, k] = fold[0].size, fold[1].size
        feature = pd.DataFrame({names[j]: matrix[:, j]}, copy=False)
        scores[j, k] = _score_fold(
            template, classify, feature, column, weights, fold, label, scorer, n_buckets
        )
    index = pd.Index(names, dtype=object)
    return SingleFeatureImportance(
        metric=scorer.name,
        scores=pd.DataFrame(scores, index=index),
        n_train=pd.DataFrame(n_train, index=index),
        n_test=pd.DataFrame(n_test, index=index),
        n_rows=pd.Series((~np.isnan(matrix)).sum(axis=0), index=index, name="n_rows"),
    )


def _score_fold(
    template: Any,
    classify: bool,
    feature: pd.DataFrame,
    target: pd.Series,
    weights: npt.NDArray[np.float64] | None,
    fold: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]],
    label: Label,
    scorer: Metric,
    n_buckets: int,
) -> float:
    """Metric of a fresh model fitted on the fold's train rows, scored on its test rows.

    NaN when there are no train rows, fewer test rows than buckets, or the train rows
    hold one class only.
    """
    train, test = fold
    if train.size == 0 or test.size < n_buckets:
        return float("nan")
    y_train = target.iloc[train]
    if classify:
        fit_y: Any = make_labels(y_train, label, require_both=False)
        if fit_y.min() == fit_y.max():
            return float("nan")
    else:
        fit_y = y_train.to_numpy(dtype=np.float64)
    extra = {} if weights is None else {"sample_weight": weights[train]}
    model = clone(template).fit(feature.iloc[train], fit_y, **extra)
    y_test = target.iloc[test]
    scored = ScoredSlice(
        y_test.to_numpy(dtype=np.float64),
        predict_scores(model, feature.iloc[test]),
        make_labels(y_test, label, require_both=False),
        n_buckets,
    )
    return scorer(scored)


def _weights(frame: pd.DataFrame, sample_weight: Any) -> npt.NDArray[np.float64] | None:
    """Per-row training weights (finite, non-negative), or None."""
    if sample_weight is None:
        return None
    values = check_aligned(
        resolve_column(frame, sample_weight, "sample_weight"), frame.index, "`sample_weight`"
    )
    weights = as_weight_array(values, "`sample_weight`", source=frame)
    return weights
