"""Momentum v3: lagged features, per-date ranks, time-ordered holdout."""

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from xgboost import XGBRegressor

px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")["close"]
px["rev_5"] = g.transform(lambda s: s.pct_change(5).shift(1))
px["mom_12_1"] = g.transform(lambda s: s.shift(21) / s.shift(252) - 1)
px["mom_pct"] = px.groupby("date")["mom_12_1"].rank(pct=True)
px["n_insider_buys"] = px["n_insider_buys"].fillna(0)  # noqa: TR001 no Form 4 = no buys
px["fwd_ret_21d"] = g.shift(-21) / px["close"] - 1
px = px.dropna(subset=["fwd_ret_21d"]).sort_values("date")

features = ["rev_5", "mom_12_1", "mom_pct", "n_insider_buys"]
X_tr, X_te, y_tr, y_te = train_test_split(px[features], px["fwd_ret_21d"], test_size=0.2, shuffle=False)
scaler = StandardScaler().fit(X_tr)
model = XGBRegressor(n_estimators=500, max_depth=4).fit(scaler.transform(X_tr), y_tr)
print(model.score(scaler.transform(X_te), y_te))
