"""Input checks shared by the importance methods: feature lists, feature matrices, targets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import (
    DuplicateColumnError,
    InvalidParameterError,
    MissingColumnError,
    TrTypeError,
)
from tr_core.validation import as_float_array, check_no_inf, check_numeric

__all__ = ["check_features", "feature_matrix", "target_values"]


def check_features(frame: Any, features: Sequence[str], *, where: str = "frame") -> list[str]:
    """The feature names, checked: a non-empty list of distinct, numeric columns of ``frame``.

    Parameters
    ----------
    frame : DataFrame
        The data.
    features : sequence of str
        Column names.
    where : str, default "frame"
        Name of ``frame`` in error messages.

    Returns
    -------
    list of str

    Raises
    ------
    TrTypeError
        ``frame`` is not a DataFrame.
    InvalidParameterError
        ``features`` is a bare string, empty, or lists a column twice.
    MissingColumnError
        Naming every feature that is not a column.
    DuplicateColumnError
        A feature name matches two columns of ``frame``.
    FeatureTypeError
        A feature column is not numeric (bool counts as numeric).
    """
    if not isinstance(frame, pd.DataFrame):
        raise TrTypeError(
            f"`{where}` must be a pandas DataFrame, got {type(frame).__name__}; "
            "build one with pd.DataFrame(...)."
        )
    if isinstance(features, str):
        raise InvalidParameterError(
            f"`features` must be a sequence of column names, got the string {features!r}; "
            f"write [{features!r}]."
        )
    names = list(features)
    if not names:
        raise InvalidParameterError("`features` is empty; name at least one feature column.")
    twice = sorted(str(n) for n, k in Counter(names).items() if k > 1)
    if twice:
        raise InvalidParameterError(f"`features` lists {twice} more than once; list each once.")
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"features {missing} are not columns of `{where}` (it has "
            f"{list(frame.columns)[:20]}); fix the names or add the columns."
        )
    dup = [n for n in names if int((frame.columns == n).sum()) > 1]
    if dup:
        raise DuplicateColumnError(
            f"`{where}` has several columns named {dup}; rename them so each feature is unique."
        )
    for name in names:
        check_numeric(frame[name], f"feature column {name!r}")
    return names


def feature_matrix(frame: pd.DataFrame, names: list[str]) -> npt.NDArray[np.float64]:
    """A new float64 matrix of the (checked) feature columns; NaN kept, inf refused.

    Raises
    ------
    NonFiniteError
        A feature holds +/-inf (missing values must be NaN, not inf).
    """
    matrix = frame[names].to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    check_no_inf(matrix, names, frame)
    return matrix


def target_values(frame: pd.DataFrame, target: str) -> npt.NDArray[np.float64]:
    """The target column as a new float64 array, numeric and finite in every row.

    Raises
    ------
    MissingColumnError
        ``target`` is not a column.
    FeatureTypeError
        It is not numeric.
    NonFiniteError, EmptyDataError
        It holds NaN/inf (naming the rows), or the frame has no rows.
    """
    if not isinstance(target, str) or target not in frame.columns:
        raise MissingColumnError(
            f"`target`={target!r} is not a column of the frame (it has "
            f"{list(frame.columns)[:20]}); pass the name of the realized-return column."
        )
    column = frame[target]
    check_numeric(column, f"target column {target!r}")
    return as_float_array(column, f"target {target!r}")
