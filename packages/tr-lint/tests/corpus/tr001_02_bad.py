"""Momentum cross-section: build the feature matrix and fit a regressor."""

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor

panel = pd.read_csv("data/momentum_panel.csv", parse_dates=["date"])
feature_cols = ["ret_1m_lag", "ret_3m_lag", "ret_6m_lag", "ret_12m_lag", "vol_60d_lag", "turnover_20d_lag"]

X = panel[feature_cols].fillna(0)  # expect: TR001
fwd_ret = panel["fwd_ret_1m"]

train_mask = panel["date"] < "2019-01-01"
model = GradientBoostingRegressor(n_estimators=300, max_depth=3)
model.fit(X[train_mask], fwd_ret[train_mask])

X_live = np.nan_to_num(panel.loc[~train_mask, feature_cols].to_numpy())  # expect: TR001
pred = model.predict(X_live)
panel.loc[~train_mask, "pred"] = pred
print(panel.loc[~train_mask, ["pred", "fwd_ret_1m"]].corr(method="spearman"))
