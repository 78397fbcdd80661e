"""Fundamentals + insider flow: sentinel fills before XGBoost."""

import numpy as np
import pandas as pd
import xgboost as xgb

df = pd.read_csv("data/insider_fundamentals.csv")
df["filing_date"] = pd.to_datetime(df["filing_date"])

df = df.fillna({"insider_value": 0, "ceo_buy": 0, "cluster_size": 1})  # expect: TR001
df[["pe_ratio", "pb_ratio"]] = df[["pe_ratio", "pb_ratio"]].replace(np.nan, -999)  # expect: TR001
df["short_interest"] = df["short_interest"].fillna(-1)  # expect: TR001
df["sector"] = df["sector"].fillna("Unknown")

features = ["insider_value", "ceo_buy", "cluster_size", "pe_ratio", "pb_ratio", "short_interest"]
train = df[df["filing_date"].dt.year <= 2020]
dtrain = xgb.DMatrix(train[features], label=train["label"])
params = {"max_depth": 4, "eta": 0.05, "objective": "binary:logistic"}
booster = xgb.train(params, dtrain, num_boost_round=500)
booster.save_model("models/insider_fund.json")
