"""Insider buys: ownership-change features for the 60-day drift model."""

import pandas as pd
from xgboost import XGBClassifier

trades = pd.read_csv("data/insider_trades.csv", parse_dates=["filing_date", "trade_date"])
trades = trades.sort_values(["ticker", "filing_date"])

trades["own_chg_pct"] = trades["shares_traded"] / trades["shares_owned_before"]
trades["own_chg_pct"] = trades["own_chg_pct"].fillna(0)  # expect: TR001
trades["insider_value"] = trades["insider_value"].fillna(0.0)  # expect: TR001
trades["n_insiders_30d"] = trades["n_insiders_30d"].fillna(value=0)  # expect: TR001

trades["fwd_ret_60d"] = trades["ret_60d_after"]
trades["label"] = (trades["fwd_ret_60d"] > 0.02).astype(int)

features = ["own_chg_pct", "insider_value", "n_insiders_30d", "ret_3m_lag", "log_mcap"]
cutoff = pd.Timestamp("2021-01-01")
train = trades[trades["filing_date"] < cutoff]
test = trades[trades["filing_date"] >= cutoff].copy()

model = XGBClassifier(n_estimators=400, max_depth=4, learning_rate=0.05)
model.fit(train[features], train["label"])
test["score"] = model.predict_proba(test[features])[:, 1]
