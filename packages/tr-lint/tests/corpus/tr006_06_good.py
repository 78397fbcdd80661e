"""Logistic baseline, scaler fitted on the training years only."""

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("data/insider_features.csv", parse_dates=["filing_date"]).sort_values("filing_date")
features = ["cluster_size", "insider_value_lag", "own_chg_pct", "ret_3m_lag", "log_mcap"]

X_train, X_test, y_train, y_test = train_test_split(df[features], df["label"], test_size=0.2, shuffle=False)
scaler = StandardScaler().fit(X_train)
X_train_s = scaler.transform(X_train)
X_test_s = scaler.transform(X_test)

clf = LogisticRegression(C=0.1, max_iter=1000).fit(X_train_s, y_train)
print("test accuracy", clf.score(X_test_s, y_test))
