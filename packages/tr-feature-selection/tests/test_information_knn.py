"""method="knn": scikit-learn's estimator, one feature at a time on its own complete rows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

from tr_feature_selection.information import mutual_information


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9])
def test_knn_matches_the_gaussian_closed_form(rho: float) -> None:
    rng = np.random.default_rng(int(rho * 10) + 1)
    n = 100_000
    x = rng.standard_normal(n)
    y = rho * x + math.sqrt(1 - rho**2) * rng.standard_normal(n)
    mi = mutual_information(x[:, None], y, method="knn", target_kind="continuous", random_state=0)
    assert mi["x0"] == pytest.approx(-0.5 * math.log(1 - rho**2), abs=0.02)
    assert mi.attrs["method"] == "knn"
    assert mi.attrs["n_bins"] is None


def test_knn_is_sklearn_on_each_feature_s_complete_rows() -> None:
    rng = np.random.default_rng(3)
    n = 600
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = (X["a"] - X["b"] + rng.normal(size=n) > 0).astype(int)
    X.loc[X.index[:150], "a"] = np.nan
    mi = mutual_information(X, y, method="knn", random_state=7)
    keep = X["a"].notna()
    expected_a = mutual_info_classif(X.loc[keep, ["a"]], y[keep], random_state=7)[0]
    expected_b = mutual_info_classif(X[["b"]], y, random_state=7)[0]
    assert mi["a"] == pytest.approx(expected_a)
    assert mi["b"] == pytest.approx(expected_b)
    assert mi.attrs["n_rows"] == {"a": 450, "b": 600}

    target = X["b"] * 2 + rng.normal(size=n)
    reg = mutual_information(X, target, method="knn", target_kind="continuous", random_state=7)
    assert reg["b"] == pytest.approx(mutual_info_regression(X[["b"]], target, random_state=7)[0])


def test_knn_is_seeded() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(400, 3))
    y = rng.integers(0, 2, 400)
    first = mutual_information(X, y, method="knn", random_state=1)
    pd.testing.assert_series_equal(first, mutual_information(X, y, method="knn", random_state=1))
