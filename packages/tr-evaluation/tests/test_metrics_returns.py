"""Return-series metrics: hand-computed values, invariances and bad input."""

from __future__ import annotations

import json
import math

import matplotlib as mpl

mpl.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    NonFiniteError,
    TrTypeError,
)
from tr_evaluation.metrics import (
    annualized_return,
    calmar_ratio,
    hit_rate,
    max_drawdown,
    profit_factor,
    sharpe_ratio,
    sortino_ratio,
)

R = [0.01, 0.02, -0.01, 0.03]
returns_lists = st.lists(
    st.floats(min_value=-0.5, max_value=0.5, allow_nan=False, width=32), min_size=3, max_size=40
)


def test_sharpe_hand_computed() -> None:
    # mean 0.0125; squared deviations sum to 875e-6; sample variance 875e-6 / 3.
    per_period = 0.0125 / math.sqrt(875e-6 / 3)
    assert sharpe_ratio(R, periods_per_year=None) == pytest.approx(per_period, rel=1e-12)
    assert sharpe_ratio(R) == pytest.approx(per_period * math.sqrt(252), rel=1e-12)
    assert sharpe_ratio(R, periods_per_year=12) == pytest.approx(per_period * math.sqrt(12))


def test_sharpe_risk_free_is_subtracted_per_period() -> None:
    # Subtracting 0.005 per period: mean 0.0075, same dispersion.
    expected = 0.0075 / math.sqrt(875e-6 / 3)
    got = sharpe_ratio(R, risk_free=0.005, periods_per_year=None)
    assert got == pytest.approx(expected, rel=1e-12)


def test_sortino_downside_over_all_observations() -> None:
    # Only -0.01 is below 0: downside deviation sqrt(1e-4 / 4) = 0.005; mean 0.0125.
    assert sortino_ratio(R, periods_per_year=None) == pytest.approx(2.5, rel=1e-12)
    assert sortino_ratio(R, periods_per_year=4) == pytest.approx(5.0, rel=1e-12)
    # target 0.02: excess [-0.01, 0, -0.03, 0.01], mean -0.0075, DD sqrt((1e-4+9e-4)/4).
    got = sortino_ratio(R, target=0.02, periods_per_year=None)
    assert got == pytest.approx(-0.0075 / math.sqrt(1e-3 / 4), rel=1e-12)


def test_sortino_without_downside() -> None:
    assert sortino_ratio([0.01, 0.02]) == math.inf
    with pytest.raises(InsufficientDataError, match="target"):
        sortino_ratio([0.0, 0.0])


def test_max_drawdown_hand_computed_with_labels() -> None:
    idx = pd.date_range("2024-01-01", periods=4, freq="D")
    res = max_drawdown(pd.Series([0.1, -0.5, 0.2, 1.0], index=idx))
    # wealth 1.1, 0.55, 0.66, 1.32: 50 % below the 1.1 peak, recovered at the end.
    assert res.depth == pytest.approx(-0.5)
    assert (res.peak, res.trough, res.recovery) == (idx[0], idx[1], idx[3])
    assert res.duration == 3
    assert res.recovered
    frame = res.to_frame()
    assert frame.index.equals(idx)
    np.testing.assert_allclose(frame["wealth"], [1.1, 0.55, 0.66, 1.32])
    np.testing.assert_allclose(frame["running_peak"], [1.1, 1.1, 1.1, 1.32])
    np.testing.assert_allclose(frame["drawdown"], [0.0, -0.5, -0.4, 0.0], atol=1e-15)
    summary = res.summary()
    json.dumps(summary)
    assert summary["peak"] == "2024-01-01T00:00:00"


def test_max_drawdown_from_start_and_unrecovered() -> None:
    res = max_drawdown([-0.1, 0.05])
    # The starting capital is the peak; wealth 0.9 then 0.945, never back to 1.
    assert res.depth == pytest.approx(-0.1)
    assert res.peak is None
    assert res.trough == 0
    assert res.recovery is None
    assert res.duration == 2
    assert not res.recovered


def test_max_drawdown_additive() -> None:
    res = max_drawdown(np.array([0.1, -0.3, 0.1]), compounded=False)
    # cumulative 0.1, -0.2, -0.1: 0.3 below the 0.1 high, not recovered.
    assert res.depth == pytest.approx(-0.3)
    assert (res.peak, res.trough, res.recovery, res.duration) == (0, 1, None, 2)


def test_max_drawdown_none() -> None:
    res = max_drawdown([0.01, 0.02])
    assert res.depth == 0.0
    assert (res.peak, res.trough, res.recovery, res.duration) == (None, None, None, 0)
    assert res.recovered


def test_max_drawdown_rejects_loss_beyond_total() -> None:
    with pytest.raises(InvalidParameterError, match="below -100"):
        max_drawdown([0.1, -1.5])


