"""Input checks of :func:`mutual_information`: features, target and parameters."""

from __future__ import annotations

import numbers
from collections.abc import Hashable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import (
    DuplicateColumnError,
    EmptyDataError,
    InsufficientDataError,
    InvalidParameterError,
    NonFiniteError,
    TrTypeError,
    describe_rows,
)
from tr_core.validation import (
    as_float_array,
    check_no_inf,
    check_numeric,
    check_same_length,
    row_labels,
)

__all__ = [
    "MAX_CLASSES",
    "METHODS",
    "MIN_ROWS",
    "check_parameters",
    "check_rows",
    "feature_matrix",
    "target_values",
]

#: Methods of :func:`mutual_information`.
METHODS = ("binned", "knn")
#: Most distinct target values accepted as classes when ``discrete_target=True``.
MAX_CLASSES = 50
#: Fewest complete rows a feature needs.
MIN_ROWS = 20


def check_parameters(
    method: object, discrete_target: object, n_bins: object, random_state: object
) -> None:
    """Raise :class:`InvalidParameterError` for a bad method, flag, bin count or seed."""
    if not isinstance(method, str) or method not in METHODS:
        raise InvalidParameterError(f"`method` must be one of {list(METHODS)}, got {method!r}.")
    if not isinstance(discrete_target, bool | np.bool_):
        raise InvalidParameterError(
            f"`discrete_target` must be True (classes) or False (a continuous target), "
            f"got {discrete_target!r}."
        )
    if isinstance(n_bins, str):
        if n_bins != "auto":
            raise InvalidParameterError(
                f"`n_bins` must be 'auto' or an integer >= 2, got {n_bins!r}."
            )
    elif isinstance(n_bins, bool) or not isinstance(n_bins, numbers.Integral) or n_bins < 2:
        raise InvalidParameterError(f"`n_bins` must be 'auto' or an integer >= 2, got {n_bins!r}.")
    elif method == "knn":
        raise InvalidParameterError(
            f"`n_bins`={n_bins!r} applies to method='binned' only; the knn estimator does not "
            "bin — leave n_bins='auto'."
        )
    if random_state is not None and (
        isinstance(random_state, bool)
        or not isinstance(random_state, numbers.Integral)
        or not 0 <= int(random_state) < 2**32
    ):
        raise InvalidParameterError(
            f"`random_state` must be None or an integer in [0, 2**32), got {random_state!r}."
        )


def feature_matrix(X: Any) -> tuple[list[Hashable], npt.NDArray[np.float64]]:
    """Feature names and a new column-major float64 matrix (NaN kept as missing, inf refused).

    Raises
    ------
    TrTypeError
        ``X`` is not two-dimensional.
    EmptyDataError
        ``X`` has no rows or no columns.
    DuplicateColumnError
        Two columns share a name.
    FeatureTypeError
        A column is not numeric (booleans count as numeric).
    NonFiniteError
        A feature holds +/-inf.
    """
    if isinstance(X, pd.DataFrame):
        names: list[Hashable] = list(X.columns)
        _check_shape(X.shape)
        twice = sorted({str(c) for c in X.columns[X.columns.duplicated()]})
        if twice:
            raise DuplicateColumnError(
                f"`X` has several columns named {twice}; rename them so each feature is unique."
            )
        for name in names:
            check_numeric(X[name], f"feature column {name!r}")
        matrix = np.asfortranarray(X.to_numpy(dtype=np.float64, na_value=np.nan, copy=True))
    else:
        raw = np.asarray(X)
        if raw.ndim != 2:
            raise TrTypeError(
                f"`X` must be two-dimensional (rows x features), got shape {raw.shape}; "
                "for a single feature pass x.reshape(-1, 1) or a one-column DataFrame."
            )
        _check_shape(raw.shape)
        names = [f"x{j}" for j in range(raw.shape[1])]
        check_numeric(raw, "`X`")
        matrix = raw.astype(np.float64, order="F", copy=True)
    check_no_inf(matrix, names, X)
    return names, matrix


