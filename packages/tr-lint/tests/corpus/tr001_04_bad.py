"""Feature builder used by the weekly insider screen."""

import pandas as pd


def build_features(trades: pd.DataFrame) -> pd.DataFrame:
    out = trades.sort_values(["ticker", "filing_date"]).copy()
    out["buy_value"] = out["insider_value"].where(out["side"] == "P")
    out["sell_value"] = out["insider_value"].where(out["side"] == "S")
    out = out.assign(
        buy_value=out["buy_value"].fillna(0),  # expect: TR001
        sell_value=out["sell_value"].fillna(0),  # expect: TR001
    )
    out["net_value"] = out["buy_value"] - out["sell_value"]
    out["is_officer"] = out["title"].str.contains("CEO|CFO|COO", na=False)
    return out


trades = pd.read_csv("data/form4.csv", parse_dates=["filing_date"])
features = build_features(trades)
features.to_parquet("data/features_weekly.parquet")
