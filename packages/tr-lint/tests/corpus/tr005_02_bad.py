"""Ablation: drop one feature group at a time."""

import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor

groups = {
    "flow": ["insider_value_lag", "n_buys_90d", "n_sells_90d"],
    "price": ["ret_1m_lag", "ret_6m_lag", "vol_60_lag"],
    "quality": ["roe", "gross_margin", "accruals"],
}
all_features = [c for cols in groups.values() for c in cols]

panel = pd.read_parquet("data/panel.parquet")
panel["date"] = pd.to_datetime(panel["date"])
panel = panel.dropna(subset=all_features)  # expect: TR005

for dropped in groups:
    keep = [c for c in all_features if c not in groups[dropped]]
    reg = HistGradientBoostingRegressor(max_iter=300)
    reg.fit(panel[keep], panel["fwd_ret_21d"])
    print(dropped, reg.score(panel[keep], panel["fwd_ret_21d"]))
