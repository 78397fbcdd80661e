"""Within-group sort orders and tie-aware average ranks, without a loop over groups.

Rows are first laid out group by group: when the group codes are already
non-decreasing (time-sorted input) that is the identity, otherwise one *stable*
sort of the narrow integer codes (numpy's radix sort for 8- and 16-bit codes).
Values are then sorted within their groups: groups of similar size (sizes in
``(2**(c-1), 2**c]``) are padded with ``+inf`` into a matrix of about
``_CHUNK_CELLS`` cells and sorted row-wise, so a day of 3,000 rows is sorted in
cache instead of as part of one global 6M-row sort; padding wastes at most half
of each matrix (groups taken in order of size waste much less), and the loop runs
over size classes and chunks, never over groups.
Consecutive groups of one size (a balanced panel) need no padding: their matrix
is a reshaped view of the rows.
Callers work chunk by chunk too (ranks, buckets), so no temporary spans all rows:
on large inputs, fresh memory (page faults) costs as much as the arithmetic.

Average ranks: ties are runs of equal values inside a group, and every member of
a run gets the run's average rank. Ranks are returned doubled (``min + max`` of
the run, 0-based) so that they stay exact integers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_CHUNK_CELLS = 1 << 18
_MAX_INDEX_BITS = 16


def group_bounds(sizes: IntArray) -> tuple[IntArray, IntArray]:
    """First and one-past-last sorted position of each group."""
    ends = np.cumsum(sizes)
    return ends - sizes, ends


def row_blocks(n: int) -> Iterator[slice]:
    """Consecutive slices of ``_CHUNK_CELLS`` rows covering ``range(n)``."""
    for first in range(0, n, _CHUNK_CELLS):
        yield slice(first, min(first + _CHUNK_CELLS, n))


def _narrow(codes: npt.NDArray[np.integer], n_groups: int) -> npt.NDArray[np.integer]:
    """Codes in the narrowest unsigned type (radix sort for 8- and 16-bit codes)."""
    if n_groups <= np.iinfo(np.uint8).max + 1:
        return codes.astype(np.uint8)
    if n_groups <= np.iinfo(np.uint16).max + 1:
        return codes.astype(np.uint16)
    return codes


def _counting_sort(
    codes: npt.NDArray[np.integer], sizes: IntArray
) -> Iterator[tuple[slice, npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """Stable counting sort by group code, block by block.

    Yields ``(rows, order, dest)``: row ``rows.start + order[i]`` goes to position
    ``dest[i]`` of the grouped layout. Each block is stable-sorted on its own
    (small buffers), then written to the next free slots of its groups.
    """
    narrow = _narrow(codes, sizes.size)
    next_slot = np.cumsum(sizes) - sizes
    for rows in row_blocks(codes.size):
        block = narrow[rows]
        order = np.argsort(block, kind="stable")
        sorted_codes = block[order]
        block_counts = np.bincount(sorted_codes, minlength=sizes.size)
        block_starts = np.cumsum(block_counts) - block_counts
        yield rows, order, np.arange(order.size) + (next_slot - block_starts)[sorted_codes]
        next_slot += block_counts


def group_layout(codes: npt.NDArray[np.integer], sizes: IntArray) -> npt.NDArray[np.intp] | None:
    """Positions of the rows ordered by group code, keeping row order within a group.

    None when the codes are already non-decreasing (the layout is the identity).
    """
    if codes.size < 2 or bool(np.all(codes[1:] >= codes[:-1])):
        return None
    out = np.empty(codes.size, dtype=np.intp)
    for rows, order, dest in _counting_sort(codes, sizes):
        out[dest] = order + rows.start
    return out


@dataclass(frozen=True)
class SortedChunk:
    """Whole groups of rows, each group's rows together and ordered by value.

    Attributes
    ----------
    rows : ndarray of intp
        Row positions in sorted order.
    values : ndarray of float or None
        ``values[rows]``; None when the chunk is known to be free of ties (its
        values were not gathered).
    sizes : ndarray of int64
        Rows of each group of the chunk, in the chunk's order of groups (by size,
        not by group code).
    """

    rows: npt.NDArray[np.intp]
    values: FloatArray | None
    sizes: IntArray


def sorted_chunks(
    values: FloatArray, codes: IntArray | None, sizes: IntArray
) -> Iterator[SortedChunk]:
    """Sort ``values`` within groups, yielding a few thousand groups at a time.

    Parameters
    ----------
    values : ndarray of float
        Finite values.
    codes : ndarray of int or None
        Group code 0..G-1 per row; None means one group (one global sort).
    sizes : ndarray of int
        Rows per group (``np.bincount(codes)``).

    Yields
    ------
    SortedChunk
        Chunks cover every row once; inside a group values ascend (ties in no
        particular order). Working per chunk keeps temporaries small.
    """
    if codes is None:
        order = np.argsort(values)
        yield SortedChunk(order, values[order], sizes)
        return
    layout = group_layout(codes, sizes)
    grouped = values if layout is None else values[layout]
    starts, _ = group_bounds(sizes)
    size_class = np.ceil(np.log2(np.maximum(sizes, 1))).astype(np.int64)
    size_class[sizes == 0] = -1
    for c in np.unique(size_class[size_class >= 0]):
        groups = np.flatnonzero(size_class == c)
        # In order of size, a chunk's groups have nearly equal sizes and its matrix
        # little padding (equal sizes keep their order: a balanced panel stays a view).
        groups = groups[np.argsort(sizes[groups], kind="stable")]
        per_chunk = max(1, _CHUNK_CELLS >> int(c))
        for first in range(0, groups.size, per_chunk):
            chunk = groups[first : first + per_chunk]
            local, sorted_values = _sort_chunk(grouped, starts[chunk], sizes[chunk])
            rows = local if layout is None else layout[local]
            yield SortedChunk(rows, sorted_values, sizes[chunk])


def _sort_chunk(
    grouped: FloatArray, chunk_starts: IntArray, chunk_sizes: IntArray
) -> tuple[npt.NDArray[np.intp], FloatArray | None]:
    """Sort groups of ``grouped`` (rows laid out by group) row-wise in a padded matrix.

    Returns the laid-out positions of the groups' rows in sorted order, and their
    values (None when the chunk was proven free of ties by the packed-key sort).
    """
    width = int(chunk_sizes.max())
    n_groups = chunk_sizes.size
    first = int(chunk_starts[0])
    valid = None
    if bool(np.all(chunk_sizes == width)):
        if int(chunk_starts[-1]) - first == (n_groups - 1) * width:
            # Consecutive groups of one size (a balanced panel): a view, no index matrix.
            block = grouped[first : first + n_groups * width].reshape(n_groups, width)
        else:
            block = grouped[chunk_starts[:, None] + np.arange(width)]
    else:
        valid = np.arange(width) < chunk_sizes[:, None]
        # One dense gather (padding cells read a neighbour's value, clipped at the
        # end), then +inf in the padding: cheaper than gathering through the mask.
        cells = chunk_starts[:, None] + np.arange(width)
        np.minimum(cells, grouped.size - 1, out=cells)
        block = grouped[cells]
        del cells
        block[~valid] = np.inf
    index_bits = max(1, (width - 1).bit_length())
    ranked = _packed_argsort(block, index_bits, valid) if index_bits <= _MAX_INDEX_BITS else None
    sorted_values = None
    if ranked is None:
        ranked = np.argsort(block, axis=1)
        sorted_values = np.take_along_axis(block, ranked, axis=1)
    ranked += chunk_starts[:, None]
    if valid is None:
        return ranked.ravel(), None if sorted_values is None else sorted_values.ravel()
    return ranked[valid], None if sorted_values is None else sorted_values[valid]


def _packed_argsort(
    block: FloatArray, index_bits: int, valid: npt.NDArray[np.bool_] | None
) -> npt.NDArray[np.intp] | None:
    """Row-wise argsort of ``block`` through one SIMD sort of packed 64-bit keys, or None.

    Each value becomes its order-preserving unsigned 64-bit pattern (``-0.0`` folded
    into ``+0.0``), whose lowest ``index_bits`` bits are replaced by the column index;
    ``np.sort`` of these keys (vectorized, unlike ``np.argsort``) carries the indices
    along. Dropping low bits keeps the order weakly, so when no two neighbouring
    sorted keys share their high bits within a row, the high bits are distinct, the
    sort order is the exact order of the values, and the row has no ties. Otherwise
    (ties, or values equal in their high bits) None is returned and the caller uses
    ``np.argsort``.
    """
    # A fresh array (never a view of the caller's values); + 0.0 folds -0.0 into +0.0.
    keys = (block + 0.0).view(np.uint64)
    # Negative values: flip every bit; others: set the sign bit. The arithmetic shift
    # of the signed view gives all ones for negatives, zero otherwise.
    flip = (keys.view(np.int64) >> 63).view(np.uint64)
    flip |= np.uint64(1 << 63)
    keys ^= flip
    del flip
    index_mask = np.uint64((1 << index_bits) - 1)
    keys &= ~index_mask
    keys |= np.arange(block.shape[1], dtype=np.uint64)
    keys.sort(axis=1)
    # Sorted neighbours share their high bits exactly when their XOR is at most
    # index_mask (one pass and a min, no boolean temporaries).
    gaps = np.bitwise_xor(keys[:, 1:], keys[:, :-1])
    if valid is not None:
        gaps[~valid[:, 1:]] = ~np.uint64(0)  # a real value next to padding is no tie
    if gaps.size and gaps.min() <= index_mask:
        return None
    del gaps
    keys &= index_mask
    if np.dtype(np.intp).itemsize == keys.itemsize:
        # Column indices are < 2**16: the same bits read as intp, without a copy.
        return keys.view(np.intp)
    return keys.astype(np.intp)  # pragma: no cover - 32-bit platforms


def sorted_twice_ranks(sorted_values: FloatArray | None, sizes: IntArray) -> IntArray:
    """Doubled 0-based average ranks, in sorted (group, value) order.

    Parameters
    ----------
    sorted_values : ndarray of float or None
        Values ordered by (group, value); None when they are known to be tie-free.
    sizes : ndarray of int
        Rows per group, in the same group order.

    Returns
    -------
    ndarray of int64
        ``2 * average rank within the group`` per sorted position; tied values share it.
    """
    starts, ends = group_bounds(sizes)
    n = int(ends[-1]) if ends.size else 0
    position = np.arange(n, dtype=np.int64)
    position -= np.repeat(starts, sizes)
    if sorted_values is None:
        position *= 2
        return position
    new_run = np.empty(n, dtype=bool)
    new_run[:1] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=new_run[1:])
    new_run[starts[sizes > 0]] = True
    if new_run.all():
        position *= 2
        return position
    run_first = np.flatnonzero(new_run)
    run_last = np.empty_like(run_first)
    run_last[:-1] = run_first[1:] - 1
    run_last[-1:] = n - 1
    twice_run = position[run_first] + position[run_last]
    del position
    run_id = np.cumsum(new_run, dtype=np.int64)
    run_id -= 1
    return np.asarray(twice_run[run_id], dtype=np.int64)


def twice_average_ranks(values: FloatArray, codes: IntArray | None, sizes: IntArray) -> IntArray:
    """Doubled 0-based average ranks of ``values`` within each group, in row order."""
    out = np.empty(values.size, dtype=np.int64)
    for chunk in sorted_chunks(values, codes, sizes):
        out[chunk.rows] = sorted_twice_ranks(chunk.values, chunk.sizes)
    return out
