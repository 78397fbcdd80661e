"""Labels from windows (a label may look ahead) and a lag chosen by config."""

import pandas as pd

LAG = 2

df = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = df.groupby("ticker")["close"]

df["fwd_ret_21d"] = g.pct_change(21).shift(-21)
df["target_vol"] = g.transform(lambda s: s.pct_change().rolling(21).std().shift(-21))
df["future_max"] = g.transform(lambda s: s[::-1].rolling(21).max()[::-1])
df["label"] = (df["fwd_ret_21d"] > df["target_vol"]).astype(int)

df["mom_63"] = g.transform(lambda s: s.pct_change(63).shift(LAG))
raw_trend = g.transform(lambda s: s.rolling(100).mean())
df["trend_100"] = raw_trend.groupby(df["ticker"]).shift(1)
df.to_parquet("data/labels_and_features.parquet")
