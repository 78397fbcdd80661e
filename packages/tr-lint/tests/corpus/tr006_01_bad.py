"""Logistic baseline on scaled insider features."""

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("data/insider_features.csv", parse_dates=["filing_date"]).sort_values("filing_date")
features = ["cluster_size", "insider_value_lag", "own_chg_pct", "ret_3m_lag", "log_mcap"]

scaler = StandardScaler()
X = scaler.fit_transform(df[features])  # expect: TR006
X_train, X_test, y_train, y_test = train_test_split(X, df["label"], test_size=0.2, shuffle=False)

clf = LogisticRegression(C=0.1, max_iter=1000)
clf.fit(X_train, y_train)
print("test accuracy", clf.score(X_test, y_test))
