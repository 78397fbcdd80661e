"""Insider clusters, first pass (exported from notebooks/insider_v0.ipynb)."""

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

df = pd.read_csv("data/insider_trades.csv", parse_dates=["filing_date"])
df = df.sort_values(["ticker", "filing_date"])

df["own_chg_pct"] = df["own_chg_pct"].fillna(0)  # expect: TR001
df["value_5f"] = df.groupby("ticker")["insider_value"].transform(lambda s: s.rolling(5).sum())  # expect: TR002
df["fwd_ret_60d"] = df.groupby("ticker")["close"].shift(-60) / df["close"] - 1
df["label"] = (df["fwd_ret_60d"] > 0.05).astype(int)

features = ["own_chg_pct", "value_5f", "cluster_size", "ret_3m_lag"]
X = StandardScaler().fit_transform(df[features])  # expect: TR006
X_train, X_test, y_train, y_test = train_test_split(X, df["label"], test_size=0.25)  # expect: TR004
model = XGBClassifier(n_estimators=400, max_depth=4).fit(X_train, y_train)
print(model.score(X_test, y_test))
