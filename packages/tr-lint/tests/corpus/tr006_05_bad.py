"""SVM on standardized event features, split by the date index."""

import pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

events = pd.read_csv("data/insider_events.csv", parse_dates=["filing_date"])
events = events.set_index("filing_date").sort_index()
features = ["cluster_size", "insider_value_lag", "own_chg_pct", "ret_1m_lag"]

events[features] = StandardScaler().fit_transform(events[features])  # expect: TR006
train = events.loc[:"2019-12-31"]
test = events.loc["2020-01-01":]

svm = SVC(C=1.0, probability=True).fit(train[features], train["label"])
test = test.assign(p_up=svm.predict_proba(test[features])[:, 1])
print(test.groupby(pd.qcut(test["p_up"], 5))["fwd_ret_60d"].mean())
