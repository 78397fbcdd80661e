"""tr-core on real public market data (../shared/data beside the repository).

The files are read where they live, never copied. Without them the tests skip with a
reason — except under ``CI=true``, where the data is always present and a missing
folder is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tr_core.contract import DataContract
from tr_core.errors import LookaheadError, NonFiniteError
from tr_core.lookahead import assert_no_lookahead
from tr_core.nan import complete_rows
from tr_core.splits import PurgedKFold

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
STOCKS = DATA / "all_stocks_5yr.csv.gz"


def _require(path: Path) -> Path:
    if path.exists():
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{path} is missing; CI always provides ../shared/data beside the repo")
    pytest.skip(f"real data not available: {path} (expected in ../shared/data beside the repo)")


@pytest.fixture(scope="module")
def prices() -> pd.DataFrame:
    """Daily OHLCV of 60 tickers (a slice keeps the tests quick)."""
    frame = pd.read_csv(_require(STOCKS), parse_dates=["date"])
    tickers = sorted(frame["Name"].unique())[:60]
    return frame[frame["Name"].isin(tickers)].reset_index(drop=True)


def test_known_nan_opens_are_reported_per_column_not_filled(prices: pd.DataFrame) -> None:
    full = pd.read_csv(_require(STOCKS), usecols=["open", "high", "low", "close"])
    kept, audit = complete_rows(full, ["open", "high", "low", "close"])
    # the data README documents 11 NaN opens and 8 NaN highs/lows
    assert audit.nan_counts == {"open": 11, "high": 8, "low": 8, "close": 0}
    assert audit.rows_dropped >= 11
    assert not kept.isna().any().any()


def test_contract_refuses_real_nan_target_loudly(prices: pd.DataFrame) -> None:
    frame = prices.assign(
        ret_fwd=prices.groupby("Name")["close"].pct_change(-21) * -1,
        mom=prices.groupby("Name")["close"].pct_change(21),
        end=prices["date"] + pd.offsets.BDay(21),
    )
    contract = DataContract("date", "ret_fwd", ["mom"], label_end="end", entity="Name")
    # the last 21 days of every ticker have no forward return: NaN, which must be dropped
    with pytest.raises(NonFiniteError, match="'ret_fwd'"):
        contract.validate(frame)
    complete, _ = complete_rows(frame, ["ret_fwd"])
    report = contract.validate(complete)
    assert report.n_entities == 60
    assert report.feature_nan["mom"] > 0


def test_lookahead_check_on_real_prices(prices: pd.DataFrame) -> None:
    def past_momentum(f: pd.DataFrame) -> pd.Series:
        return f.groupby("Name")["close"].pct_change(5).rename("mom5")

    def future_return(f: pd.DataFrame) -> pd.Series:
        return f.groupby("Name")["close"].pct_change(-5).rename("fwd5")

    report = assert_no_lookahead(past_momentum, prices, time="date", cutoffs=3)
    assert report.values_compared > 10_000
    with pytest.raises(LookaheadError, match="'fwd5'"):
        assert_no_lookahead(future_return, prices, time="date", cutoffs=3)


def test_purged_kfold_on_real_event_windows(prices: pd.DataFrame) -> None:
    events = prices.iloc[::7].reset_index(drop=True)  # overlapping 21-day label windows
    times = events["date"]
    ends = times + pd.offsets.BDay(21)
    t = times.to_numpy()
    e = ends.to_numpy()
    cv = PurgedKFold(5, times=times, label_ends=ends, embargo=0.01)
    tested = np.zeros(len(events), dtype=int)
    for train, test in cv.split(events):
        tested[test] += 1
        # brute force: no training window [t, e] intersects any test window
        hit = (t[train][:, None] <= e[test][None, :]) & (e[train][:, None] >= t[test][None, :])
        assert not hit.any()
        assert len(train) > len(events) // 2
    assert (tested == 1).all()
