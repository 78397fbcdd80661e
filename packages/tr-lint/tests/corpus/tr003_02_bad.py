"""Spread features for the pairs notebook."""

import pandas as pd

spread = pd.read_csv("data/pair_spread.csv", parse_dates=["timestamp"])
spread = spread.sort_values("timestamp").set_index("timestamp")

spread["spread_chg"] = spread["spread"].diff(-1)  # expect: TR002, TR003
spread["ret_a_lead"] = spread["px_a"].pct_change(-5)  # expect: TR002, TR003
spread["z_lead"] = spread["zscore_60_lag"].shift(periods=-5)  # expect: TR003
spread["entry"] = (spread["zscore_60_lag"].abs() > 2).astype(int)

spread["fwd_pnl_5"] = -spread["spread"].diff(-5) * spread["entry"]
spread.to_parquet("data/pair_features.parquet")
