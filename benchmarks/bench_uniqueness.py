"""Average label uniqueness: endpoint sweep (tr_sample_weighting) vs AFML Snippets 4.1/4.2.

Issue targets: ``uniqueness_weights`` on 1M events with random windows in < 3 s, and
>= 50x faster than the straightforward pandas implementation on 20k events.

The peer is López de Prado's code (*Advances in Financial Machine Learning*, 2018),
transcribed: Snippet 4.1 (``mpNumCoEvents``) counts concurrent labels on the bar
index by adding 1 over each label's ``.loc[t_in:t_out]`` slice; Snippet 4.2
(``mpSampleTW``) averages ``1 / count`` over each label's slice. Both run over the
whole event set in one process (AFML parallelizes the same loops over molecules).
The results are checked equal before timing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from harness import Bench

from tr_sample_weighting import uniqueness_weights


def afml_num_co_events(close_idx: pd.DatetimeIndex, t1: pd.Series, molecule: pd.Index) -> pd.Series:
    """AFML Snippet 4.1: number of concurrent events per bar."""
    t1 = t1.fillna(close_idx[-1])
    t1 = t1[t1 >= molecule[0]]
    t1 = t1.loc[: t1[molecule].max()]
    iloc = close_idx.searchsorted(np.array([t1.index[0], t1.max()]))
    count = pd.Series(0.0, index=close_idx[iloc[0] : iloc[1] + 1])
    for t_in, t_out in t1.items():
        count.loc[t_in:t_out] += 1.0
    return count.loc[molecule[0] : t1[molecule].max()]


def afml_sample_tw(t1: pd.Series, num_co_events: pd.Series, molecule: pd.Index) -> pd.Series:
    """AFML Snippet 4.2: average uniqueness of each label over its lifespan."""
    wght = pd.Series(np.nan, index=molecule)
    for t_in, t_out in t1.loc[wght.index].items():
        wght.loc[t_in] = (1.0 / num_co_events.loc[t_in:t_out]).mean()
    return wght


def afml_uniqueness(close_idx: pd.DatetimeIndex, t1: pd.Series) -> pd.Series:
    """Snippets 4.1 then 4.2 over all events (one molecule)."""
    molecule = t1.index
    num_co_events = afml_num_co_events(close_idx, t1, molecule)
    num_co_events = num_co_events.loc[~num_co_events.index.duplicated(keep="last")]
    # AFML's own line: a bar no label covers has a concurrency count of exactly 0 — a count,
    # not a missing feature value — so this fill is correct (and it is the peer's code).
    num_co_events = num_co_events.reindex(close_idx).fillna(0)  # noqa: TR001 a zero count, not missing
    return afml_sample_tw(t1, num_co_events, molecule)


def afml_events(
    n: int, n_bars: int, rng: np.random.Generator
) -> tuple[pd.DatetimeIndex, pd.Series]:
    """Minute bars and ``n`` events on distinct bars (AFML indexes t1 by start time)."""
    close_idx = pd.date_range("2020-01-01", periods=n_bars, freq="min")
    starts = np.sort(rng.choice(n_bars - 1, size=n, replace=False))
    ends = np.minimum(starts + rng.integers(1, 200, size=n), n_bars - 1)
    return close_idx, pd.Series(close_idx[ends], index=close_idx[starts])


def run(bench: Bench) -> None:
    rng = np.random.default_rng(0)
    n_large = 100_000 if bench.quick else 1_000_000
    starts = pd.Timestamp("2015-01-01") + pd.to_timedelta(
        rng.integers(0, 5_000_000, size=n_large), unit="min"
    )
    t0 = pd.Series(starts)
    t1 = t0 + pd.to_timedelta(rng.integers(0, 20_000, size=n_large), unit="min")
    bench.absolute(
        f"uniqueness_weights, {n_large:,} events, random windows",
        lambda: uniqueness_weights(t0, t1),
        limit_s=None if bench.quick else 3.0,
        repeat=3,
    )

    n_small = 2_000 if bench.quick else 20_000
    close_idx, events = afml_events(n_small, 5 * n_small, rng)
    ours = uniqueness_weights(events.index, events, bars=close_idx)
    peer = afml_uniqueness(close_idx, events).to_numpy()
    if not np.allclose(ours, peer, rtol=1e-10, atol=0):
        raise AssertionError("uniqueness_weights disagrees with AFML Snippets 4.1/4.2")
    bench.compare(
        f"uniqueness_weights, {n_small:,} events on bars",
        lambda: uniqueness_weights(events.index, events, bars=close_idx),
        lambda: afml_uniqueness(close_idx, events),
        peer_name="AFML Snippets 4.1+4.2 (pandas loops)",
        repeat=1,
        at_least=None if bench.quick else 50.0,
    )
