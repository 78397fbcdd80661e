"""Class-balance weights: every class gets the same total weight.

``w_i = n / (k * n_{y_i})`` for ``n`` rows, ``k`` classes and ``n_y`` rows of class
``y`` — scikit-learn's ``class_weight="balanced"`` convention (King & Zeng,
"Logistic Regression in Rare Events Data", *Political Analysis* 9, 2001; AFML
section 4.8). The weights have mean 1 and each class sums to ``n / k``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import EmptyDataError, NonFiniteError, TrTypeError, describe_rows
from tr_core.validation import row_labels
from tr_sample_weighting.base import (
    Data,
    Normalize,
    SampleWeighter,
    check_column_name,
    column_values,
)

__all__ = ["ClassBalanceWeighter", "class_balance_weights"]


def class_balance_weights(labels: Any) -> npt.NDArray[np.float64]:
    """Weights ``n / (k * count(class))``, aligned to ``labels``.

    Parameters
    ----------
    labels : array-like
        Class label of each row (any hashable values); no missing values.

    Returns
    -------
    ndarray of float64
        Mean 1; every class has the same total weight ``n / k``.

    Raises
    ------
    NonFiniteError
        If a label is missing (NaN/None/NaT).
    EmptyDataError
        If there are no rows.
    TrTypeError
        If ``labels`` is not one-dimensional.

    Examples
    --------
    >>> class_balance_weights(["up", "up", "up", "down"]).round(4).tolist()
    [0.6667, 0.6667, 0.6667, 2.0]
    """
    raw = labels.to_numpy() if isinstance(labels, pd.Series | pd.Index) else np.asarray(labels)
    if raw.ndim != 1:
        raise TrTypeError(
            f"`labels` must be one-dimensional, got shape {raw.shape}; pass one column."
        )
    if raw.size == 0:
        raise EmptyDataError("`labels` is empty; it needs at least one row.")
    missing = np.flatnonzero(pd.isna(raw))
    if missing.size:
        raise NonFiniteError(
            f"`labels` is missing in {describe_rows(row_labels(labels, missing))}; a row "
            "without a class cannot be balanced — drop it or recover its label."
        )
    codes, classes = pd.factorize(raw)
    counts = np.bincount(codes)
    out: npt.NDArray[np.float64] = raw.size / (len(classes) * counts[codes].astype(np.float64))
    return out


@dataclass(frozen=True, kw_only=True)
class ClassBalanceWeighter(SampleWeighter):
    """Weighter form of :func:`class_balance_weights`.

    Parameters
    ----------
    column : str, optional
        Column with the class labels when called on a DataFrame; when called on
        values those are the labels.
    normalize : {None, "mean", "sum"}, default None
        The raw weights already have mean 1.
    """

    column: str | None = None
    normalize: Normalize = None

    def _validate(self) -> None:
        if self.column is not None:
            check_column_name(self.column, "column")

    def _raw_weights(self, data: Data) -> npt.NDArray[np.float64]:
        return class_balance_weights(column_values(data, self.column, repr(self)))
