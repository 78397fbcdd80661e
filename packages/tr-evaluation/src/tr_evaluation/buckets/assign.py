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

Sizes. Buckets are stored as int16 up to ``n_buckets = 32,768`` and as int32
above; ``n_buckets`` is limited to :data:`MAX_BUCKETS` (one million), which keeps
the doubled-rank arithmetic ``2 r n`` exact in int64 for any group that fits in
memory, and is far beyond a useful bucket count (a million buckets of a
ten-million-row group hold ten rows each).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import align_inputs, with_index
from tr_core.errors import InvalidParameterError, NonFiniteError, describe_rows
from tr_core.validation import as_float_array, check_size, row_labels
from tr_evaluation.buckets._layout import BucketLayout, LayoutBuilder
from tr_evaluation.buckets._ranks import (
    SortedChunk,
    group_bounds,
    sorted_chunks,
    sorted_twice_ranks,
)

__all__ = [
    "MAX_BUCKETS",
    "Bucketing",
    "assign_buckets",
    "bucket_dtype",
    "buckets_from_ranks",
    "check_labels",
    "check_n_buckets",
    "factorize_labels",
    "grouped_buckets",
]

#: The largest ``n_buckets`` accepted (see the module docstring).
MAX_BUCKETS = 1_000_000

# Products 2 m n below this are exact in float64 (see buckets_from_ranks).
_EXACT_FLOAT = 1 << 52

BucketArray = npt.NDArray[np.signedinteger[Any]]


def check_n_buckets(n_buckets: Any) -> int:
    """Return ``n_buckets`` as an int, or raise naming the parameter.

    Raises
    ------
    InvalidParameterError
        Not an integer >= 2.
    SizeLimitError
        Above :data:`MAX_BUCKETS` (refused before anything is allocated).
    """
    if isinstance(n_buckets, bool) or not isinstance(n_buckets, int | np.integer) or n_buckets < 2:
        raise InvalidParameterError(
            f"`n_buckets` must be an integer >= 2, got {n_buckets!r}; "
            "use e.g. n_buckets=20 for ventiles or 10 for deciles."
        )
    check_size(
        int(n_buckets),
        MAX_BUCKETS,
        "`n_buckets`",
        "use fewer buckets (e.g. 100 for percentiles); to order rows, rank them instead.",
    )
    return int(n_buckets)


def bucket_dtype(n_buckets: int) -> type[np.signedinteger[Any]]:
    """The narrowest signed integer type holding buckets ``-1..n_buckets - 1``."""
    return np.int16 if n_buckets - 1 <= np.iinfo(np.int16).max else np.int32


def buckets_from_ranks(
    twice_ranks: npt.NDArray[np.int64],
    sizes: npt.NDArray[np.int64],
    n_buckets: int,
    float_limit: int = _EXACT_FLOAT,
) -> BucketArray:
    """Bucket per sorted position from doubled average ranks, group by group.

    Parameters
    ----------
    twice_ranks : ndarray of int64
        ``2 * r`` with ``r`` the 0-based average rank within the group, in sorted
        (group, value) order; may be overwritten (it is a temporary of the caller).
    sizes : ndarray of int64
        Rows per group, in the same group order.
    n_buckets : int
        Number of buckets ``n``.
    float_limit : int, default 2**52
        Float64 division is used while ``2 * max(sizes) * n_buckets`` stays below
        this (where it is exact), int64 division above.

    Returns
    -------
    ndarray of int16 or int32
        Bucket 0..n-1 per sorted position (integer arithmetic, no rounding error),
        in :func:`bucket_dtype` of ``n_buckets``.
    """
    starts = np.cumsum(sizes) - sizes
    if sizes.size and 2 * int(sizes.max()) * n_buckets < float_limit:
        # floor((t n - 1) / (2 (m - 1))) in float64 equals the integer quotient:
        # numerator and denominator are integers below 2**52, so both are exact;
        # the true quotient is either an integer (then division is exact) or at
        # least 1 / (2 (m - 1)) away from one, farther than the rounding error of
        # at most q 2**-53 < 1 / (2 (m - 1)). Vectorized float division is several
        # times faster than int64 division.
        fdenom = np.repeat(2.0 * np.maximum(sizes - 1, 1), sizes)
        quotient = twice_ranks * float(n_buckets)
        del twice_ranks
        quotient -= 1.0
        np.divide(quotient, fdenom, out=quotient)
        del fdenom
        np.floor(quotient, out=quotient)
        np.clip(quotient, 0, n_buckets - 1, out=quotient)
        out = quotient.astype(bucket_dtype(n_buckets))
    else:
        denom = np.repeat(2 * np.maximum(sizes - 1, 1), sizes)
        twice_ranks *= n_buckets
        twice_ranks -= 1
        np.floor_divide(twice_ranks, denom, out=twice_ranks)
        del denom
        np.clip(twice_ranks, 0, n_buckets - 1, out=twice_ranks)
        out = twice_ranks.astype(bucket_dtype(n_buckets))
    out[starts[sizes == 1]] = (n_buckets - 1) // 2
    return out


