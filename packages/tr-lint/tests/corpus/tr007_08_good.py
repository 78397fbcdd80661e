"""Cross-sectional standardisation per filing date (and one chart-only z-score)."""

import matplotlib.pyplot as plt
import pandas as pd

ev = pd.read_csv("data/insider_events.csv", parse_dates=["filing_date"])
by_date = ev.groupby("filing_date")["insider_value"]
ev["value_xs_z"] = (ev["insider_value"] - by_date.transform("mean")) / by_date.transform("std")
ev["cluster_xs_pct"] = ev.groupby("filing_date")["cluster_size"].rank(pct=True)

chart = (ev["insider_value"] - ev["insider_value"].mean()) / ev["insider_value"].std()  # noqa: TR007 chart only
chart.hist(bins=100)
plt.savefig("results/value_z_hist.png")
ev.to_parquet("data/xs_features.parquet")
