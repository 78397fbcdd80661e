"""Diagnostics of the backtest: nothing here feeds a model."""

import matplotlib.pyplot as plt
import pandas as pd

bt = pd.read_csv("results/backtest_daily.csv", parse_dates=["date"])
bt = bt.set_index("date").sort_index()

fig, axes = plt.subplots(2, 1, figsize=(10, 6))
(bt["pnl"].rolling(252).mean() / bt["pnl"].rolling(252).std() * 252**0.5).plot(ax=axes[0])
bt["equity"].pct_change().rolling(63).std().plot(ax=axes[1], title="63d vol")
print(bt["equity"].pct_change().describe())
print("max drawdown:", (bt["equity"] / bt["equity"].cummax() - 1).min())
fig.savefig("results/diagnostics.png")
