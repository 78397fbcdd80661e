"""Build X for the gradient-boosting screen straight from a dict of series."""

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
close = px.groupby("ticker")["close"]

X = pd.DataFrame(
    {
        "mom_60": px["mom_60_lag"],
        "rev_5": px["rev_5_lag"],
        "close_tmrw": close.shift(-1),  # expect: TR003
    }
)
target = (close.shift(-21) / px["close"] - 1 > 0).astype(int)
train_mask = px["date"] < "2019-01-01"
clf = HistGradientBoostingClassifier(max_iter=300)
clf.fit(X[train_mask], target[train_mask])