def target_values(
    y: Any, X: Any, *, discrete_target: bool
) -> tuple[npt.NDArray[np.float64] | npt.NDArray[np.int64], int]:
    """The target as class codes (discrete) or floats (continuous), and its distinct count.

    Raises
    ------
    TrTypeError
        ``y`` is a column name, not one-dimensional, or not numeric for a continuous target.
    LengthMismatchError
        ``y`` and ``X`` differ in length.
    InvalidParameterError
        ``y`` and ``X`` are both pandas objects with different indexes, or a discrete
        target has more than :data:`MAX_CLASSES` values.
    NonFiniteError
        ``y`` holds NaN (unlabeled rows) or +/-inf.
    InsufficientDataError
        ``y`` holds a single value.
    """
    if isinstance(y, str):
        raise TrTypeError(
            f"`y` must hold the target values, got the string {y!r}; a column name is not "
            f"accepted — pass the values (e.g. frame[{y!r}]) and keep the target out of X."
        )
    if isinstance(y, pd.DataFrame):
        raise TrTypeError("`y` must be one column (a Series or 1-D array), got a DataFrame.")
    if isinstance(y, pd.Series):
        series = y
    else:
        raw = np.asarray(y)
        if raw.ndim != 1:
            raise TrTypeError(
                f"`y` must be one-dimensional (one value per row of X), got shape {raw.shape}."
            )
        series = pd.Series(raw)
    check_same_length(X=X, y=series)
    if isinstance(y, pd.Series) and isinstance(X, pd.DataFrame) and not y.index.equals(X.index):
        raise InvalidParameterError(
            "`y` and `X` have different indexes, so their rows may not match; align them "
            "(y = y.reindex(X.index)) or pass y.to_numpy() if they are in the same order."
        )
    numeric = pd.api.types.is_bool_dtype(series.dtype) or (
        pd.api.types.is_numeric_dtype(series.dtype)
        and not pd.api.types.is_complex_dtype(series.dtype)
    )
    missing = series.isna().to_numpy()
    if missing.any():
        raise NonFiniteError(
            f"`y` has NaN in {describe_rows(row_labels(y, np.flatnonzero(missing)))}; drop "
            "unlabeled rows first, from X and y together (keep = y.notna(); X[keep], y[keep]) "
            "— a row without a target says nothing about it."
        )
    if discrete_target and not numeric:
        codes, classes = pd.factorize(series, sort=True)
        return _check_classes(codes.astype(np.int64), len(classes))
    values = as_float_array(
        series.to_numpy(dtype=np.float64) if numeric else series.to_numpy(), "y"
    )
    if not discrete_target:
        distinct = int(np.unique(values).size)
        _check_not_constant(distinct)
        return values, distinct
    uniques, inverse = np.unique(values, return_inverse=True)
    return _check_classes(inverse.astype(np.int64).ravel(), int(uniques.size))


def check_rows(names: list[Hashable], n_rows: npt.NDArray[np.int64]) -> None:
    """Raise :class:`InsufficientDataError` naming every feature with too few complete rows."""
    few = [(name, int(k)) for name, k in zip(names, n_rows, strict=True) if k < MIN_ROWS]
    if few:
        listing = ", ".join(f"{name!r} has {k}" for name, k in few)
        raise InsufficientDataError(
            f"features need at least {MIN_ROWS} complete (non-NaN) rows, but {listing}; "
            "drop those features or gather more rows."
        )


def _check_classes(
    codes: npt.NDArray[np.int64], n_classes: int
) -> tuple[npt.NDArray[np.int64], int]:
    _check_not_constant(n_classes)
    if n_classes > MAX_CLASSES:
        raise InvalidParameterError(
            f"`y` has {n_classes} distinct values, more than the {MAX_CLASSES} classes "
            "discrete_target=True accepts; for a continuous target (e.g. alpha) pass "
            "discrete_target=False, or build the classes yourself (e.g. y = alpha > 0)."
        )
    return codes, n_classes


def _check_not_constant(n_distinct: int) -> None:
    if n_distinct < 2:
        raise InsufficientDataError(
            "`y` holds a single value, so every feature's mutual information with it is 0; "
            "this is almost surely a mistake (a filter that kept one class, or the wrong "
            "column) — pass a target that varies."
        )


def _check_shape(shape: tuple[int, ...]) -> None:
    if shape[0] == 0 or shape[1] == 0:
        raise EmptyDataError(
            f"`X` has shape {shape}; it needs at least one row and one feature column."
        )
