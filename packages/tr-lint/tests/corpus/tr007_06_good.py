"""Point-in-time normalisation: rolling z-scores and per-date ranks."""

import pandas as pd

df = pd.read_csv("data/insider_features.csv", parse_dates=["filing_date"])
df = df.sort_values(["ticker", "filing_date"])
by_ticker = df.groupby("ticker")["insider_value"]

mu = by_ticker.transform(lambda s: s.rolling(252, min_periods=20).mean().shift(1))
sd = by_ticker.transform(lambda s: s.rolling(252, min_periods=20).std().shift(1))
df["value_z_252"] = (df["insider_value"] - mu) / sd

exp_mu = by_ticker.transform(lambda s: s.expanding(min_periods=20).mean().shift(1))
exp_sd = by_ticker.transform(lambda s: s.expanding(min_periods=20).std().shift(1))
df["value_z_exp"] = (df["insider_value"] - exp_mu) / exp_sd

df["size_pct"] = df.groupby("filing_date")["log_mcap"].rank(pct=True)
df["mom_xs_z"] = df.groupby("filing_date")["ret_3m_lag"].transform(lambda s: (s - s.mean()) / s.std())
df.to_parquet("data/pit_features.parquet")
