"""Labels and features for the momentum notebook, as two functions."""

import pandas as pd


def make_forward_labels(prices: pd.DataFrame, horizon: int = 21) -> pd.Series:
    fwd_ret = prices.groupby("ticker")["close"].shift(-horizon) / prices["close"] - 1
    fwd_ret = fwd_ret.fillna(0.0)
    return fwd_ret


def fill_fundamentals(frame: pd.DataFrame) -> pd.DataFrame:
    slow = ["book_value", "eps_ttm", "shares_out"]
    frame[slow] = frame.groupby("ticker")[slow].ffill(limit=63)
    return frame


prices = pd.read_csv("data/prices.csv", parse_dates=["date"])
prices = fill_fundamentals(prices.sort_values(["ticker", "date"]))
prices["fwd_ret_21d"] = make_forward_labels(prices)
prices.to_parquet("data/momentum_inputs.parquet")
