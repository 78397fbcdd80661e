"""Binned MI never lets a tie group erase a partition the data has (issue 10).

Bins used to be given by the *first* rank of each tie group, so a group holding most
rows swallowed the values below it: a capped count with 96 % of its rows at the cap fell
into one bin and scored exactly 0 nats, and on scikit-learn's small discrete test case
the most informative feature scored 0. A tie group is now placed by its middle rank.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tr_feature_selection.information import mutual_information
from tr_feature_selection.information.binning import quantile_bins

N = 2_000


def _capped(rng: np.random.Generator, below: np.ndarray) -> np.ndarray:
    """A count capped at 500: below the cap (74 distinct values) where ``below``."""
    return np.where(below, rng.integers(0, 300, N), 500).astype(np.float64)


def test_a_large_tie_at_the_cap_keeps_its_own_bin() -> None:
    # 4 values in 3 bins: the 9s hold ranks 3-49, first rank 3 -> bin floor(9 / 50) = 0
    # with 1, 2 and 3 (one bin in all); middle rank 26.5 -> bin floor(79.5 / 50) = 1.
    codes = quantile_bins(np.array([[1.0], [2.0], [3.0]] + [[9.0]] * 47), np.array([3]))
    assert codes.ravel().tolist() == [0, 0, 0] + [1] * 47


@pytest.mark.parametrize(
    ("target_kind", "n_bins"), [("discrete", 20), ("discrete", "auto"), ("continuous", "auto")]
)
def test_capped_count_scores_as_much_as_its_indicator(target_kind: str, n_bins: int | str) -> None:
    rng = np.random.default_rng(4)
    below = rng.random(N) < 0.04
    capped = _capped(rng, below)
    assert np.unique(capped).size > 20  # more values than bins: binned by rank
    p_up = np.where(below, 0.99, 0.45)
    up = rng.random(N) < p_up
    y = up if target_kind == "discrete" else np.where(up, 0.02, -0.02) + rng.normal(0, 0.01, N)
    X = pd.DataFrame({"capped": capped, "indicator": below.astype(np.float64)})
    mi = mutual_information(X, y, target_kind=target_kind, n_bins=n_bins)  # type: ignore[arg-type]
    assert mi["indicator"] > 0.01
    # Below-cap rows (ranks 0-79 of 2 000) share one bin, the cap (middle rank 1 040)
    # another: the very partition of the indicator. Before: one bin, exactly 0.
    if n_bins == 20 or target_kind == "continuous":
        assert mi["capped"] == pytest.approx(mi["indicator"], rel=1e-12)
    else:  # 26 bins: the lowest below-cap values get a bin of their own
        assert mi["capped"] == pytest.approx(mi["indicator"], abs=0.005)


def test_capped_noise_still_scores_about_zero() -> None:
    rng = np.random.default_rng(5)
    X = pd.DataFrame({f"c{k}": _capped(rng, rng.random(N) < 0.04) for k in range(50)})
    for y, kind in [(rng.random(N) < 0.5, "discrete"), (rng.normal(size=N), "continuous")]:
        mi = mutual_information(X, y, target_kind=kind)  # type: ignore[arg-type]
        assert abs(mi.mean()) < 0.001
        assert mi.abs().max() < 0.01


# scikit-learn's test_mutual_info_classif_discrete: X[:, 0] is the most informative
# feature, X[:, 1] weakly informative; sklearn's expected order is [0, 2, 1].
SK_X = np.array([[0, 0, 0], [1, 1, 0], [2, 0, 1], [2, 0, 1], [2, 0, 1]], dtype=np.float64)
SK_Y = np.array([0, 1, 2, 2, 1])


def _plug_in(x: np.ndarray, y: np.ndarray) -> float:
    joint = pd.crosstab(x, y).to_numpy() / len(x)
    px, py = joint.sum(axis=1, keepdims=True), joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float((joint[nz] * np.log(joint[nz] / (px @ py)[nz])).sum())


def test_sklearn_small_discrete_case_at_20_rows() -> None:
    # Four copies (MIN_ROWS = 20): 2 bins for 3 classes. X[:, 0] has values 0, 1, 2 on
    # 4, 4 and 12 rows; by first rank all three fell in bin 0 and it scored 0.
    mi = mutual_information(np.tile(SK_X, (4, 1)), np.tile(SK_Y, 4))
    assert mi.attrs["n_bins"] == {"x0": 2, "x1": 2, "x2": 2}
    assert mi["x0"] > 0.3
    # By middle rank {0, 1} | {2}: the partition of X[:, 2], hence the same score.
    assert mi["x0"] == pytest.approx(mi["x2"])
    assert mi["x2"] > mi["x1"] > 0


def test_sklearn_small_discrete_case_order_and_values() -> None:
    # Ten copies: 3 bins, so every feature is binned by its values; sklearn's order.
    X, y = np.tile(SK_X, (10, 1)), np.tile(SK_Y, 10)
    mi = mutual_information(X, y)
    assert list(mi.index) == ["x0", "x2", "x1"]
    # Miller–Madow by hand: occupied cells (joint - x - y + 1) / (2 N), N = 50.
    h_y = -(0.2 * math.log(0.2) + 2 * 0.4 * math.log(0.4))
    h_y_given_x0 = 0.6 * -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))
    assert mi["x0"] == pytest.approx(h_y - h_y_given_x0 - (4 - 3 - 3 + 1) / 100)
    for j in (1, 2):
        assert mi[f"x{j}"] == pytest.approx(_plug_in(X[:, j], y) - (4 - 2 - 3 + 1) / 100)
