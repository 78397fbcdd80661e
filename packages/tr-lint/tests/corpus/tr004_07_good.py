"""Walk-forward evaluation of the momentum classifier."""

import pandas as pd
from sklearn.model_selection import GridSearchCV, KFold, TimeSeriesSplit, cross_val_score, train_test_split
from xgboost import XGBClassifier

panel = pd.read_csv("data/momentum_panel.csv", parse_dates=["date"]).sort_values("date")
features = ["ret_1m_lag", "ret_12m_lag", "vol_60_lag", "turnover_lag"]
X, label = panel[features], panel["label"]

dev_X, hold_X, dev_label, hold_label = train_test_split(X, label, test_size=0.2, shuffle=False)
tscv = TimeSeriesSplit(n_splits=5, gap=21)
model = XGBClassifier(n_estimators=300, max_depth=3)
scores = cross_val_score(model, dev_X, dev_label, cv=tscv, scoring="roc_auc")
search = GridSearchCV(model, {"max_depth": [2, 3, 4]}, cv=TimeSeriesSplit(4), scoring="roc_auc")
search.fit(dev_X, dev_label)
blocked = cross_val_score(model, dev_X, dev_label, cv=KFold(n_splits=5), scoring="roc_auc")
print(scores.mean(), blocked.mean(), search.best_params_)
