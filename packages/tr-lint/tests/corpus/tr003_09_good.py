"""Event-study plot: average return after the filing (a chart, reviewed)."""

import matplotlib.pyplot as plt
import pandas as pd

ev = pd.read_csv("data/insider_events.csv", parse_dates=["filing_date"])
px = pd.read_csv("data/prices.csv", parse_dates=["date"]).sort_values(["ticker", "date"])
g = px.groupby("ticker")["close"]

curves = {}
for k in (1, 5, 10, 20):
    after = g.shift(-k) / px["close"] - 1  # noqa: TR003 event-study chart, not a feature
    curves[k] = after[px["date"].isin(ev["filing_date"])].mean()
plt.plot(list(curves), list(curves.values()))
plt.savefig("results/event_study.png")
