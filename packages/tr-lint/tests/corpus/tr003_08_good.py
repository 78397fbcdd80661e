"""Lagged features only: every shift looks back."""

import pandas as pd

px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")

px["close_lag_1"] = g["close"].shift(1)
px["close_lag_5"] = g["close"].shift(periods=5)
px["short_ret_lag"] = -1 * g["ret_1d"].shift(1)
px["gap"] = px["open"] / px["close_lag_1"] - 1
px["last_insider_value"] = g["insider_value"].shift(1)
px["last_insider_value"] = px.groupby("ticker")["last_insider_value"].ffill()
latest = px.groupby("ticker").tail(1)
print(latest[["ticker", "close"]].iloc[-1])
px.to_parquet("data/lags.parquet")
