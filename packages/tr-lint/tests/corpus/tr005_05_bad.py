"""Single-feature importance (SFI) over the insider feature set."""

import pandas as pd
from sklearn.metrics import roc_auc_score
from xgboost import XGBClassifier

df = pd.read_parquet("data/insider_features.parquet")
features = [c for c in df.columns if c.startswith(("ins_", "px_", "fund_"))]
train = df[df["filing_date"] < "2020-01-01"].dropna()  # expect: TR005
test = df[df["filing_date"] >= "2020-01-01"]

auc = {}
for feature in features:
    clf = XGBClassifier(n_estimators=100, max_depth=2)
    clf.fit(train[[feature]], train["label"])
    auc[feature] = roc_auc_score(test["label"], clf.predict_proba(test[[feature]])[:, 1])
print(pd.Series(auc).sort_values(ascending=False).head(20))
