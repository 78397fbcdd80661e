"""Forward fills and trailing windows only; whole-sample numbers are printed, not used."""

import pandas as pd

fund = pd.read_csv("data/quarterly_fundamentals.csv", parse_dates=["report_date"])
fund = fund.sort_values(["ticker", "report_date"])
g = fund.groupby("ticker")

fund["book_value"] = g["book_value"].ffill()
fund["eps_ttm"] = g["eps_ttm"].fillna(method="ffill")
fund["eps_trend"] = g["eps_ttm"].transform(lambda s: s.rolling(4, center=False).mean().shift(1))
fund["n_quarters_seen"] = g.cumcount()
print("mean ROE", (fund["net_income_ttm"] / fund["book_value"]).mean())
print(fund[["book_value", "eps_ttm"]].describe())
fund.to_parquet("data/fundamentals_ffill.parquet")
