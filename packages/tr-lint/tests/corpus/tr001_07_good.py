"""Valuation features: infinities become NaN, missing P/E filled from the sector peer value."""

import numpy as np
import pandas as pd

df = pd.read_csv("data/valuation_panel.csv", parse_dates=["date"])
df = df.replace([np.inf, -np.inf], np.nan)
df["pe_ratio"] = df["pe_ratio"].fillna(df["sector_pe"])
df["industry"] = df["industry"].fillna("unclassified")
df["has_pe"] = df["pe_ratio"].notna()

peers = df.groupby(["date", "sector"])["pb_ratio"].transform("median")
df["pb_ratio"] = df["pb_ratio"].fillna(peers)
df["future_ret_1m"] = df["future_ret_1m"].replace(np.nan, 0)
df["label_beat"] = df["label_beat"].fillna(value=0)

df.to_parquet("data/valuation_features.parquet")
