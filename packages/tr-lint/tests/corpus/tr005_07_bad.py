"""Ownership study: one booster per feature family, on 2010-2020 data."""

import pandas as pd
import xgboost as xgb

families = {
    "ownership": ["own_chg_pct", "insider_pct_held", "inst_pct_held"],
    "flow": ["insider_value_lag", "n_buys_90d"],
    "price": ["ret_3m_lag", "vol_60_lag", "beta_252_lag"],
}
data = pd.read_csv("data/ownership_panel.csv", parse_dates=["report_date"])
data = data.set_index("report_date").sort_index().loc["2010":"2020"]
data = data.dropna(axis=0)  # expect: TR005

boosters = {}
for family, cols in families.items():
    dtrain = xgb.DMatrix(data[cols], label=data["label"])
    boosters[family] = xgb.train({"max_depth": 3, "eta": 0.05}, dtrain, num_boost_round=300)
