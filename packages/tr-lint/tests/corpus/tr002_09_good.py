"""End-of-day signal traded at the next open: same-day windows are known when we trade."""

import pandas as pd

px = pd.read_csv("data/eod_prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")["close"]

px["ret_1d"] = g.pct_change()  # noqa: TR002 signal formed after the close, traded next open
px["ma_10"] = g.transform(lambda s: s.rolling(10).mean())  # noqa: TR002 same: after the close
px["signal"] = (px["close"] > px["ma_10"]).astype(int)

next_open = px.groupby("ticker")["open"]
px["fwd_ret_1d"] = next_open.shift(-2) / next_open.shift(-1) - 1
px["strategy_ret"] = px["signal"] * px["fwd_ret_1d"]
px.to_parquet("data/eod_signal.parquet")
