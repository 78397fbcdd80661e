"""Volatility and trend features for the insider event study."""

import numpy as np
import pandas as pd

prices = pd.read_csv("data/prices.csv", parse_dates=["date"])
prices = prices.sort_values(["ticker", "date"])
prices["log_ret"] = np.log(prices["close"]).groupby(prices["ticker"]).diff()  # expect: TR002
by_ticker = prices.groupby("ticker")["log_ret"]

prices["vol_20d"] = by_ticker.transform(lambda s: s.rolling(20).std().shift(0))  # expect: TR002
prices["ewm_vol"] = by_ticker.transform(lambda s: s.ewm(span=60).std())  # expect: TR002
prices["drawdown"] = prices.groupby("ticker")["close"].transform(
    lambda s: s / s.expanding().max() - 1  # expect: TR002
)
prices["vol_ratio"] = prices["vol_20d"] / prices["ewm_vol"]

events = pd.read_csv("data/insider_events.csv", parse_dates=["filing_date"])
merged = events.merge(prices, left_on=["ticker", "filing_date"], right_on=["ticker", "date"])
merged.to_parquet("data/event_features.parquet")
