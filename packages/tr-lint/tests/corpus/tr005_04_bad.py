"""Per-group models for the ensemble, as the notebook's train() helper."""

import pandas as pd
from sklearn.linear_model import Ridge

FEATURE_GROUPS = {
    "insider": ["insider_value_lag", "cluster_size", "own_chg_pct"],
    "technical": ["ret_5d_lag", "ret_21d_lag", "rsi_14_lag"],
    "sentiment": ["news_tone_lag", "analyst_rev_lag"],
}


def train_group_models(frame: pd.DataFrame) -> dict[str, Ridge]:
    cols = sum(FEATURE_GROUPS.values(), [])
    clean = frame[cols + ["fwd_ret_21d", "date"]].dropna(how="any")  # expect: TR005
    models = {}
    for group, features in FEATURE_GROUPS.items():
        models[group] = Ridge(alpha=1.0).fit(clean[features], clean["fwd_ret_21d"])
    return models


data = pd.read_parquet("data/features.parquet")
group_models = train_group_models(data[data["date"] < "2020-01-01"])
