"""Input checks of tr-feature-selection: feature lists, feature matrices, targets, parameters.

One module for every public function of the package, so the same bad input gets the
same message whichever function it is handed to. The importance methods take a frame
and column names (:func:`check_features`, :func:`feature_matrix`, :func:`target_values`);
:func:`~tr_feature_selection.information.mutual_information` takes ``X`` and ``y``
themselves (:func:`named_feature_matrix`, :func:`target_array`, :func:`check_parameters`,
:func:`check_rows`).
"""

from __future__ import annotations

import numbers
import warnings
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import align_to
from tr_core.deprecation import REMOVED_IN
from tr_core.errors import (
    DuplicateColumnError,
    EmptyDataError,
    InsufficientDataError,
    InvalidParameterError,
    MissingColumnError,
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
    "AUTO_MAX_CLASSES",
    "MAX_CLASSES",
    "METHODS",
    "MIN_ROWS",
    "TARGET_KINDS",
    "check_features",
    "check_parameters",
    "check_rows",
    "decide_target_kind",
    "feature_matrix",
    "named_feature_matrix",
    "resolve_target_kind",
    "target_array",
    "target_values",
]

#: Methods of :func:`mutual_information`.
METHODS = ("binned", "knn")
#: Kinds of target of :func:`mutual_information`.
TARGET_KINDS = ("auto", "discrete", "continuous")
#: Most distinct target values accepted as classes (``target_kind="discrete"``).
MAX_CLASSES = 50
#: Most distinct whole-number values that ``target_kind="auto"`` takes as classes.
AUTO_MAX_CLASSES = 10
#: Fewest complete rows a feature needs in :func:`mutual_information`.
MIN_ROWS = 20


# --- features given as a frame and column names (importance methods) -------------------


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
    _check_unique_columns([n for n in names if int((frame.columns == n).sum()) > 1], where)
    for name in names:
        check_numeric(frame[name], f"feature column {name!r}")
    return names


def feature_matrix(frame: pd.DataFrame, names: Sequence[Hashable]) -> npt.NDArray[np.float64]:
    """A new float64 matrix of the (checked) feature columns; NaN kept, inf refused.

    Raises
    ------
    NonFiniteError
        A feature holds +/-inf (missing values must be NaN, not inf).
    """
    matrix = frame[list(names)].to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    check_no_inf(matrix, list(names), frame)
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


# --- X and y given as values (mutual information) --------------------------------------


