"""Per-row arrays laid out bucket by bucket, built while the rows are sorted anyway.

The bucket table needs each bucket's returns (and weights) contiguous: its median
partitions them. Bucket assignment already visits the rows in sorted
(group, score) order, chunk by chunk, and in that order the rows of one group in
one bucket are consecutive — a *run* (scores only ascend within a group, and
buckets with them; tied scores share a bucket). :class:`LayoutBuilder` copies the
carried arrays in that order (a gather that stays inside the chunk) and records
the runs; :meth:`LayoutBuilder.finish` orders the runs by bucket (a stable sort of
a few thousand run records, not of the rows) and gathers each array once more
into the bucket layout. No sort of the rows by bucket is needed, and every run is
one group's rows of one bucket, which is what per-period bucket means average.

A tie-free balanced panel repeats one bucket pattern in every group: a chunk is
then a ``groups x width`` matrix whose runs are column ranges, and each run of all
its groups moves as one slice instead of row by row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BucketLayout", "LayoutBuilder"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_BLOCK = 1 << 16
# Slices are moved instead of rows gathered when they average at least this many rows.
_SLICE_ROWS = 256


@dataclass(frozen=True, eq=False, repr=False)
class BucketLayout:
    """Carried arrays grouped by bucket (bucket 0 first), and their runs.

    Attributes
    ----------
    values : tuple of ndarray of float
        Each carried array, rows of bucket 0 first, then bucket 1, …; within a
        bucket, run after run. Private copies: callers may reorder segments in place.
    counts : ndarray of int64
        Rows per bucket (length ``n_buckets``).
    run_bucket, run_length : ndarray of int64
        Bucket and number of rows of each run, in layout order. A run holds the
        rows of one group (one period) in one bucket.
    """

    values: tuple[FloatArray, ...]
    counts: IntArray
    run_bucket: IntArray
    run_length: IntArray


class LayoutBuilder:
    """Collects sorted chunks of rows (see the module docstring) into a :class:`BucketLayout`.

    Parameters
    ----------
    carry : tuple of ndarray of float
        Per-row arrays to lay out, all of the same length.
    n_buckets : int
        Number of buckets.
    """

    def __init__(self, carry: tuple[FloatArray, ...], n_buckets: int) -> None:
        self._carry = carry
        self._n_buckets = n_buckets
        self._staged = tuple(np.empty_like(a) for a in carry)
        self._filled = 0
        self._starts: list[IntArray] = []
        self._lengths: list[IntArray] = []
        self._buckets: list[IntArray] = []
        # Chunks that repeat one pattern (see add), while every chunk does.
        self._tiled: list[_TiledChunk] | None = []

    def add(
        self,
        rows: npt.NDArray[np.intp],
        buckets: npt.NDArray[np.signedinteger],
        sizes: IntArray,
        pattern: npt.NDArray[np.signedinteger] | None = None,
    ) -> None:
        """Append one chunk: ``rows`` in sorted (group, value) order, their buckets, group sizes.

        ``pattern``, when given, is the buckets of every group of the chunk (all its
        groups have ``pattern.size`` rows and the same buckets by position, as in a
        tie-free balanced panel): the runs are then read off the pattern, and
        :meth:`finish` can move each run of all the chunk's groups as one slice.
        """
        m = rows.size
        if m == 0:
            return
        first = self._filled
        for source, staged in zip(self._carry, self._staged, strict=True):
            staged[first : first + m] = source[rows]
        if pattern is None:
            self._tiled = None
            new_run = np.empty(m, dtype=bool)
            new_run[0] = True
            np.not_equal(buckets[1:], buckets[:-1], out=new_run[1:])
            group_starts = np.cumsum(sizes) - sizes
            new_run[group_starts[sizes > 0]] = True
            run_first = np.flatnonzero(new_run)
            self._starts.append(run_first + first)
            self._lengths.append(np.diff(run_first, append=m))
            self._buckets.append(buckets[run_first].astype(np.int64))
        else:
            tiled = _TiledChunk.of(first, m, pattern)
            if self._tiled is not None:
                self._tiled.append(tiled)
            starts = tiled.run_first + first + tiled.width * np.arange(tiled.n_groups)[:, None]
            self._starts.append(starts.ravel())
            self._lengths.append(np.tile(tiled.run_length, tiled.n_groups))
            self._buckets.append(np.tile(tiled.run_bucket, tiled.n_groups))
        self._filled += m

    def finish(self) -> BucketLayout:
        """Order the runs by bucket and gather the staged arrays into that order.

        Layout row ``k`` of a run comes from staged position ``k + (run start - run
        destination)``. The source positions are built block by block, so the index
        temporaries stay small and in cache instead of spanning all rows (fresh
        memory costs as much as the gather on large inputs).
        """
        if self._starts:
            start = np.concatenate(self._starts)
            length = np.concatenate(self._lengths)
            bucket = np.concatenate(self._buckets)
        else:
            start = length = bucket = np.zeros(0, dtype=np.int64)
        by_bucket = np.argsort(bucket, kind="stable")
        start, length, bucket = start[by_bucket], length[by_bucket], bucket[by_bucket]
        ends = np.cumsum(length)
        dest = ends - length
        offset = start - dest
        counts = np.bincount(bucket, length, minlength=self._n_buckets).astype(np.int64)
        values = tuple(np.empty_like(staged) for staged in self._staged)
        tiled = self._tiled
        if tiled and _SLICE_ROWS * sum(t.run_first.size for t in tiled) <= self._filled:
            self._move_tiled(tiled, counts, values)
            return BucketLayout(values, counts, bucket, length)
        for lo in range(0, self._filled, _BLOCK):
            hi = min(lo + _BLOCK, self._filled)
            first = int(np.searchsorted(ends, lo, side="right"))
            last = int(np.searchsorted(dest, hi, side="left"))
            rows = np.minimum(ends[first:last], hi) - np.maximum(dest[first:last], lo)
            source = np.repeat(offset[first:last], rows)
            source += np.arange(lo, hi)
            for staged, target in zip(self._staged, values, strict=True):
                target[lo:hi] = staged[source]
        return BucketLayout(values, counts, bucket, length)

    def _move_tiled(
        self, tiled: list[_TiledChunk], counts: IntArray, values: tuple[FloatArray, ...]
    ) -> None:
        """The layout of chunks that all repeat a pattern, one slice per chunk and run.

        A run of the pattern is a column range of the chunk's ``groups x width``
        matrix; its rows, group after group, are exactly the chunk's runs of that
        bucket in the order the stable sort of :meth:`finish` gives them.
        """
        free = np.cumsum(counts) - counts  # next free layout position of each bucket
        for chunk in tiled:
            g, w = chunk.n_groups, chunk.width
            for lo, n, b in zip(chunk.run_first, chunk.run_length, chunk.run_bucket, strict=True):
                dest = int(free[b])
                for staged, target in zip(self._staged, values, strict=True):
                    block = staged[chunk.first : chunk.first + g * w].reshape(g, w)
                    target[dest : dest + g * n].reshape(g, n)[...] = block[:, lo : lo + n]
                free[b] += g * n


@dataclass(frozen=True, eq=False)
class _TiledChunk:
    """A chunk of ``n_groups`` groups of ``width`` rows with the same buckets by position."""

    first: int
    n_groups: int
    width: int
    run_first: IntArray
    run_length: IntArray
    run_bucket: IntArray

    @classmethod
    def of(cls, first: int, m: int, pattern: npt.NDArray[np.signedinteger]) -> _TiledChunk:
        """The chunk staged at ``first`` with ``m`` rows repeating ``pattern``."""
        width = pattern.size
        new_run = np.empty(width, dtype=bool)
        new_run[0] = True
        np.not_equal(pattern[1:], pattern[:-1], out=new_run[1:])
        run_first = np.flatnonzero(new_run)
        return cls(
            first,
            m // width,
            width,
            run_first,
            np.diff(run_first, append=width),
            pattern[run_first].astype(np.int64),
        )
