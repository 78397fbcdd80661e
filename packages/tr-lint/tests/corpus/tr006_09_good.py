"""Expanding-window refits: each year's scaler sees only the past."""

import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

panel = pd.read_parquet("data/momentum_panel.parquet")
features = ["ret_1m_lag", "ret_3m_lag", "ret_12m_lag", "vol_60_lag"]
panel["year"] = panel["date"].dt.year

out = []
for year in range(2012, 2024):
    train = panel[panel["year"] < year]
    test = panel[panel["year"] == year].copy()
    scaler = StandardScaler()
    X_tr = scaler.fit_transform(train[features])
    model = Ridge(alpha=1.0).fit(X_tr, train["fwd_ret_21d"])
    test["pred"] = model.predict(scaler.transform(test[features]))
    out.append(test)
pd.concat(out).to_parquet("results/walk_forward.parquet")
