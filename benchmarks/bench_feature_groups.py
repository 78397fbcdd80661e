"""FeatureGroupAnalyzer's own overhead against fitting the same XGBoost models by hand.

Issue target: on 5 groups over 500k rows (the synthetic market, its 4 groups plus
all features together), ``FeatureGroupAnalyzer.test_feature_groups`` is at most
10% slower than the bare work it wraps.

The floor, "by-hand XGBoost fit+predict", does for each group exactly what the
analyzer must do at least: ``dropna`` on the group's columns and the target (train
and test), fit the same ``XGBClassifier`` (same parameters, seed and threads) on
``alpha > 0``, and ``predict_proba`` on the test rows and on the training rows (the
analyzer scores its training rows too, for the overfit gap). The analyzer adds
its checks, the NaN audit, bucketing, AUC and IC on top.
"""

from __future__ import annotations

import pandas as pd
from harness import Bench

from tr_core.splits import time_train_test_split
from tr_core.synthetic import make_insider_trades
from tr_feature_selection.groups import FeatureGroupAnalyzer
from tr_feature_selection.models import default_model


def by_hand(train: pd.DataFrame, test: pd.DataFrame, groups: dict[str, list[str]]) -> None:
    """Per group: dropna, fit the default XGBClassifier, predict test and train rows."""
    for cols in groups.values():
        tr = train[[*cols, "alpha"]].dropna()
        te = test[[*cols, "alpha"]].dropna()
        model = default_model(random_state=0)
        model.fit(tr[cols], (tr["alpha"] > 0).astype("int8"))
        model.predict_proba(te[cols])
        model.predict_proba(tr[cols])


def run(bench: Bench) -> None:
    n = 50_000 if bench.quick else 500_000
    frame, truth = make_insider_trades(n, random_state=0)
    tr, te = time_train_test_split(frame, times="trade_date", test_size=0.2, label_ends="label_end")
    train, test = frame.iloc[tr], frame.iloc[te]
    groups = {name: list(cols) for name, cols in truth.groups.items()}
    groups["all"] = [c for cols in truth.groups.values() for c in cols]
    analyzer = FeatureGroupAnalyzer(random_state=0, verbose=False)
    bench.within(
        f"FeatureGroupAnalyzer, 5 groups, {n:,} rows",
        lambda: analyzer.test_feature_groups(train, test, groups),
        lambda: by_hand(train, test, groups),
        floor_name="by-hand XGBoost fit+predict",
        at_most=1.10,
        repeat=2,
    )
