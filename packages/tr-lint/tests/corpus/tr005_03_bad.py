"""Three models on three views of the same events."""

import pandas as pd
from xgboost import XGBClassifier

events = pd.read_csv("data/insider_events.csv", parse_dates=["filing_date"])
events.dropna(inplace=True)  # expect: TR005

insider_cols = ["cluster_size", "insider_value_lag", "own_chg_pct"]
price_cols = ["ret_1m_lag", "ret_3m_lag", "vol_60_lag"]
fund_cols = ["pe_ratio", "pb_ratio", "roe", "fcf_yield"]

m_insider = XGBClassifier(n_estimators=200).fit(events[insider_cols], events["label"])
m_price = XGBClassifier(n_estimators=200).fit(events[price_cols], events["label"])
m_fund = XGBClassifier(n_estimators=200).fit(events[fund_cols], events["label"])
events["score"] = (
    m_insider.predict_proba(events[insider_cols])[:, 1]
    + m_price.predict_proba(events[price_cols])[:, 1]
    + m_fund.predict_proba(events[fund_cols])[:, 1]
) / 3