def check_parameters(
    method: object, target_kind: object, n_bins: object, random_state: object
) -> None:
    """Raise :class:`InvalidParameterError` for a bad method, target kind, bin count or seed."""
    if not isinstance(method, str) or method not in METHODS:
        raise InvalidParameterError(f"`method` must be one of {list(METHODS)}, got {method!r}.")
    if not isinstance(target_kind, str) or target_kind not in TARGET_KINDS:
        raise InvalidParameterError(
            f"`target_kind` must be one of {list(TARGET_KINDS)}, got {target_kind!r}."
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


def resolve_target_kind(target_kind: Any, discrete_target: object) -> Any:
    """``target_kind``, with the deprecated ``discrete_target`` flag translated into it.

    An unknown ``target_kind`` is returned as given, so that :func:`check_parameters`
    names it (rather than a contradiction with the flag).

    Raises
    ------
    InvalidParameterError
        ``discrete_target`` is not a bool, or contradicts an explicit ``target_kind``.
    """
    if discrete_target is None or target_kind not in TARGET_KINDS:
        return target_kind
    if not isinstance(discrete_target, bool | np.bool_):
        raise InvalidParameterError(
            f"`discrete_target` must be True or False, got {discrete_target!r}; it is "
            "deprecated — pass target_kind='discrete' or 'continuous' instead."
        )
    kind = "discrete" if discrete_target else "continuous"
    if target_kind not in ("auto", kind):
        raise InvalidParameterError(
            f"`discrete_target`={bool(discrete_target)} contradicts `target_kind`="
            f"{target_kind!r}; pass target_kind only (discrete_target is deprecated)."
        )
    warnings.warn(
        f"`discrete_target` is deprecated and will be removed in {REMOVED_IN}; pass "
        f"target_kind={kind!r} instead.",
        FutureWarning,
        stacklevel=3,
    )
    return kind


def named_feature_matrix(X: Any) -> tuple[list[Hashable], npt.NDArray[np.float64]]:
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
        _check_unique_columns(list(X.columns[X.columns.duplicated()]), "X")
        for name in names:
            check_numeric(X[name], f"feature column {name!r}")
        # Column-major: the binned estimator walks one feature at a time.
        return names, np.asfortranarray(feature_matrix(X, names))
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


def target_array(
    y: Any, X: Any, *, target_kind: str
) -> tuple[npt.NDArray[np.float64] | npt.NDArray[np.int64], int, str]:
    """The target as class codes or floats, its distinct count, and the kind decided.

    Parameters
    ----------
    y : array-like or Series
        The target values.
    X : DataFrame or array-like
        The features; a Series ``y`` is paired with a DataFrame ``X`` by index label.
    target_kind : {"auto", "discrete", "continuous"}
        ``"auto"`` decides with :func:`decide_target_kind`.

    Returns
    -------
    values : ndarray
        Class codes ``0..K-1`` (int64) for a discrete target, float64 values otherwise,
        in the row order of ``X``.
    n_distinct : int
        Number of distinct target values.
    kind : {"discrete", "continuous"}

    Raises
    ------
    TrTypeError
        ``y`` is a column name, not one-dimensional, or not numeric for a continuous target.
    LengthMismatchError
        ``y`` and ``X`` differ in length.
    IndexAlignmentError
        A Series ``y`` whose index labels are not those of a DataFrame ``X``.
    InvalidParameterError
        A discrete target has more than :data:`MAX_CLASSES` values.
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
        check_same_length(X=X, y=y)
        # Paired by label (reordered when X holds the same rows in another order), never
        # by position; refused when the labels differ.
        series = align_to(X.index, y, "y") if isinstance(X, pd.DataFrame) else y
    else:
        raw = np.asarray(y)
        if raw.ndim != 1:
            raise TrTypeError(
                f"`y` must be one-dimensional (one value per row of X), got shape {raw.shape}."
            )
        series = pd.Series(raw)
        check_same_length(X=X, y=series)
    numeric = pd.api.types.is_bool_dtype(series.dtype) or (
        pd.api.types.is_numeric_dtype(series.dtype)
        and not pd.api.types.is_complex_dtype(series.dtype)
    )
    missing = series.isna().to_numpy()
    if missing.any():
        raise NonFiniteError(
            f"`y` has NaN in {describe_rows(row_labels(series, np.flatnonzero(missing)))}; "
            "drop unlabeled rows first, from X and y together (keep = y.notna(); X[keep], "
            "y[keep]) — a row without a target says nothing about it."
        )
    if not numeric:
        if target_kind == "continuous":
            raise TrTypeError(
                f"`y` has dtype {series.dtype}, which holds labels, not numbers; "
                "target_kind='continuous' needs a numeric target — pass numbers, or "
                "target_kind='discrete' (or 'auto') to treat the labels as classes."
            )
        if target_kind == "auto" and _numbers_as_text(series):
            raise TrTypeError(
                f"`y` holds numbers stored as text (dtype {series.dtype}, e.g. "
                f"{series.head(3).tolist()}); whether they are classes or a continuous "
                "target cannot be guessed from text — convert with pd.to_numeric(y) (then "
                "'auto' decides), or pass target_kind='discrete' to treat them as labels."
            )
        codes, classes = pd.factorize(series, sort=True)
        return (*_check_classes(codes.astype(np.int64), len(classes)), "discrete")
    values = as_float_array(series.to_numpy(dtype=np.float64), "y")
    uniques, inverse = np.unique(values, return_inverse=True)
    _check_not_constant(int(uniques.size))
    kind = decide_target_kind(uniques) if target_kind == "auto" else target_kind
    if kind == "continuous":
        return values, int(uniques.size), kind
    return (*_check_classes(inverse.astype(np.int64).ravel(), int(uniques.size)), kind)


def _numbers_as_text(series: pd.Series) -> bool:
    """Whether every value of a text/object target parses as a number (e.g. ``"0.01"``)."""
    if not (
        pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype)
    ):
        return False
    if not all(isinstance(v, str) for v in series):
        return False
    return bool(pd.to_numeric(series, errors="coerce").notna().all())


def decide_target_kind(uniques: npt.NDArray[np.float64]) -> str:
    """``"discrete"`` for few whole-number values (booleans included), else ``"continuous"``.

    A numeric target counts as classes only when every value is a whole number and
    there are at most :data:`AUTO_MAX_CLASSES` of them (booleans, 0/1 labels, -1/0/1,
    quintiles or deciles, whether stored as int or float). Any other number —
    alpha rounded to 1 % has a few dozen distinct values — is a quantity, binned like a
    feature: taken as classes, its rare values fill a joint table of mostly empty
    cells that the Miller–Madow correction cannot take back, and independent noise
    scored about 0.02-0.03 nats at 2 000 rows.

    Parameters
    ----------
    uniques : ndarray of float64
        The target's distinct values.

    Returns
    -------
    {"discrete", "continuous"}
    """
    whole = bool(np.all(uniques == np.round(uniques)))
    return "discrete" if whole and uniques.size <= AUTO_MAX_CLASSES else "continuous"


def check_rows(names: list[Hashable], n_rows: npt.NDArray[np.int64]) -> None:
    """Raise :class:`InsufficientDataError` naming every feature with too few complete rows."""
    few = [(name, int(k)) for name, k in zip(names, n_rows, strict=True) if k < MIN_ROWS]
    if few:
        listing = ", ".join(f"{name!r} has {k}" for name, k in few)
        raise InsufficientDataError(
            f"features need at least {MIN_ROWS} complete (non-NaN) rows, but {listing}; "
            "drop those features or gather more rows."
        )


# --- shared pieces -----------------------------------------------------------------------


def _check_unique_columns(twice: Sequence[Hashable], where: str) -> None:
    """Refuse column names that several columns share (their values would be ambiguous)."""
    if twice:
        listing = sorted({str(c) for c in twice})
        raise DuplicateColumnError(
            f"`{where}` has several columns named {listing}; rename them so each feature is unique."
        )


def _check_classes(
    codes: npt.NDArray[np.int64], n_classes: int
) -> tuple[npt.NDArray[np.int64], int]:
    _check_not_constant(n_classes)
    if n_classes > MAX_CLASSES:
        raise InvalidParameterError(
            f"`y` has {n_classes} distinct values, more than the {MAX_CLASSES} classes "
            "a discrete target may have; for a continuous target (e.g. alpha) pass "
            "target_kind='continuous' (numbers), or build the classes yourself "
            "(e.g. y = alpha > 0)."
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
