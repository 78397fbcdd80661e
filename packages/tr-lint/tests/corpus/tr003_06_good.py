"""Labels for the insider model: every negative shift writes a label."""

import pandas as pd

HORIZONS = (5, 21, 63)

px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")["close"]

for h in HORIZONS:
    px[f"fwd_ret_{h}d"] = g.shift(-h) / px["close"] - 1
px["target"] = (g.shift(-21) / px["close"] - 1 > 0).astype(int)
px["forward_vol"] = g.transform(lambda s: s.pct_change().rolling(21).std().shift(-21))
px = px.assign(future_close=g.shift(-1), label_up=lambda d: (d["future_close"] > d["close"]).astype(int))
px["ret_lag_1"] = g.pct_change().shift(1)
px.to_parquet("data/labels.parquet")
