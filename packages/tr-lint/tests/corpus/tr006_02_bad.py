"""Neural net on min-max scaled momentum features."""

import pandas as pd
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import MinMaxScaler

panel = pd.read_parquet("data/momentum_panel.parquet")
features = ["ret_1m_lag", "ret_3m_lag", "ret_12m_lag", "vol_60_lag", "turnover_lag"]

mm = MinMaxScaler(feature_range=(-1, 1))
mm.fit(panel[features])  # expect: TR006
panel[features] = mm.transform(panel[features])

train = panel[panel["date"] < "2019-01-01"]
test = panel[panel["date"] >= "2019-01-01"]
net = MLPRegressor(hidden_layer_sizes=(64, 32), max_iter=500, random_state=0)
net.fit(train[features], train["fwd_ret_21d"])
print(net.score(test[features], test["fwd_ret_21d"]))
