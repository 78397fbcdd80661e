"""Class-balance weights: every class gets the same total weight.

``w_i = n / (k * n_{y_i})`` for ``n`` rows, ``k`` classes and ``n_y`` rows of class
``y`` — scikit-learn's ``class_weight="balanced"`` convention (King & Zeng,
"Logistic Regression in Rare Events Data", *Political Analysis* 9, 2001; AFML
section 4.8). The weights have mean 1 and each class sums to ``n / k``.

The labels must be classes. A continuous target (alpha, a return) passed by
mistake makes (nearly) every row its own class, and the weights come out all 1 —
a weighting that silently does nothing. Such input is refused: non-integer
numbers (also when stored as text, ``"0.01"``), and more classes than half the
rows (from 20 rows on: fewer than two rows per class on average).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import with_index
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

MIN_ROWS_FOR_DISTINCT_CHECK: Final = 20
"""From this many rows on, more classes than half the rows is refused as "not classes"."""

_FIX = (
    "binarize it first (e.g. labels = alpha > 0) or bin it (e.g. pd.qcut(alpha, 5, "
    "labels=False)); class balance is for class labels such as a side or an up/down flag."
)


def class_balance_weights(labels: Any) -> Any:
    """Weights ``n / (k * count(class))``, aligned to ``labels``.

    Parameters
    ----------
    labels : array-like
        Class label of each row (any hashable values: strings, integers,
        booleans, integer-valued floats such as 0.0/1.0); no missing values.

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
        If ``labels`` is not one-dimensional, or is not class labels: it holds
        non-integer numbers (a continuous target such as alpha, also as text
        like ``"0.01"``), or — with at least 20 rows — more distinct values
        than half the rows.

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
    _check_numeric_classes(raw, labels)
    codes, classes = pd.factorize(raw)
    if raw.size >= MIN_ROWS_FOR_DISTINCT_CHECK and 2 * len(classes) > raw.size:
        raise TrTypeError(
            f"`labels` has {len(classes)} distinct values in {raw.size} rows — (nearly) every "
            "row is its own class, so the weights would balance nothing (they would all be "
            f"about 1). This looks like a continuous target or an identifier, not a class; {_FIX}"
        )
    counts = np.bincount(codes)
    out: npt.NDArray[np.float64] = raw.size / (len(classes) * counts[codes].astype(np.float64))
    return with_index(out, labels.index if isinstance(labels, pd.Series) else None, "weight")


def _check_numeric_classes(raw: np.ndarray, labels: Any) -> None:
    """Refuse numbers with a fractional part (or numbers written as text with one).

    Integer-valued numbers (0/1, -1/0/1, 0.0/1.0) are class codes; ``0.013`` is a
    realized outcome, which as a "class" would be a class of its own.
    """
    as_text = False
    floats = raw.dtype.kind == "O" and all(isinstance(x, float | np.floating) for x in raw)
    if raw.dtype.kind == "f" or floats:
        numbers = raw.astype(np.float64)
    elif raw.dtype.kind in "UO" and all(isinstance(x, str) for x in raw):
        # Never parsed to be *used*: only to recognise a numeric target written as text.
        numbers = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(
            dtype=np.float64
        )
        if np.isnan(numbers).any():
            return
        as_text = True
    else:
        return
    fractional = np.flatnonzero(~np.isfinite(numbers) | (numbers != np.round(numbers)))
    if not fractional.size:
        return
    rows = describe_rows(row_labels(labels, fractional))
    example = raw[fractional[0]]
    if as_text:
        raise TrTypeError(
            f"`labels` holds numbers stored as text with decimals ({str(example)!r} in {rows}); "
            "text is never parsed as numbers, and a numeric outcome is not a class label. "
            f"Convert it with pd.to_numeric(..., errors='raise'), then {_FIX}"
        )
    raise TrTypeError(
        f"`labels` holds non-integer numbers ({float(example)!r} in {rows}): a continuous "
        f"target, not class labels — every distinct value would be its own class; {_FIX}"
    )


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
        return np.asarray(
            class_balance_weights(column_values(data, self.column, repr(self))), dtype=np.float64
        )
