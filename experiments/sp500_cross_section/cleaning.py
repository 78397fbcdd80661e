"""Read the S&P 500 daily file and the index, clean them loudly, build the 20-day label.

Every row dropped and every value set to missing is counted by reason in a
:class:`CleaningLog`; nothing is filled with a constant and there is no global
``dropna``. The known problems of ``all_stocks_5yr`` (see ``shared/data/README.md``)
are each handled by a named step:

- NaN opens/highs/lows, the one row with ``high < low``: the bad values become NaN
  (the close is still valid; only the high-low range feature reads them);
- zero volume on a trading day of a large cap: not a real count, set to NaN;
- internal gaps (DHR, O, ES, ICE, BMY, ORCL): the ticker is put on the index's
  trading calendar, so a gap is a run of missing days (never forward-filled); a
  return across the gap is lost, a label window that crosses it is dropped;
- unadjusted dividend/spin-off jumps (EBAY, NI, BAX, DISCA/DISCK, YUM, ARNC, BHGE):
  the day's return is set to missing (a holder did not lose it), and label windows
  holding it are dropped;
- one-day bad prints (LNT 2016-05-19 and the like): a close that jumps more than
  20 % and comes back the next day by at least 80 % of the move is set to missing;
- survivorship (membership as of early 2018): cannot be repaired here; it lifts the
  average name's excess return, so results are read as spreads between names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

STOCKS_FILE = "all_stocks_5yr.csv.gz"
INDEX_FILE = "GSPC_daily_1927_2023.csv.gz"
HORIZON = 20
LABEL = "fwd_excess_20d"

# Unadjusted corporate actions named in shared/data/README.md (plus BHGE's special
# dividend at the Baker Hughes / GE merger, 2017-07-05): (ticker, date, what).
CORPORATE_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("EBAY", "2015-07-20", "PayPal spin-off"),
    ("NI", "2015-07-02", "Columbia Pipeline spin-off"),
    ("BAX", "2015-07-01", "Baxalta spin-off"),
    ("DISCA", "2014-08-07", "share class split (DISCK)"),
    ("DISCK", "2014-08-07", "share class split"),
    ("YUM", "2016-11-01", "Yum China spin-off"),
    ("ARNC", "2016-11-01", "Alcoa Corp. separation"),
    ("BHGE", "2017-07-05", "special dividend at the GE merger"),
)
BAD_PRINT_MOVE = 0.20  # |log return| of the suspect day
BAD_PRINT_REVERSAL = 0.80  # share of the move undone the next day


@dataclass
class CleaningLog:
    """Rows dropped and values set to missing, by step, in the order they happened."""

    rows: list[dict[str, object]] = field(default_factory=list)

    def add(self, step: str, what: str, count: int, rows_left: int | None = None) -> None:
        """Record one step and print it."""
        self.rows.append({"step": step, "what": what, "count": int(count), "rows_left": rows_left})
        left = "" if rows_left is None else f" ({rows_left:,} rows left)"
        print(f"  {step[:52]:<52} {what:<12} {int(count):>8,}{left}", flush=True)

    def to_frame(self) -> pd.DataFrame:
        """The log as a table."""
        return pd.DataFrame(self.rows, columns=["step", "what", "count", "rows_left"])


def read_stocks(path: Path) -> pd.DataFrame:
    """The daily file as published, dates parsed (ISO format, nothing guessed)."""
    frame = pd.read_csv(path, dtype={"Name": str})
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame


def read_index(path: Path) -> pd.Series:
    """S&P 500 closes by trading day (the index has no dividends to adjust for here)."""
    frame = pd.read_csv(path, usecols=["Date", "Close"])
    frame["Date"] = pd.to_datetime(frame["Date"], format="%Y-%m-%d")
    return frame.set_index("Date")["Close"].rename("index_close").sort_index()


def clean(raw: pd.DataFrame, index: pd.Series, log: CleaningLog) -> pd.DataFrame:
    """The cleaned panel on the index's trading calendar: one row per ticker and day."""
    frame = raw.copy()
    log.add("rows as published", "rows", len(frame), len(frame))

    duplicated = frame.duplicated(["Name", "date"], keep="first")
    frame = frame.loc[~duplicated]
    log.add("duplicate (ticker, date) rows", "rows dropped", duplicated.sum(), len(frame))

    bad_close = ~(frame["close"] > 0)  # NaN or non-positive: no price at all
    frame = frame.loc[~bad_close]
    log.add("close missing or <= 0", "rows dropped", bad_close.sum(), len(frame))

    calendar = index.loc[frame["date"].min() : frame["date"].max()].index
    off_calendar = ~frame["date"].isin(calendar)
    frame = frame.loc[~off_calendar]
    log.add("date not an index trading day", "rows dropped", off_calendar.sum(), len(frame))

    for column in ("open", "high", "low"):
        missing = frame[column].isna()
        log.add(f"{column} NaN (close valid: row kept)", "values NaN", missing.sum())
    inverted = frame["high"] < frame["low"]
    frame.loc[inverted, ["high", "low"]] = np.nan
    log.add("high < low: high and low set NaN", "values NaN", 2 * inverted.sum())

    zero_volume = frame["volume"] <= 0
    frame["volume"] = frame["volume"].astype(float).where(~zero_volume)
    log.add("zero volume on a trading day: NaN", "values NaN", zero_volume.sum())

    frame = on_calendar(frame, calendar, log)
    frame = frame.merge(index.rename("index_close"), left_on="date", right_index=True)
    frame = drop_bad_prints(frame, log)
    frame = mark_corporate_actions(frame, log)
    return frame.sort_values(["Name", "date"], kind="stable").reset_index(drop=True)


