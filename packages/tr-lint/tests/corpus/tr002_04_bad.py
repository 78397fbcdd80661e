"""Multi-horizon momentum grid for the factor notebook."""

import pandas as pd

panel = pd.read_csv("data/us_equities.csv", parse_dates=["date"])
panel = panel.sort_values(["ticker", "date"]).reset_index(drop=True)
grouped = panel.groupby("ticker")["close"]

for window in (5, 21, 63, 126):
    panel[f"mom_{window}"] = grouped.pct_change(window)  # expect: TR002
    panel[f"ma_{window}"] = grouped.transform(lambda s, w=window: s.rolling(w, min_periods=w).mean())  # expect: TR002
    panel[f"ma_gap_{window}"] = panel["close"] / panel[f"ma_{window}"] - 1

panel["adv_63"] = panel.groupby("ticker")["volume"].transform(lambda s: s.rolling(63).mean().shift(1))
panel["fwd_ret_21d"] = grouped.shift(-21) / panel["close"] - 1
panel.to_parquet("data/momentum_grid.parquet")
