"""Per-period bucket analysis of a days x entities panel vs alphalens-reloaded and a numpy floor.

What is timed, on the same arrays (float scores and returns, datetime64 days,
int entities), each function starting from the raw arrays:

* ours: ``BucketAnalyzer(20, by="D").analyze(...)`` then ``.table`` — input
  validation, day codes, per-day buckets (tie-aware) and the bucket table (count,
  weight, pooled mean, mean of the per-day means, median, std, win rate, t-stat,
  n_eff). The rank IC, per-day statistics and turnover are computed on first
  access, so they are *not* in this line;
* peer: alphalens-reloaded ``get_clean_factor`` (quantiles per date) followed by
  ``mean_return_by_quantile`` (mean, std and count per quantile) on the same panel,
  forward returns passed directly (the like-for-like work: per-date quantiles and
  per-quantile return statistics);
* floor: a bare numpy per-day bucketing — ``np.argsort`` of the scores, a stable
  sort of the day codes on top (rows by day, then score), the qcut rule on the
  within-day rank, and ``np.bincount`` bucket means; no validation, no ties
  handling, no medians;
* extra (no target): ours plus ``.summary()``, which adds the pooled and per-day
  rank IC (four more sorts), per-day top/bottom returns and top-bucket turnover —
  the cost of everything.

Before timing, the bucket means of all three and the buckets of ours and the
floor are checked to agree. Full size: 2,000 days x 3,000 entities (6M rows),
best of 2 runs each (alphalens takes several seconds a run); ``--quick``: 200 x 500,
best of 3.

Agreement with alphalens is checked on two panels. On the balanced one (the same
3,000 entities every day) both of our means — ``mean``, pooled over all rows of a
bucket, and ``period_mean``, the plain average of the per-day bucket means — equal
alphalens' ``mean_return_by_quantile(by_date=False)``. On an *unbalanced* panel
(each day keeps a random 40-100 % of the entities, and thin days carry higher
returns) only ``period_mean`` may equal it, since alphalens averages per-date
means; the check also asserts that the pooled ``mean`` really differs there, so
the panel is unbalanced enough to tell the two apart. The unbalanced panel is
timed against alphalens as well (same target).
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import numpy as np
import pandas as pd
from harness import Bench

from tr_evaluation.buckets import BucketAnalyzer

N_BUCKETS = 20


def _panel(n_days: int, n_entities: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2010-01-04", periods=n_days).to_numpy()
    scores = rng.standard_normal(n_days * n_entities)
    returns = 0.01 * scores + 0.05 * rng.standard_normal(n_days * n_entities)
    return {
        "scores": scores,
        "returns": returns,
        "times": np.repeat(days, n_entities),
        "entities": np.tile(np.arange(n_entities, dtype=np.int64), n_days),
    }


def _unbalanced_panel(n_days: int, n_entities: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Each day keeps a random 40-100 % of the entities; thin days have higher returns."""
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2010-01-04", periods=n_days).to_numpy()
    share = rng.uniform(0.4, 1.0, n_days)
    present = rng.random((n_days, n_entities)) < share[:, None]
    counts = present.sum(axis=1)
    day_of_row, entities = np.nonzero(present)
    scores = rng.standard_normal(day_of_row.size)
    day_effect = 0.02 * (1.0 - share) / 0.6
    returns = 0.01 * scores + day_effect[day_of_row] + 0.05 * rng.standard_normal(scores.size)
    return {
        "scores": scores,
        "returns": returns,
        "times": np.repeat(days, counts),
        "entities": entities.astype(np.int64),
    }


def _ours(p: dict[str, np.ndarray]) -> Any:
    return BucketAnalyzer(N_BUCKETS, by="D").analyze(
        p["scores"], p["returns"], times=p["times"], entities=p["entities"]
    )


def _ours_table(p: dict[str, np.ndarray]) -> pd.DataFrame:
    return _ours(p).table


