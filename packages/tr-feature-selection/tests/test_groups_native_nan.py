"""``nan_policy="native"``: every model that routes missing values itself is accepted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LogisticRegression

from tr_core.errors import InvalidParameterError
from tr_feature_selection.groups import FeatureGroupAnalyzer
from tr_feature_selection.groups.evaluation import takes_nan


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """300 days; ``b`` is missing on every third row, train and test."""
    rng = np.random.default_rng(3)
    n = 300
    a = rng.normal(size=n)
    b = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "trade_date": pd.date_range("2022-01-03", periods=n, freq="D"),
            "a": a,
            "b": np.where(np.arange(n) % 3 == 0, np.nan, b),
            "alpha": 0.01 * a + rng.normal(0, 0.02, size=n),
        }
    )
    return frame.iloc[:200], frame.iloc[200:]


def native(model: object) -> pd.DataFrame:
    tr, te = frames()
    analyzer = FeatureGroupAnalyzer(
        model, nan_policy="native", evaluation_metric="ic", n_buckets=5, verbose=False
    )
    return analyzer.test_feature_groups(tr, te, {"ab": ["a", "b"]}).table


@pytest.mark.parametrize(
    "model",
    [
        HistGradientBoostingClassifier(max_iter=10, random_state=0),
        HistGradientBoostingRegressor(max_iter=10, random_state=0),
    ],
)
def test_hist_gradient_boosting_routes_nan(model) -> None:
    # It was refused: "cannot route missing values".
    table = native(model)
    assert table.loc["ab", ["train_used", "train_nan_dropped"]].tolist() == [200, 0]
    assert table.loc["ab", ["test_used", "test_nan_dropped"]].tolist() == [100, 0]
    assert np.isfinite(table.loc["ab", "test_metric"])


def test_lightgbm_routes_nan() -> None:
    lightgbm = pytest.importorskip("lightgbm")
    table = native(lightgbm.LGBMClassifier(n_estimators=10, verbose=-1))
    assert table.loc["ab", ["train_used", "test_used"]].tolist() == [200, 100]
    table = native(lightgbm.LGBMRegressor(n_estimators=10, verbose=-1))
    assert table.loc["ab", "train_used"] == 200


def test_models_without_nan_routing_are_still_refused() -> None:
    with pytest.raises(InvalidParameterError, match=r"LogisticRegression cannot route.*Hist"):
        native(LogisticRegression())
    assert not takes_nan(LogisticRegression())
    assert takes_nan(None)


def test_lightgbm_is_recognized_by_class_name_and_module_only() -> None:
    # Detection must not import lightgbm: a stand-in class from a module named lightgbm.
    fake = type("LGBMModel", (), {"__module__": "lightgbm.sklearn"})
    child = type("MyBooster", (fake,), {"__module__": "mine"})
    assert takes_nan(child())
    assert not takes_nan(type("LGBMModel", (), {"__module__": "elsewhere"})())
