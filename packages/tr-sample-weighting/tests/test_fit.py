"""Weights plug straight into scikit-learn and XGBoost ``fit(sample_weight=...)``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LinearRegression

from tr_sample_weighting import AlphaPowerWeighter, UniquenessWeighter


def make_frame(n: int, seed: int) -> pd.DataFrame:
    """Two regimes: for small |alpha| y = -x (noise), for large |alpha| y = +x (signal)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    big = rng.random(n) < 0.3
    alpha = np.where(big, 0.08, 0.002) * np.sign(rng.normal(size=n))
    y = np.where(big, x, -x)
    t = pd.Timestamp("2022-01-03") + pd.to_timedelta(rng.integers(0, 400, n), unit="D")
    return pd.DataFrame({"x": x, "y": y, "alpha": alpha, "t": t, "end": t + pd.Timedelta("20D")})


def test_sklearn_fit_follows_the_heavy_rows() -> None:
    frame = make_frame(600, 0)
    weights = AlphaPowerWeighter(scale="fraction", column="alpha", normalize="mean")(frame)
    plain = LinearRegression().fit(frame[["x"]], frame["y"])
    weighted = LinearRegression().fit(frame[["x"]], frame["y"], sample_weight=weights)
    # Unweighted, 70% of rows say slope -1; weighted, the 30% with |alpha| = 8% dominate
    # (weight 10 each vs 0.1), so the slope turns to nearly +1.
    assert plain.coef_[0] < -0.2
    assert weighted.coef_[0] > 0.9


def test_xgboost_fit_accepts_composed_weights() -> None:
    frame = make_frame(800, 1)
    weighter = (
        AlphaPowerWeighter(scale="fraction", column="alpha")
        * UniquenessWeighter(time="t", label_end="end")
    ).normalized("mean")
    weights = weighter(frame)
    params = {"n_estimators": 30, "max_depth": 2, "random_state": 0, "n_jobs": 1}
    plain = xgb.XGBRegressor(**params).fit(frame[["x"]], frame["y"])
    weighted = xgb.XGBRegressor(**params).fit(frame[["x"]], frame["y"], sample_weight=weights)
    grid = pd.DataFrame({"x": [-1.5, 1.5]})
    assert np.diff(plain.predict(grid))[0] < 0
    assert np.diff(weighted.predict(grid))[0] > 0
