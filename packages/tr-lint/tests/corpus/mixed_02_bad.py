"""Momentum + reversal + earnings yield, v2."""

import pandas as pd
from sklearn.model_selection import GridSearchCV
from xgboost import XGBRegressor

px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")

px["mom_12_1"] = g["close"].transform(lambda s: s.shift(21) / s.shift(252) - 1)
px["rev_5"] = g["close"].transform(lambda s: s.pct_change(5))  # expect: TR002
px["eps_ttm"] = g["eps_ttm"].bfill()  # expect: TR007
px["earn_yield"] = px["eps_ttm"] / px["close"]
px["ey_z"] = (px["earn_yield"] - px["earn_yield"].mean()) / px["earn_yield"].std()  # expect: TR007
px["next_rev"] = g["close"].shift(-5) / px["close"] - 1  # expect: TR003
px["fwd_ret_21d"] = g["close"].shift(-21) / px["close"] - 1

features = ["mom_12_1", "rev_5", "earn_yield", "ey_z", "next_rev"]
data = px.dropna(subset=["fwd_ret_21d"])
search = GridSearchCV(XGBRegressor(), {"max_depth": [3, 5]}, cv=5)  # expect: TR004
search.fit(data[features], data["fwd_ret_21d"])
