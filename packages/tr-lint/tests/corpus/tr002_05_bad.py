"""Insider flow: rolling buy value per ticker over the last 90 days of filings."""

import pandas as pd

form4 = pd.read_csv("data/form4.csv", parse_dates=["filing_date"])
form4 = form4.sort_values(["ticker", "filing_date"]).set_index("filing_date")

flow = form4.groupby("ticker")["insider_value"].rolling("90D").sum()  # expect: TR002
form4["buy_value_90d"] = flow.reset_index(level=0, drop=True).to_numpy()
form4["n_filings_90d"] = form4.groupby("ticker")["insider_value"].rolling("90D").count().to_numpy()  # expect: TR002
form4["value_chg"] = form4.groupby("ticker")["insider_value"].pct_change().shift(1)

form4 = form4.reset_index()
form4["fwd_ret_60d"] = form4["ret_60d_after"]
form4.to_parquet("data/insider_flow.parquet")
