"""Credit-rating model on a cross-section of issuers: rows are companies, not periods."""

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score

issuers = pd.read_csv("data/issuer_cross_section.csv")
features = ["leverage", "interest_cover", "log_assets", "ebitda_margin", "cash_ratio"]
issuers = issuers.dropna(subset=["rating_bucket"])

model = HistGradientBoostingClassifier(max_iter=200, max_depth=3)
kf = KFold(n_splits=5, shuffle=True, random_state=0)
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
print(cross_val_score(model, issuers[features], issuers["rating_bucket"], cv=kf).mean())
print(cross_val_score(model, issuers[features], issuers["rating_bucket"], cv=skf).mean())
print(cross_val_score(model, issuers[features], issuers["rating_bucket"], cv=5).mean())