@pytest.mark.parametrize("series", [[0.1, -0.5, 0.2, 1.0], [-0.1, 0.05], [0.01, 0.02]])
def test_drawdown_plot_renders_png(tmp_path, series) -> None:  # type: ignore[no-untyped-def]
    fig = max_drawdown(series).plot()
    out = tmp_path / "dd.png"
    fig.savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_calmar_and_annualized_return() -> None:
    r = [0.1, -0.5, 0.2, 1.0]
    # 4 periods per year: wealth 1.32 after one year -> 32 %; |MDD| = 0.5.
    assert annualized_return(r, periods_per_year=4) == pytest.approx(0.32)
    assert calmar_ratio(r, periods_per_year=4) == pytest.approx(0.64)
    # Additive: mean 0.2 * 4 = 0.8; additive MDD 0.5 -> 1.6.
    assert annualized_return(r, periods_per_year=4, compounded=False) == pytest.approx(0.8)
    assert calmar_ratio(r, periods_per_year=4, compounded=False) == pytest.approx(1.6)
    assert calmar_ratio([0.01, 0.02]) == math.inf
    with pytest.raises(InsufficientDataError, match="Calmar"):
        calmar_ratio([0.0, 0.0])


def test_hit_rate_and_profit_factor() -> None:
    r = [0.01, 0.0, -0.02, 0.03]
    assert hit_rate(r) == 0.5  # the flat period is a miss
    assert hit_rate(r, threshold=0.015) == 0.25
    assert profit_factor(r) == pytest.approx(0.04 / 0.02)
    assert profit_factor([0.01, 0.0]) == math.inf
    with pytest.raises(InsufficientDataError, match="0/0"):
        profit_factor([0.0, 0.0])


@pytest.mark.parametrize(
    "fn", [sharpe_ratio, sortino_ratio, max_drawdown, calmar_ratio, hit_rate, profit_factor]
)
def test_nan_names_the_argument_and_row(fn) -> None:  # type: ignore[no-untyped-def]
    s = pd.Series([0.01, np.nan, 0.02], index=["a", "b", "c"])
    with pytest.raises(NonFiniteError, match=r"`returns` has NaN in row \['b'\]"):
        fn(s)
    with pytest.raises(NonFiniteError, match="`returns` has infinite"):
        fn([0.01, np.inf, 0.02])


def test_degenerate_and_bad_parameters() -> None:
    with pytest.raises(InsufficientDataError, match="at least 2"):
        sharpe_ratio([0.01])
    with pytest.raises(InsufficientDataError, match="zero dispersion"):
        sharpe_ratio([0.1] * 10)
    with pytest.raises(InvalidParameterError, match="periods_per_year"):
        sharpe_ratio(R, periods_per_year=0)
    with pytest.raises(TrTypeError, match="periods_per_year"):
        sharpe_ratio(R, periods_per_year="daily")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="risk_free"):
        sharpe_ratio(R, risk_free=math.nan)
    with pytest.raises(TrTypeError, match="threshold"):
        hit_rate(R, threshold=True)
    with pytest.raises(TrTypeError, match="one-dimensional"):
        sharpe_ratio(np.ones((3, 2)))


def test_inputs_are_not_modified() -> None:
    s = pd.Series(R)
    before = s.copy()
    sharpe_ratio(s)
    max_drawdown(s).to_frame()
    pd.testing.assert_series_equal(s, before)


@settings(max_examples=60, deadline=None)
@given(returns_lists, st.floats(min_value=0.01, max_value=100))
def test_sharpe_is_scale_invariant(r: list[float], scale: float) -> None:
    arr = np.asarray(r)
    if np.ptp(arr) < 1e-6:
        return
    base = sharpe_ratio(arr)
    assert sharpe_ratio(arr * scale) == pytest.approx(base, rel=1e-6, abs=1e-9)
    assert sharpe_ratio(-arr) == pytest.approx(-base, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(returns_lists)
def test_drawdown_bounds_and_consistency(r: list[float]) -> None:
    res = max_drawdown(r)
    assert -1.0 <= res.depth <= 0.0
    assert res.depth == pytest.approx(float(res.drawdown.min()), abs=1e-15)
    assert 0 <= res.duration <= len(r)
    assert 0.0 <= hit_rate(r) <= 1.0


def test_sortino_validates_periods_per_year_without_downside() -> None:
    # Regression: a series with no downside returned inf before periods_per_year
    # was checked, so a bad value passed unnoticed.
    with pytest.raises(InvalidParameterError, match="periods_per_year"):
        sortino_ratio([0.01, 0.02], periods_per_year=-12)


def test_drawdown_summary_labels_are_plain() -> None:
    ints = max_drawdown(pd.Series([0.1, -0.5, 0.6], index=pd.Index([7, 8, 9], dtype="int64")))
    assert json.loads(json.dumps(ints.summary()))["trough"] == 8
    names = max_drawdown(pd.Series([0.1, -0.5, 0.6], index=["a", "b", "c"]))
    assert names.summary()["peak"] == "a"
