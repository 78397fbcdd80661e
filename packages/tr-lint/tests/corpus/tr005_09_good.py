"""One model on all features: a global dropna loses rows but feeds no comparison."""

import pandas as pd
from sklearn.ensemble import RandomForestRegressor

features = ["ret_1m_lag", "ret_3m_lag", "vol_60_lag", "insider_value_lag", "pe_ratio", "roe"]
panel = pd.read_parquet("data/panel.parquet")
panel = panel[features + ["fwd_ret_21d", "date"]].dropna()
train = panel[panel["date"] < "2020-01-01"]
test = panel[panel["date"] >= "2020-01-01"]

rf = RandomForestRegressor(n_estimators=500, min_samples_leaf=100, n_jobs=-1)
rf.fit(train[features], train["fwd_ret_21d"])
test = test.assign(pred=rf.predict(test[features]))
print(test[["pred", "fwd_ret_21d"]].corr(method="spearman"))
