"""Quick baseline on the insider events: random forest."""

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

events = pd.read_csv("data/insider_events.csv")
events["filing_date"] = pd.to_datetime(events["filing_date"])
events["filing_month"] = events["filing_date"].dt.month
features = ["cluster_size", "insider_value_lag", "filing_month", "ret_1m_lag"]

train, test = train_test_split(events, test_size=0.3, shuffle=True, random_state=3)  # expect: TR004
rf = RandomForestClassifier(n_estimators=500, min_samples_leaf=50, n_jobs=-1)
rf.fit(train[features], train["label"])

tr_a, te_a = train_test_split(events, test_size=0.3, stratify=events["label"])  # expect: TR004
rf.fit(tr_a[features], tr_a["label"])
print(rf.score(te_a[features], te_a["label"]))
