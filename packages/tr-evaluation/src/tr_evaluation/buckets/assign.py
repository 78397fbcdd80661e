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
from tr_evaluation.buckets._ranks import regroup, small_codes, twice_average_ranks

__all__ = ["assign_buckets", "buckets_from_ranks", "check_n_buckets", "factorize_labels"]


def check_n_buckets(n_buckets: Any) -> int:
    """Return ``n_buckets`` as an int, or raise naming the parameter."""
    if isinstance(n_buckets, bool) or not isinstance(n_buckets, int | np.integer) or n_buckets < 2:
        raise InvalidParameterError(
            f"`n_buckets` must be an integer >= 2, got {n_buckets!r}; "
            "use e.g. n_buckets=20 for ventiles or 10 for deciles."
        )
    return int(n_buckets)


def buckets_from_ranks(
    twice_ranks: npt.NDArray[np.int64], group_rows: npt.NDArray[np.int64], n_buckets: int
) -> npt.NDArray[np.int16]:
    """Bucket per row from doubled average ranks and the size of each row's group.

    Parameters
    ----------
    twice_ranks : ndarray of int64
        ``2 * r`` with ``r`` the 0-based average rank within the row's group.
    group_rows : ndarray of int64
        Number of rows of the row's group.
    n_buckets : int
        Number of buckets ``n``.

    Returns
    -------
    ndarray of int16
        Bucket 0..n-1 per row (integer arithmetic, no rounding error).
    """
    denom = 2 * (group_rows - 1)
    single = denom == 0
    denom[single] = 1
    out = (twice_ranks * n_buckets - 1) // denom
    np.clip(out, 0, n_buckets - 1, out=out)
    out[single] = (n_buckets - 1) // 2
    return out.astype(np.int16)


def factorize_labels(labels: Any, name: str) -> tuple[npt.NDArray[np.int64], pd.Index]:
    """Sorted integer codes of group labels; missing labels raise naming ``name``."""
    values = labels if isinstance(labels, pd.Series | pd.Index) else np.asarray(labels)
    codes, uniques = pd.factorize(values, sort=True)
    missing = codes < 0
    if missing.any():
        raise NonFiniteError(
            f"`{name}` has missing values in "
            f"{describe_rows(row_labels(labels, np.flatnonzero(missing)))}; "
            "every row needs a group label — drop those rows or fill in their true labels."
        )
    return codes.astype(np.int64, copy=False), pd.Index(uniques)


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
    order = np.argsort(values)
    if groups is None:
        sizes = np.array([values.size], dtype=np.int64)
        ranks = twice_average_ranks(values, order, None, sizes)
        return buckets_from_ranks(ranks, np.full(values.size, values.size, dtype=np.int64), n)
    check_same_length(scores=values, groups=groups)
    codes, uniques = factorize_labels(groups, "groups")
    sizes = np.bincount(codes, minlength=len(uniques)).astype(np.int64)
    narrow = small_codes(codes, len(uniques))
    ranks = twice_average_ranks(values, regroup(order, narrow), narrow, sizes)
    return buckets_from_ranks(ranks, sizes[codes], n)
