"""Smoothed price trend features for the regime model."""

import pandas as pd

px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")["close"]

px["trend_21c"] = g.transform(lambda s: s.rolling(21, center=True).mean().shift(1))  # expect: TR007
px["vol_c"] = g.transform(lambda s: s.pct_change().rolling(window=11, center=True, min_periods=5).std().shift(1))  # expect: TR007
px["trend_gap"] = px["close"] / px["trend_21c"] - 1
px["smooth_vol"] = px["volume"].rolling(5, center=True).median()  # expect: TR002, TR007

px["fwd_ret_5d"] = g.shift(-5) / px["close"] - 1
px.to_parquet("data/trend_features.parquet")
