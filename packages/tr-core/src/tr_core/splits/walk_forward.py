"""Walk-forward (rolling-origin) splits over unique timestamps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from tr_core.errors import InsufficientDataError, InvalidParameterError
from tr_core.splits._base import Positions, TimeSplitter
from tr_core.splits._inputs import (
    Timeline,
    check_count,
    check_embargo,
    check_span,
    resolve_timeline,
    train_end,
)
from tr_core.splits._purge import Block, purge

__all__ = ["WalkForward"]

_WINDOWS = ("expanding", "rolling")


class WalkForward(TimeSplitter):
    r"""Train on the past, test on the next block of time, move forward, repeat.

    Test blocks are consecutive unique timestamps laid out from the end of the data
    backwards, like scikit-learn's ``TimeSeriesSplit`` but over *timestamps*, so rows
    sharing a timestamp are never split; splits are yielded oldest first. Every
    training row is strictly earlier than every test row.

    Parameters
    ----------
    n_splits : int, optional
        Number of splits (``>= 2``); the last ``n_splits * s`` unique timestamps are
        tested in blocks of ``s = n_unique // (n_splits + 1)``. Give exactly one of
        ``n_splits`` and ``test_size``.
    times : str or array-like
        Decision time of each row: a column name of ``X`` or aligned datetimes.
    test_size : int or timedelta-like, optional
        Length of each test block: a number of unique timestamps (e.g. 21 trading
        days for daily data) or a duration (``pd.Timedelta("30D")``; blocks are
        ``(T - j·d, T - (j-1)·d]`` back from the last time ``T``; empty blocks are
        skipped). Blocks are laid out back to the first one with no training
        timestamp before it (after gap and embargo); that one and earlier are dropped.
    window : {"expanding", "rolling"}, default "expanding"
        Expanding trains on all the past; rolling on the last ``train_size``.
    train_size : int or timedelta-like, optional
        Rolling window length (required for, and only for, ``window="rolling"``): a
        number of unique timestamps, or a duration, ending where the gap or the
        embargo (whichever reaches further back) begins.
    gap : int or timedelta-like, default 0
        Skipped between training and test: a number of unique timestamps, or a
        duration ``g`` (training times ``< t_lo - g``, with ``t_lo`` the first test time).
    embargo : float, default 0.0
        Fraction of the timeline span in ``[0, 1)``. No training row ever follows
        a walk-forward test block, so the AFML embargo *after* the test block never
        applies; here it drops training rows with times in ``[t_lo - h, t_lo)``,
        :math:`h = \lfloor \text{embargo} \cdot (\max t - \min t) \rfloor`, the
        fraction-of-timeline counterpart of ``gap``.
    label_ends : str or array-like, optional
        When each row's label window closes; when given, training rows whose window
        reaches the test block (``label_end >= t_lo``) are purged.
    """

    def __init__(
        self,
        n_splits: int | None = None,
        *,
        times: Any,
        test_size: Any = None,
        window: str = "expanding",
        train_size: Any = None,
        gap: Any = 0,
        embargo: float = 0.0,
        label_ends: Any = None,
    ) -> None:
        if (n_splits is None) == (test_size is None):
            raise InvalidParameterError(
                "give exactly one of `n_splits` (how many splits) and `test_size` (how long "
                f"each test block is), got n_splits={n_splits!r}, test_size={test_size!r}."
            )
        if n_splits is not None:
            check_count(n_splits, "n_splits", minimum=2)
        if test_size is not None:
            check_span(test_size, "test_size", minimum=1)
        if window not in _WINDOWS:
            raise InvalidParameterError(
                f"`window` must be 'expanding' or 'rolling', got {window!r}."
            )
        if (window == "rolling") != (train_size is not None):
            raise InvalidParameterError(
                "`train_size` sets the rolling window: pass it with window='rolling' and "
                f"omit it with window='expanding' (got window={window!r}, "
                f"train_size={train_size!r})."
            )
        if train_size is not None:
            check_span(train_size, "train_size", minimum=1)
        check_span(gap, "gap", minimum=0)
        check_embargo(embargo)
        self.n_splits = n_splits
        self.times = times
        self.test_size = test_size
        self.window = window
        self.train_size = train_size
        self.gap = gap
        self.embargo = embargo
        self.label_ends = label_ends

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of splits: ``n_splits``, or (with ``test_size``) as many as fit ``X``."""
        if self.n_splits is not None:
            return int(self.n_splits)
        if X is None:
            raise InvalidParameterError(
                f"{self!r} makes as many splits as the data allows; pass X to get_n_splits."
            )
        return len(self._plan(resolve_timeline(X, self.times, self.label_ends)))

    def _test_blocks(self, tl: Timeline) -> list[tuple[int, int]]:
        """Test blocks ``[a, b)`` over unique-time indices, newest first."""
        n_unique = tl.n_unique
        if self.n_splits is not None:
            tl.need_unique(self.n_splits + 1, f"WalkForward(n_splits={self.n_splits})")
            s = n_unique // (self.n_splits + 1)
            return [(n_unique - (j + 1) * s, n_unique - j * s) for j in range(self.n_splits)]
        size = check_span(self.test_size, "test_size", minimum=1)
        if isinstance(size, int):
            return [(b - size, b) for b in range(n_unique, size, -size)]
        last, step = int(tl.unique[-1]), int(size.value)
        blocks: list[tuple[int, int]] = []
        b = n_unique
        while b > 0:
            j = (last - int(tl.unique[b - 1])) // step + 1  # the block holding unique[b - 1]
            a = int(np.searchsorted(tl.unique, last - j * step, side="right"))
            blocks.append((a, b))
            b = a
        return blocks

    def _plan(self, tl: Timeline) -> list[tuple[int, int, int, int]]:
        """Per split ``(c, d, a, b)``: train times ``[c, d)``, test ``[a, b)``, oldest first."""
        gap = check_span(self.gap, "gap", minimum=0)
        h = tl.embargo_ns(self.embargo)
        plan = []
        for a, b in self._test_blocks(tl):
            d, stop_ns = train_end(tl.unique, a, gap)
            stop_ns = min(stop_ns, int(tl.unique[a]) - h)  # the embargo [t_lo - h, t_lo)
            d = min(d, int(np.searchsorted(tl.unique, stop_ns, side="left")))
            c = 0
            if self.train_size is not None:
                size = check_span(self.train_size, "train_size", minimum=1)
                c = (
                    max(d - size, 0)
                    if isinstance(size, int)
                    else int(np.searchsorted(tl.unique, stop_ns - int(size.value), side="left"))
                )
            start = pd.Timestamp(int(tl.unique[a]))
            if d <= 0 and self.n_splits is None:
                break  # this and every earlier block start too close to the first timestamp
            if d <= 0:
                raise InsufficientDataError(
                    f"{self!r}: the split testing from {start} has no training timestamps "
                    "before its gap and embargo; use fewer splits, a smaller gap or "
                    "embargo, or more data."
                )
            if c >= d:
                raise InsufficientDataError(
                    f"{self!r}: the rolling window of the split testing from {start} holds "
                    "no timestamps (a hole in the data); use a longer train_size, or a "
                    "number of timestamps instead of a duration."
                )
            plan.append((c, d, a, b))
        if not plan:
            raise InsufficientDataError(
                f"{self!r}: no test block of this size leaves training data before it "
                f"({tl.n_unique} distinct timestamps); use a smaller test_size, gap or embargo."
            )
        return plan[::-1]

    def _iter_splits(self, X: Any) -> Iterator[tuple[Positions, Positions]]:
        tl = resolve_timeline(X, self.times, self.label_ends)
        for c, d, a, b in self._plan(tl):
            is_test = (tl.inverse >= a) & (tl.inverse < b)
            block = Block(
                t_lo=int(tl.unique[a]),
                t_hi=int(tl.unique[b - 1]),
                max_end=int(tl.end[is_test].max()),
            )
            candidates = (tl.inverse >= c) & (tl.inverse < d)
            yield purge(candidates, tl.time, tl.end, [block], 0), np.flatnonzero(is_test)
