"""Count features: no Form 4 filing in the window really means zero insider buys."""

import pandas as pd

trades = pd.read_csv("data/form4_daily_counts.csv", parse_dates=["date"])
trades = trades.sort_values(["ticker", "date"])

trades["n_buys_90d"] = trades["n_buys_90d"].fillna(0)  # noqa: TR001 no filing = zero buys
trades["n_sells_90d"] = trades["n_sells_90d"].fillna(0)  # noqa: TR001 no filing = zero sells
trades["buy_sell_ratio"] = trades["n_buys_90d"] / (trades["n_sells_90d"] + 1)
trades["insider_value"] = trades["insider_value"].astype(float)

trades["fwd_ret_20d"] = trades.groupby("ticker")["close"].shift(-20) / trades["close"] - 1
trades["label"] = trades["fwd_ret_20d"].fillna(0) > 0
trades.to_parquet("data/count_features.parquet")
