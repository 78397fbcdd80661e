"""Normalise insider features before the linear model."""

import pandas as pd
from sklearn.linear_model import LinearRegression

df = pd.read_csv("data/insider_features.csv", parse_dates=["filing_date"]).sort_values("filing_date")

df["value_z"] = (df["insider_value"] - df["insider_value"].mean()) / df["insider_value"].std()  # expect: TR007
df["size_pct"] = df["log_mcap"].rank(pct=True)  # expect: TR007
df["own_chg_rank"] = df["own_chg_pct"].rank(pct=True, method="average")  # expect: TR007

train = df[df["filing_date"] < "2020-01-01"]
features = ["value_z", "size_pct", "own_chg_rank"]
lr = LinearRegression().fit(train[features], train["fwd_ret_60d"])
print(dict(zip(features, lr.coef_)))
