"""The meta-learner's inputs: base predictions, market-regime features and their products.

A stacked model's final estimator sees, for every row, what each base model
predicted. Market-regime columns (volatility, momentum, dispersion — known at the
decision time like any feature) let it learn *which base model to trust when*:
the inputs are

.. math::

    [\\,p_1, \\dots, p_k,\\; z_1, \\dots, z_r,\\; p_i z_j \\;(i \\le k, j \\le r)\\,]

with :math:`p_i` the base predictions and :math:`z_j` the regime features
standardized on the meta-learner's training rows. A linear final estimator then
weights base model :math:`i` by :math:`a_i + \\sum_j b_{ij} z_j` — a weight that
moves with the regime (the mixture-of-experts idea of Jacobs, Jordan, Nowlan &
Hinton 1991, *Neural Computation* 3(1), with a linear gate), and
:func:`trust_table` reads those weights back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import align_to
from tr_core.errors import InvalidParameterError, MissingColumnError, TrTypeError
from tr_core.validation import as_float_array

__all__ = ["MetaLayout", "fit_layout", "meta_feature_values", "trust_table"]

FloatArray = npt.NDArray[np.float64]


def meta_feature_values(meta_features: Any, X: Any) -> tuple[FloatArray, list[str]] | None:
    """The regime features of ``X``'s rows, checked: numbers, finite, aligned by label.

    Parameters
    ----------
    meta_features : list of str, DataFrame or None
        Column names of ``X``, or a DataFrame whose index holds ``X``'s index labels
        (matched by label — a frame covering more rows is fine, as in nested
        cross-validation).
    X : DataFrame or array-like
        The rows being fitted or predicted.

    Returns
    -------
    (ndarray of shape (n_rows, n_meta), list of str) or None

    Raises
    ------
    MissingColumnError
        A named column is not in ``X``.
    IndexAlignmentError
        A DataFrame that lacks some of ``X``'s index labels.
    InvalidParameterError
        Names given but ``X`` has no columns (an array), an empty list, or a DataFrame
        given with an array ``X`` (rows cannot be matched by position).
    NonFiniteError, FeatureTypeError
        A regime feature with NaN/inf or text: it must be known at every decision time;
        drop those rows rather than fill them.
    """
    if meta_features is None:
        return None
    if isinstance(meta_features, pd.DataFrame):
        if not isinstance(X, pd.DataFrame | pd.Series):
            raise InvalidParameterError(
                "`meta_features` is a DataFrame but X is an array without row labels; rows "
                "are matched by index label, never by position — pass X as a DataFrame."
            )
        frame = align_to(X.index, meta_features, "meta_features", allow_subset=True)
        names = [str(c) for c in frame.columns]
        columns = [frame[c] for c in frame.columns]
    elif isinstance(meta_features, Sequence) and not isinstance(meta_features, str | bytes):
        names = list(meta_features)
        if not names or not all(isinstance(n, str) for n in names):
            raise InvalidParameterError(
                f"`meta_features` must name one or more columns of X, got {meta_features!r}."
            )
        if not isinstance(X, pd.DataFrame):
            raise InvalidParameterError(
                f"`meta_features`={names} names columns, but X is a {type(X).__name__} without "
                "column names; pass X as a DataFrame."
            )
        missing = [n for n in names if n not in X.columns]
        if missing:
            raise MissingColumnError(
                f"`meta_features` {missing} are not columns of X (it has {len(X.columns)} "
                "columns); pass the regime columns with the features, or a DataFrame of them "
                "indexed like X."
            )
        columns = [X[n] for n in names]
    else:
        raise TrTypeError(
            "`meta_features` must be a list of column names of X or a DataFrame indexed like "
            f"X, got {type(meta_features).__name__}."
        )
    values = np.column_stack(
        [
            as_float_array(col, f"meta feature {name!r}")
            for name, col in zip(names, columns, strict=True)
        ]
    )
    return values, names


@dataclass(frozen=True)
class MetaLayout:
    """How the final estimator's inputs are built; fitted on the meta-learner's rows.

    Attributes
    ----------
    prediction_names : list of str
        The base-prediction columns.
    meta_names : list of str
        The regime features (empty without ``meta_features``).
    center, scale : ndarray
        Mean and standard deviation of each regime feature on the fitting rows.
    passthrough_names : list of str
        ``X``'s columns passed through (empty unless ``passthrough``).
    """

    prediction_names: list[str]
    meta_names: list[str]
    center: FloatArray
    scale: FloatArray
    passthrough_names: list[str]

    @property
    def names(self) -> list[str]:
        """Every input column of the final estimator, in order."""
        products = [f"{p}*{m}" for p in self.prediction_names for m in self.meta_names]
        return [*self.prediction_names, *self.meta_names, *products, *self.passthrough_names]

    def build(
        self, predictions: FloatArray, meta: FloatArray | None, passthrough: Any = None
    ) -> FloatArray:
        """The final estimator's input matrix for rows with these base predictions."""
        parts = [predictions]
        if self.meta_names:
            assert meta is not None
            z = (meta - self.center) / self.scale
            parts.append(z)
            parts.append((predictions[:, :, None] * z[:, None, :]).reshape(len(z), -1))
        if self.passthrough_names:
            parts.append(np.asarray(passthrough, dtype=np.float64).reshape(len(predictions), -1))
        return np.hstack(parts)


