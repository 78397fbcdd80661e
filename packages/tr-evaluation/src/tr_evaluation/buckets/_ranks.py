"""Tie-aware average ranks, pooled or within groups, without a loop over groups.

Values are sorted once (a float argsort); grouping is a second, *stable* sort on
the small integer group codes (numpy's radix sort for 16-bit codes), so the
within-group order is the global order restricted to the group. Ties are found
as runs of equal values inside a group, and every member of a run gets the run's
average rank. Ranks are returned doubled (``min + max`` of the run, 0-based) so
that they stay exact integers.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def small_codes(codes: IntArray, n_groups: int) -> npt.NDArray[np.integer]:
    """Cast group codes to the narrowest integer type, so stable sorts use radix sort."""
    if n_groups <= np.iinfo(np.int16).max:
        return codes.astype(np.int16)
    return codes.astype(np.int32)


def regroup(order: npt.NDArray[np.intp], codes: npt.NDArray[np.integer]) -> npt.NDArray[np.intp]:
    """Stable-sort a sort order by group code: within each group, the order is kept."""
    return order[np.argsort(codes[order], kind="stable")]


def twice_average_ranks(
    values: FloatArray,
    order: npt.NDArray[np.intp],
    codes: npt.NDArray[np.integer] | None,
    sizes: IntArray,
) -> IntArray:
    """Doubled 0-based average ranks of ``values`` within each group.

    Parameters
    ----------
    values : ndarray of float
        Finite values.
    order : ndarray of int
        Positions that sort ``values`` by (group, value).
    codes : ndarray of int or None
        Group code per row; None means one group.
    sizes : ndarray of int
        Rows per group (``np.bincount(codes)``).

    Returns
    -------
    ndarray of int64
        ``2 * average rank`` per row, in row order; tied values share it.
    """
    n = values.size
    sorted_values = values[order]
    new_run = np.empty(n, dtype=bool)
    new_run[:1] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=new_run[1:])
    del sorted_values
    position = np.arange(n, dtype=np.int64)
    if codes is not None:
        sorted_codes = codes[order]
        new_run[1:] |= sorted_codes[1:] != sorted_codes[:-1]
        starts = np.cumsum(sizes) - sizes
        position -= starts[sorted_codes]
        del sorted_codes
    run_first = np.flatnonzero(new_run)
    run_last = np.empty_like(run_first)
    run_last[:-1] = run_first[1:] - 1
    run_last[-1:] = n - 1
    twice_run = position[run_first] + position[run_last]
    del position
    run_id = np.cumsum(new_run, dtype=np.int64)
    run_id -= 1
    del new_run
    out = np.empty(n, dtype=np.int64)
    out[order] = twice_run[run_id]
    return out
