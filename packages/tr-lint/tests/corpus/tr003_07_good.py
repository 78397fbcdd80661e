"""Label helpers shared by the research notebooks."""

import pandas as pd


def forward_returns(prices: pd.DataFrame, horizon: int) -> pd.Series:
    nxt = prices.groupby("ticker")["close"].shift(-horizon)
    return nxt / prices["close"] - 1


def make_labels(prices: pd.DataFrame) -> pd.Series:
    ahead = prices.groupby("ticker")["close"].shift(-21)
    return (ahead > prices["close"] * 1.02).astype(int)


def fwd_max_drawdown(prices: pd.DataFrame) -> pd.Series:
    lead = prices.groupby("ticker")["low"].shift(-1)
    return lead / prices["close"] - 1


prices = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
prices["fwd_ret_21d"] = forward_returns(prices, 21)
prices["label"] = make_labels(prices)
prices["fwd_mdd_1d"] = fwd_max_drawdown(prices)
