"""Bucket assignment by score rank: bucket ``n - 1`` is the top.

Rule. Within a group of ``m`` rows, a row whose 0-based average rank is ``r``
(tied scores share the average of their ranks) goes to bucket::

    b = clip(ceil(r * n / (m - 1)) - 1, 0, n - 1)

On tie-free data this is exactly ``pandas.qcut(scores, n, labels=False)``:
``qcut`` cuts at the linearly interpolated quantiles ``q_k`` at ``(m - 1) k / n``
sorted positions with right-closed bins, and the value of rank ``r`` lies above
``q_k`` exactly when ``(m - 1) k / n < r``. Because tied scores share one
average rank they always share a bucket, and constant scores fall into the one
middle bucket ``(n - 1) // 2`` instead of raising as ``qcut`` does. A group with a
single row also goes to the middle bucket; a group with fewer rows than buckets
spreads its rows over the full range 0..n-1 by rank (its lowest row in bucket 0,
its highest in bucket n-1), so the top bucket always means "best in its period".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InvalidParameterError, NonFiniteError, describe_rows
from tr_core.validation import as_float_array, check_same_length, row_labels
from tr_evaluation.buckets._ranks import group_bounds, sorted_chunks, sorted_twice_ranks

__all__ = [
    "assign_buckets",
    "buckets_from_ranks",
    "check_labels",
    "check_n_buckets",
    "factorize_labels",
    "grouped_buckets",
]


def check_n_buckets(n_buckets: Any) -> int:
    """Return ``n_buckets`` as an int, or raise naming the parameter."""
    if isinstance(n_buckets, bool) or not isinstance(n_buckets, int | np.integer) or n_buckets < 2:
        raise InvalidParameterError(
            f"`n_buckets` must be an integer >= 2, got {n_buckets!r}; "
            "use e.g. n_buckets=20 for ventiles or 10 for deciles."
        )
    return int(n_buckets)


def buckets_from_ranks(
    twice_ranks: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64], n_buckets: int
) -> npt.NDArray[np.int16]:
    """Bucket per sorted position from doubled average ranks, group by group.

    Parameters
    ----------
    twice_ranks : ndarray of int64
        ``2 * r`` with ``r`` the 0-based average rank within the group, in sorted
        (group, value) order; overwritten (it is a temporary of the caller).
    sizes : ndarray of int64
        Rows per group, in the same group order.
    n_buckets : int
        Number of buckets ``n``.

    Returns
    -------
    ndarray of int16
        Bucket 0..n-1 per sorted position (integer arithmetic, no rounding error).
    """
    denom = np.repeat(2 * np.maximum(sizes - 1, 1), sizes)
    out = twice_ranks
    out *= n_buckets
    out -= 1
    np.floor_divide(out, denom, out=out)
    del denom
    np.clip(out, 0, n_buckets - 1, out=out)
    starts = np.cumsum(sizes) - sizes
    out[starts[sizes == 1]] = (n_buckets - 1) // 2
    return out.astype(np.int16)


def grouped_buckets(
    values: npt.NDArray[np.float64],
    codes: npt.NDArray[np.int64] | None,
    sizes: npt.NDArray[np.int64],
    n_buckets: int,
) -> tuple[npt.NDArray[np.int16], int]:
    """Bucket per row (pooled when ``codes`` is None) and the number of constant groups.

    Parameters
    ----------
    values : ndarray of float
        Finite scores.
    codes : ndarray of int or None
        Group code 0..G-1 per row.
    sizes : ndarray of int
        Rows per group (``[n]`` when pooled).
    n_buckets : int
        Number of buckets.

    Returns
    -------
    buckets : ndarray of int16
        Bucket per row, in row order.
    n_constant : int
        Groups of two or more rows whose values are all equal.
    """
    out = np.empty(values.size, dtype=np.int16)
    n_constant = 0
    for chunk in sorted_chunks(values, codes, sizes):
        out[chunk.rows] = buckets_from_ranks(
            sorted_twice_ranks(chunk.values, chunk.sizes), chunk.sizes, n_buckets
        )
        if chunk.values is not None:
            starts, ends = group_bounds(chunk.sizes)
            multi = chunk.sizes > 1
            first, last = chunk.values[starts[multi]], chunk.values[ends[multi] - 1]
            n_constant += int(np.count_nonzero(first == last))
    return out, n_constant


def check_labels(labels: Any, name: str) -> None:
    """Raise naming ``name`` when a group label is missing (None, NaN, NaT)."""
    values = labels if isinstance(labels, pd.Series | pd.Index) else np.asarray(labels)
    if values.dtype.kind in "biu":
        return
    missing = np.asarray(pd.isna(values), dtype=bool)
    if missing.any():
        _raise_missing(labels, name, missing)


def factorize_labels(labels: Any, name: str) -> tuple[npt.NDArray[np.int64], pd.Index]:
    """Sorted integer codes of group labels; missing labels raise naming ``name``."""
    values = labels if isinstance(labels, pd.Series | pd.Index) else np.asarray(labels)
    codes, uniques = pd.factorize(values, sort=True)
    missing = codes < 0
    if missing.any():
        _raise_missing(labels, name, missing)
    return codes.astype(np.int64, copy=False), pd.Index(uniques)


def _raise_missing(labels: Any, name: str, missing: npt.NDArray[np.bool_]) -> None:
    raise NonFiniteError(
        f"`{name}` has missing values in "
        f"{describe_rows(row_labels(labels, np.flatnonzero(missing)))}; "
        "every row needs a group label — drop those rows or fill in their true labels."
    )


def assign_buckets(
    scores: Any, n_buckets: int = 20, *, groups: Any = None
) -> npt.NDArray[np.int16]:
    """Bucket 0..n_buckets-1 of every score, pooled or within each group.

    Parameters
    ----------
    scores : array-like of float
        Finite scores (drop NaN rows first).
    n_buckets : int, default 20
        Number of buckets; bucket ``n_buckets - 1`` holds the highest scores.
    groups : array-like, optional
        Group label per row (e.g. the trade date): buckets are then formed within
        each group (cross-sectionally) instead of over all rows.

    Returns
    -------
    ndarray of int16
        Bucket per row, aligned to ``scores``. See the module docstring for the
        rule; without ties it equals ``pandas.qcut(scores, n_buckets, labels=False)``.

    Raises
    ------
    InvalidParameterError
        If ``n_buckets`` is not an integer >= 2.
    NonFiniteError
        If a score is NaN or infinite.
    LengthMismatchError
        If ``groups`` is not as long as ``scores``.

    Examples
    --------
    >>> assign_buckets([0.3, 0.1, 0.2, 0.4], n_buckets=2).tolist()
    [1, 0, 0, 1]
    """
    n = check_n_buckets(n_buckets)
    values = as_float_array(scores, "scores")
    if groups is None:
        return grouped_buckets(values, None, np.array([values.size], dtype=np.int64), n)[0]
    check_same_length(scores=values, groups=groups)
    codes, uniques = factorize_labels(groups, "groups")
    sizes = np.bincount(codes, minlength=len(uniques)).astype(np.int64)
    return grouped_buckets(values, codes, sizes, n)[0]
