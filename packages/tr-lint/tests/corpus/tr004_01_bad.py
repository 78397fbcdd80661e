"""Insider buys: does the cluster score beat the market over 60 days?"""

import pandas as pd
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier

df = pd.read_csv("data/insider_features.csv", parse_dates=["filing_date"])
df = df.sort_values("filing_date")
features = ["cluster_size", "insider_value_lag", "ceo_buy", "ret_3m_lag", "log_mcap"]

X_train, X_test, y_train, y_test = train_test_split(  # expect: TR004
    df[features], df["label"], test_size=0.2, random_state=42
)
model = XGBClassifier(n_estimators=300, max_depth=4)
model.fit(X_train, y_train)
print("test accuracy:", model.score(X_test, y_test))
