"""Train a logistic model on insider cluster features (numpy arrays)."""

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

events = pd.read_csv("data/cluster_events.csv", parse_dates=["event_date"])
cols = ["cluster_size", "cluster_value", "days_since_last_buy", "ret_1m_before"]

train = events[events["event_date"] < "2020-06-30"]
test = events[events["event_date"] >= "2020-06-30"]

X_train = np.nan_to_num(train[cols].values, nan=0.0)  # expect: TR001
X_test = np.nan_to_num(test[cols].values, nan=0.0)  # expect: TR001
fwd_label_train = train["beat_market_90d"].fillna(0).astype(int)

clf = LogisticRegression(C=0.5, max_iter=2000)
clf.fit(X_train, fwd_label_train)
events.loc[test.index, "p_beat"] = clf.predict_proba(X_test)[:, 1]
print(events.groupby(pd.qcut(events["p_beat"], 5))["beat_market_90d"].mean())