def fit_layout(
    prediction_names: list[str],
    meta: tuple[FloatArray, list[str]] | None,
    passthrough_names: list[str],
) -> MetaLayout:
    """Standardize the regime features on the rows the meta-learner is fitted on."""
    if meta is None:
        empty = np.empty(0, dtype=np.float64)
        return MetaLayout(prediction_names, [], empty, empty, passthrough_names)
    values, names = meta
    # Moments of values / max|value|, scaled back: squares of 1e-300 underflow to 0 (a
    # tiny-unit feature would silently become constant) and of 1e300 overflow to inf.
    size = np.abs(values).max(axis=0)
    size[size == 0] = 1.0
    unit = values / size
    center = unit.mean(axis=0) * size
    scale = unit.std(axis=0) * size
    scale[scale == 0] = 1.0  # a constant regime feature carries no regime: z = 0
    return MetaLayout(prediction_names, names, center, scale, passthrough_names)


def trust_table(layout: MetaLayout, coef: Any) -> pd.DataFrame:
    """Each base model's weight in a linear meta-learner, as a function of the regime.

    Parameters
    ----------
    layout : MetaLayout
    coef : array-like
        The final estimator's coefficients on ``layout.names`` (one output: a binary
        classifier or a regressor).

    Returns
    -------
    DataFrame
        One row per base-prediction column; ``"weight"`` is its coefficient at the
        average regime, and one column per regime feature gives the change of that
        weight per standard deviation of the feature.

    Raises
    ------
    InvalidParameterError
        The coefficients do not match the layout (a multiclass model).
    """
    values = np.asarray(coef, dtype=np.float64)
    if values.ndim == 2 and values.shape[0] == 1:
        values = values[0]
    if values.ndim != 1 or values.size != len(layout.names):
        raise InvalidParameterError(
            f"the final estimator has coefficients of shape {np.shape(coef)}, not one per "
            f"meta-learner input ({len(layout.names)}); the trust table reads a single-output "
            "linear meta-learner."
        )
    k, r = len(layout.prediction_names), len(layout.meta_names)
    table = pd.DataFrame({"weight": values[:k]}, index=pd.Index(layout.prediction_names))
    slopes = values[k + r : k + r + k * r].reshape(k, r)
    for j, name in enumerate(layout.meta_names):
        table[name] = slopes[:, j]
    table.index.name = "base model"
    return table
