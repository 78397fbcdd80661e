"""Insider clusters v2: NaN kept, lagged windows, walk-forward, scaler per fold."""

import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

df = pd.read_csv("data/insider_trades.csv", parse_dates=["filing_date"])
df = df.sort_values(["ticker", "filing_date"])
g = df.groupby("ticker")
df["value_5f"] = g["insider_value"].transform(lambda s: s.rolling(5).sum().shift(1))
df["own_chg_missing"] = df["own_chg_pct"].isna().astype(int)
df["size_xs_pct"] = df.groupby("filing_date")["log_mcap"].rank(pct=True)
df["fwd_ret_60d"] = g["close"].shift(-60) / df["close"] - 1
df["label"] = (df["fwd_ret_60d"] > 0.05).astype(int)
df = df.dropna(subset=["fwd_ret_60d"]).sort_values("filing_date")

features = ["own_chg_pct", "own_chg_missing", "value_5f", "size_xs_pct", "cluster_size"]
logit = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=1000))
for tr, te in TimeSeriesSplit(n_splits=5, gap=60).split(df):
    xgb_model = XGBClassifier(n_estimators=300).fit(df[features].iloc[tr], df["label"].iloc[tr])
    logit.fit(df[features].iloc[tr], df["label"].iloc[tr])
