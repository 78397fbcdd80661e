"""Group comparison on a frame cleaned upstream (documented)."""

import pandas as pd
from sklearn.linear_model import LogisticRegression

GROUPS = {"insider": ["cluster_size", "own_chg_pct"], "price": ["ret_1m_lag", "vol_60_lag"]}
df = pd.read_parquet("data/complete_cases.parquet")
df = df[df["filing_date"] < "2021-01-01"]
# complete_cases.parquet has no NaN by construction; the dropna is a guard.
df = df.dropna()  # noqa: TR005 complete-case file, dropna removes nothing

for name, cols in GROUPS.items():
    clf = LogisticRegression(max_iter=1000).fit(df[cols], df["label"])
    print(name, clf.coef_)

summary = df.groupby("sector")[["cluster_size", "own_chg_pct"]].mean().dropna()
print(summary)
