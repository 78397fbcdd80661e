"""Cut the sorted unique timestamps into contiguous folds balanced by row count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tr_core.splits._inputs import Timeline

__all__ = ["FoldLayout", "balanced_boundaries", "layout"]


@dataclass(frozen=True)
class FoldLayout:
    """Contiguous folds (groups) of unique timestamps and what each holds.

    Attributes
    ----------
    bounds : ndarray of intp
        Fold ``g`` holds unique timestamps ``[bounds[g], bounds[g + 1])``.
    of_row : ndarray of intp
        Fold of each row, in row order.
    max_end : ndarray of int64
        Latest label end in each fold (ns).
    """

    bounds: npt.NDArray[np.intp]
    of_row: npt.NDArray[np.intp]
    max_end: npt.NDArray[np.int64]

    def rows(self, fold: int) -> npt.NDArray[np.intp]:
        """Sorted positions of the rows in ``fold``."""
        return np.flatnonzero(self.of_row == fold).astype(np.intp)


def layout(timeline: Timeline, n_folds: int) -> FoldLayout:
    """Cut ``timeline`` into ``n_folds`` contiguous folds balanced by row count.

    Parameters
    ----------
    timeline : Timeline
        Rows' times and label ends; needs ``n_folds`` unique timestamps.
    n_folds : int
        Number of folds.

    Returns
    -------
    FoldLayout
    """
    bounds = balanced_boundaries(timeline.counts(), n_folds)
    of_row = (np.searchsorted(bounds, timeline.inverse, side="right") - 1).astype(np.intp)
    max_end = np.full(n_folds, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(max_end, of_row, timeline.end)
    return FoldLayout(bounds, of_row, max_end)


def balanced_boundaries(counts: npt.NDArray[np.intp], n_folds: int) -> npt.NDArray[np.intp]:
    """Fold boundaries over unique timestamps, balanced by the number of rows.

    Fold ``j`` holds the unique timestamps ``[b[j], b[j + 1])``. Each inner boundary
    ``b[j]`` is the cut whose cumulative row count is nearest to ``j * n / n_folds``
    (ties go to the earlier cut), then clipped so that every fold keeps at least one
    timestamp. Because folds are made of whole timestamps, rows that share a
    timestamp always land in the same fold.

    Parameters
    ----------
    counts : ndarray of int
        Rows at each sorted unique timestamp (all ``>= 1``).
    n_folds : int
        Number of folds, ``<= len(counts)``.

    Returns
    -------
    ndarray of intp, shape (n_folds + 1,)
        Strictly increasing, ``b[0] = 0`` and ``b[-1] = len(counts)``.
    """
    n_unique = counts.size
    cum = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
    scaled = cum * n_folds  # compare j * n with n_folds * cum: exact integers
    n = int(cum[-1])
    bounds = np.empty(n_folds + 1, dtype=np.intp)
    bounds[0], bounds[-1] = 0, n_unique
    for j in range(1, n_folds):
        target = j * n
        cut = int(np.searchsorted(scaled, target, side="left"))
        if cut > 0 and target - scaled[cut - 1] <= scaled[cut] - target:
            cut -= 1
        bounds[j] = min(max(cut, bounds[j - 1] + 1), n_unique - (n_folds - j))
    return bounds
