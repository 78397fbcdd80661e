"""Random search over the gradient-boosting grid, then a CV report."""

import numpy as np
import pandas as pd
from scipy.stats import randint, uniform
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import RandomizedSearchCV, cross_validate

df = pd.read_parquet("data/features.parquet")
df = df[df["date"] >= "2012-01-01"]
features = [c for c in df.columns if c.startswith("f_")]
X, fwd_ret = df[features], df["fwd_ret_21d"]

space = {"max_depth": randint(2, 8), "learning_rate": uniform(0.01, 0.2)}
search = RandomizedSearchCV(  # expect: TR004
    HistGradientBoostingRegressor(), space, n_iter=40, cv=3, random_state=7
)
search.fit(X, fwd_ret)
report = cross_validate(search.best_estimator_, X, fwd_ret, scoring="r2")  # expect: TR004
print(np.mean(report["test_score"]))
