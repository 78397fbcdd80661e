"""PSR, DSR and MinTRL: the papers' worked example, closed forms and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    NonFiniteError,
    TrTypeError,
)
from tr_evaluation.metrics import (
    deflated_sharpe_ratio,
    expected_max_sharpe,
    min_trl_from_statistics,
    minimum_track_record_length,
    probabilistic_sharpe_ratio,
    psr_from_statistics,
)


def _returns(seed: int, n: int = 500, drift: float = 0.0005) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.standard_t(df=5, size=n) * 0.01 + drift


def test_dsr_paper_numerical_example() -> None:
    # Bailey & López de Prado (2014), "The Deflated Sharpe Ratio", numerical example:
    # N = 100 trials, V[SR_n] = 1/2 annualized, T = 1250 daily observations (250 per
    # year), annualized SR = 2.5, skewness -3, kurtosis 10  ->  E[max SR] = 0.1132
    # (per day) and DSR = 0.9004.
    sr0 = expected_max_sharpe(100, 0.5 / 250)
    assert sr0 == pytest.approx(0.1132, abs=5e-5)
    dsr = psr_from_statistics(2.5 / math.sqrt(250), 1250, -3.0, 10.0, sr_benchmark=sr0)
    assert dsr == pytest.approx(0.9004, abs=5e-5)


def test_psr_hand_computed() -> None:
    # SR = 0.1, n = 101, normal moments: z = 0.1 * 10 / sqrt(1 + 2/4 * 0.01).
    assert psr_from_statistics(0.1, 101, 0.0, 3.0) == pytest.approx(
        stats.norm.cdf(1.0 / math.sqrt(1.005)), rel=1e-12
    )
    # Negative skew and fat tails widen the SR distribution: lower PSR.
    assert psr_from_statistics(0.1, 101, -2.0, 12.0) < psr_from_statistics(0.1, 101, 0.0, 3.0)
    # At the benchmark the probability is exactly one half.
    assert psr_from_statistics(0.1, 50, -1.0, 6.0, sr_benchmark=0.1) == pytest.approx(0.5)


def test_psr_from_returns_matches_scipy_moments() -> None:
    r = _returns(1)
    sr = r.mean() / r.std(ddof=1)
    skew = stats.skew(r, bias=True)
    kurt = stats.kurtosis(r, fisher=False, bias=True)
    expected = psr_from_statistics(sr, r.size, skew, kurt, 0.02)
    assert probabilistic_sharpe_ratio(r, 0.02) == pytest.approx(expected, rel=1e-12)
    # An annualized benchmark is de-annualized with sqrt(periods_per_year).
    got = probabilistic_sharpe_ratio(r, 0.02 * math.sqrt(252), periods_per_year=252)
    assert got == pytest.approx(expected, rel=1e-12)


def test_min_trl_hand_computed_and_consistent_with_psr() -> None:
    # 1 + (1 + 2/4 * 0.01) * (z_0.95 / 0.1)^2
    expected = 1 + 1.005 * (stats.norm.ppf(0.95) / 0.1) ** 2
    got = min_trl_from_statistics(0.1, 0.0, 3.0, 0.0, confidence=0.95)
    assert got == pytest.approx(expected, rel=1e-12)
    # By construction PSR reaches the confidence level exactly at n = MinTRL.
    assert psr_from_statistics(0.1, math.ceil(got), 0.0, 3.0) >= 0.95
    assert psr_from_statistics(0.1, math.floor(got), 0.0, 3.0) < 0.95
    assert min_trl_from_statistics(0.1, 0.0, 3.0, 0.1) == math.inf


def test_min_trl_from_returns() -> None:
    r = _returns(2, drift=0.002)
    sr = r.mean() / r.std(ddof=1)
    skew = stats.skew(r)
    kurt = stats.kurtosis(r, fisher=False)
    expected = min_trl_from_statistics(sr, skew, kurt, 0.01, confidence=0.9)
    got = minimum_track_record_length(
        pd.Series(r), 0.01 * math.sqrt(12), confidence=0.9, periods_per_year=12
    )
    assert got == pytest.approx(expected, rel=1e-12)


def test_dsr_from_trial_matrix_matches_explicit_statistics() -> None:
    rng = np.random.default_rng(3)
    trials = pd.DataFrame(rng.normal(0.0003, 0.01, size=(400, 20)))
    best = trials[trials.mean().idxmax()]
    srs = trials.mean() / trials.std(ddof=1)
    expected = deflated_sharpe_ratio(best, n_trials=20, sr_variance=float(srs.var(ddof=1)))
    assert deflated_sharpe_ratio(best, trial_returns=trials) == pytest.approx(expected)
    assert deflated_sharpe_ratio(best, trial_returns=trials.to_numpy()) == pytest.approx(expected)
    annual = deflated_sharpe_ratio(
        best, n_trials=20, sr_variance=float(srs.var(ddof=1)) * 252, periods_per_year=252
    )
    assert annual == pytest.approx(expected)


def test_dsr_bad_input() -> None:
    r = _returns(4)
    with pytest.raises(InvalidParameterError, match="not both"):
        deflated_sharpe_ratio(r, n_trials=5, trial_returns=np.ones((10, 5)))
    with pytest.raises(InvalidParameterError, match="n_trials"):
        deflated_sharpe_ratio(r, n_trials=5)
    with pytest.raises(InvalidParameterError, match="n_trials"):
        deflated_sharpe_ratio(r, n_trials=1, sr_variance=0.01)
    with pytest.raises(TrTypeError, match="n_trials"):
        deflated_sharpe_ratio(r, n_trials=2.5, sr_variance=0.01)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="sr_variance"):
        expected_max_sharpe(10, -0.1)
    with pytest.raises(InsufficientDataError, match="at least 2"):
        deflated_sharpe_ratio(r, trial_returns=r.reshape(-1, 1))
    bad = pd.DataFrame({"a": r[:10], "b": np.r_[r[:9], np.nan]})
    with pytest.raises(NonFiniteError, match=r"`trial_returns\['b'\]` has NaN in row \[9\]"):
        deflated_sharpe_ratio(r, trial_returns=bad)
    with pytest.raises(InsufficientDataError, match=r"trial_returns\['c'\].*zero dispersion"):
        deflated_sharpe_ratio(r, trial_returns=pd.DataFrame({"a": r[:10], "b": r[10:20], "c": 0.5}))
    with pytest.raises(TrTypeError, match="two-dimensional"):
        deflated_sharpe_ratio(r, trial_returns=r)


def test_psr_bad_input() -> None:
    with pytest.raises(InvalidParameterError, match="excess kurtosis"):
        psr_from_statistics(0.5, 100, 2.0, 0.0)
    with pytest.raises(InvalidParameterError, match="n_obs"):
        psr_from_statistics(0.1, 1, 0.0, 3.0)
    with pytest.raises(InvalidParameterError, match="confidence"):
        min_trl_from_statistics(0.1, 0.0, 3.0, confidence=1.0)
    with pytest.raises(NonFiniteError, match="`returns` has NaN"):
        probabilistic_sharpe_ratio([0.01, np.nan, 0.02])
    with pytest.raises(InsufficientDataError, match="zero dispersion"):
        minimum_track_record_length([0.01] * 5)


@settings(max_examples=80, deadline=None)
@given(
    st.floats(min_value=-1.0, max_value=1.0),
    st.floats(min_value=0.001, max_value=0.5),
    st.integers(min_value=2, max_value=5000),
    st.floats(min_value=-3.0, max_value=1.0),
    st.floats(min_value=0.0, max_value=30.0),
)
def test_psr_monotone_in_sharpe(sr: float, step: float, n: int, skew: float, extra: float) -> None:
    # Valid moments satisfy kurtosis >= skew^2 + 1 (Pearson); with SR* = 0 and
    # skew * SR < 2 the PSR is increasing in the observed Sharpe ratio.
    kurt = skew**2 + 1 + extra
    if skew * (sr + step) >= 2:
        return
    # At kurtosis = skew^2 + 1 (a two-point law) the variance factor
    # 1 - skew*SR + (kurt-1)/4*SR^2 = (1 - skew*SR/2)^2 vanishes at SR = 2/skew, where the
    # PSR is undefined and refused; monotonicity is a statement about defined values.
    for value in (sr, sr + step):
        if 1 - skew * value + (kurt - 1) / 4 * value**2 <= 1e-9:
            return
    assert psr_from_statistics(sr + step, n, skew, kurt) >= psr_from_statistics(sr, n, skew, kurt)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=2, max_value=1000),
    st.floats(min_value=1e-6, max_value=0.1),
)
def test_dsr_never_exceeds_psr_at_zero(seed: int, n_trials: int, variance: float) -> None:
    r = _returns(seed, n=300)
    dsr = deflated_sharpe_ratio(r, n_trials=n_trials, sr_variance=variance)
    assert 0.0 <= dsr <= probabilistic_sharpe_ratio(r, 0.0)
