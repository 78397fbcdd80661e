"""Insider drift: keep NaN for XGBoost, forward-fill slow fundamentals per ticker."""

import pandas as pd
from xgboost import XGBClassifier

df = pd.read_csv("data/insider_trades.csv", parse_dates=["filing_date"])
df = df.sort_values(["ticker", "filing_date"])

df["book_to_price"] = df.groupby("ticker")["book_to_price"].ffill()
df["shares_out"] = df.groupby("ticker")["shares_out"].fillna(method="ffill")
df["own_chg_missing"] = df["own_chg_pct"].isna().astype(int)

df["fwd_ret_60d"] = df["fwd_ret_60d"].fillna(0)
df["target"] = (df["fwd_ret_60d"] > 0.03).astype(int)
df["label"] = df["target"].fillna(0)

features = ["book_to_price", "shares_out", "own_chg_pct", "own_chg_missing", "insider_value"]
train = df[df["filing_date"] < "2021-01-01"]
model = XGBClassifier(n_estimators=300, max_depth=4, missing=float("nan"))
model.fit(train[features], train["label"])
