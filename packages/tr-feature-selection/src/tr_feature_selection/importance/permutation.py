"""Permutation importance (mean decrease of accuracy, MDA) on a later, unseen time slice."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from joblib import delayed
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from tr_core.alignment import align_to
from tr_core.deprecation import renamed_argument
from tr_core.errors import (
    FoldError,
    InsufficientDataError,
    InvalidParameterError,
    LookaheadError,
)
from tr_core.splits import checked_folds
from tr_core.validation import as_datetime_array, check_same_timezone, resolve_column
from tr_evaluation.parallel import check_n_jobs, run_parallel
from tr_feature_selection._inputs import check_features, feature_matrix, target_values
from tr_feature_selection.importance.results import PermutationImportance
from tr_feature_selection.models import Label, make_labels, model_task, predict_scores
from tr_feature_selection.scoring import ScoredSlice, resolve_metric

__all__ = ["permutation_importance"]

_OWNER = "permutation_importance"


def permutation_importance(
    model: Any,
    frame: pd.DataFrame,
    *,
    features: Sequence[str],
    target: str,
    metric: str | Callable[..., Any] = "auc",
    label: Label = 0.0,
    n_buckets: int = 20,
    n_repeats: int = 5,
    clusters: Mapping[str, Sequence[str]] | None = None,
    random_state: int | np.random.Generator | None = None,
    times: str | Any | None = None,
    train_end: Any = None,
    n_jobs: int | None = None,
    verbose: bool = True,
    time: str | Any | None = None,
) -> PermutationImportance:
    r"""Mean decrease of a metric when a feature (or a cluster) is permuted, out of sample.

    The model is already fitted on earlier data; ``frame`` is a *later* slice. For
    each unit :math:`u` (a feature, or a cluster of features permuted together
    with one row permutation, so their joint distribution is kept) and repeat
    :math:`r`, the drop is

    .. math:: d_{u,r} = M(\text{slice}) - M(\text{slice with } u
              \text{'s rows permuted by } \pi_r),

    and the importance is the mean over repeats (Breiman, 2001, *Machine
    Learning* 45(1); López de Prado, 2018, *Advances in Financial Machine
    Learning*, §8.3.2). Every unit sees the same permutations :math:`\pi_r`, so
    a unit's result does not depend on which other units are listed.

    Parameters
    ----------
    model : fitted scikit-learn classifier or regressor
        Fitted on data before the slice; never refitted or modified. A model with
        ``feature_names_in_`` gets the features in its own training order; any
        other model gets them in the order of ``features``.
    frame : DataFrame
        The evaluation slice; never modified (permutations act on a numpy copy).
    features : sequence of str
        The model's feature columns (exactly the ones it was trained on). NaN
        cells go to the model as they are (XGBoost routes them); a permutation
        moves them with their rows, so missingness is permuted too.
    target : str
        Realized target column (finite in every row).
    metric : str or callable, default "auc"
        Higher-is-better metric, see :func:`tr_feature_selection.scoring.resolve_metric`.
    label : float or callable, default 0.0
        Class rule for AUC (see :func:`tr_feature_selection.models.make_labels`):
        by default a row is class 1 when ``target > 0``.
    n_buckets : int, default 20
        Score buckets of the bucket metrics.
    n_repeats : int, default 5
        Permutations per unit, ``>= 1``.
    clusters : mapping of str to sequence of str, optional
        Cluster name to its features, permuted jointly (e.g. groups of correlated
        features); each feature in at most one cluster, unlisted features are
        permuted alone.
    random_state : int or numpy.random.Generator, optional
        Seed of the permutations; the same seed gives the same result.
    times : str or array-like, optional
        Decision time of each row (a column name, or datetimes: a Series is matched
        to ``frame`` by index label, other values by position); with ``train_end``
        it turns on the leak guard.
    train_end : Timestamp-like, optional
        When the model's training data ended — best the last ``label_end`` of the
        training rows, so that outcome windows overlapping the slice count too.
        Every row must be strictly later: the guard is tr-core's fold check
        (:func:`tr_core.splits.checked_folds`) with the model's training period
        as the training side and the rows of ``frame`` as the test side.
    n_jobs : int, optional
        Parallel work items (one per unit, all its repeats) run by
        ``joblib.Parallel``: None runs them one after another (or as
        ``joblib.parallel_config`` says), ``-1`` on every core; inside
        ``joblib.parallel_config(backend="dask")`` they run on a Dask cluster.
        Results do not depend on ``n_jobs``: the permutations are drawn before the
        work is handed out.
    verbose : bool, default True
        Progress bar over units (only when output is interactive).
    time : str or array-like, optional
        Deprecated spelling of ``times`` (removed in 0.2).

    Returns
    -------
    PermutationImportance
        Baseline, drops per unit and repeat, ``.importance`` (highest first),
        ``.to_frame()``, ``.summary()``, ``.plot()``.

    Raises
    ------
    InvalidParameterError
        An unfitted model or one that is not a classifier/regressor, ``features``
        other than the model's, bad ``clusters`` (unknown feature, a feature in
        two clusters), ``n_repeats < 1``, ``times`` without ``train_end`` or back,
        a bad ``n_jobs``.
    IndexAlignmentError
        A ``times`` Series whose labels are not ``frame``'s.
    MissingColumnError, FeatureTypeError, NonFiniteError, EmptyDataError
        A missing column, a non-numeric feature, a target with NaN, no rows.
    LookaheadError
        A row at or before ``train_end``.
    InsufficientDataError
        The metric is undefined on the slice (e.g. AUC with a single class).

    Notes
    -----
    Permuting one of two substitutes (correlated features carrying the same
    information) barely hurts, because the model reads the other: both look
    unimportant. Permute such features together via ``clusters`` (López de
    Prado, 2020, *Machine Learning for Asset Managers*, §6.5, clustered MDA).
    """
    times = renamed_argument("times", times, "time", time, owner=_OWNER)
    task = model_task(model)
    try:
        check_is_fitted(model)
    except NotFittedError as exc:
        raise InvalidParameterError(
            f"the {type(model).__name__} is not fitted; fit it on the training slice (before "
            "the evaluation slice) first."
        ) from exc
    names = check_features(frame, features)
    order = _model_order(model, names)
    y = target_values(frame, target)
    labels = make_labels(frame[target], label, require_both=False)
    if times is not None or train_end is not None:
        _check_after(frame, times, train_end)
    units = _units(names, clusters)
    if isinstance(n_repeats, bool) or not isinstance(n_repeats, int | np.integer) or n_repeats < 1:
        raise InvalidParameterError(f"`n_repeats` must be an integer >= 1, got {n_repeats!r}.")
    jobs = check_n_jobs(n_jobs)
    scorer = resolve_metric(metric, n_buckets=n_buckets, argument="metric")
    columns = order if hasattr(model, "feature_names_in_") else None
    original = feature_matrix(frame, order)
    baseline = _score(model, original, columns, y, labels, metric, n_buckets)
    if not np.isfinite(baseline):
        raise InsufficientDataError(
            f"`metric` {scorer.name!r} is undefined on this slice ({len(frame)} rows"
            + (f", all of class {int(labels[0])}" if labels.min() == labels.max() else "")
            + f", {task} model); use a longer slice or another metric."
        )
    # Every permutation is drawn here, before any work is handed out, so the result
    # is the same for every n_jobs and backend.
    rng = np.random.default_rng(random_state)
    perms = np.stack([rng.permutation(len(frame)) for _ in range(n_repeats)])
    position = {name: j for j, name in enumerate(order)}

    def tasks() -> Iterator[Any]:
        for members in units.values():
            cols = np.array([position[m] for m in members], dtype=np.intp)
            yield delayed(_unit_drops)(
                model, original, cols, perms, baseline, columns, y, labels, metric, n_buckets
            )

    drops = run_parallel(
        tasks(), n_jobs=jobs, total=len(units), desc="permutation importance", verbose=verbose
    )
    return PermutationImportance(
        metric=scorer.name,
        baseline=float(baseline),
        drops=pd.DataFrame(
            np.array(drops, dtype=np.float64).reshape(len(units), n_repeats),
            index=pd.Index(list(units), dtype=object),
        ),
        members=dict(units),
        n_rows=len(frame),
    )


def _model_order(model: Any, names: list[str]) -> list[str]:
    """The features in the model's training order, checked to be exactly the model's."""
    trained = getattr(model, "feature_names_in_", None)
    if trained is None:
        return names
    known = [str(c) for c in trained]
    if set(known) != set(names):
        raise InvalidParameterError(
            f"`features` must be the model's training columns: missing "
            f"{[c for c in known if c not in names]}, not trained on "
            f"{[c for c in names if c not in known]}; pass features=list(model.feature_names_in_)."
        )
    return known


def _score(
    model: Any,
    matrix: npt.NDArray[np.float64],
    columns: list[str] | None,
    y: npt.NDArray[np.float64],
    labels: npt.NDArray[np.int8],
    metric: str | Callable[..., Any],
    n_buckets: int,
) -> float:
    """The metric of ``model``'s scores of ``matrix`` (a DataFrame when the model knows names)."""
    scorer = resolve_metric(metric, n_buckets=n_buckets, argument="metric")
    data = matrix if columns is None else pd.DataFrame(matrix, columns=columns, copy=False)
    return scorer(ScoredSlice(y, predict_scores(model, data), labels, n_buckets))


def _unit_drops(
    model: Any,
    original: npt.NDArray[np.float64],
    cols: npt.NDArray[np.intp],
    perms: npt.NDArray[np.intp],
    baseline: float,
    columns: list[str] | None,
    y: npt.NDArray[np.float64],
    labels: npt.NDArray[np.int8],
    metric: str | Callable[..., Any],
    n_buckets: int,
) -> npt.NDArray[np.float64]:
    """Drops of one unit (columns ``cols`` permuted together) under each permutation.

    A work item: it permutes its own copy of the features (``original`` may be a
    read-only array shared by several workers) and never touches the model.
    """
    work = original.copy()
    drops = np.empty(len(perms), dtype=np.float64)
    for r, perm in enumerate(perms):
        work[:, cols] = original[np.ix_(perm, cols)]
        drops[r] = baseline - _score(model, work, columns, y, labels, metric, n_buckets)
    return drops


def _check_after(frame: pd.DataFrame, times: Any, train_end: Any) -> None:
    """Leak guard: no row of ``frame`` is decided at or before ``train_end``.

    Expressed as one fold for tr-core's fold check: the model's training period is
    the training side — one window from the earliest time to ``train_end`` — and the
    rows of ``frame`` are the test side. A test row meets that window exactly when
    its decision time is at or before ``train_end``.
    """
    if times is None or train_end is None:
        raise InvalidParameterError(
            "the leak guard needs both `times` (the decision-time column) and `train_end` "
            f"(when the model's training data ended); got times={times!r}, "
            f"train_end={train_end!r}."
        )
    raw = align_to(frame.index, resolve_column(frame, times, "times"), "times")
    try:
        end = pd.Timestamp(train_end)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"`train_end` must be a timestamp, got {train_end!r}; pass e.g. "
            "train['label_end'].max()."
        ) from exc
    check_same_timezone(times=raw, train_end=end)
    scored = as_datetime_array(raw, "times")
    end_ns = as_datetime_array(pd.DatetimeIndex([end]), "train_end")[0]
    n = len(scored)
    trained = np.array([min(scored.min(), end_ns)])
    fold = (np.array([n], dtype=np.intp), np.arange(n, dtype=np.intp))
    try:
        checked_folds(
            [fold],
            np.empty((n + 1, 0)),
            times=np.concatenate([scored, trained]),
            label_ends=np.concatenate([scored, [end_ns]]),
        )
    except FoldError as exc:
        first = int(np.argmin(scored))
        label = frame.index[first : first + 1].tolist()[0]
        shown = raw.iloc[first] if isinstance(raw, pd.Series) else pd.Timestamp(scored[first])
        where = f"frame[frame[{times!r}] > train_end]" if isinstance(times, str) else "later rows"
        raise LookaheadError(
            f"`frame` has rows decided at or before `train_end`={end}, the earliest row "
            f"{label!r} at {shown}: the model may have trained on "
            "them, so permuting them measures in-sample fit, not importance. Evaluate on the "
            f"rows after train_end only, e.g. {where}."
        ) from exc


