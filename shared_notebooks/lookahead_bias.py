# %% [markdown]
# # Lookahead bias: a leaky feature caught, a lagged one passed
#
# A ticker's recent alpha is a tempting feature. Built carelessly it contains the
# very outcome it is meant to predict, and every out-of-sample score built on it is
# inflated. `tr_core.assert_no_lookahead` tests a feature pipeline empirically: a
# value at time *t* must not change when the data after *t* is removed, and with
# `observed_at={"alpha": "label_end"}` a row's alpha counts as unknown until its
# outcome window closes.
#
# Three versions of "the ticker's recent alpha":
#
# 1. **rolling, unshifted**: mean of the last 5 alphas of the ticker, *including the
#    row's own* - a textbook leak;
# 2. **shifted by one row**: the last 5 *earlier* trades - still a leak, because an
#    earlier trade's alpha is only known 21 business days later;
# 3. **known outcomes only**: mean alpha of the ticker's trades whose outcome window
#    closed strictly before this trade - point-in-time safe.
#
# Run: `python shared_notebooks/lookahead_bias.py`.

# %%
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from xgboost import XGBRegressor

from tr_core import WalkForward, assert_no_lookahead, make_insider_trades
from tr_core.errors import LookaheadError
from tr_evaluation import evaluate_walk_forward

STARTED = time.perf_counter()
SEED = 0
N_TRADES = 8_000

market = make_insider_trades(N_TRADES, random_state=SEED)
frame, contract = market.frame, market.contract
T, END, ENT, Y = contract.time, contract.label_end, contract.entity, contract.target
print(f"{len(frame):,} trades of {frame[ENT].nunique():,} tickers; outcome horizon 21 days")

# %% [markdown]
# ## The three feature builders


# %%
def rolling_alpha(f: pd.DataFrame) -> pd.Series:
    """Mean alpha of the ticker's last 5 trades, this one included (leaks).

    Parameters
    ----------
    f : pandas.DataFrame
        Trades with the contract's columns.

    Returns
    -------
    pandas.Series
        One value per row of ``f``.
    """
    order = f.sort_values(T, kind="stable")
    # A deliberate leak: the row's own alpha is in its window; the check below catches it.
    means = order.groupby(ENT, sort=False)[Y].rolling(5, min_periods=1).mean()  # noqa: TR002 deliberate leak, caught below
    return means.reset_index(level=0, drop=True).reindex(f.index).rename("alpha_rolling")


def shifted_alpha(f: pd.DataFrame) -> pd.Series:
    """Mean alpha of the ticker's 5 previous trades (still leaks: not yet realized).

    Parameters
    ----------
    f : pandas.DataFrame

    Returns
    -------
    pandas.Series
    """
    order = f.sort_values(T, kind="stable")
    previous = order.groupby(ENT, sort=False)[Y].shift(1)
    # The second deliberate leak: a row shift does not wait for the outcome to close.
    means = previous.groupby(order[ENT], sort=False).rolling(5, min_periods=1).mean()  # noqa: TR002 deliberate leak, caught below
    return means.reset_index(level=0, drop=True).reindex(f.index).rename("alpha_shifted")


def known_alpha(f: pd.DataFrame) -> pd.Series:
    """Mean alpha of the ticker's trades whose outcome was known before this trade.

    An outcome is known once its window has closed: ``label_end`` strictly before
    the row's decision time. Rows with no known outcome yet stay NaN (never filled).

    Parameters
    ----------
    f : pandas.DataFrame

    Returns
    -------
    pandas.Series
    """
    known = f.loc[f[Y].notna(), [ENT, END, Y]].sort_values(END, kind="stable")
    per_ticker = known.groupby(ENT, sort=False)
    known = known.assign(n=per_ticker.cumcount() + 1, total=per_ticker[Y].cumsum())
    rows = f[[ENT, T]].assign(position=np.arange(len(f))).sort_values(T, kind="stable")
    # For each trade, the ticker's running totals at the last outcome closed strictly
    # before the trade (allow_exact_matches=False: closing on the same day is too late).
    merged = pd.merge_asof(
        rows,
        known[[ENT, END, "n", "total"]],
        left_on=T,
        right_on=END,
        by=ENT,
        allow_exact_matches=False,
    )
    values = np.full(len(f), np.nan)
    values[merged["position"].to_numpy()] = (merged["total"] / merged["n"]).to_numpy()
    return pd.Series(values, index=f.index, name="alpha_known")


builders: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "rolling, unshifted": rolling_alpha,
    "shifted by one row": shifted_alpha,
    "known outcomes only": known_alpha,
}

# %% [markdown]
# ## The lookahead check

# %%
verdicts = {}
for name, build in builders.items():
    try:
        report = assert_no_lookahead(build, frame, time=T, cutoffs=4, observed_at={Y: END})
    except LookaheadError as err:
        verdicts[name] = "CAUGHT"
        print(f"- {name}: CAUGHT\n    {str(err).splitlines()[0]}")
    else:
        verdicts[name] = "passes"
        print(f"- {name}: passes ({report.values_compared:,} values compared at 4 cutoffs)")

# %% [markdown]
# ## What the leak does to the score
#
# The same seeded XGBoost model over the same walk-forward folds (train before test,
# label windows purged), on the frame's own features plus one of the three.

# %%
features = list(contract.features)
augmented = frame.assign(**{name: build(frame) for name, build in builders.items()})
cv = WalkForward(3, times=T, label_ends=END, embargo=0.01)
# One thread: OpenMP threads spin on a busy machine and make small fits far slower.
model = XGBRegressor(
    n_estimators=100,
    max_depth=3,
    learning_rate=0.05,
    subsample=0.8,
    colsample_bytree=0.8,
    min_child_weight=20,
    n_jobs=1,
    random_state=SEED,
)
rows = {}
for name in ["frame's features only", *builders]:
    extra = [] if name not in builders else [name]
    result = evaluate_walk_forward(
        model,
        augmented,
        features=[*features, *extra],
        target=Y,
        cv=cv,
        n_buckets=10,
        verbose=False,
    )
    rows[name] = {
        "check": verdicts.get(name, "passes"),
        "oos_top_bucket": result.oos.top_bucket_return,
        "oos_ic": result.oos.ic,
    }
table = pd.DataFrame.from_dict(rows, orient="index")
honest = table.loc["frame's features only", "oos_top_bucket"]
table["vs_features_only"] = table["oos_top_bucket"] - honest
print(table.round(4).to_string())

# %% [markdown]
# ## Conclusions (computed from the run above)

# %%
leak = table.loc["rolling, unshifted"]
safe = table.loc["known outcomes only"]
print(
    f"The unshifted rolling alpha is {leak['check']} by the check; with it the out-of-sample "
    f"top bucket reads {leak['oos_top_bucket']:.4f} (IC {leak['oos_ic']:.3f}) against "
    f"{honest:.4f} without it - an inflation of {leak['vs_features_only']:+.4f} that no "
    "strategy could ever earn."
)
shifted = table.loc["shifted by one row"]
why = (
    "earlier trades' outcomes were not yet realized at the trade"
    if shifted["check"] == "CAUGHT"
    else "no cutoff happened to fall inside an open outcome window"
)
print(
    f"Shifting by one row is {shifted['check']}: {why} "
    f"(top bucket {shifted['oos_top_bucket']:.4f})."
)
print(
    f"The known-outcomes version {safe['check']}: top bucket {safe['oos_top_bucket']:.4f} "
    f"({safe['vs_features_only']:+.4f} vs the features alone) is a number a strategy can earn."
)
print(f"({time.perf_counter() - STARTED:.0f} s)")
