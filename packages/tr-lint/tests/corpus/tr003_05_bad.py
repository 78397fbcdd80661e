"""Universe filter for the backtest: drop names that get delisted."""

import pandas as pd

px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")

still_listed = g["close"].shift(-20).notna()  # expect: TR003
universe = px[still_listed & (px["adv_20_lag"] > 1e6)]
universe = universe[universe.groupby("ticker")["volume"].shift(-1) > 0]  # expect: TR003

universe["fwd_ret_20d"] = universe.groupby("ticker")["close"].shift(-20) / universe["close"] - 1
universe.to_parquet("data/universe.parquet")
