"""Production refit: all history is training data; live rows come from another file."""

import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

history = pd.read_parquet("data/insider_features_all.parquet")
features = ["cluster_size", "insider_value_lag", "own_chg_pct", "ret_3m_lag", "log_mcap"]
history = history[history["filing_date"] <= "2024-06-30"]

scaler = StandardScaler().fit(history[features])
clf = LogisticRegression(C=0.1, max_iter=1000).fit(scaler.transform(history[features]), history["label"])
joblib.dump({"scaler": scaler, "model": clf}, "models/insider_logit.joblib")

live = pd.read_parquet("data/insider_features_live.parquet")
live["p_up"] = clf.predict_proba(scaler.transform(live[features]))[:, 1]
live.sort_values("p_up", ascending=False).head(25).to_csv("results/live_top25.csv")
