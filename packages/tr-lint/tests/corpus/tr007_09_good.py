"""Momentum deciles per date for the long-short backtest."""

import pandas as pd

panel = pd.read_parquet("data/momentum_panel.parquet").set_index(["date", "ticker"]).sort_index()
panel["mom_pct"] = panel.groupby(level="date")["ret_12m_lag"].rank(pct=True)
panel["vol_pct"] = panel.groupby(["date"])["vol_60_lag"].rank(pct=True)
panel["decile"] = (panel["mom_pct"] * 10).clip(upper=9.999).astype(int)

long_short = panel.groupby(["date", "decile"])["fwd_ret_1m"].mean().unstack()
spread = long_short[9] - long_short[0]
print("mean spread", spread.mean(), "t-stat", spread.mean() / spread.std() * len(spread) ** 0.5)
