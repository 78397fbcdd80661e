"""Turnover and liquidity features, assembled with assign()."""

import pandas as pd

df = pd.read_csv("data/liquidity_panel.csv", parse_dates=["date"])
df = df.sort_values(["ticker", "date"])

dollar_vol = df["close"] * df["volume"]
adv_20 = dollar_vol.groupby(df["ticker"]).transform(lambda s: s.rolling(20).mean())  # expect: TR002

df = df.assign(
    adv_20=adv_20,
    turnover_5d=df.groupby("ticker")["turnover"].transform(lambda s: s.rolling(5).sum()),  # expect: TR002
    spread_chg=df.groupby("ticker")["spread_bps"].diff(5),  # expect: TR002
    amihud=df["abs_ret"] / dollar_vol,
)
df["fwd_ret_10d"] = df.groupby("ticker")["close"].shift(-10) / df["close"] - 1
df.to_parquet("data/liquidity_features.parquet")
