"""A small side-by-side timing harness.

The machines these run on are shared and noisy, so absolute seconds mean little;
what we report is the *ratio* of a named peer's time to ours, measured in the same
process run, on the same inputs, the two sides alternately (best of ``repeat`` each).
Absolute targets from the issues (e.g. "1M rows in under 5 s") are printed too,
with PASS/FAIL, but they are reported, never asserted in unit tests.
"""

from __future__ import annotations

import gc
import math
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Row:
    """One line of the report."""

    benchmark: str
    ours_s: float
    peer: str
    peer_s: float | None
    ratio: float | None
    verdict: str
    note: str = ""


@dataclass
class Interleaved:
    """Best-of-``repeat`` wall times of two callables run alternately (A, B, A, B, ...).

    The shared machines have load bursts of several seconds; timing all repeats of
    one side before the other lets a burst land on one side only. Alternating spreads
    it over both; :meth:`Bench.compare` and :meth:`Bench.within` time this way. The
    least CPU time of this process on each side is kept too: other jobs' load barely
    moves it, so it shows a small difference that the wall times' noise hides.
    """

    ours_s: float
    peer_s: float
    ours_cpu_s: float
    peer_cpu_s: float

    @classmethod
    def time(cls, ours: Any, peer: Any, repeat: int) -> Interleaved:
        """Run ``ours()`` and ``peer()`` alternately ``repeat`` times each."""
        wall = [math.inf, math.inf]
        cpu = [math.inf, math.inf]
        for _ in range(repeat):
            for side, fn in enumerate((ours, peer)):
                start = time.process_time()
                wall[side] = min(wall[side], Bench.time(fn, repeat=1))
                cpu[side] = min(cpu[side], time.process_time() - start)
        return cls(wall[0], wall[1], cpu[0], cpu[1])


@dataclass
class Bench:
    """Collects timings and prints them as they come.

    Parameters
    ----------
    quick : bool
        When True, benchmark modules should use smaller sizes (a smoke run).
    """

    quick: bool = False
    rows: list[Row] = field(default_factory=list)

    @staticmethod
    def time(fn: Callable[[], Any], repeat: int = 3) -> float:
        """Best-of-``repeat`` wall time of ``fn()`` in seconds."""
        best = float("inf")
        for _ in range(repeat):
            gc.collect()
            start = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - start)
        return best

    def compare(
        self,
        name: str,
        ours: Callable[[], Any],
        peer: Callable[[], Any],
        *,
        peer_name: str,
        repeat: int = 3,
        at_least: float | None = None,
        note: str = "",
    ) -> float:
        """Time ``ours`` and ``peer`` alternately; report peer/ours (x faster).

        ``at_least`` is the speed-up the issue asks for; the verdict says whether
        this run reached it.
        """
        timed = Interleaved.time(ours, peer, repeat)
        t_ours, t_peer = timed.ours_s, timed.peer_s
        ratio = t_peer / t_ours
        verdict = "" if at_least is None else ("PASS" if ratio >= at_least else "FAIL")
        if at_least is not None:
            verdict += f" (need >= {at_least:g}x)"
        return self._add(Row(name, t_ours, peer_name, t_peer, ratio, verdict, note)).ratio or 0.0

    def within(
        self,
        name: str,
        ours: Callable[[], Any],
        floor: Callable[[], Any],
        *,
        floor_name: str,
        at_most: float,
        repeat: int = 3,
        note: str = "",
    ) -> float:
        """Time ``ours`` against a bare lower bound; report ours/floor (x slower)."""
        timed = Interleaved.time(ours, floor, repeat)
        t_ours, t_floor = timed.ours_s, timed.peer_s
        ratio = t_ours / t_floor
        verdict = ("PASS" if ratio <= at_most else "FAIL") + f" (need <= {at_most:g}x slower)"
        self._add(Row(name, t_ours, floor_name, t_floor, ratio, verdict, note or "ours / floor"))
        return ratio

    def absolute(
        self,
        name: str,
        ours: Callable[[], Any],
        *,
        limit_s: float | None = None,
        repeat: int = 1,
        note: str = "",
    ) -> float:
        """Time ``ours`` alone against an absolute target from an issue."""
        t = self.time(ours, repeat)
        verdict = "" if limit_s is None else ("PASS" if t <= limit_s else "FAIL")
        if limit_s is not None:
            verdict += f" (need <= {limit_s:g} s)"
        self._add(Row(name, t, "-", None, None, verdict, note))
        return t

    def peak_memory(
        self,
        name: str,
        ours: Callable[[], Any],
        *,
        input_bytes: int,
        at_most: float,
        note: str = "",
    ) -> float:
        """Peak traced allocation of ``ours()`` as a multiple of ``input_bytes``.

        Uses :mod:`tracemalloc`, which sees numpy's and pandas' buffers.
        """
        gc.collect()
        tracemalloc.start()
        start = time.perf_counter()
        ours()
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ratio = peak / input_bytes
        verdict = ("PASS" if ratio <= at_most else "FAIL") + f" (need <= {at_most:g}x input)"
        self._add(
            Row(
                name,
                elapsed,
                "input arrays",
                None,
                ratio,
                verdict,
                note or f"peak {peak / 2**20:.0f} MiB vs input {input_bytes / 2**20:.0f} MiB",
            )
        )
        return ratio

    def _add(self, row: Row) -> Row:
        self.rows.append(row)
        peer_s = "" if row.peer_s is None else f"{row.peer_s:9.3f}s"
        ratio = "" if row.ratio is None else f"{row.ratio:8.2f}x"
        print(
            f"{row.benchmark:<52} ours {row.ours_s:9.3f}s | {row.peer:<40} {peer_s:>10} "
            f"| {ratio:>9} {row.verdict} {row.note}",
            flush=True,
        )
        return row
