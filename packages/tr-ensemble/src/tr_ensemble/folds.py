"""The folds an ensemble learns its combination on: tr-core's checked folds, one test per row.

An ensemble's combiner (a meta-learner, blend weights) must be fitted on
predictions its base models made for rows they never trained on. Those
predictions come from the folds of a tr-core splitter, checked once by
:func:`tr_core.splits.checked_folds` with ``disjoint_tests=True`` (one
out-of-fold prediction per row; a combinatorial splitter that tests a row in
several folds is refused). Nothing here re-derives a purge or time-order check.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tr_core.errors import InsufficientDataError
from tr_core.splits import CheckedFolds, WalkForward, checked_folds

__all__ = ["DEFAULT_N_SPLITS", "ensemble_folds", "row_order_times"]

DEFAULT_N_SPLITS = 5
"""Walk-forward splits used when no ``cv`` is given."""


def row_order_times(X: Any) -> Any:
    """The decision times assumed when none are given: ``X``'s DatetimeIndex, or row order.

    A DataFrame indexed by datetimes carries its times. Anything else is taken to be a
    time series in the order given (row ``i`` decided before row ``i + 1``), the
    convention of scikit-learn's ``TimeSeriesSplit``; it is encoded as one nanosecond
    per row after the epoch, so every row has its own timestamp.
    """
    if isinstance(X, pd.DataFrame | pd.Series) and isinstance(X.index, pd.DatetimeIndex):
        return X.index
    return pd.DatetimeIndex(np.arange(len(X), dtype=np.int64).view("datetime64[ns]"))


def ensemble_folds(
    cv: Any, X: Any, y: Any = None, *, min_rows: int = 1, forward: bool = False
) -> CheckedFolds:
    """Check ``cv``'s folds over ``X`` for out-of-fold predictions (one test per row).

    Parameters
    ----------
    cv : splitter, iterable of (train, test) or None
        A tr-core splitter carrying its times (``WalkForward(times=..., label_ends=...)``,
        ``PurgedKFold``), any scikit-learn-style splitter, or given folds (their times
        are then :func:`row_order_times`). None: ``WalkForward(5)`` over
        :func:`row_order_times`.
    X : DataFrame or array-like
        The training rows.
    y : array-like, optional
        Passed to ``cv.split`` (stratified splitters need it).
    min_rows : int, default 1
        Out-of-fold rows the combiner needs at least.
    forward : bool, default False
        Require every fold to train only on rows decided before its test block (a
        blend slice must be later than the base models' training rows).

    Returns
    -------
    CheckedFolds
        ``forward`` tells whether every fold trained only on earlier rows.

    Raises
    ------
    FoldError
        A fold that leaks (training windows meeting test windows), a row tested twice,
        or (``forward``) a training row at or after its fold's first test time.
    InsufficientDataError
        Fewer than ``min_rows`` rows are predicted out of fold.
    """
    times = None
    if cv is None:
        cv = WalkForward(DEFAULT_N_SPLITS, times=row_order_times(X))
    elif getattr(cv, "times", None) is None:
        times = row_order_times(X)
    folds = checked_folds(cv, X, times=times, y=y, forward=forward, disjoint_tests=True)
    n_oof = folds.tested_rows().size
    if n_oof < min_rows:
        raise InsufficientDataError(
            f"`cv` predicts {n_oof} of {folds.n_rows} rows out of fold, but the ensemble's "
            f"combiner needs at least {min_rows}; use more or longer test blocks (e.g. "
            "WalkForward with more splits) or more data."
        )
    return folds
