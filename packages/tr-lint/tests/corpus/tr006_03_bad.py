"""Walk-forward ridge with imputed, robust-scaled inputs."""

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit
from sklearn.preprocessing import RobustScaler

df = pd.read_parquet("data/features.parquet").sort_values("date")
cols = [c for c in df.columns if c.startswith("f_")]

X = SimpleImputer(strategy="median").fit_transform(df[cols])  # expect: TR006
X = RobustScaler().fit_transform(X)  # expect: TR006
fwd_ret = df["fwd_ret_21d"].to_numpy()

ics = []
for train_idx, test_idx in TimeSeriesSplit(n_splits=6).split(X):
    model = Ridge(alpha=10.0).fit(X[train_idx], fwd_ret[train_idx])
    ics.append(np.corrcoef(model.predict(X[test_idx]), fwd_ret[test_idx])[0, 1])
print(np.mean(ics))
