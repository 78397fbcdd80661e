"""Volume surprise around insider filings."""

import pandas as pd

px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")

px["vol_next_day"] = g["volume"].shift(-1)  # expect: TR003
px["gap_next"] = g["open"].shift(-1) / px["close"] - 1  # expect: TR003
px["vol_surprise"] = px["vol_next_day"] / px["adv_20_lag"]

events = pd.read_csv("data/insider_events.csv", parse_dates=["filing_date"])
events = events.merge(px, left_on=["ticker", "filing_date"], right_on=["ticker", "date"])
events["fwd_ret_20d"] = events["ret_20d_after"]
features = ["vol_surprise", "gap_next", "insider_value"]
events[features + ["fwd_ret_20d"]].to_parquet("data/event_features.parquet")
