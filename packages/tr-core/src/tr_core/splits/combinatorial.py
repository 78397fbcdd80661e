"""Combinatorial purged cross-validation (López de Prado, 2018, ch. 12)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, combinations
from math import comb
from typing import Any

import numpy as np
import numpy.typing as npt

from tr_core.errors import InvalidParameterError
from tr_core.splits._base import Positions, TimeSplitter
from tr_core.splits._folds import layout
from tr_core.splits._inputs import check_count, check_embargo, resolve_timeline
from tr_core.splits._purge import blocks_of, purge
from tr_core.validation import check_size

__all__ = ["MAX_COMBINATIONS", "CombinatorialPurgedKFold"]

MAX_COMBINATIONS = 1_000_000
r"""Most splits :math:`\binom{N}{k}` that are enumerated; larger requests are refused.

Enumerating the combinations and mapping them to paths is pure bookkeeping: a
million of them (e.g. ``n_groups=22, n_test_groups=11``: 705,432 splits) takes
seconds and a few hundred MB. ``CombinatorialPurgedKFold(30, 15)`` would be 155
million splits and a path table of 2.3 billion entries (18 GB), and every split is
a model fit anyway. Typical settings are far below: (6, 2) has 15 splits, (10, 2) 45.
"""


class CombinatorialPurgedKFold(TimeSplitter):
    r"""Every choice of ``n_test_groups`` of ``n_groups`` time groups as the test set.

    The rows are cut into :math:`N` = ``n_groups`` groups of consecutive unique
    timestamps, balanced by row count. Split ``s`` tests the ``s``-th of the
    :math:`\binom{N}{k}` combinations of :math:`k` = ``n_test_groups`` groups, in
    lexicographic order (``itertools.combinations(range(N), k)``) and trains on the
    other rows after purging and embargo. A test set made of non-adjacent groups is
    purged and embargoed *block by block*: each maximal run of adjacent test groups
    is one block, so training rows between two test blocks are kept unless their
    own windows reach a block (see :class:`~tr_core.splits.PurgedKFold` for the
    purge and embargo rules).

    The test predictions recombine into
    :math:`\varphi = \frac{k}{N}\binom{N}{k} = \binom{N-1}{k-1}` backtest paths, each
    covering every group once (López de Prado, 2018, *Advances in Financial
    Machine Learning*, §12.4); :meth:`backtest_paths` gives the mapping.

    Parameters
    ----------
    n_groups : int, default 6
        Number of groups :math:`N`, ``>= 2``.
    n_test_groups : int, default 2
        Groups per test set :math:`k`, ``1 <= k < N``.
    times : str or array-like
        Decision time of each row: a column name of ``X`` or aligned datetimes.
    label_ends : str or array-like
        When each row's label window closes: a column name of ``X`` or aligned datetimes.
    embargo : float, default 0.0
        Fraction of the timeline span, in ``[0, 1)``, embargoed after each test block.

    Raises
    ------
    SizeLimitError
        From :meth:`split`, :meth:`test_groups` and :meth:`backtest_paths`, before
        anything is allocated, when :math:`\binom{N}{k}` exceeds
        :data:`MAX_COMBINATIONS`.
    """

    def __init__(
        self,
        n_groups: int = 6,
        n_test_groups: int = 2,
        *,
        times: Any,
        label_ends: Any,
        embargo: float = 0.0,
    ) -> None:
        check_count(n_groups, "n_groups", minimum=2)
        check_count(n_test_groups, "n_test_groups", minimum=1)
        if n_test_groups >= n_groups:
            raise InvalidParameterError(
                f"`n_test_groups` must be smaller than `n_groups`, got {n_test_groups} >= "
                f"{n_groups}; at least one group has to remain for training."
            )
        check_embargo(embargo)
        self.n_groups = n_groups
        self.n_test_groups = n_test_groups
        self.times = times
        self.label_ends = label_ends
        self.embargo = embargo

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of splits, :math:`\\binom{N}{k}`."""
        return comb(self.n_groups, self.n_test_groups)

    def get_n_paths(self) -> int:
        """Number of backtest paths, :math:`\\binom{N-1}{k-1}`."""
        return comb(self.n_groups - 1, self.n_test_groups - 1)

    def test_groups(self) -> list[tuple[int, ...]]:
        """The test groups of each split, in split order."""
        self._check_size()
        return list(combinations(range(self.n_groups), self.n_test_groups))

    def backtest_paths(self) -> npt.NDArray[np.intp]:
        """Which split's test predictions fill each group of each backtest path.

        Returns
        -------
        ndarray of intp, shape (n_paths, n_groups)
            Entry ``[p, g]`` is the index of the split whose test set supplies the
            predictions for group ``g`` in path ``p``. Column ``g`` lists, in split
            order, the splits that test group ``g`` (each group is tested in exactly
            ``n_paths`` splits), so every split fills exactly ``n_test_groups`` cells
            and every ``(path, group)`` cell comes from one split that tests that group.
        """
        self._check_size()
        n, k = self.n_groups, self.n_test_groups
        n_splits = comb(n, k)
        tested = np.fromiter(
            chain.from_iterable(combinations(range(n), k)), dtype=np.intp, count=n_splits * k
        )
        split_of = np.repeat(np.arange(n_splits, dtype=np.intp), k)
        # A stable sort by group keeps each group's splits in split order; every group
        # is tested in exactly n_paths splits, so the sorted run of group g is column g.
        order = np.argsort(tested, kind="stable")
        paths: npt.NDArray[np.intp] = split_of[order].reshape(n, self.get_n_paths()).T.copy()
        return paths

    def row_groups(self, X: Any) -> npt.NDArray[np.intp]:
        """Group of each row of ``X`` (``0 .. n_groups - 1``, by time), in row order.

        With :meth:`backtest_paths`, this places every test prediction on its paths:
        path ``p`` takes the rows of group ``g`` from split ``backtest_paths()[p, g]``.
        """
        tl = resolve_timeline(X, self.times, self.label_ends)
        tl.need_unique(self.n_groups, self._what())
        return layout(tl, self.n_groups).of_row

    def _what(self) -> str:
        return f"CombinatorialPurgedKFold(n_groups={self.n_groups})"

    def _check_size(self) -> None:
        """Refuse more than :data:`MAX_COMBINATIONS` splits before enumerating any."""
        n, k = self.n_groups, self.n_test_groups
        check_size(
            comb(n, k),
            MAX_COMBINATIONS,
            f"CombinatorialPurgedKFold(n_groups={n}, n_test_groups={k}) has C({n}, {k}) splits",
            "use fewer groups or fewer test groups (n_groups=10, n_test_groups=2 gives "
            "45 splits and 9 backtest paths).",
        )

    def _iter_splits(self, X: Any) -> Iterator[tuple[Positions, Positions]]:
        self._check_size()
        tl = resolve_timeline(X, self.times, self.label_ends)
        tl.need_unique(self.n_groups, self._what())
        groups = layout(tl, self.n_groups)
        h = tl.embargo_ns(self.embargo)
        # Lazily: a split's combination is built when the split is asked for.
        for combo in combinations(range(self.n_groups), self.n_test_groups):
            is_test = np.isin(groups.of_row, combo)
            blocks = blocks_of(combo, groups.bounds, tl.unique, groups.max_end)
            train = purge(~is_test, tl.time, tl.end, blocks, h)
            yield train, np.flatnonzero(is_test).astype(np.intp)
