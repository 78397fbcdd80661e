"""Scaled features for the ridge screen; split by filing year."""

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

ev = pd.read_csv("data/insider_events.csv", parse_dates=["filing_date"])
features = ["cluster_size", "insider_value_lag", "own_chg_pct", "ret_3m_lag"]

X = np.nan_to_num(ev[features].to_numpy(), nan=-1.0)  # expect: TR001
sc = StandardScaler()
sc.fit(X)  # expect: TR006
Xs = sc.transform(X)
is_train = (ev["filing_date"].dt.year < 2021).to_numpy()
ridge = Ridge(alpha=3.0).fit(Xs[is_train], ev.loc[is_train, "fwd_ret_60d"])
ev.loc[~is_train, "pred"] = ridge.predict(Xs[~is_train])
print(ev.loc[~is_train, ["pred", "fwd_ret_60d"]].corr(method="spearman"))
