"""Load and clean the OpenInsider CEO-purchase file and build the excess-return target.

Every row that is dropped or every value that is set to missing is counted by
reason; nothing is filled with a constant. The data's problems (documented in
``shared/data/README.md`` and found while building this study):

* forward prices coded ``0.0`` when missing (the "zero is not missing" trap);
* a base ``Price`` of ``0.0`` (missing as well), a negative one, and NaN;
* exact duplicates that differ only in the scraper's ``idx`` counter;
* ``ΔOwn`` holding the text ``"New"`` for a first position;
* ``Value``/``Owned`` saturated at 2,147,483,647 (the int32 maximum);
* raw returns, not excess returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

HORIZONS = ("2w", "1m", "2m", "3m", "4m", "5m", "6m", "7m", "8m", "9m", "10m", "11m", "1yr", "2yr")
INT32_MAX = 2_147_483_647
INSIDER_FILE = "insider_ceo_purchases_2012_2021.csv.gz"
MARKET_FILE = "GSPC_daily_1927_2023.csv.gz"


@dataclass
class CleaningLog:
    """Counts of what cleaning removed or set to missing, in the order it happened."""

    steps: list[tuple[str, int, int]] = field(default_factory=list)

    def add(self, step: str, affected: int, rows_left: int) -> None:
        """Record one step: how many rows/values it touched and the rows left after it."""
        self.steps.append((step, int(affected), int(rows_left)))

    def to_frame(self) -> pd.DataFrame:
        """One row per step."""
        return pd.DataFrame(self.steps, columns=["step", "rows affected", "rows left"])


def read_raw(data_dir: Path) -> pd.DataFrame:
    """The insider file as published (strings for dates, text in ``ΔOwn``)."""
    return pd.read_csv(data_dir / INSIDER_FILE)


def read_market(data_dir: Path) -> pd.Series:
    """S&P 500 close (price index) by trading day."""
    gspc = pd.read_csv(data_dir / MARKET_FILE, usecols=["Date", "Adj Close"])
    series = pd.Series(
        gspc["Adj Close"].to_numpy(dtype=float),
        index=pd.DatetimeIndex(pd.to_datetime(gspc["Date"], format="%Y-%m-%d")),
        name="gspc",
    )
    return series.sort_index()


def zero_trap(raw: pd.DataFrame, horizon: str = "3m") -> dict[str, float]:
    """Mean raw return at ``horizon`` with the 0.0 codes taken at face value vs as missing.

    "Kept" is what a careless reader gets: every finite published return, which
    includes the 0.0 % written where the forward price (or the base price) is a
    0.0 code. "Missing" keeps only rows whose base and forward prices are both
    positive.
    """
    pct = raw[f"{horizon}%"]
    finite = np.isfinite(pct)
    valid = finite & raw["Price"].gt(0) & raw[horizon].gt(0)
    kept = pct[finite] / 100.0
    treated = pct[valid] / 100.0
    return {
        "rows_kept": int(finite.sum()),
        "rows_valid": int(valid.sum()),
        "rows_fake_zero": int((finite & ~valid & pct.eq(0.0)).sum()),
        "mean_zeros_kept": float(kept.mean()),
        "mean_zeros_missing": float(treated.mean()),
        "median_zeros_kept": float(kept.median()),
        "median_zeros_missing": float(treated.median()),
    }


def clean(raw: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """A cleaned copy of ``raw``: typed dates, missing values as NaN, flags for codes.

    Rows are only dropped for being exact duplicates; every other problem becomes
    NaN in the affected value (and is counted), so that each use decides what it
    needs.
    """
    log.add("raw file", 0, len(raw))
    frame = raw.drop_duplicates(subset=[c for c in raw.columns if c != "idx"]).copy()
    log.add(
        "exact duplicates (all columns but the scraper's idx)", len(raw) - len(frame), len(frame)
    )
    frame["filing_date"] = pd.to_datetime(frame["Filing_Date"], format="%Y-%m-%d")
    frame["trade_date"] = pd.to_datetime(frame["Trade_Date"], format="%Y-%m-%d")
    bad_base = ~(frame["Price"] > 0)
    log.add("base Price 0.0, negative or NaN -> NaN (no return base)", bad_base.sum(), len(frame))
    frame["Price"] = frame["Price"].where(~bad_base)
    for h in HORIZONS:
        zero = frame[h].eq(0.0)
        frame[h] = frame[h].where(~zero)
        frame[f"{h}%"] = frame[f"{h}%"].where(~zero & ~bad_base)
    zero_3m = raw.loc[frame.index, "3m"].eq(0.0)
    log.add(
        "3m forward price 0.0 -> NaN (missing, not a -100 %/0 % return)", zero_3m.sum(), len(frame)
    )
    new = frame["ΔOwn"].astype(str).str.strip().eq("New")
    frame["delta_own_new"] = new.astype(float)
    frame["delta_own_pct"] = pd.to_numeric(frame["ΔOwn"].where(~new), errors="raise").astype(float)
    log.add('ΔOwn "New" -> new-position flag 1, ownership change % NaN', new.sum(), len(frame))
    for col in ("Value", "Owned"):
        capped = frame[col].ge(INT32_MAX)
        frame[col] = frame[col].where(~capped)
        log.add(f"{col} saturated at the int32 maximum -> NaN", capped.sum(), len(frame))
    return frame


def missing_by_year(frame: pd.DataFrame, horizon: str = "3m") -> pd.DataFrame:
    """Per filing year: purchases, and how many have no ``horizon`` return (and the share).

    A forward price can be missing because the ticker stopped trading (delisted,
    acquired, bankrupt): if so the kept rows over-represent survivors.
    """
    missing = frame[f"{horizon}%"].isna()
    year = frame["filing_date"].dt.year.rename("filing year")
    out = pd.DataFrame(
        {"purchases": missing.groupby(year).size(), "no return": missing.groupby(year).sum()}
    )
    out["share missing"] = out["no return"] / out["purchases"]
    return out


def check_returns(frame: pd.DataFrame, horizon: str = "3m") -> float:
    """Largest |published % return - 100 (P_h / Price - 1)| on rows where both exist.

    Confirms that the published returns are price ratios from the trade-date price.
    """
    recomputed = 100.0 * (frame[horizon] / frame["Price"] - 1.0)
    diff = (frame[f"{horizon}%"] - recomputed).abs().dropna()
    return float(diff.max())


def market_price_at(market: pd.Series, when: pd.Series) -> np.ndarray:
    """Close on the last trading day on or before each date (NaN before the first day)."""
    pos = market.index.searchsorted(pd.DatetimeIndex(when), side="right") - 1
    values = market.to_numpy(dtype=float)[np.maximum(pos, 0)]
    return np.where(pos >= 0, values, np.nan)


def add_target(
    frame: pd.DataFrame, market: pd.Series, log: CleaningLog, horizon: str, months: int
) -> pd.DataFrame:
    """Excess return over the S&P 500 at ``horizon``, its window end, and the tradable rows.

    ``stock_return = horizon% / 100`` (from the trade-date price, as published);
    ``market_return`` = S&P 500 close at ``trade_date + months`` over the close at
    ``trade_date`` (last trading day on or before each date); ``alpha`` is their
    difference. ``label_end = trade_date + months``. Rows whose window has closed
    before the filing (the trade could not be acted on at all) and rows without a
    return are dropped and counted.
    """
    out = frame.copy()
    out["label_end"] = out["trade_date"] + pd.DateOffset(months=months)
    out["stock_return"] = out[f"{horizon}%"] / 100.0
    start = market_price_at(market, out["trade_date"])
    end = market_price_at(market, out["label_end"])
    out["market_return"] = end / start - 1.0
    out["alpha"] = out["stock_return"] - out["market_return"]
    stale = out["label_end"] < out["filing_date"]
    out = out.loc[~stale]
    log.add(f"filed after the {horizon} window closed (not tradable)", stale.sum(), len(out))
    missing = out["alpha"].isna()
    out = out.loc[~missing]
    log.add(f"no {horizon} return (base or forward price missing)", missing.sum(), len(out))
    return out
