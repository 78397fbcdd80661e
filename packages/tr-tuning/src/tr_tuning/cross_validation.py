"""Time-series cross-validation for tuning: the folds every trial is scored on, built once.

The folds come from the shared fold contract (:func:`tr_core.splits.checked_folds`),
so a splitter that leaks is refused before any trial runs. Each fold is then
prepared once and reused by every trial:

1. Missing features: under ``nan_policy="drop"`` a row with a NaN feature leaves
   that fold (train and test separately, nothing filled); under ``"native"`` NaN
   goes to the model, which must route it itself (XGBoost, LightGBM).
2. Early stopping (when the model uses it): the last ``validation_fraction`` of the
   fold's training *timestamps* become a validation slice, and training rows whose
   label window reaches into it are purged
   (:func:`tr_core.splits.time_train_test_split`). The number of boosting rounds
   is chosen on that slice — never on the fold's test rows, which only score.
3. Training weights (:mod:`tr_core.weights`) are computed on the rows the model is
   fit on, once per fold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InsufficientDataError, TrError
from tr_core.splits import CheckedFolds, time_train_test_split
from tr_core.weights import TrainingWeights

__all__ = ["FoldData", "prepare_folds"]

Positions = npt.NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class FoldData:
    """One fold, ready for every trial: what to fit on, validate on and score.

    Attributes
    ----------
    fold : int
        Fold number.
    fit_rows, val_rows, test_rows : ndarray of intp
        Positions in the frame: rows the model is fit on, the early-stopping slice
        (empty without early stopping), and the scored test rows.
    X_fit, X_val, X_test : DataFrame
        Feature columns of those rows.
    y_fit, y_val, y_test : ndarray
        What the model learns: classes (0/1) for a classifier, the label otherwise.
    alpha_test : ndarray of float64
        Realized target of the test rows (bucket metrics, per-period returns).
    w_fit : ndarray of float64 or None
        Training weights of the fit rows.
    w_test : ndarray of float64 or None
        Fixed weights of the test rows (for a custom metric), None otherwise.
    test_periods : ndarray of intp
        Calendar-period code of every test row.
    dropped_train, dropped_test : int
        Rows left out for missing features (``nan_policy="drop"``).
    """

    fold: int
    fit_rows: Positions
    val_rows: Positions
    test_rows: Positions
    X_fit: pd.DataFrame
    X_val: pd.DataFrame
    X_test: pd.DataFrame
    y_fit: npt.NDArray[Any]
    y_val: npt.NDArray[Any]
    y_test: npt.NDArray[Any]
    alpha_test: npt.NDArray[np.float64]
    w_fit: npt.NDArray[np.float64] | None
    w_test: npt.NDArray[np.float64] | None
    test_periods: Positions
    dropped_train: int
    dropped_test: int


def prepare_folds(
    frame: pd.DataFrame,
    folds: CheckedFolds,
    *,
    features: list[str],
    y: npt.NDArray[Any],
    alpha: npt.NDArray[np.float64],
    weights: TrainingWeights,
    complete: npt.NDArray[np.bool_] | None,
    validation_fraction: float | None,
    period_codes: Positions,
    classification: bool,
) -> tuple[FoldData, ...]:
    """Prepare every fold once.

    Parameters
    ----------
    frame : DataFrame
        The training frame (never modified).
    folds : CheckedFolds
        From :func:`tr_core.splits.checked_folds`.
    features : list of str
        Feature columns.
    y : ndarray
        What the model learns, one per row of ``frame``.
    alpha : ndarray of float64
        Realized target, one per row.
    weights : TrainingWeights
        The resolved ``sample_weight``.
    complete : ndarray of bool or None
        Rows whose features are all present, under ``nan_policy="drop"``; None keeps NaN.
    validation_fraction : float or None
        Share of each fold's training timestamps held out for early stopping; None
        for no early stopping.
    period_codes : ndarray of intp
        Calendar period of every row (per-period returns).
    classification : bool
        Whether ``y`` holds classes (both must be present in every fold's fit rows).

    Raises
    ------
    InsufficientDataError
        A fold whose training (or test) rows are all dropped for missing features,
        whose training timestamps are too few to hold out a validation slice, or
        whose fit rows hold one class only — each naming the fold and the fix.
    """
    X = frame[features]
    prepared = []
    for k, (train, test) in enumerate(folds):
        kept_train, kept_test = train, test
        if complete is not None:
            kept_train, kept_test = train[complete[train]], test[complete[test]]
            for side, rows, kept in (("training", train, kept_train), ("test", test, kept_test)):
                if kept.size == 0:
                    raise InsufficientDataError(
                        f"fold {k}: all {rows.size} {side} rows have a missing feature and are "
                        "dropped (nan_policy='drop'); use nan_policy='native' with a model "
                        "that routes NaN (XGBoost), fewer features, or later folds."
                    )
        fit_rows, val_rows = kept_train, kept_train[:0]
        if validation_fraction is not None:
            fit_rows, val_rows = _validation_split(folds, kept_train, validation_fraction, k)
        if classification:
            classes = np.unique(y[fit_rows])
            if classes.size < 2:
                raise InsufficientDataError(
                    f"fold {k}: the {fit_rows.size} rows the model is fit on are all class "
                    f"{int(classes[0])}; the classifier cannot learn. Use longer training "
                    "windows or another `label` threshold."
                )
        w_fit = weights.for_rows(frame, fit_rows, where=f"fold {k}")
        w_test = None if weights.fixed is None else weights.fixed[kept_test]
        prepared.append(
            FoldData(
                fold=k,
                fit_rows=fit_rows,
                val_rows=val_rows,
                test_rows=kept_test,
                X_fit=X.iloc[fit_rows],
                X_val=X.iloc[val_rows],
                X_test=X.iloc[kept_test],
                y_fit=y[fit_rows],
                y_val=y[val_rows],
                y_test=y[kept_test],
                alpha_test=alpha[kept_test],
                w_fit=w_fit,
                w_test=w_test,
                test_periods=period_codes[kept_test],
                dropped_train=int(train.size - kept_train.size),
                dropped_test=int(test.size - kept_test.size),
            )
        )
    return tuple(prepared)


def _validation_split(
    folds: CheckedFolds, train: Positions, fraction: float, k: int
) -> tuple[Positions, Positions]:
    """The fold's training rows split by time into fit rows and a later validation slice."""
    try:
        fit, val = time_train_test_split(
            train,
            times=folds.times[train],
            label_ends=folds.label_ends[train],
            test_size=fraction,
        )
    except TrError as exc:
        raise InsufficientDataError(
            f"fold {k}: its {train.size} training rows cannot hold out an early-stopping "
            f"validation slice ({exc}); use longer training windows or "
            "early_stopping_rounds=None."
        ) from exc
    return train[fit], train[val]
