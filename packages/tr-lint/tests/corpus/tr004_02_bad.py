"""Cross-validated AUC of the momentum classifier."""

import pandas as pd
from sklearn.model_selection import KFold, cross_val_score
from xgboost import XGBClassifier

panel = pd.read_csv("data/momentum_panel.csv")
panel["date"] = pd.to_datetime(panel["date"])
features = ["ret_1m_lag", "ret_12m_lag", "vol_60_lag", "turnover_lag"]
X, labels = panel[features], panel["label"]

model = XGBClassifier(n_estimators=200, max_depth=3)
kf = KFold(n_splits=5, shuffle=True, random_state=0)  # expect: TR004
auc_kf = cross_val_score(model, X, labels, cv=kf, scoring="roc_auc")
auc_5 = cross_val_score(model, X, labels, cv=5, scoring="roc_auc")  # expect: TR004
print(auc_kf.mean(), auc_5.mean())