def _numpy_floor(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Buckets (row order) and bucket means: argsort + stable sort by day, qcut rule."""
    day = p["times"].astype("datetime64[D]").view(np.int64)
    day_code = (day - day.min()).astype(np.uint16)
    order = np.argsort(p["scores"])
    order = order[np.argsort(day_code[order], kind="stable")]
    size = np.bincount(day_code)
    start = np.cumsum(size) - size
    sorted_day = day_code[order]
    rank = np.arange(order.size) - start[sorted_day]
    m = size[sorted_day]
    bucket = np.clip((rank * N_BUCKETS - 1) // (m - 1), 0, N_BUCKETS - 1)
    buckets = np.empty(order.size, dtype=np.int64)
    buckets[order] = bucket
    means = np.bincount(bucket, p["returns"][order], N_BUCKETS) / np.bincount(
        bucket, None, N_BUCKETS
    )
    return buckets, means


def _alphalens(p: dict[str, np.ndarray]) -> pd.DataFrame:
    import alphalens.performance as al_perf
    import alphalens.utils as al_utils

    index = pd.MultiIndex.from_arrays(
        [pd.DatetimeIndex(p["times"]), p["entities"]], names=["date", "asset"]
    )
    factor = pd.Series(p["scores"], index=index)
    forward = pd.DataFrame({"1D": p["returns"]}, index=index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        factor_data = al_utils.get_clean_factor(factor, forward, quantiles=N_BUCKETS, max_loss=1.0)
        return al_perf.mean_return_by_quantile(factor_data, demeaned=False)[0]


def _check_agreement(p: dict[str, np.ndarray], *, balanced: bool) -> None:
    """Buckets equal the floor's; ``period_mean`` equals alphalens (and ``mean`` iff balanced)."""
    ours = _ours(p)
    floor_buckets, floor_means = _numpy_floor(p)
    np.testing.assert_array_equal(ours.buckets, floor_buckets)
    pooled = ours.table["mean"].to_numpy()
    np.testing.assert_allclose(pooled, floor_means, rtol=1e-9)
    peer = _alphalens(p)["1D"].to_numpy()
    np.testing.assert_allclose(ours.table["period_mean"].to_numpy(), peer, rtol=1e-9)
    if balanced:
        np.testing.assert_allclose(pooled, peer, rtol=1e-9)
    else:
        gap = float(np.max(np.abs(pooled - peer)))
        assert gap > 1e-4, f"the unbalanced panel does not separate mean from period_mean ({gap})"


def run(bench: Bench) -> None:
    n_days, n_entities = (200, 500) if bench.quick else (2000, 3000)
    repeat = 3 if bench.quick else 2
    panel = _panel(n_days, n_entities)
    rows = f"{n_days}x{n_entities}"
    logging.getLogger().setLevel(logging.WARNING)
    _check_agreement(panel, balanced=True)
    unbalanced = _unbalanced_panel(n_days, n_entities)
    _check_agreement(unbalanced, balanced=False)
    bench.compare(
        f"buckets by day {rows}",
        lambda: _ours_table(panel),
        lambda: _alphalens(panel),
        peer_name="alphalens get_clean_factor+mean_ret",
        repeat=repeat,
        at_least=10,
    )
    bench.within(
        f"buckets by day {rows} vs numpy floor",
        lambda: _ours_table(panel),
        lambda: _numpy_floor(panel),
        floor_name="numpy argsort+stable sort bucketing",
        at_most=3,
        repeat=repeat,
    )
    input_bytes = sum(a.nbytes for a in panel.values())
    bench.peak_memory(
        f"buckets by day {rows} peak memory",
        lambda: _ours_table(panel),
        input_bytes=input_bytes,
        at_most=4,
    )
    bench.compare(
        f"buckets by day {rows} unbalanced ({unbalanced['scores'].size:,} rows)",
        lambda: _ours_table(unbalanced),
        lambda: _alphalens(unbalanced),
        peer_name="alphalens get_clean_factor+mean_ret",
        repeat=repeat,
        at_least=10,
    )
    bench.absolute(
        f"buckets by day {rows} + summary (IC, turnover)",
        lambda: _ours(panel).summary(),
        repeat=repeat,
        note="no target: the cost of every statistic",
    )
