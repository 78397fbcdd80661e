"""Prepare arrays for the insider model (called from the training notebook)."""

import pandas as pd
from sklearn.impute import KNNImputer
from sklearn.preprocessing import MaxAbsScaler


def prepare(trades: pd.DataFrame, cutoff: str):
    features = ["insider_value_lag", "own_chg_pct", "cluster_size", "pe_ratio", "ret_3m_lag"]
    imputer = KNNImputer(n_neighbors=10)
    filled = pd.DataFrame(imputer.fit_transform(trades[features]), columns=features, index=trades.index)  # expect: TR006
    mas = MaxAbsScaler().fit(filled)  # expect: TR006
    scaled = pd.DataFrame(mas.transform(filled), columns=features, index=trades.index)
    is_train = trades["filing_date"] < cutoff
    labels = trades["label"]
    return scaled[is_train], scaled[~is_train], labels[is_train], labels[~is_train]


trades = pd.read_csv("data/insider_trades.csv", parse_dates=["filing_date"])
X_train, X_test, y_train, y_test = prepare(trades, "2021-01-01")
