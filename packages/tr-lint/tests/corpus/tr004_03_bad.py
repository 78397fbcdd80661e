"""Hyper-parameter search for the insider classifier."""

import pandas as pd
from sklearn.model_selection import GridSearchCV, ShuffleSplit, StratifiedKFold, cross_validate
from xgboost import XGBClassifier

trades = pd.read_csv("data/insider_features.csv", parse_dates=["filing_date", "trade_date"])
features = ["cluster_size", "insider_value_lag", "own_chg_pct", "ret_3m_lag"]
X, labels = trades[features], trades["label"]

grid = {"max_depth": [3, 4, 6], "learning_rate": [0.03, 0.1]}
search = GridSearchCV(XGBClassifier(n_estimators=300), grid, scoring="roc_auc")  # expect: TR004
search.fit(X, labels)

skf = StratifiedKFold(n_splits=5)  # expect: TR004
res = cross_validate(search.best_estimator_, X, labels, cv=skf, scoring=["roc_auc", "precision"])
ss = ShuffleSplit(n_splits=10, test_size=0.25, random_state=1)  # expect: TR004
for train_idx, test_idx in ss.split(X):
    search.best_estimator_.fit(X.iloc[train_idx], labels.iloc[train_idx])
