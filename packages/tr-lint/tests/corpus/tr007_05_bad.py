"""Composite insider score: percentile ranks averaged."""

import pandas as pd

ev = pd.read_csv("data/insider_events.csv", parse_dates=["filing_date"])
ev = ev.assign(
    value_pct=ev["insider_value"].rank(pct=True),  # expect: TR007
    cluster_pct=ev["cluster_size"].rank(pct=True),  # expect: TR007
    xs_mom_pct=ev.groupby("filing_date")["ret_3m_lag"].rank(pct=True),
)
ev["score"] = (ev["value_pct"] + ev["cluster_pct"] + ev["xs_mom_pct"]) / 3
ev["score_z"] = (
    (ev["score"] - ev["score"].mean()) / ev["score"].std()  # expect: TR007
)
top = ev[ev["score"] > 0.8]
print(top.groupby(top["filing_date"].dt.year)["fwd_ret_60d"].mean())
