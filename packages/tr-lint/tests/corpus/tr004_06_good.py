"""Sector classifier on one fundamentals snapshot (no time axis: one row per company)."""

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import cross_val_score, train_test_split

snap = pd.read_csv("data/fundamentals_snapshot.csv")
features = ["pe_ratio", "pb_ratio", "roe", "debt_to_equity", "gross_margin", "capex_to_sales"]
snap = snap.dropna(subset=["sector"])

X_train, X_test, y_train, y_test = train_test_split(
    snap[features], snap["sector"], test_size=0.25, stratify=snap["sector"], random_state=0
)
clf = HistGradientBoostingClassifier(max_iter=300, random_state=0)
clf.fit(X_train, y_train)
print("holdout accuracy", clf.score(X_test, y_test))
print("cv accuracy", cross_val_score(clf, snap[features], snap["sector"], cv=5).mean())
