"""Feature-group study v2: per-group rows, lagged windows, purged walk-forward."""

import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
from xgboost import XGBClassifier

GROUPS = {
    "insider": ["own_chg_pct", "insider_value_lag", "cluster_size"],
    "price": ["ret_5d_lag", "vol_20_lag"],
}

df = pd.read_parquet("data/insider_features.parquet").sort_values(["ticker", "filing_date"])
df["vol_20_lag"] = df.groupby("ticker")["close"].transform(lambda s: s.pct_change().rolling(20).std().shift(1))
df["ret_5d_lag"] = df.groupby("ticker")["close"].transform(lambda s: s.pct_change(5).shift(1))
df["fwd_ret_60d"] = df.groupby("ticker")["close"].shift(-60) / df["close"] - 1
df["label"] = (df["fwd_ret_60d"] > 0).astype(int)
df = df.dropna(subset=["fwd_ret_60d"]).sort_values("filing_date")

for name, cols in GROUPS.items():
    sub = df.dropna(subset=cols)
    for tr, te in TimeSeriesSplit(n_splits=5).split(sub):
        model = XGBClassifier(n_estimators=200).fit(sub[cols].iloc[tr], sub["label"].iloc[tr])
        print(name, model.score(sub[cols].iloc[te], sub["label"].iloc[te]))
