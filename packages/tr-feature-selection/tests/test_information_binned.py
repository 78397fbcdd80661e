"""The binned estimator: quantile bins with ties, Miller–Madow by hand, closed forms."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tr_feature_selection.information import mutual_information
from tr_feature_selection.information.binned import (
    binned_mutual_information,
    mutual_information_from_codes,
)
from tr_feature_selection.information.binning import (
    MIN_CELL_COUNT,
    MIN_CELL_COUNT_BINNED_TARGET,
    default_n_bins,
    quantile_bins,
)


def _bins(column: list[float], n_bins: int) -> list[int]:
    values = np.array(column, dtype=np.float64)[:, None]
    return quantile_bins(values, np.array([n_bins])).ravel().tolist()


def test_quantile_bins_are_equally_populated() -> None:
    values = np.array([5.0, 1.0, 4.0, 2.0, 3.0, 0.0])
    assert _bins(values.tolist(), 3) == [2, 0, 2, 1, 1, 0]


def test_ties_share_a_bin_and_few_values_are_their_own_bins() -> None:
    # A binary flag is two bins, not ten arbitrary splits of its ties.
    flag = [0.0] * 7 + [1.0] * 3
    assert _bins(flag, 10) == [0] * 7 + [1] * 3
    # 3 distinct values <= 4 bins: one bin per value even though 98 % of rows are 0
    # (by rank, the two rare values would both fall in the last bin).
    rare = [0.0] * 98 + [1.0, 2.0]
    assert sorted(set(_bins(rare, 4))) == [0, 1, 2]
    # More distinct values than bins: a tie group never straddles two bins.
    tied = [1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert _bins(tied, 2) == [0, 0, 0, 0, 1, 1, 1, 1]
    # The group of 3s holds ranks 2-5; its middle rank (4 of 8) is in the upper half.
    tied_late = [1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 4.0, 5.0]
    assert _bins(tied_late, 2) == [0, 0, 1, 1, 1, 1, 1, 1]


def test_nan_gets_minus_one_and_the_rest_is_binned_on_its_own_rows() -> None:
    assert _bins([np.nan, 3.0, 1.0, np.nan, 2.0, 4.0], 2) == [-1, 1, 0, -1, 0, 1]
    assert _bins([np.nan, np.nan], 3) == [-1, -1]


def test_columns_are_binned_independently() -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(size=(50, 7))
    values[rng.random((50, 7)) < 0.2] = np.nan
    n_bins = np.array([2, 3, 4, 5, 6, 7, 8])
    whole = quantile_bins(values, n_bins)
    for j in range(7):
        np.testing.assert_array_equal(whole[:, j], _bins(values[:, j].tolist(), int(n_bins[j])))


@pytest.mark.parametrize("discrete_target", [True, False])
def test_blocks_of_features_give_the_same_answer(
    monkeypatch: pytest.MonkeyPatch, discrete_target: bool
) -> None:
    import tr_feature_selection.information.binned as binned

    rng = np.random.default_rng(1)
    values = rng.normal(size=(200, 5))
    values[rng.random((200, 5)) < 0.2] = np.nan
    target = rng.integers(0, 3, 200) if discrete_target else rng.normal(size=200)
    n_bins = np.array([4, 5, 6, 7, 8])
    whole = binned_mutual_information(values, target, n_bins, discrete_target=discrete_target)
    monkeypatch.setattr(binned, "_BLOCK_CELLS", 400)  # two features per block
    blocks = binned_mutual_information(values, target, n_bins, discrete_target=discrete_target)
    # Same counts; only the zero padding of the tables (and so the order of the float
    # sums) differs between blocks, hence a few ulps.
    np.testing.assert_allclose(blocks, whole, rtol=1e-12, atol=1e-14)
    # Feature 0 on its own complete rows, target binned on those rows only.
    keep = ~np.isnan(values[:, 0])
    alone = binned_mutual_information(
        values[keep, :1], target[keep], n_bins[:1], discrete_target=discrete_target
    )
    assert alone[0] == pytest.approx(whole[0])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-3, 3) | st.floats(-1e6, 1e6), min_size=1, max_size=40),
    st.integers(1, 12),
)
def test_bins_respect_order_ties_and_count(column: list[float], n_bins: int) -> None:
    codes = np.array(_bins(column, n_bins))
    values = np.array(column, dtype=np.float64)
    assert codes.min() >= 0
    assert codes.max() < n_bins
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(codes[order]) >= 0)  # monotone in the value
    for v in np.unique(values):
        assert np.unique(codes[values == v]).size == 1  # ties share a bin
    n_distinct = np.unique(values).size
    if n_distinct <= n_bins:
        assert np.unique(codes).size == n_distinct
    if n_distinct >= 2 and n_bins >= 2:
        assert np.unique(codes).size >= 2  # ties never erase the partition the data has


def test_default_n_bins_rule() -> None:
    # Rice rule ceil(2 n^(1/3)) ...
    assert default_n_bins(100_000, 2) == math.ceil(2 * 100_000 ** (1 / 3)) == 93
    assert default_n_bins(100_000, None) == 93
    # ... capped at MIN_CELL_COUNT rows per joint cell on average.
    assert default_n_bins(300, 10) == 300 // (MIN_CELL_COUNT * 10) == 6
    # A binned (continuous) target: 10 rows per cell of the B x B table.
    assert default_n_bins(2_000, None) == math.floor(math.sqrt(2_000 / 10)) == 14
    assert default_n_bins(2_000, None) == math.floor(
        math.sqrt(2_000 / MIN_CELL_COUNT_BINNED_TARGET)
    )
    assert default_n_bins(20, 10) == 2


def test_miller_madow_by_hand() -> None:
    # Four rows: x bins (0, 0, 1, 1), classes (0, 1, 1, 1).
    # Plug-in: H(X) = ln 2, H(Y) = -(1/4 ln 1/4 + 3/4 ln 3/4),
    # H(X,Y) = -(2 * 1/4 ln 1/4 + 1/2 ln 1/2);
    # occupied cells 3, 2, 2 -> correction (3 - 2 - 2 + 1) / (2 * 4) = 0.
    x = np.array([[0], [0], [1], [1]])
    y = np.array([0, 1, 1, 1])
    h_x = math.log(2)
    h_y = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))
    h_xy = -(2 * 0.25 * math.log(0.25) + 0.5 * math.log(0.5))
    assert mutual_information_from_codes(x, y)[0] == pytest.approx(h_x + h_y - h_xy)
    # Independent 2 x 2 table with every cell filled: plug-in 0, correction (4-2-2+1)/(2*4).
    x = np.array([[0], [0], [1], [1]])
    y = np.array([0, 1, 0, 1])
    assert mutual_information_from_codes(x, y)[0] == pytest.approx(-1 / 8)


def test_missing_rows_are_left_out_per_feature() -> None:
    x = np.array([[0, -1], [0, 0], [1, 1], [1, -1]])
    y = np.array([0, 0, 1, 1])
    mi = mutual_information_from_codes(x, y)
    # Feature 0: perfect 2x2 on 4 rows: ln 2 - (2 - 2 - 2 + 1) / 8.
    assert mi[0] == pytest.approx(math.log(2) + 1 / 8)
    # Feature 1 sees rows 1 and 2 only: again a perfect table, on 2 rows.
    assert mi[1] == pytest.approx(math.log(2) + 1 / 4)
    assert np.isnan(mutual_information_from_codes(np.array([[-1], [-1]]), np.array([0, 1]))[0])


def test_a_constant_feature_scores_exactly_zero() -> None:
    X = pd.DataFrame({"const": np.ones(500), "x": np.arange(500.0)})
    y = np.arange(500) % 3
    assert mutual_information(X, y)["const"] == 0.0


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9])
def test_bivariate_gaussian_closed_form_at_100k_rows(rho: float) -> None:
    rng = np.random.default_rng(int(rho * 10))
    n = 100_000
    x = rng.standard_normal(n)
    y = rho * x + math.sqrt(1 - rho**2) * rng.standard_normal(n)
    mi = mutual_information(x[:, None], y, target_kind="continuous")
    assert mi["x0"] == pytest.approx(-0.5 * math.log(1 - rho**2), abs=0.02)
    assert mi.attrs["n_bins"] == {"x0": 93}


def test_independent_features_score_about_zero() -> None:
    rng = np.random.default_rng(5)
    n = 100_000
    X = rng.standard_normal((n, 8))
    continuous = mutual_information(X, rng.standard_normal(n), target_kind="continuous")
    # Miller–Madow leaves a small positive second-order bias for a 93 x 93 table
    # (about B^4 / (12 n^2) = 6e-4 nats); no feature gets near the 0.02 tolerance.
    assert continuous.abs().max() < 0.003
    classes = mutual_information(X, rng.integers(0, 3, n), target_kind="discrete")
    assert classes.abs().max() < 0.001
    # Centred on zero: some estimates fall below it and are not clipped.
    assert (classes < 0).any()


def test_uses_its_own_rows_under_missingness() -> None:
    # y depends on x only where x is observed; NaN on half of the rows must not
    # be filled (a filled 0 would add a spike of 5 000 rows carrying no signal).
    rng = np.random.default_rng(2)
    n = 10_000
    x = rng.standard_normal(n)
    y = (x + rng.standard_normal(n) > 0).astype(int)
    x_missing = x.copy()
    x_missing[: n // 2] = np.nan
    full = mutual_information(x[n // 2 :, None], y[n // 2 :])
    partial = mutual_information(x_missing[:, None], y)
    assert partial["x0"] == pytest.approx(full["x0"])
    assert partial.attrs["n_rows"] == {"x0": n // 2}
