"""Momentum features lagged one day: known at the open we trade."""

import pandas as pd
from xgboost import XGBRegressor

px = pd.read_csv("data/daily_prices.csv", parse_dates=["date"])
px = px.sort_values(["ticker", "date"])
g = px.groupby("ticker")

px["ma_20"] = g["close"].transform(lambda s: s.rolling(20).mean().shift(1))
px["mom_20"] = g["close"].transform(lambda s: s.pct_change(20).shift())
px["vol_60"] = g["close"].transform(lambda s: s.pct_change().rolling(60).std().shift(1))
px["ewm_ret"] = g["close"].transform(lambda s: s.pct_change().ewm(halflife=10).mean().shift(1))
px["vol_chg"] = g["volume"].transform(lambda s: s.diff(5).shift(periods=1))
px["high_252"] = g["high"].transform(lambda s: s.expanding().max().shift(1))

px["fwd_ret_5d"] = g["close"].shift(-5) / px["close"] - 1
train = px[px["date"] < "2020-01-01"].dropna(subset=["fwd_ret_5d"])
features = ["ma_20", "mom_20", "vol_60", "ewm_ret", "vol_chg", "high_252"]
XGBRegressor(n_estimators=400).fit(train[features], train["fwd_ret_5d"])
