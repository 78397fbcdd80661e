"""Fill gaps in the slow fundamentals before merging with filings."""

import pandas as pd

fund = pd.read_csv("data/quarterly_fundamentals.csv", parse_dates=["report_date"])
fund = fund.sort_values(["ticker", "report_date"])

fund["book_value"] = fund.groupby("ticker")["book_value"].bfill()  # expect: TR007
fund["eps_ttm"] = fund.groupby("ticker")["eps_ttm"].fillna(method="bfill")  # expect: TR007
fund["shares_out"] = fund["shares_out"].bfill(limit=2)  # expect: TR007
fund["roe"] = fund["net_income_ttm"] / fund["book_value"]

trades = pd.read_csv("data/insider_trades.csv", parse_dates=["filing_date"])
merged = pd.merge_asof(
    trades.sort_values("filing_date"), fund, left_on="filing_date", right_on="report_date", by="ticker"
)
merged.to_parquet("data/trades_with_fundamentals.parquet")
