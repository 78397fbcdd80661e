"""Compare feature sets v1..v3 of the momentum model."""

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

FEATURE_SETS = [
    ("v1", ["ret_1m_lag", "ret_12m_lag"]),
    ("v2", ["ret_1m_lag", "ret_12m_lag", "vol_60_lag", "turnover_lag"]),
    ("v3", ["ret_1m_lag", "ret_12m_lag", "vol_60_lag", "turnover_lag", "insider_value_lag"]),
]

panel = pd.read_parquet("data/momentum_panel.parquet")
panel = panel.sort_values("date").dropna()  # expect: TR005
cut = panel["date"] < "2019-01-01"

for version, cols in FEATURE_SETS:
    model = HistGradientBoostingClassifier(max_iter=200)
    model.fit(panel.loc[cut, cols], panel.loc[cut, "label"])
    print(version, model.score(panel.loc[~cut, cols], panel.loc[~cut, "label"]))
