"""Feature-group study, done right: each group keeps the rows it has."""

import pandas as pd
from xgboost import XGBClassifier

GROUPS = {
    "insider": ["cluster_size", "insider_value_lag", "own_chg_pct", "ceo_buy"],
    "momentum": ["ret_1m_lag", "ret_3m_lag", "ret_12m_lag"],
    "value": ["pe_ratio", "pb_ratio", "fcf_yield"],
}

df = pd.read_parquet("data/insider_features.parquet")
df = df[df["filing_date"] < "2021-01-01"].dropna(subset=["label"])

results = {}
for name, cols in GROUPS.items():
    sub = df.dropna(subset=cols)
    model = XGBClassifier(n_estimators=300, max_depth=4)
    model.fit(sub[cols], sub["label"])
    results[name] = (len(sub), model.score(sub[cols], sub["label"]))
print(results)