def _units(
    names: list[str], clusters: Mapping[str, Sequence[str]] | None
) -> dict[str, tuple[str, ...]]:
    """Unit name to its features: clusters and lone features, in order of first feature."""
    if clusters is None:
        return {n: (n,) for n in names}
    if not isinstance(clusters, Mapping):
        raise InvalidParameterError(
            f"`clusters` must map a cluster name to its features, got {type(clusters).__name__}."
        )
    owner: dict[str, str] = {}
    for cluster, members in clusters.items():
        if not isinstance(cluster, str):
            raise InvalidParameterError(
                f"the cluster names in `clusters` must be strings, got {cluster!r}."
            )
        if isinstance(members, str) or not list(members):
            raise InvalidParameterError(
                f"`clusters`: cluster {cluster!r} must list at least one feature name, got "
                f"{members!r}."
            )
        for member in members:
            if member not in names:
                raise InvalidParameterError(
                    f"`clusters`: cluster {cluster!r} lists {member!r}, which is not in "
                    "`features`; clusters may only group features being evaluated."
                )
            if member in owner:
                raise InvalidParameterError(
                    f"`clusters`: feature {member!r} is in cluster {owner[member]!r} and in "
                    f"cluster {cluster!r}; put each feature in at most one cluster."
                )
            owner[member] = cluster
        if cluster in names and owner.get(cluster) != cluster:
            raise InvalidParameterError(
                f"`clusters`: the name {cluster!r} is also the name of a feature outside it; "
                "rename the cluster."
            )
    units: dict[str, tuple[str, ...]] = {}
    for name in names:
        unit = owner.get(name, name)
        if unit not in units:
            units[unit] = tuple(clusters[unit]) if unit in owner.values() else (name,)
    return units
