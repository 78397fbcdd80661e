"""Single-feature importance (SFI): each feature alone, scored out of sample over time folds."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from joblib import delayed
from sklearn.base import clone

from tr_core.deprecation import renamed_argument
from tr_core.errors import InvalidParameterError
from tr_core.splits import CheckedFolds, checked_folds
from tr_core.validation import as_weight_array
from tr_core.weights import TrainingWeights, resolve_sample_weight
from tr_evaluation.parallel import check_n_jobs, run_parallel
from tr_feature_selection._inputs import check_features, feature_matrix, target_values
from tr_feature_selection.importance.results import SingleFeatureImportance
from tr_feature_selection.models import (
    Label,
    make_labels,
    model_task,
    predict_scores,
    prepare_model,
)
from tr_feature_selection.scoring import ScoredSlice, resolve_metric

__all__ = ["single_feature_importance"]

_OWNER = "single_feature_importance"


def single_feature_importance(
    frame: pd.DataFrame,
    *,
    features: Sequence[str],
    target: str,
    cv: Any = None,
    model: Any = None,
    label: Label = 0.0,
    metric: str | Callable[..., Any] = "auc",
    n_buckets: int = 20,
    sample_weight: Any = None,
    times: Any = None,
    label_ends: Any = None,
    random_state: int | None = None,
    n_jobs: int | None = None,
    device: str | None = None,
    verbose: bool = True,
    splitter: Any = None,
) -> SingleFeatureImportance:
    r"""Out-of-sample metric of a model trained on each feature alone (SFI).

    For every feature and every fold of ``cv``, a fresh copy of the model is
    trained on the fold's training rows where *that* feature is present and
    scored on the fold's test rows where it is present — each feature on its own
    complete rows, never filled. The importance is the mean metric over the
    folds that could be scored, with its standard deviation (López de Prado,
    2018, *Advances in Financial Machine Learning*, §8.4.1).

    Parameters
    ----------
    frame : DataFrame
        Features, target and whatever columns ``cv`` reads; never modified.
    features : sequence of str
        Numeric feature columns (NaN allowed: it only removes rows of that feature).
    target : str
        Realized target column, finite in every row. Regressors train on it;
        classifiers on ``make_labels(target, label)``.
    cv : splitter or iterable of (train, test)
        The folds, e.g. :class:`~tr_core.splits.PurgedKFold` or
        :class:`~tr_core.splits.WalkForward` built with ``times=``/``label_ends=``
        naming columns of ``frame`` (or aligned to it). Checked once by
        :func:`tr_core.splits.checked_folds`: a fold whose training rows share a
        timestamp or a label window with its test rows (an unpurged or shuffled
        k-fold) is refused.
    model : scikit-learn classifier or regressor, optional
        Template, cloned per fit; None is :func:`tr_feature_selection.models.default_model`.
    label : float or callable, default 0.0
        Class rule (see :func:`tr_feature_selection.models.make_labels`), applied to
        each training and each test slice separately.
    metric : str or callable, default "auc"
        Higher-is-better metric, see :func:`tr_feature_selection.scoring.resolve_metric`.
    n_buckets : int, default 20
        Score buckets of the bucket metrics.
    sample_weight : array-like, Series, str or callable, optional
        Training weights (see :mod:`tr_core.weights`): one weight per row (a Series
        is matched to ``frame`` by index label), a column name, or a weighter /
        callable ``f(train_frame) -> weights`` computed on each fold's training rows
        only. A fold's weights are passed to ``fit`` for the rows where the feature
        is present; evaluation is unweighted.
    times, label_ends : str or array-like, optional
        Decision time and label end of each row (column names or aligned values)
        that the folds are checked against; by default the splitter's own
        (tr-core splitters carry them). Needed for any other splitter.
    random_state : int, optional
        Seed set on the model copy (see :func:`~tr_feature_selection.models.prepare_model`).
    n_jobs : int, optional
        Parallel work items (one per feature and fold) run by ``joblib.Parallel``:
        None runs them one after another (or as ``joblib.parallel_config`` says),
        ``-1`` on every core. Inside ``joblib.parallel_config(backend="dask")``
        they run on a Dask cluster. The model's own threads are its own setting
        (XGBoost's default uses every core; joblib's process workers limit each to
        ``cores // n_jobs``). Results do not depend on ``n_jobs``.
    device : str, optional
        XGBoost device, e.g. ``"cuda"``.
    verbose : bool, default True
        Progress bar over features × folds (only when output is interactive).
    splitter : splitter, optional
        Deprecated spelling of ``cv`` (removed in 0.2).

    Returns
    -------
    SingleFeatureImportance
        Metric per feature and fold, rows used, ``.importance`` (highest first),
        ``.to_frame()``, ``.summary()``, ``.plot()``.

    Raises
    ------
    MissingColumnError, FeatureTypeError, NonFiniteError, EmptyDataError
        A missing column, a non-numeric feature, a target with NaN, no rows.
    FoldError
        A fold that is not a valid, leak-free split of ``frame`` (rows on both
        sides, a training window meeting a test window, bad positions), or no fold.
    InvalidParameterError
        No ``cv``, an integer ``cv``, no times to check the folds against, an empty
        feature list, negative weights, a model that is neither classifier nor
        regressor, a bad ``n_jobs``.
    IndexAlignmentError
        A ``sample_weight`` or ``times`` Series whose labels are not ``frame``'s.
    ZeroWeightError
        Weights that are zero in all the rows a model would be fit on.

    Notes
    -----
    A fold is left unscored (NaN) for a feature when the feature has no present
    training rows there, fewer present test rows than ``n_buckets`` (too few to
    bucket), when its training rows hold a single class, or when the metric is
    undefined on its test rows (AUC with one class); ``n_test`` shows the rows. SFI
    ignores joint effects: a feature useful only in interaction with another
    (e.g. through the market regime) can score at chance level alone.
    """
    cv = renamed_argument("cv", cv, "splitter", splitter, owner=_OWNER)
    if cv is None:
        raise InvalidParameterError(
            "`cv` is required: pass the folds, e.g. tr_core.splits.PurgedKFold(5, "
            "times='time', label_ends='label_end')."
        )
    names = check_features(frame, features)
    y = target_values(frame, target)
    jobs = check_n_jobs(n_jobs)
    template = prepare_model(model, random_state=random_state, device=device)
    classify = model_task(template) == "classification"
    weights = resolve_sample_weight(sample_weight, frame)
    scorer = resolve_metric(metric, n_buckets=n_buckets, argument="metric")
    folds = checked_folds(cv, frame, times=times, label_ends=label_ends)
    matrix = feature_matrix(frame, names)
    shape = (len(names), len(folds))
    n_train = np.zeros(shape, dtype=np.int64)
    n_test = np.zeros(shape, dtype=np.int64)
    cells: list[tuple[int, int]] = []
    tasks = _tasks(
        frame,
        names,
        matrix,
        pd.Series(y, index=frame.index, name=target),
        folds,
        _fold_weights(weights, frame, folds),
        template,
        classify,
        label,
        metric,
        n_buckets,
        cells,
        n_train,
        n_test,
    )
    results = run_parallel(
        tasks,
        n_jobs=jobs,
        total=len(names) * len(folds),
        desc="single-feature importance",
        verbose=verbose,
    )
    scores = np.full(shape, np.nan)
    for (j, k), value in zip(cells, results, strict=True):
        scores[j, k] = value
    index = pd.Index(names, dtype=object)
    return SingleFeatureImportance(
        metric=scorer.name,
        scores=pd.DataFrame(scores, index=index),
        n_train=pd.DataFrame(n_train, index=index),
        n_test=pd.DataFrame(n_test, index=index),
        n_rows=pd.Series((~np.isnan(matrix)).sum(axis=0), index=index, name="n_rows"),
    )


def _fold_weights(
    weights: TrainingWeights, frame: pd.DataFrame, folds: CheckedFolds
) -> list[npt.NDArray[np.float64] | None]:
    """Checked training weights of every fold (a weighter sees that fold's training rows only)."""
    return [weights.for_rows(frame, train, where=f"fold {k}") for k, (train, _) in enumerate(folds)]


def _tasks(
    frame: pd.DataFrame,
    names: list[str],
    matrix: npt.NDArray[np.float64],
    target: pd.Series,
    folds: CheckedFolds,
    fold_weights: list[npt.NDArray[np.float64] | None],
    template: Any,
    classify: bool,
    label: Label,
    metric: str | Callable[..., Any],
    n_buckets: int,
    cells: list[tuple[int, int]],
    n_train: npt.NDArray[np.int64],
    n_test: npt.NDArray[np.int64],
) -> Iterator[Any]:
    """One work item per feature and fold that can be scored, drawn lazily by joblib.

    Rows, labels and weights are taken here, in the calling process, so a work item
    holds only numpy arrays, the model template and the metric; the cells that get a
    work item are appended to ``cells`` (in order), the rows used to ``n_train`` /
    ``n_test``. A cell without present training rows, with fewer present test rows
    than buckets, or with one class in its training labels gets no work item (NaN).
    """
    for j, name in enumerate(names):
        column = matrix[:, j]
        present = ~np.isnan(column)
        for k, (train, test) in enumerate(folds):
            keep = present[train]
            fit_rows, test_rows = train[keep], test[present[test]]
            n_train[j, k], n_test[j, k] = fit_rows.size, test_rows.size
            if fit_rows.size == 0 or test_rows.size < n_buckets:
                continue
            y_train = target.iloc[fit_rows]
            if classify:
                fit_y = make_labels(y_train, label, require_both=False)
                if fit_y.min() == fit_y.max():
                    continue
            else:
                fit_y = y_train.to_numpy(dtype=np.float64)
            weight = fold_weights[k]
            if weight is not None:
                # The fold's weights are checked on all its training rows; the model of
                # this feature is fit on the present ones only, which must not all be 0.
                weight = as_weight_array(
                    weight[keep],
                    f"`sample_weight` (feature {name!r}, fold {k})",
                    source=frame.index[fit_rows],
                )
            y_test = target.iloc[test_rows]
            cells.append((j, k))
            yield delayed(_fit_and_score)(
                template,
                name,
                column[fit_rows],
                fit_y,
                weight,
                column[test_rows],
                y_test.to_numpy(dtype=np.float64),
                make_labels(y_test, label, require_both=False),
                metric,
                n_buckets,
            )


def _fit_and_score(
    template: Any,
    name: str,
    x_train: npt.NDArray[np.float64],
    y_train: npt.NDArray[Any],
    weight: npt.NDArray[np.float64] | None,
    x_test: npt.NDArray[np.float64],
    y_test: npt.NDArray[np.float64],
    test_labels: npt.NDArray[np.int8],
    metric: str | Callable[..., Any],
    n_buckets: int,
) -> float:
    """Metric of a fresh copy of ``template`` fit on one feature's training rows (a work item).

    The metric is resolved here from its name (or the caller's callable), so the
    work item carries nothing that plain pickling cannot move to another process.
    """
    scorer = resolve_metric(metric, n_buckets=n_buckets, argument="metric")
    extra = {} if weight is None else {"sample_weight": weight}
    model = clone(template).fit(pd.DataFrame({name: x_train}, copy=False), y_train, **extra)
    scores = predict_scores(model, pd.DataFrame({name: x_test}, copy=False))
    return scorer(ScoredSlice(y_test, scores, test_labels, n_buckets))
