"""Purged k-fold cross-validation with an embargo (López de Prado, 2018, ch. 7)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tr_core.splits._base import Positions, TimeSplitter
from tr_core.splits._folds import layout
from tr_core.splits._inputs import check_count, check_embargo, resolve_timeline
from tr_core.splits._purge import blocks_of, purge

__all__ = ["PurgedKFold"]


class PurgedKFold(TimeSplitter):
    r"""K contiguous time folds; training rows whose label window meets the test fold are purged.

    The rows are cut into ``n_splits`` folds of consecutive unique timestamps,
    balanced by row count (rows need not be sorted; rows sharing a timestamp share a
    fold). Each fold is the test set once. A training row ``i`` with label window
    :math:`[t_i, e_i]` is *purged* when it intersects the window of any test row —
    exactly when :math:`t_i < t_{lo}` and :math:`e_i \ge t_{lo}`, or
    :math:`t_{hi} < t_i \le \max_{j \in test} e_j`, with :math:`[t_{lo}, t_{hi}]`
    the fold's time span — and *embargoed* when
    :math:`t_{hi} < t_i \le t_{hi} + h`, with
    :math:`h = \lfloor \text{embargo} \cdot (\max_i t_i - \min_i t_i) \rfloor`
    (López de Prado, 2018, *Advances in Financial Machine Learning*, §7.4).

    Parameters
    ----------
    n_splits : int, default 5
        Number of folds, ``>= 2``.
    times : str or array-like
        Decision time of each row: a column name of ``X`` or aligned datetimes.
    label_ends : str or array-like
        When each row's label window closes (``>= times``): a column name of ``X``
        or aligned datetimes.
    embargo : float, default 0.0
        Fraction of the timeline span, in ``[0, 1)``, embargoed after each test fold.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.Series(pd.date_range("2024-01-01", periods=6, freq="D"))
    >>> cv = PurgedKFold(3, times=t, label_ends=t + pd.Timedelta("1D"))
    >>> [(tr.tolist(), te.tolist()) for tr, te in cv.split(t)]
    [([3, 4, 5], [0, 1]), ([0, 5], [2, 3]), ([0, 1, 2], [4, 5])]
    """

    def __init__(
        self,
        n_splits: int = 5,
        *,
        times: Any,
        label_ends: Any,
        embargo: float = 0.0,
    ) -> None:
        check_count(n_splits, "n_splits", minimum=2)
        check_embargo(embargo)
        self.n_splits = n_splits
        self.times = times
        self.label_ends = label_ends
        self.embargo = embargo

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of folds, ``n_splits``."""
        return int(self.n_splits)

    def _iter_splits(self, X: Any) -> Iterator[tuple[Positions, Positions]]:
        tl = resolve_timeline(X, self.times, self.label_ends)
        tl.need_unique(self.n_splits, f"PurgedKFold(n_splits={self.n_splits})")
        folds = layout(tl, self.n_splits)
        h = tl.embargo_ns(self.embargo)
        for k in range(self.n_splits):
            test = folds.rows(k)
            blocks = blocks_of([k], folds.bounds, tl.unique, folds.max_end)
            yield purge(folds.of_row != k, tl.time, tl.end, blocks, h), test
