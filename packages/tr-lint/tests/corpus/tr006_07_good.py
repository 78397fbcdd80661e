"""Walk-forward ridge: imputer and scaler live in the pipeline, refitted per fold."""

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import RobustScaler

df = pd.read_parquet("data/features.parquet").sort_values("date")
cols = [c for c in df.columns if c.startswith("f_")]
pipe = make_pipeline(SimpleImputer(strategy="median"), RobustScaler(), Ridge(alpha=10.0))

scores = cross_val_score(pipe, df[cols], df["fwd_ret_21d"], cv=TimeSeriesSplit(n_splits=6))
preds = []
for train_idx, test_idx in TimeSeriesSplit(n_splits=6).split(df):
    pipe.fit(df[cols].iloc[train_idx], df["fwd_ret_21d"].iloc[train_idx])
    preds.append(pipe.predict(df[cols].iloc[test_idx]))
print(scores.mean(), np.concatenate(preds).std())
