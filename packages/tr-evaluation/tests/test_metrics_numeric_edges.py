"""Numeric edge cases of the metrics: rounding-level dispersion, overflow, text, units, sizes."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    SizeLimitError,
    TrTypeError,
)
from tr_core.units import UnitsWarning
from tr_evaluation.metrics import (
    annualized_return,
    calmar_ratio,
    deflated_sharpe_ratio,
    hit_rate,
    max_drawdown,
    minimum_track_record_length,
    probabilistic_sharpe_ratio,
    probability_of_backtest_overfitting,
    profit_factor,
    sharpe_ratio,
    sortino_ratio,
)
from tr_evaluation.metrics.overfitting import MAX_COMBINATIONS


def _constant_from_prices(rate: float, n: int = 100) -> np.ndarray:
    """Per-period returns of prices growing at exactly ``rate``: constant up to rounding."""
    prices = 100.0 * (1.0 + rate) ** np.arange(n + 1)
    out: np.ndarray = prices[1:] / prices[:-1] - 1.0
    return out


def _noisy(seed: int = 0, n: int = 300) -> np.ndarray:
    out: np.ndarray = np.random.default_rng(seed).normal(0.001, 0.01, n)
    return out


# --- dispersion that is only float rounding ------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        _constant_from_prices(0.001),  # spread 4e-13 of the magnitude: Sharpe was 1.1e14
        _constant_from_prices(1e-5),  # spread 4e-11: Sharpe was 1.5e12
        np.full(100, 0.001) + np.random.default_rng(0).normal(0.0, 1e-19, 100),
    ],
)
@pytest.mark.parametrize(
    "fn", [sharpe_ratio, probabilistic_sharpe_ratio, minimum_track_record_length]
)
def test_rounding_dispersion_is_zero_dispersion(fn: Callable[..., float], values: Any) -> None:
    assert np.ptp(values) > 0.0  # not exactly constant: the old rule let these through
    with pytest.raises(InsufficientDataError, match=r"zero dispersion.*float rounding"):
        fn(values)
    # One rule: the exactly constant series is refused the same way.
    with pytest.raises(InsufficientDataError, match=r"zero dispersion.*every value equals"):
        fn(np.full(100, 0.001))


def test_rounding_dispersion_against_a_risk_free_rate() -> None:
    # Returns equal to the risk-free rate up to rounding: the excess is rounding only.
    r = _constant_from_prices(0.001)
    with pytest.raises(InsufficientDataError, match="zero dispersion"):
        sharpe_ratio(r, risk_free=0.001)


def test_small_real_dispersion_is_kept() -> None:
    # Relative spread 1e-6, far above rounding: a (huge but) real Sharpe ratio.
    r = 0.001 + 1e-9 * np.array([1.0, -1.0] * 50)
    expected = 0.001 / np.std(1e-9 * np.array([1.0, -1.0] * 50), ddof=1)
    assert sharpe_ratio(r, periods_per_year=None) == pytest.approx(expected, rel=1e-6)


def test_sortino_rounding_around_target_is_no_deviation() -> None:
    # Old code: a finite Sortino ratio made of rounding noise. Returns equal to the
    # target up to rounding are handled as returns exactly equal to it: 0/0.
    r = _constant_from_prices(0.001)
    with pytest.raises(InsufficientDataError, match="never deviates"):
        sortino_ratio(r, target=0.001)
    with pytest.raises(InsufficientDataError, match="never deviates"):
        sortino_ratio(np.full(100, 0.001), target=0.001)
    # Above the target with rounding noise: no downside, positive mean -> inf, as for
    # the exactly constant series (the documented Sortino convention).
    assert sortino_ratio(r) == math.inf
    assert sortino_ratio(np.full(100, 0.001)) == math.inf
    # Below the target: the downside is real and equals the shortfall: ratio -1.
    assert sortino_ratio(r, target=0.002, periods_per_year=None) == pytest.approx(-1.0, rel=1e-9)


def test_deflated_sharpe_trial_with_rounding_dispersion_refused() -> None:
    trials = pd.DataFrame({"a": _noisy(1, 100), "cash": _constant_from_prices(0.0001)})
    with pytest.raises(InsufficientDataError, match=r"trial_returns\['cash'\].*zero dispersion"):
        deflated_sharpe_ratio(_noisy(2, 100), trial_returns=trials)


def test_pbo_half_flat_up_to_rounding_is_undefined() -> None:
    # A variant earning a constant rate (computed from prices) for half the history:
    # the old exact test missed it and its Sharpe ratio of ~1e13 won the IS selection.
    matrix = np.random.default_rng(3).normal(0.001, 0.01, size=(160, 4))
    matrix[:80, 2] = _constant_from_prices(0.0005, 80)
    assert np.ptp(matrix[:80, 2]) > 0.0
    with pytest.raises(InsufficientDataError, match=r"columns \[2\].*undefined"):
        probability_of_backtest_overfitting(matrix, 4)


# --- values near the float limits ----------------------------------------------------


@pytest.mark.parametrize("factor", [1e200, 1e300, 2.0**1000])
def test_huge_values_do_not_overflow(factor: float) -> None:
    x = _noisy()
    assert sharpe_ratio(x * factor) == pytest.approx(sharpe_ratio(x), rel=1e-12)
    assert sortino_ratio(x * factor) == pytest.approx(sortino_ratio(x), rel=1e-12)
    assert probabilistic_sharpe_ratio(x * factor) == pytest.approx(
        probabilistic_sharpe_ratio(x), rel=1e-12
    )
    assert minimum_track_record_length(x * factor) == pytest.approx(
        minimum_track_record_length(x), rel=1e-12
    )


def test_power_of_two_scaling_is_exact() -> None:
    # A power-of-two factor is exact, so the rescaled computation gives the same bits.
    x = _noisy(4)
    assert sharpe_ratio(x * 2.0**900) == sharpe_ratio(x)
    assert sharpe_ratio(x * 2.0**-900) == sharpe_ratio(x)


def test_huge_risk_free_rate_does_not_overflow() -> None:
    x = _noisy(5)
    assert sharpe_ratio(x * 1e300, risk_free=1e297) == pytest.approx(
        sharpe_ratio(x, risk_free=1e-3), rel=1e-9
    )


@pytest.mark.parametrize("metric", ["sharpe", "sortino", "mean"])
def test_pbo_huge_values(metric: str) -> None:
    m = np.random.default_rng(6).normal(0.0, 0.01, size=(200, 5))
    small = probability_of_backtest_overfitting(m, 4, metric=metric)  # type: ignore[arg-type]
    big = probability_of_backtest_overfitting(m * 2.0**1000, 4, metric=metric)  # type: ignore[arg-type]
    np.testing.assert_array_equal(big.logits, small.logits)
    scale = 2.0**1000 if metric == "mean" else 1.0
    np.testing.assert_array_equal(big.is_performance, small.is_performance * scale)
    np.testing.assert_array_equal(big.oos_performance, small.oos_performance * scale)
    assert big.degradation_slope == small.degradation_slope
    assert big.degradation_intercept == small.degradation_intercept * scale


# --- numbers stored as text ----------------------------------------------------------

TEXT = ["0.01", "0.02", "-0.01", "0.03"]
SERIES_METRICS: list[Callable[..., Any]] = [
    sharpe_ratio,
    sortino_ratio,
    annualized_return,
    calmar_ratio,
    max_drawdown,
    hit_rate,
    profit_factor,
    probabilistic_sharpe_ratio,
    minimum_track_record_length,
]


@pytest.mark.parametrize("fn", SERIES_METRICS)
@pytest.mark.parametrize(
    "values", [TEXT, np.array(TEXT), pd.Series(TEXT), pd.Series(TEXT, dtype=object)]
)
def test_numbers_as_text_refused(fn: Callable[..., Any], values: Any) -> None:
    with pytest.raises(TrTypeError, match="`returns` must be numeric, got text"):
        fn(values)


def test_numbers_as_text_refused_in_matrices() -> None:
    text = pd.DataFrame({"a": TEXT * 10, "b": TEXT[::-1] * 10})
    with pytest.raises(TrTypeError, match=r"`returns\['a'\]` must be numeric, got text"):
        probability_of_backtest_overfitting(text, 2)
    with pytest.raises(TrTypeError, match=r"`trial_returns\['a'\]` must be numeric, got text"):
        deflated_sharpe_ratio(_noisy(0, 40), trial_returns=text)
    with pytest.raises(TrTypeError, match="got text"):
        probability_of_backtest_overfitting(np.array([TEXT, TEXT]).T, 2)


# --- units ---------------------------------------------------------------------------

PERCENT_POINTS = np.tile([5.0, -0.5, 2.0, 4.0], 10)  # +5 %, -0.5 %, ... written as 5.0, -0.5


@pytest.mark.parametrize("fn", [annualized_return, calmar_ratio, max_drawdown])
def test_percent_points_as_fractions_warn(fn: Callable[..., Any]) -> None:
    with pytest.warns(UnitsWarning, match=r"`returns` declared in 'fraction'.*300 percent"):
        fn(PERCENT_POINTS)


@pytest.mark.parametrize("fn", [annualized_return, calmar_ratio, max_drawdown])
def test_plausible_fractions_do_not_warn(fn: Callable[..., Any]) -> None:
    quiet = np.tile([1e-6, -2e-6, 3e-6, 0.0], 10)  # a money-market fund: tiny, fine
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnitsWarning)
        fn(_noisy())
        fn(quiet + 1e-6)
        fn(PERCENT_POINTS, units="percent")
        fn(PERCENT_POINTS * 100, units="bps")


def test_units_convert_to_fractions() -> None:
    r = PERCENT_POINTS / 100
    assert annualized_return(PERCENT_POINTS, units="percent") == pytest.approx(
        annualized_return(r), rel=1e-12
    )
    assert annualized_return(PERCENT_POINTS * 100, units="bps") == pytest.approx(
        annualized_return(r), rel=1e-12
    )
    assert calmar_ratio(PERCENT_POINTS, units="percent") == pytest.approx(
        calmar_ratio(r), rel=1e-12
    )
    dd = max_drawdown(PERCENT_POINTS, units="percent")
    assert dd.depth == pytest.approx(max_drawdown(r).depth, rel=1e-12)
    # Log returns compound exactly: log(1.1) + log(0.5) over 2 periods of a 2-period year
    # is wealth 0.55, i.e. -45 %; added (compounded=False) they stay log returns.
    logs = [math.log(1.1), math.log(0.5)]
    assert annualized_return(logs, periods_per_year=2, units="log") == pytest.approx(-0.45)
    assert max_drawdown(logs, units="log").depth == pytest.approx(-0.5)
    assert annualized_return(
        logs, periods_per_year=2, units="log", compounded=False
    ) == pytest.approx(math.log(0.55))
    with pytest.raises(InvalidParameterError, match="`units` must be one of"):
        annualized_return(r, units="pct")  # type: ignore[arg-type]


def test_total_loss_is_accepted_more_is_refused() -> None:
    # -100 % loses everything: wealth 0, drawdown -100 %, annualized -100 %.
    assert annualized_return([0.1, -1.0], periods_per_year=2) == -1.0
    assert max_drawdown([0.1, -1.0]).depth == -1.0
    assert calmar_ratio([0.1, -1.0], periods_per_year=2) == -1.0
    with pytest.raises(InvalidParameterError, match=r"below -100 %.*units='percent'"):
        annualized_return([0.1, -1.5])
    # In percent points -150 is refused too (it is -1.5 as a fraction).
    with pytest.raises(InvalidParameterError, match="below -100 %"):
        max_drawdown([10.0, -150.0], units="percent")


# --- sizes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("S", "count"), [(32, "601,080,390"), (24, "2,704,156"), (100, "100,891,344,545,564")]
)
def test_pbo_too_many_combinations_refused_before_allocating(S: int, count: str) -> None:
    m = np.random.default_rng(0).normal(size=(S, 3))
    with pytest.raises(SizeLimitError, match=rf"C\({S}, {S // 2}\).*{count}.*1,000,000"):
        probability_of_backtest_overfitting(m, S)
    assert MAX_COMBINATIONS == 1_000_000


# --- reprs ---------------------------------------------------------------------------


def test_result_reprs_are_one_line_summaries() -> None:
    m = np.random.default_rng(0).normal(0.0, 0.01, size=(4000, 10))
    res = probability_of_backtest_overfitting(m, 8)
    for result, start, size in [
        (res, "PBOResult(pbo=", "n_combinations=70"),
        (max_drawdown(pd.Series(m[:, 0])), "DrawdownResult(depth=", "n_periods=4000"),
    ]:
        text = repr(result)
        assert text.startswith(start)
        assert size in text
        assert "\n" not in text
        assert "array" not in text
        assert len(text) < 200


def test_subnormal_returns_do_not_overflow_the_rescaling() -> None:
    # Review of issue 10: a subnormal magnitude asked for 2**1073 and raised OverflowError.
    base = np.array([1.0, 0.0, 1.0, 0.5])
    expected = sharpe_ratio(base)
    assert sharpe_ratio(base * 1e-310) == pytest.approx(expected, rel=1e-3)
    assert sharpe_ratio(np.array([5e-324, 0.0, 5e-324])) == pytest.approx(
        sharpe_ratio(np.array([1.0, 0.0, 1.0]))
    )


def test_daily_percent_points_declared_as_fractions_warn() -> None:
    # Review of issue 10: daily returns in percent points (median |r| ~0.7) read as 70 %
    # a day passed the 100 %-a-period bound; with periods_per_year the bound is 100/sqrt(P).
    rng = np.random.default_rng(0)
    daily = rng.normal(0.0005, 0.01, 500)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        annualized_return(daily, periods_per_year=252)
        annualized_return(rng.normal(0.01, 0.05, 120), periods_per_year=12)
    with pytest.warns(UnitsWarning, match="declared in 'fraction'"):
        annualized_return(daily * 100, periods_per_year=252, compounded=False)
    with pytest.warns(UnitsWarning, match="declared in 'fraction'"):
        calmar_ratio(np.clip(daily * 100, -0.9, None), periods_per_year=252)
