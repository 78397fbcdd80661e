"""Per-period bucket analysis of a days x entities panel vs alphalens-reloaded and a numpy floor.

* peer: alphalens-reloaded ``get_clean_factor`` (quantiles per date) followed by
  ``mean_return_by_quantile`` on the same panel (forward returns passed directly);
* floor: a bare numpy bucketing of the same arrays — ``np.lexsort`` by (day, score),
  within-day rank, ``rank * n // size``, and ``np.bincount`` bucket means;
* ours: ``BucketAnalyzer(20, by="D").analyze(...)``, which also computes medians,
  std, t-stats, win rates, pooled and per-day rank IC and top-bucket turnover.

Full size: 2,000 days x 3,000 entities (6M rows); ``--quick``: 200 x 500.
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


def _ours(p: dict[str, np.ndarray]) -> Any:
    return BucketAnalyzer(N_BUCKETS, by="D").analyze(
        p["scores"], p["returns"], times=p["times"], entities=p["entities"]
    )


def _numpy_floor(p: dict[str, np.ndarray]) -> np.ndarray:
    day = p["times"].astype("datetime64[D]").view(np.int64)
    order = np.lexsort((p["scores"], day))
    sorted_day = day[order]
    start = np.flatnonzero(np.r_[True, sorted_day[1:] != sorted_day[:-1]])
    size = np.diff(np.r_[start, sorted_day.size])
    group = np.repeat(np.arange(start.size), size)
    rank = np.arange(sorted_day.size) - start[group]
    bucket = rank * N_BUCKETS // size[group]
    return np.bincount(bucket, p["returns"][order], N_BUCKETS) / np.bincount(
        bucket, None, N_BUCKETS
    )


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


def run(bench: Bench) -> None:
    n_days, n_entities = (200, 500) if bench.quick else (2000, 3000)
    panel = _panel(n_days, n_entities)
    rows = f"{n_days}x{n_entities}"
    logging.getLogger().setLevel(logging.WARNING)
    ours_means = _ours(panel).table["mean"].to_numpy()
    np.testing.assert_allclose(ours_means, _alphalens(panel)["1D"].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(ours_means, _numpy_floor(panel), rtol=1e-9)
    bench.compare(
        f"buckets by day {rows}",
        lambda: _ours(panel),
        lambda: _alphalens(panel),
        peer_name="alphalens get_clean_factor+mean_ret",
        repeat=1 if not bench.quick else 3,
        at_least=10,
    )
    bench.within(
        f"buckets by day {rows} vs numpy floor",
        lambda: _ours(panel),
        lambda: _numpy_floor(panel),
        floor_name="numpy lexsort bucketing (floor)",
        at_most=3,
        repeat=1 if not bench.quick else 3,
    )
    input_bytes = sum(a.nbytes for a in panel.values())
    bench.peak_memory(
        f"buckets by day {rows} peak memory",
        lambda: _ours(panel),
        input_bytes=input_bytes,
        at_most=4,
    )