def on_calendar(frame: pd.DataFrame, calendar: pd.DatetimeIndex, log: CleaningLog) -> pd.DataFrame:
    """Every ticker from its first to its last day on the trading calendar; gaps stay NaN."""
    parts = []
    inserted = 0
    for name, group in frame.groupby("Name", sort=True):
        days = calendar[(calendar >= group["date"].min()) & (calendar <= group["date"].max())]
        full = group.set_index("date").reindex(days).rename_axis("date").reset_index()
        full["Name"] = name
        inserted += len(full) - len(group)
        parts.append(full)
    out = pd.concat(parts, ignore_index=True)
    gaps = out.loc[out["close"].isna()].groupby("Name").size().sort_values(ascending=False)
    listed = ", ".join(f"{k} {v}" for k, v in gaps.head(8).items())
    log.add(f"gap days inserted as NaN ({listed})", "rows added", inserted, len(out))
    return out


def drop_bad_prints(frame: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """Set to NaN a close that jumps > 20 % and is undone >= 80 % the next day."""
    log_close = np.log(frame["close"])
    by_name = log_close.groupby(frame["Name"], sort=False)
    # cleaning, not a feature: a print is judged bad by the next close (noqa reasons)
    into = by_name.diff()  # noqa: TR002 cleaning step, not a model input
    out_of = -by_name.diff(-1)  # noqa: TR002,TR003 cleaning: the next close tells a bad print
    bad = (
        (into.abs() > BAD_PRINT_MOVE)
        & (np.sign(into) != np.sign(out_of))
        & (out_of.abs() >= BAD_PRINT_REVERSAL * into.abs())
    )
    listed = ", ".join(f"{n} {d:%Y-%m-%d}" for n, d in frame.loc[bad, ["Name", "date"]].values)
    frame = frame.copy()
    frame.loc[bad, ["open", "high", "low", "close"]] = np.nan
    log.add(f"one-day bad prints: close NaN ({listed})", "values NaN", bad.sum())
    return frame


def mark_corporate_actions(frame: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """Flag the unadjusted corporate-action days: their return is not a holder's return."""
    frame = frame.copy()
    frame["corporate_action"] = False
    found = 0
    for name, day, _what in CORPORATE_ACTIONS:
        hit = (frame["Name"] == name) & (frame["date"] == pd.Timestamp(day))
        frame.loc[hit, "corporate_action"] = True
        found += int(hit.sum())
    log.add("unadjusted spin-off/dividend days flagged", "returns NaN", found)
    return frame


def daily_returns(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-ticker close-to-close log returns (NaN across gaps and on flagged days)."""
    log_close = np.log(frame["close"])
    # raw daily returns, not features: every feature built on them is shifted by a day
    r = log_close.groupby(frame["Name"], sort=False).diff()  # noqa: TR002 input, shifted later
    r = r.where(~frame["corporate_action"])
    index_close = np.log(frame["index_close"]).groupby(frame["Name"], sort=False)
    r_index = index_close.diff()  # noqa: TR002 input of the beta window, shifted there
    return frame.assign(r=r, r_index=r_index)


def add_label(frame: pd.DataFrame, log: CleaningLog) -> pd.DataFrame:
    """The forward 20-day return in excess of the index, and the day its window closes.

    ``fwd_excess_20d`` at day t = exp(sum of the stock's log returns t+1..t+20) -
    exp(same for the index): a fraction. It needs all 20 returns; a window that holds
    a gap, a bad print or a corporate-action day has no label (counted at sampling).
    ``label_end`` is the trading day t+20 (NaT past the end of the data).
    """
    by_name = frame.groupby("Name", sort=False)
    fwd_stock = by_name["r"].transform(
        lambda s: s.rolling(HORIZON, min_periods=HORIZON).sum().shift(-HORIZON)
    )
    fwd_index = by_name["r_index"].transform(
        lambda s: s.rolling(HORIZON, min_periods=HORIZON).sum().shift(-HORIZON)
    )
    fwd_label_end = by_name["date"].shift(-HORIZON)
    return frame.assign(
        fwd_excess_20d=np.exp(fwd_stock) - np.exp(fwd_index),
        label_end=fwd_label_end,
    )
