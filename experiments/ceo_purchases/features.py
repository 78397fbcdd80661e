"""Features known at the filing date, and only then.

Each builder reads what a trader could see when the Form 4 became public:
the filing's own fields, earlier filings of the same ticker, and the S&P 500
up to the trading day before the filing. Two tempting columns are left out on
purpose: the back-adjusted ``Price`` (its adjustment factor encodes splits and
dividends that happen *later*; the trade price ``Value / Qty`` as filed is used
instead) and the scraper's ``active`` flag (whether the ticker still trades
today: survivorship information from the future).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GROUPS: dict[str, list[str]] = {
    "trade": [
        "log_value",
        "log_qty",
        "log_trade_price",
        "own_change_pct",
        "new_position",
        "filing_lag_days",
    ],
    "title": ["is_chairman", "is_president", "is_ten_pct_owner", "is_director"],
    "activity": ["prior_purchases_90d"],
    "market": ["mkt_mom_21d", "mkt_mom_63d"],
}
TITLE_PATTERNS = {
    "is_chairman": r"\bCOB\b|Chair",
    "is_president": r"\bPres",
    "is_ten_pct_owner": r"10%",
    "is_director": r"\bDir\b",
}


def trade_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Size, ownership change, trade price and reporting delay of each filing."""
    value = frame["Value"].where(frame["Value"] > 0)
    qty = frame["Qty"].where(frame["Qty"] > 0)
    return pd.DataFrame(
        {
            "log_value": np.log(value),
            "log_qty": np.log(qty),
            "log_trade_price": np.log(value / qty),
            "own_change_pct": frame["delta_own_pct"],
            "new_position": frame["delta_own_new"],
            "filing_lag_days": (frame["filing_date"] - frame["trade_date"]).dt.days.astype(float),
        },
        index=frame.index,
    )


def title_features(frame: pd.DataFrame) -> pd.DataFrame:
    """0/1 flags: the CEO is also chairman, president, a 10 % owner or a director."""
    title = frame["Title"].astype(str)
    return pd.DataFrame(
        {
            name: title.str.contains(pat, regex=True).astype(float)
            for name, pat in TITLE_PATTERNS.items()
        },
        index=frame.index,
    )


def prior_purchases(frame: pd.DataFrame, days: int = 90) -> pd.Series:
    """CEO purchases of the same ticker filed in the ``days`` days strictly before this filing.

    Counts filings with ``t - days <= filing_date < t``; filings on the same day as
    the row are not counted (their order within the day is unknown).
    """
    out = pd.Series(np.nan, index=frame.index, name=f"prior_purchases_{days}d")
    window = np.timedelta64(days, "D")
    for _, group in frame.groupby("Ticker", sort=False):
        times = np.sort(group["filing_date"].to_numpy())
        own = group["filing_date"].to_numpy()
        before = np.searchsorted(times, own, side="left")
        start = np.searchsorted(times, own - window, side="left")
        out.loc[group.index] = (before - start).astype(float)
    return out


def market_momentum(frame: pd.DataFrame, market: pd.Series) -> pd.DataFrame:
    """S&P 500 return over the 21 and 63 trading days ending the day before the filing."""
    day_before = pd.DatetimeIndex(frame["filing_date"] - pd.Timedelta(days=1))
    pos = market.index.searchsorted(day_before, side="right") - 1
    values = market.to_numpy()
    last = values[pos]
    return pd.DataFrame(
        {
            "mkt_mom_21d": last / values[pos - 21] - 1.0,
            "mkt_mom_63d": last / values[pos - 63] - 1.0,
        },
        index=frame.index,
    )


def build_features(frame: pd.DataFrame, market: pd.Series) -> pd.DataFrame:
    """Every feature of :data:`GROUPS`, aligned to ``frame``."""
    parts = [
        trade_features(frame),
        title_features(frame),
        prior_purchases(frame).to_frame(),
        market_momentum(frame, market),
    ]
    return pd.concat(parts, axis=1)