@dataclass(frozen=True, eq=False)
class Bucketing:
    """Buckets of every row, and optionally other per-row arrays laid out bucket by bucket.

    Attributes
    ----------
    buckets : ndarray of int16 or int32
        Bucket per row, in row order.
    n_constant : int
        Groups of two or more rows whose values are all equal.
    layout : BucketLayout or None
        The ``carry`` arrays of :func:`grouped_buckets` grouped by bucket.
    """

    buckets: BucketArray
    n_constant: int
    layout: BucketLayout | None = field(default=None)


def grouped_buckets(
    values: npt.NDArray[np.float64],
    codes: npt.NDArray[np.int64] | None,
    sizes: npt.NDArray[np.int64],
    n_buckets: int,
    carry: tuple[npt.NDArray[np.float64], ...] = (),
) -> Bucketing:
    """Bucket per row (pooled when ``codes`` is None), constant groups, and a bucket layout.

    Parameters
    ----------
    values : ndarray of float
        Finite scores.
    codes : ndarray of int or None
        Group code 0..G-1 per row.
    sizes : ndarray of int
        Rows per group (``[n]`` when pooled).
    n_buckets : int
        Number of buckets (already checked).
    carry : tuple of ndarray of float
        Per-row arrays (returns, weights) to lay out bucket by bucket while the
        rows are in sorted order anyway: the bucket table then needs no second
        sort, and the runs of one group in one bucket give per-period means.

    Returns
    -------
    Bucketing
    """
    dtype = bucket_dtype(n_buckets)
    out = np.empty(values.size, dtype=dtype)
    builder = LayoutBuilder(carry, n_buckets) if carry else None
    patterns: dict[int, BucketArray] = {}
    n_constant = 0
    for chunk in sorted_chunks(values, codes, sizes):
        chunk_buckets, pattern = _chunk_buckets(chunk, n_buckets, patterns)
        out[chunk.rows] = chunk_buckets
        if builder is not None:
            builder.add(chunk.rows, chunk_buckets, chunk.sizes, pattern)
        if chunk.values is not None:
            starts, ends = group_bounds(chunk.sizes)
            multi = chunk.sizes > 1
            first, last = chunk.values[starts[multi]], chunk.values[ends[multi] - 1]
            n_constant += int(np.count_nonzero(first == last))
    return Bucketing(out, n_constant, None if builder is None else builder.finish())


def _chunk_buckets(
    chunk: SortedChunk, n_buckets: int, patterns: dict[int, BucketArray]
) -> tuple[BucketArray, BucketArray | None]:
    """Buckets of one chunk's sorted positions, and the pattern they repeat (or None).

    A tie-free chunk whose groups all have ``m`` rows (a balanced panel) repeats
    one rank-to-bucket pattern of length ``m``: it is computed once per ``m`` and
    tiled, instead of one integer division per row.
    """
    sizes = chunk.sizes
    if chunk.values is None and sizes.size and bool(np.all(sizes == sizes[0])):
        m = int(sizes[0])
        pattern = patterns.get(m)
        if pattern is None:
            one = np.array([m], dtype=np.int64)
            pattern = buckets_from_ranks(2 * np.arange(m, dtype=np.int64), one, n_buckets)
            patterns[m] = pattern
        return np.tile(pattern, sizes.size), pattern
    return buckets_from_ranks(sorted_twice_ranks(chunk.values, sizes), sizes, n_buckets), None


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


def assign_buckets(scores: Any, n_buckets: int = 20, *, groups: Any = None) -> Any:
    """Bucket 0..n_buckets-1 of every score, pooled or within each group.

    Parameters
    ----------
    scores : array-like of float
        Finite scores (drop NaN rows first).
    n_buckets : int, default 20
        Number of buckets, 2..:data:`MAX_BUCKETS`; bucket ``n_buckets - 1`` holds
        the highest scores.
    groups : array-like, optional
        Group label per row (e.g. the trade date): buckets are then formed within
        each group (cross-sectionally) instead of over all rows. A Series is
        paired with ``scores`` by index label, never by position.

    Returns
    -------
    ndarray or Series of int16 (int32 when ``n_buckets > 32768``)
        Bucket per row. A Series on the caller's index when ``scores`` or
        ``groups`` is a Series (the first of them), else an array in input order.
        See the module docstring for the rule; without ties it equals
        ``pandas.qcut(scores, n_buckets, labels=False)``.

    Raises
    ------
    InvalidParameterError
        If ``n_buckets`` is not an integer >= 2.
    SizeLimitError
        If ``n_buckets`` exceeds :data:`MAX_BUCKETS`.
    NonFiniteError
        If a score is NaN or infinite, or a group label is missing.
    IndexAlignmentError
        If ``scores`` and ``groups`` are Series whose labels differ.
    LengthMismatchError
        If ``groups`` is not as long as ``scores``.

    Examples
    --------
    >>> assign_buckets([0.3, 0.1, 0.2, 0.4], n_buckets=2).tolist()
    [1, 0, 0, 1]
    """
    n = check_n_buckets(n_buckets)
    aligned, index = align_inputs(scores=scores, groups=groups)
    values = as_float_array(aligned["scores"], "scores")
    if groups is None:
        buckets = grouped_buckets(values, None, np.array([values.size], dtype=np.int64), n).buckets
    else:
        codes, uniques = factorize_labels(aligned["groups"], "groups")
        sizes = np.bincount(codes, minlength=len(uniques)).astype(np.int64)
        buckets = grouped_buckets(values, codes, sizes, n).buckets
    return with_index(buckets, index, "bucket")
