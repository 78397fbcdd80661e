"""Purge and embargo: which candidate training rows may stay next to a set of test blocks.

A *test block* is a run of test rows whose times are consecutive unique timestamps
``[t_lo, t_hi]`` — every row with a time in that range is in the block. Intervals
are closed: row ``i`` covers ``[time_i, end_i]`` with ``end_i >= time_i``.

Why two comparisons per block are exact (no pairwise check is needed). Take a
training row ``i`` outside the block, so ``time_i < t_lo`` or ``time_i > t_hi``.
Two closed intervals meet iff each starts no later than the other ends:
``[time_i, end_i]`` meets test row ``j`` iff ``time_i <= end_j`` and
``time_j <= end_i``.

* ``time_i < t_lo``: then ``time_i < time_j <= end_j`` for every test row ``j``,
  so row ``i`` meets some ``j`` iff ``end_i >= time_j`` for some ``j``, i.e. iff
  ``end_i >= min_j time_j = t_lo``.
* ``time_i > t_hi``: then ``time_j < time_i <= end_i``, so row ``i`` meets some
  ``j`` iff ``time_i <= end_j`` for some ``j``, i.e. iff
  ``time_i <= max_j end_j``.

So the purge of one block costs O(n) with the block's ``t_lo``, ``t_hi`` and
``max_end``; a non-contiguous test set is purged block by block (the union of
the per-block conditions), never as one span. Note the purge starts at the first
test row's *start* ``t_lo``: comparing with that row's end (as some older public
code does) keeps training rows whose label window overlaps the test block.

Embargo (López de Prado, 2018, *Advances in Financial Machine Learning*, §7.4.2):
a training row is also dropped when ``t_hi < time_i <= t_hi + h``, where ``h`` is
the embargo length in nanoseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Block", "blocks_of", "purge"]

_INT64_MAX = int(np.iinfo(np.int64).max)


@dataclass(frozen=True)
class Block:
    """One contiguous test block: its first and last time and its latest label end (ns)."""

    t_lo: int
    t_hi: int
    max_end: int


def blocks_of(
    groups: Iterable[int],
    bounds: npt.NDArray[np.intp],
    unique: npt.NDArray[np.int64],
    group_max_end: npt.NDArray[np.int64],
) -> list[Block]:
    """Merge adjacent test groups into maximal blocks.

    Parameters
    ----------
    groups : iterable of int
        Test group ids, increasing.
    bounds : ndarray of intp
        Group ``g`` holds unique timestamps ``[bounds[g], bounds[g + 1])``.
    unique : ndarray of int64
        Sorted unique times.
    group_max_end : ndarray of int64
        Latest label end in each group.

    Returns
    -------
    list of Block
    """
    runs: list[list[int]] = []
    for g in groups:
        if runs and runs[-1][-1] == g - 1:
            runs[-1].append(g)
        else:
            runs.append([g])
    return [
        Block(
            t_lo=int(unique[bounds[run[0]]]),
            t_hi=int(unique[bounds[run[-1] + 1] - 1]),
            max_end=int(group_max_end[run].max()),
        )
        for run in runs
    ]


def purge(
    candidates: npt.NDArray[np.bool_],
    time: npt.NDArray[np.int64],
    end: npt.NDArray[np.int64],
    blocks: Iterable[Block],
    embargo_ns: int,
) -> npt.NDArray[np.intp]:
    """Positions of the candidate training rows that survive purge and embargo.

    Parameters
    ----------
    candidates : ndarray of bool
        Rows that may train (never a test row); not modified.
    time, end : ndarray of int64
        Decision times and label ends (ns), row order.
    blocks : iterable of Block
        The test blocks.
    embargo_ns : int
        Embargo length ``h`` after each block (ns, ``>= 0``).

    Returns
    -------
    ndarray of intp
        Sorted positions.
    """
    keep = candidates.copy()
    for block in blocks:
        keep &= ~((time < block.t_lo) & (end >= block.t_lo))
        after = min(max(block.max_end, block.t_hi + embargo_ns), _INT64_MAX)
        keep &= ~((time > block.t_hi) & (time <= after))
    return np.flatnonzero(keep).astype(np.intp)
