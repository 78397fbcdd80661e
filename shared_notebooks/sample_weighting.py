# %% [markdown]
# # Which sample weights lift the out-of-sample top bucket?
#
# tr-sample-weighting's weighters change only how much each training row counts in
# the fit. The figure of merit is the one a strategy trades on: the mean realized
# alpha of the top bucket (of 10) of the model's out-of-sample scores, over
# walk-forward folds (train strictly before test, label windows purged, 1 % embargo).
# Evaluation is never weighted: every weighter is judged on the same rows the same way.
#
# Weighters (each computed on the training rows of each fold only):
#
# * **unweighted**;
# * **alpha power** `|alpha|^1.5`, clipped to 0.1-10 (big outcomes teach more);
# * **magnitude** `|alpha|`;
# * **uniqueness**: the average uniqueness of a row's label window (overlapping
#   outcomes share information, so they count less; López de Prado, 2018, ch. 4);
# * **time decay**: older rows count less (linearly down to 0.5);
# * **alpha power x uniqueness**.
#
# Run: `python shared_notebooks/sample_weighting.py`.

# %%
from __future__ import annotations

import time

import pandas as pd
from xgboost import XGBRegressor

from tr_core import WalkForward, make_insider_trades
from tr_evaluation import evaluate_walk_forward
from tr_sample_weighting import (
    AlphaPowerWeighter,
    MagnitudeWeighter,
    TimeDecayWeighter,
    UniquenessWeighter,
)

STARTED = time.perf_counter()
SEED = 0
N_TRADES = 8_000
N_FOLDS = 4
N_BUCKETS = 10

market = make_insider_trades(N_TRADES, random_state=SEED)
frame, contract = market.frame, market.contract
features = list(contract.features)
print(f"{len(frame):,} trades, alpha std {frame[contract.target].std():.3f} (a fraction)")

# %%
alpha_power = AlphaPowerWeighter.from_contract(contract, power=1.5, clip=(0.1, 10.0))
uniqueness = UniquenessWeighter.from_contract(contract)
weighters = {
    "unweighted": None,
    "alpha power 1.5": alpha_power.normalized("mean"),
    "magnitude": MagnitudeWeighter.from_contract(contract, normalize="mean"),
    "uniqueness": uniqueness.normalized("mean"),
    "time decay (oldest 0.5)": TimeDecayWeighter.from_contract(
        contract, oldest=0.5, normalize="mean"
    ),
    "alpha power x uniqueness": (alpha_power * uniqueness).normalized("mean"),
}

# %% [markdown]
# ## Walk-forward evaluation, one model per weighter
#
# The same seeded model, the same folds; only `sample_weight` changes.

# %%
cv = WalkForward(N_FOLDS, times=contract.time, label_ends=contract.label_end, embargo=0.01)
# One thread: OpenMP threads spin on a busy machine and make small fits far slower.
model = XGBRegressor(
    n_estimators=120,
    max_depth=3,
    learning_rate=0.05,
    subsample=0.8,
    colsample_bytree=0.8,
    min_child_weight=20,
    n_jobs=1,
    random_state=SEED,
)
results = {
    name: evaluate_walk_forward(
        model,
        frame,
        features=features,
        target=contract.target,
        cv=cv,
        sample_weight=weighter,
        entities=contract.entity,
        n_buckets=N_BUCKETS,
        verbose=False,
    )
    for name, weighter in weighters.items()
}

# %%
per_fold = pd.DataFrame({name: res.to_frame()["test_top_return"] for name, res in results.items()})
print("out-of-sample top-bucket alpha per fold:")
print(per_fold.round(4).to_string())

base = per_fold["unweighted"]
table = pd.DataFrame(
    {
        "mean_fold_top_bucket": per_fold.mean(),
        "pooled_top_bucket": {n: r.oos.top_bucket_return for n, r in results.items()},
        "pooled_ic": {n: r.oos.ic for n, r in results.items()},
        "mean_fold_diff_vs_unweighted": (per_fold.sub(base, axis=0)).mean(),
        "sd_fold_diff": (per_fold.sub(base, axis=0)).std(ddof=1),
        "folds_better": (per_fold.gt(base, axis=0)).sum(),
        "overfit_gap_top": {n: r.overfit_gap["top_bucket_return"] for n, r in results.items()},
    }
)
print("\npooled over the folds, and the fold-by-fold difference to unweighted:")
print(table.round(4).to_string())

# %% [markdown]
# ## Conclusions (computed from the run above)
#
# The weighters are ranked by their mean top bucket over the folds (each fold's
# buckets cut on that fold's scores; the pooled figure cuts one set of buckets over
# all folds' scores, so a fold with higher scores takes more of the pooled top). A
# mean fold difference within two standard errors of zero (`sd_fold_diff` /
# sqrt(folds)) is not a finding. One market and one seed;
# `experiments/weighting_study/run.py` repeats the question over ten seeds.

# %%
others = table.drop(index="unweighted")
best = others["mean_fold_top_bucket"].idxmax()
diff = others.loc[best, "mean_fold_diff_vs_unweighted"]
stderr = others.loc[best, "sd_fold_diff"] / N_FOLDS**0.5
unweighted = table.loc["unweighted", "mean_fold_top_bucket"]
print(
    f"Unweighted top bucket, mean over folds: {unweighted:.4f}; "
    f"best weighter: {best} at {others.loc[best, 'mean_fold_top_bucket']:.4f} "
    f"(better in {int(others.loc[best, 'folds_better'])}/{N_FOLDS} folds)."
)
clear = abs(diff) > 2 * stderr
print(
    f"Its mean fold difference {diff:+.4f} is {'beyond' if clear else 'within'} two standard "
    f"errors ({2 * stderr:.4f}): "
    f"{'a lift worth testing on more seeds' if clear else 'not distinguishable from noise here'}."
)
worst = others["mean_fold_top_bucket"].idxmin()
print(f"Lowest: {worst} at {others.loc[worst, 'mean_fold_top_bucket']:.4f}.")
print(f"({time.perf_counter() - STARTED:.0f} s)")
