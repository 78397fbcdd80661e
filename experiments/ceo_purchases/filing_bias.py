"""How much of the trade-date-based return is earned before the filing is public?

The insider file measures returns from the trade-date price, but a follower can
only act at the filing. The file has no price at the filing date, so the gap is
measured where another public source has one: ``all_stocks_5yr.csv.gz`` (daily
closes of S&P 500 constituents, 2013-02-08 .. 2018-02-07). For the purchases of
those tickers in that span, the *pre-filing drift* is the stock's close-to-close
return from the trade date to the filing date minus the S&P 500's over the same
days (last close on or before each date; split- but not dividend-adjusted
prices, immaterial over a few days).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from cleaning import market_price_at

STOCKS_FILE = "all_stocks_5yr.csv.gz"


def pre_filing_drift(frame: pd.DataFrame, market: pd.Series, data_dir: Path) -> pd.DataFrame:
    """Per overlapping purchase: pre-filing excess drift and the 3-month target.

    Returns an empty frame when the constituents file is absent.
    """
    path = data_dir / STOCKS_FILE
    columns = ["Ticker", "filing_date", "pre_filing_drift", "alpha"]
    if not path.exists():
        return pd.DataFrame(columns=columns)
    stocks = pd.read_csv(path, usecols=["date", "close", "Name"])
    stocks["date"] = pd.to_datetime(stocks["date"], format="%Y-%m-%d")
    first, last = stocks["date"].min(), stocks["date"].max()
    rows = []
    span = frame["trade_date"].ge(first) & frame["filing_date"].le(last)
    for ticker, group in frame.loc[span].groupby("Ticker", sort=False):
        closes = stocks.loc[stocks["Name"] == ticker].set_index("date")["close"].sort_index()
        if closes.empty:
            continue
        stock = market_price_at(closes, group["filing_date"]) / market_price_at(
            closes, group["trade_date"]
        )
        index = market_price_at(market, group["filing_date"]) / market_price_at(
            market, group["trade_date"]
        )
        rows.append(
            pd.DataFrame(
                {
                    "Ticker": ticker,
                    "filing_date": group["filing_date"],
                    "pre_filing_drift": stock - index,
                    "alpha": group["alpha"],
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.concat(rows)
    return out.loc[np.isfinite(out["pre_filing_drift"])]
