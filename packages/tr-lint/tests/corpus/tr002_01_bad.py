"""Momentum features per ticker for the daily long-short model."""

import pandas as pd
from xgboost import XGBRegressor

px = pd.read_csv("data/daily_prices.csv", parse_dates=["date"])
px = px.sort_values(["ticker", "date"])
g = px.groupby("ticker")

px["ret_1d"] = g["close"].pct_change()  # expect: TR002
px["mom_20"] = g["close"].pct_change(20)  # expect: TR002
px["ma_50"] = g["close"].transform(lambda s: s.rolling(50).mean())  # expect: TR002
px["vol_chg"] = g["volume"].diff()  # expect: TR002
px["ma_gap"] = px["close"] / px["ma_50"] - 1

px["fwd_ret_5d"] = g["close"].shift(-5) / px["close"] - 1
train = px[px["date"] < "2020-01-01"].dropna(subset=["fwd_ret_5d"])
features = ["ret_1d", "mom_20", "ma_gap", "vol_chg"]
model = XGBRegressor(n_estimators=500, max_depth=5, learning_rate=0.03)
model.fit(train[features], train["fwd_ret_5d"])
