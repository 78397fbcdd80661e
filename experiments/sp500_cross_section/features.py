"""Lagged price and volume features, known before the rebalance day's close.

Every window is computed inside the per-ticker groupby and followed by
``.shift(1)``: the value on day t uses closes up to day t-1 only. Returns are
summed log returns from :func:`cleaning.daily_returns`, so a flagged spin-off day
or a gap counts as no move rather than as a crash (``min_periods`` below the
window lets a short gap through; nothing is filled). The 52-week high is read on
that return-adjusted log price, not on the unadjusted close.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

GROUPS: dict[str, list[str]] = {
    "trend": ["mom_21d", "mom_63d", "mom_126d", "mom_12_1", "rev_5d", "dist_52w_high"],
    "risk": ["vol_21d", "vol_63d", "beta_126d", "hl_range_21d", "volume_z_63d"],
}
FEATURES = [f for group in GROUPS.values() for f in group]


def _lagged(frame: pd.DataFrame, column: str, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``fn`` applied to each ticker's ``column`` (already shifted by ``fn``)."""
    return frame.groupby("Name", sort=False)[column].transform(fn)


def build_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Every feature of :data:`GROUPS` for every row of the daily panel ``frame``.

    ``frame`` holds ``Name``, ``date``, ``r`` and ``r_index`` (daily log returns),
    ``high``, ``low`` and ``volume``, sorted by ticker and date.
    """
    # the market's return only on the days the stock has one, so beta pairs like days
    panel = frame.assign(
        r_mkt=frame["r_index"].where(frame["r"].notna()),
        log_volume=np.log(frame["volume"]),
        log_range=np.log(frame["high"] / frame["low"]),
        price=frame.groupby("Name", sort=False)["r"].cumsum(),
    )
    panel["r_x_mkt"] = panel["r"] * panel["r_mkt"]
    panel["mkt_sq"] = panel["r_mkt"] ** 2
    out = pd.DataFrame(index=frame.index)
    for days in (21, 63, 126):
        out[f"mom_{days}d"] = _lagged(
            panel, "r", lambda s, d=days: s.rolling(d, min_periods=int(0.8 * d)).sum().shift(1)
        )
    # 12-1 momentum: the year up to a month ago (days t-252 .. t-22)
    out["mom_12_1"] = _lagged(panel, "r", lambda s: s.rolling(231, min_periods=185).sum().shift(22))
    out["rev_5d"] = _lagged(panel, "r", lambda s: s.rolling(5, min_periods=4).sum().shift(1))
    high = _lagged(panel, "price", lambda s: s.rolling(252, min_periods=126).max().shift(1))
    out["dist_52w_high"] = _lagged(panel, "price", lambda s: s.shift(1)) - high
    for days in (21, 63):
        out[f"vol_{days}d"] = _lagged(
            panel, "r", lambda s, d=days: s.rolling(d, min_periods=int(0.8 * d)).std().shift(1)
        )
    means = {
        c: _lagged(panel, c, lambda s: s.rolling(126, min_periods=100).mean().shift(1))
        for c in ("r", "r_mkt", "r_x_mkt", "mkt_sq")
    }
    var_mkt = means["mkt_sq"] - means["r_mkt"] ** 2
    out["beta_126d"] = (means["r_x_mkt"] - means["r"] * means["r_mkt"]) / var_mkt
    out["hl_range_21d"] = _lagged(
        panel, "log_range", lambda s: s.rolling(21, min_periods=17).mean().shift(1)
    )
    vol_mean = _lagged(panel, "log_volume", lambda s: s.rolling(63, min_periods=50).mean().shift(1))
    vol_sd = _lagged(panel, "log_volume", lambda s: s.rolling(63, min_periods=50).std().shift(1))
    out["volume_z_63d"] = (_lagged(panel, "log_volume", lambda s: s.shift(1)) - vol_mean) / vol_sd
    return out[FEATURES]


def centered_momentum(frame: pd.DataFrame) -> pd.Series:
    """A leaky feature on purpose: a centered 21-day window reads 10 days ahead."""
    return _lagged(
        frame,
        "r",
        lambda s: s.rolling(21, center=True).sum(),  # noqa: TR002,TR007 the lookahead demo
    ).rename("mom_21d_centered")
