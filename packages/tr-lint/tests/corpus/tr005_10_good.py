"""Group models for the stacker: NaN stays in, only unlabeled rows go."""

import pandas as pd
from xgboost import XGBRegressor

groups = {
    "flow": ["insider_value_lag", "n_buys_90d", "n_sells_90d"],
    "price": ["ret_1m_lag", "ret_6m_lag", "vol_60_lag"],
    "quality": ["roe", "gross_margin", "accruals"],
}
panel = pd.read_parquet("data/panel.parquet")
panel = panel[panel["date"] < "2020-01-01"].dropna(subset=["fwd_ret_21d"])

models = {}
for name, cols in groups.items():
    models[name] = XGBRegressor(n_estimators=300).fit(panel[cols], panel["fwd_ret_21d"])
linear = {}
for name, cols in groups.items():
    block = panel[cols + ["fwd_ret_21d"]].dropna()
    linear[name] = block[cols].corrwith(block["fwd_ret_21d"])
