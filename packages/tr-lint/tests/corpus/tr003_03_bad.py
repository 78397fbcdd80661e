"""Earnings-drift features: the helper is reused by the live screen."""

import pandas as pd


def make_features(df: pd.DataFrame) -> pd.DataFrame:
    g = df.groupby("ticker")
    df["eps_surprise"] = df["eps_actual"] / df["eps_estimate"] - 1
    df["rev_next_q"] = g["revenue"].shift(-1)  # expect: TR003
    df["guidance_chg"] = g["guidance_mid"].shift(-1) - df["guidance_mid"]  # expect: TR003
    return df


def make_targets(df: pd.DataFrame) -> pd.DataFrame:
    df["drift_60d"] = df.groupby("ticker")["close"].shift(-60) / df["close"] - 1
    return df


quarters = pd.read_csv("data/earnings.csv", parse_dates=["report_date"])
quarters = make_targets(make_features(quarters.sort_values(["ticker", "report_date"])))
quarters.to_parquet("data/earnings_drift.parquet")
