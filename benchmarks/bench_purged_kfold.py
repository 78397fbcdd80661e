"""PurgedKFold speed: 1M rows with label windows, scaling, and two named peers.

* Scaling: the full split loop at 250k and 1M rows; an O(n log n) splitter takes
  about 4.4x longer on 4x the rows (an O(n^2) one 16x).
* Peer: López de Prado (2018), *Advances in Financial Machine Learning*, Snippet 7.1
  ``getTrainTimes`` — the textbook purge, a pandas loop over the test intervals —
  written out faithfully below, on the same data and the same test folds.
* Floor: scikit-learn ``KFold`` (no times, no purge) on the same 1M rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from harness import Bench
from sklearn.model_selection import KFold

from tr_core.splits import PurgedKFold

N_SPLITS = 5


def make_events(n: int, seed: int = 0, *, unique: bool = False) -> tuple[pd.Series, pd.Series]:
    """``n`` unsorted events over ~20 years with 1-20 day label windows.

    Times are whole days (many rows per day), or distinct minutes with ``unique``.
    """
    rng = np.random.default_rng(seed)
    minutes = 7300 * 1440
    offsets = rng.choice(minutes, n, replace=False) if unique else rng.integers(0, 7300, n) * 1440
    t = pd.Series(pd.Timestamp("2005-01-01") + pd.to_timedelta(offsets, "min"))
    e = t + pd.to_timedelta(rng.integers(1, 21, n), "D")
    return t, e


def get_train_times(t1: pd.Series, test_times: pd.Series) -> pd.Series:
    """AFML Snippet 7.1: purge observations in the training set.

    ``t1``: index = start time, value = end time of every observation;
    ``test_times``: the same for the test observations.
    """
    trn = t1.copy(deep=True)
    for i, j in test_times.items():
        df0 = trn[(i <= trn.index) & (trn.index <= j)].index  # train starts within test
        df1 = trn[(i <= trn) & (trn <= j)].index  # train ends within test
        df2 = trn[(trn.index <= i) & (j <= trn)].index  # train envelops test
        trn = trn.drop(df0.union(df1).union(df2))
    return trn


def ours(t: pd.Series, e: pd.Series) -> int:
    cv = PurgedKFold(N_SPLITS, times=t, label_ends=e)
    return sum(train.size for train, _ in cv.split(t))


def afml(t: pd.Series, e: pd.Series, folds: list[np.ndarray]) -> int:
    t1 = pd.Series(e.to_numpy(), index=pd.DatetimeIndex(t.to_numpy()))
    return sum(get_train_times(t1, t1.iloc[test]).size for test in folds)


def run(bench: Bench) -> None:
    big = 50_000 if bench.quick else 1_000_000
    small = big // 4
    t, e = make_events(big)
    ts, es = make_events(small, seed=1)
    bench.absolute(f"PurgedKFold(5) split loop, {big:,} rows", lambda: ours(t, e), repeat=3)
    bench.within(
        f"PurgedKFold(5) scaling {small:,} -> {big:,} rows",
        lambda: ours(t, e),
        lambda: ours(ts, es),
        floor_name=f"ours at {small:,} rows",
        at_most=8.0,
        note="t(4n)/t(n); n log n predicts ~4.4, n^2 16",
    )
    bench.within(
        f"PurgedKFold(5) vs unpurged KFold, {big:,} rows",
        lambda: ours(t, e),
        lambda: sum(train.size for train, _ in KFold(N_SPLITS).split(t)),
        floor_name="sklearn KFold (no purge)",
        at_most=20.0,
    )
    n_peer = 1_000 if bench.quick else 5_000  # the peer needs ~7 ms per test row
    # Snippet 7.1 drops rows by their start-time label, which takes rows sharing a
    # start time down together: it assumes distinct event times, so give it those.
    tp, ep = make_events(n_peer, seed=2, unique=True)
    folds = [test for _, test in PurgedKFold(N_SPLITS, times=tp, label_ends=ep).split(tp)]
    assert afml(tp, ep, folds) == ours(tp, ep), "peer and ours disagree on the purge"
    bench.compare(
        f"PurgedKFold(5) vs AFML 7.1, {n_peer:,} rows",
        lambda: ours(tp, ep),
        lambda: afml(tp, ep, folds),
        peer_name="AFML Snippet 7.1 getTrainTimes",
        repeat=1,
        at_least=10.0,
    )
