"""Event model with a 5-fold loop (v0, before the purged CV)."""

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold
from xgboost import XGBClassifier

ev = pd.read_csv("data/insider_events.csv", parse_dates=["filing_date"]).sort_values("filing_date")
ev["ret_next_week"] = ev.groupby("ticker")["close"].shift(-5) / ev["close"] - 1  # expect: TR003
features = ["cluster_size", "insider_value_lag", "own_chg_pct", "ret_next_week"]

X = SimpleImputer(strategy="mean").fit_transform(ev[features])  # expect: TR006
labels = ev["label"].to_numpy()
aucs = []
for tr, te in KFold(n_splits=5, shuffle=True, random_state=1).split(X):  # expect: TR004
    m = XGBClassifier(n_estimators=200).fit(X[tr], labels[tr])
    aucs.append(m.score(X[te], labels[te]))
print(np.mean(aucs))
