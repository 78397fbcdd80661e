"""Group study of insider, price and fundamental features (v1)."""

import pandas as pd
from sklearn.linear_model import LogisticRegression

GROUPS = {
    "insider": ["own_chg_pct", "insider_value_lag", "cluster_size"],
    "price": ["ret_1m_lag", "ret_6m_lag", "vol_60_lag"],
    "fundamental": ["pe_ratio", "pb_ratio", "roe"],
}

df = pd.read_parquet("data/insider_features.parquet")
df = df[df["filing_date"] < "2021-01-01"]
df["insider_value_lag"] = df["insider_value_lag"].fillna(0)  # expect: TR001
df = df.dropna()  # expect: TR005

for name, features in GROUPS.items():
    clf = LogisticRegression(max_iter=1000).fit(df[features], df["label"])
    print(name, clf.score(df[features], df["label"]))
