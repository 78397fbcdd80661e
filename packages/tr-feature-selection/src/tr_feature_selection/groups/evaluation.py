"""One feature group, one train/test pair: complete rows, fit, score, judge.

This is the unit of work that :class:`~tr_feature_selection.groups.FeatureGroupAnalyzer`
runs for every group (and, in cross-validation, for every fold × group).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InsufficientDataError, InvalidParameterError
from tr_core.nan import NanAudit, complete_rows
from tr_core.nan import takes_nan as routes_nan
from tr_core.validation import as_float_array
from tr_core.weights import TrainingWeights
from tr_feature_selection.groups.nan_policy import NanPolicy
from tr_feature_selection.models import Label, Task, make_labels, predict_scores, prepare_model
from tr_feature_selection.scoring import Metric, ScoredSlice, resolve_metric

__all__ = ["GroupOutcome", "GroupSettings", "evaluate_group", "takes_nan"]


@dataclass(frozen=True)
class GroupSettings:
    """Everything the per-group work needs, resolved and validated once.

    Attributes
    ----------
    model : estimator or None
        Template (None: the default XGBoost classifier); cloned per group.
    task : {"classification", "regression"}
        What the model does with the target.
    target : str
        Target column.
    label : float or callable
        How the target becomes a class (training of classifiers, and AUC).
    evaluation_metric : str or callable
        The evaluation metric as the caller gave it (validated); resolved inside each
        task, so the settings stay picklable for process and Dask backends.
    n_buckets : int
        Score buckets.
    nan_policy : {"drop_per_group", "native"}
        Missing-value policy.
    random_state : int or None
        Seed of every group's model (the same for each group).
    model_n_jobs : int or None
        Threads of each model.
    device : str or None
        XGBoost device.
    weights : TrainingWeights
        Training weights (``sample_weight`` resolved against the frame the row
        positions point into); inactive for unweighted training.
    """

    model: Any
    task: Task
    target: str
    label: Label
    evaluation_metric: Any
    n_buckets: int
    nan_policy: NanPolicy
    random_state: int | None
    model_n_jobs: int | None
    device: str | None
    weights: TrainingWeights

    @property
    def metric(self) -> Metric:
        """The evaluation metric, resolved."""
        return resolve_metric(self.evaluation_metric, n_buckets=self.n_buckets)


@dataclass(frozen=True, repr=False)
class GroupOutcome:
    """What one group achieved on one train/test pair.

    Attributes
    ----------
    group : str
        Group name.
    n_features : int
        Its number of columns.
    train_audit, test_audit : NanAudit
        Rows kept and dropped for NaN on each side (positions into the rows left
        by ``filter_func``).
    train_rows, test_rows : ndarray of intp
        Positions of the rows used on each side, into the frames given.
    train_metric, test_metric : float
        The evaluation metric on the training rows and on the test rows.
    test : ScoredSlice
        The scored test rows (bucket table, AUC, IC, ...).
    """

    group: str
    n_features: int
    train_audit: NanAudit
    test_audit: NanAudit
    train_rows: npt.NDArray[np.intp]
    test_rows: npt.NDArray[np.intp]
    train_metric: float
    test_metric: float
    test: ScoredSlice

    def __repr__(self) -> str:
        return (
            f"GroupOutcome({self.group!r}, train_used={self.train_audit.rows_out}, "
            f"test_used={self.test_audit.rows_out}, train_metric={self.train_metric:.4g}, "
            f"test_metric={self.test_metric:.4g})"
        )

    @property
    def overfit_gap(self) -> float:
        """Train metric minus test metric."""
        return self.train_metric - self.test_metric

    def metrics(self) -> dict[str, float | int]:
        """Rows dropped and used on each side, and the test statistics, by column name."""
        return {
            "train_nan_dropped": self.train_audit.rows_dropped,
            "train_used": self.train_audit.rows_out,
            "test_nan_dropped": self.test_audit.rows_dropped,
            "test_used": self.test_audit.rows_out,
            "train_metric": self.train_metric,
            "test_metric": self.test_metric,
            "overfit_gap": self.overfit_gap,
            "auc": self.test.auc,
            "ic": self.test.ic,
            "top_bucket_return": self.test.top_bucket_return,
            "spread": self.test.spread,
        }


def evaluate_group(
    settings: GroupSettings,
    group: str,
    columns: tuple[str, ...],
    train: pd.DataFrame,
    train_rows: npt.NDArray[np.intp] | None,
    test: pd.DataFrame,
    test_rows: npt.NDArray[np.intp] | None,
) -> GroupOutcome:
    """Train on the group's usable training rows and score its usable test rows.

    A module-level function of picklable arguments: one joblib task.

    Parameters
    ----------
    settings : GroupSettings
    group : str
        Group name, for messages.
    columns : tuple of str
        The group's feature columns.
    train, test : DataFrame
        The frames the rows are taken from (the same frame in cross-validation);
        never modified.
    train_rows, test_rows : ndarray of intp or None
        Positions of the rows of each side (a fold, after ``filter_func``); None
        means every row of the frame.

    Returns
    -------
    GroupOutcome

    Raises
    ------
    InsufficientDataError
        No complete training or test row, fewer usable rows than ``n_buckets``,
        or a constant training target.
    InvalidParameterError
        NaN features for a model that cannot take them under ``nan_policy="native"``.
    """
    metric = settings.metric
    x_train, y_train_raw, train_audit, train_used = _usable(
        settings, group, columns, train, train_rows, "training"
    )
    x_test, y_test_raw, test_audit, test_used = _usable(
        settings, group, columns, test, test_rows, "test"
    )
    where = f"the training rows of feature group {group!r}"
    if settings.task == "classification":
        y_train: npt.NDArray[Any] = make_labels(y_train_raw, settings.label, where=where)
    else:
        y_train = as_float_array(y_train_raw, where)
        if y_train.min() == y_train.max():
            raise InsufficientDataError(
                f"the target is constant ({y_train[0]!r}) on {where}; a model cannot learn "
                "from a constant target. Check the target column."
            )
    fit_kwargs: dict[str, Any] = {}
    weights = settings.weights.for_rows(train, train_used, where=f"feature group {group!r}")
    if weights is not None:
        fit_kwargs["sample_weight"] = weights
    model = prepare_model(
        settings.model,
        random_state=settings.random_state,
        n_jobs=settings.model_n_jobs,
        device=settings.device,
    )
    model.fit(x_train, y_train, **fit_kwargs)
    train_slice = _scored(settings, model, x_train, y_train_raw, group, "training")
    test_slice = _scored(settings, model, x_test, y_test_raw, group, "test")
    return GroupOutcome(
        group=group,
        n_features=len(columns),
        train_audit=train_audit,
        test_audit=test_audit,
        train_rows=train_used,
        test_rows=test_used,
        train_metric=metric(train_slice),
        test_metric=metric(test_slice),
        test=test_slice,
    )


def _usable(
    settings: GroupSettings,
    group: str,
    columns: tuple[str, ...],
    frame: pd.DataFrame,
    rows: npt.NDArray[np.intp] | None,
    side: str,
) -> tuple[pd.DataFrame, pd.Series, NanAudit, npt.NDArray[np.intp]]:
    """Features and target of the rows the group can use, the NaN audit, and their positions."""
    needed = (*columns, settings.target) if settings.nan_policy == "drop_per_group" else None
    # Columns first, then rows: only the group's columns are copied.
    subset = frame[list(dict.fromkeys((*columns, settings.target)))]
    if rows is not None:
        subset = subset.iloc[rows]
    kept, audit = complete_rows(subset, needed or (settings.target,))
    if audit.rows_out == 0:
        counts = {c: n for c, n in audit.nan_counts.items() if n}
        raise InsufficientDataError(
            f"feature group {group!r} has no usable {side} row: all {audit.rows_in} rows have "
            f"NaN in at least one of its columns or the target (NaN counts {counts}). Remove "
            "the group, or pass more rows."
        )
    if audit.rows_out < settings.n_buckets:
        raise InsufficientDataError(
            f"feature group {group!r} has {audit.rows_out} usable {side} rows "
            f"({audit.rows_dropped} of {audit.rows_in} dropped for NaN), fewer than the "
            f"n_buckets={settings.n_buckets} score buckets; pass more rows or lower n_buckets."
        )
    features = kept[list(columns)]
    if settings.nan_policy == "native" and not takes_nan(settings.model):
        missing = [c for c in columns if features[c].isna().any()]
        if missing:
            raise InvalidParameterError(
                f"feature group {group!r} has NaN in {missing} ({side} rows) and "
                f"`nan_policy`='native', but {type(settings.model).__name__} cannot route "
                "missing values; use nan_policy='drop_per_group', or a model that routes NaN "
                "(XGBoost, LightGBM, scikit-learn's HistGradientBoosting)."
            )
    positions = audit.positions if rows is None else rows[audit.positions]
    return features, kept[settings.target], audit, np.asarray(positions, dtype=np.intp)


def takes_nan(model: Any) -> bool:
    """Whether the model routes missing values itself, so ``nan_policy="native"`` can use it.

    :func:`tr_core.nan.takes_nan` (XGBoost, LightGBM, scikit-learn's HistGradientBoosting,
    recognized without importing them), plus None: the default XGBoost classifier.

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> takes_nan(HistGradientBoostingClassifier()), takes_nan(LogisticRegression())
    (True, False)
    """
    return model is None or routes_nan(model)


def _scored(
    settings: GroupSettings,
    model: Any,
    features: pd.DataFrame,
    target: pd.Series,
    group: str,
    side: str,
) -> ScoredSlice:
    """Scores of ``features`` with their outcomes, ready to be judged."""
    where = f"the {side} rows of feature group {group!r}"
    labels = make_labels(target, settings.label, where=where, require_both=False)
    return ScoredSlice(
        target=as_float_array(target, where),
        scores=predict_scores(model, features),
        labels=labels,
        n_buckets=settings.n_buckets,
    )
