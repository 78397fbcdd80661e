"""Which technical family matters? (technicals_v1.ipynb)"""

import pandas as pd
from xgboost import XGBRegressor

px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")["close"]
px["ma_gap_20"] = px["close"] / g.transform(lambda s: s.rolling(20).mean()) - 1  # expect: TR002
px["vol_20"] = g.transform(lambda s: s.pct_change().rolling(20).std().shift(1))
px["trend_c"] = g.transform(lambda s: s.rolling(11, center=True).mean().shift(1))  # expect: TR007
px["fwd_ret_10d"] = g.shift(-10) / px["close"] - 1

families = {
    "trend": ["ma_gap_20", "trend_c"],
    "risk": ["vol_20"],
    "all": ["ma_gap_20", "trend_c", "vol_20"],
}
px = px.dropna()  # expect: TR005
for fam, cols in families.items():
    reg = XGBRegressor(n_estimators=300, max_depth=4).fit(px[cols], px["fwd_ret_10d"])
    print(fam, reg.score(px[cols], px["fwd_ret_10d"]))
