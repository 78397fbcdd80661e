"""Feature-group study: which group of insider features carries the signal?"""

import pandas as pd
from xgboost import XGBClassifier

GROUPS = {
    "insider": ["cluster_size", "insider_value_lag", "own_chg_pct", "ceo_buy"],
    "momentum": ["ret_1m_lag", "ret_3m_lag", "ret_12m_lag"],
    "value": ["pe_ratio", "pb_ratio", "fcf_yield"],
    "liquidity": ["adv_20_lag", "spread_bps_lag", "short_interest"],
}

df = pd.read_parquet("data/insider_features.parquet")
df = df[df["filing_date"] < "2021-01-01"]
df = df.dropna()  # expect: TR005

results = {}
for name, cols in GROUPS.items():
    model = XGBClassifier(n_estimators=300, max_depth=4)
    model.fit(df[cols], df["label"])
    results[name] = model.score(df[cols], df["label"])
print(pd.Series(results).sort_values())
