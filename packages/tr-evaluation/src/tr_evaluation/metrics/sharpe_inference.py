r"""Statistical inference on the Sharpe ratio: PSR, DSR and minimum track record length.

Conventions
-----------
* Sharpe ratios here are **per period** (not annualized): :math:`\widehat{SR} = \bar r / s`
  with the sample standard deviation ``s`` (``ddof=1``). Where a function takes
  ``periods_per_year``, annualized *inputs* (benchmark Sharpe, variance of trial
  Sharpe ratios) are converted to per-period values first; the outputs are
  probabilities or numbers of periods either way.
* Skewness :math:`\hat\gamma_3 = m_3 / m_2^{3/2}` and kurtosis
  :math:`\hat\gamma_4 = m_4 / m_2^2` use the (biased) central sample moments
  :math:`m_k = \frac1n \sum (r_t - \bar r)^k`. Kurtosis is **raw** (non-excess):
  3 for a normal distribution, as in the papers. Passing excess kurtosis to the
  ``*_from_statistics`` functions is a common mistake; it usually makes the variance
  term non-positive, which raises.
* ``returns`` should be excess returns when a risk-free rate matters.

References
----------
Bailey, D. H. & López de Prado, M. (2012). The Sharpe ratio efficient frontier.
*Journal of Risk*, 15(2), 3-44. (PSR, eq. 11; MinTRL, eq. 13.)
Bailey, D. H. & López de Prado, M. (2014). The deflated Sharpe ratio: correcting for
selection bias, backtest overfitting and non-normality. *Journal of Portfolio
Management*, 40(5), 94-107. (DSR, eqs. 1-2.)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.stats import norm

from tr_core.errors import InsufficientDataError, InvalidParameterError, TrTypeError
from tr_evaluation.metrics._checks import (
    annualization,
    check_dispersion,
    finite,
    power_of_two_scale,
    returns_array,
    returns_matrix,
)

__all__ = [
    "deflated_sharpe_ratio",
    "expected_max_sharpe",
    "min_trl_from_statistics",
    "minimum_track_record_length",
    "probabilistic_sharpe_ratio",
    "psr_from_statistics",
]

EULER_GAMMA = 0.5772156649015329
"""Euler–Mascheroni constant, used by the expected maximum of Gaussian Sharpe ratios."""


def psr_from_statistics(
    sharpe: float, n_obs: int, skew: float, kurtosis: float, sr_benchmark: float = 0.0
) -> float:
    r"""Probabilistic Sharpe ratio from summary statistics (Bailey & López de Prado 2012).

    .. math:: \widehat{PSR}(SR^*) = \Phi\left( \frac{(\widehat{SR} - SR^*)\sqrt{n - 1}}
              {\sqrt{1 - \hat\gamma_3 \widehat{SR} + \frac{\hat\gamma_4 - 1}{4}\widehat{SR}^2}}
              \right)

    For fixed moments, PSR increases with :math:`\widehat{SR}` wherever
    :math:`1 - \hat\gamma_3(\widehat{SR} + SR^*)/2 + SR^*\widehat{SR}(\hat\gamma_4 - 1)/4 > 0`,
    which holds for all realistic per-period Sharpe ratios (and always for a normal
    distribution with :math:`SR^* = 0`).

    Parameters
    ----------
    sharpe : float
        Observed **per-period** Sharpe ratio.
    n_obs : int
        Number of return observations, at least 2.
    skew : float
        Skewness :math:`\hat\gamma_3` of the returns.
    kurtosis : float
        **Raw** kurtosis :math:`\hat\gamma_4` (3 for normal returns, not 0).
    sr_benchmark : float, default 0.0
        Per-period benchmark Sharpe ratio :math:`SR^*`.

    Returns
    -------
    float
        Probability in ``[0, 1]`` that the true Sharpe ratio exceeds ``sr_benchmark``.
    """
    n = _count(n_obs, "n_obs", minimum=2)
    sr = finite(sharpe, "sharpe")
    sr_star = finite(sr_benchmark, "sr_benchmark")
    v = _variance_term(sr, finite(skew, "skew"), finite(kurtosis, "kurtosis"))
    return float(norm.cdf((sr - sr_star) * math.sqrt(n - 1) / math.sqrt(v)))


def probabilistic_sharpe_ratio(
    returns: Any, sr_benchmark: float = 0.0, *, periods_per_year: float | None = None
) -> float:
    """Probabilistic Sharpe ratio of a return series (Bailey & López de Prado 2012).

    Computes the per-period Sharpe ratio, skewness and raw kurtosis of ``returns``
    (see the module conventions) and applies :func:`psr_from_statistics`.

    Parameters
    ----------
    returns : array-like
        Per-period (excess) returns, at least 2 observations, not all equal.
    sr_benchmark : float, default 0.0
        Benchmark Sharpe ratio :math:`SR^*`: per period, or annualized when
        ``periods_per_year`` is given (then divided by ``sqrt(periods_per_year)``).
    periods_per_year : float or None, default None
        Set it to pass an annualized ``sr_benchmark``.

    Returns
    -------
    float
        :math:`P[SR > SR^*]`, in ``[0, 1]``.
    """
    r = returns_array(returns, "returns", min_obs=2)
    sr, skew, kurt = _moments(r, "returns")
    sr_star = finite(sr_benchmark, "sr_benchmark") / annualization(periods_per_year)
    return psr_from_statistics(sr, r.size, skew, kurt, sr_star)


def expected_max_sharpe(n_trials: int, sr_variance: float) -> float:
    r"""Expected maximum Sharpe ratio of unskilled trials (Bailey & López de Prado 2014).

    .. math:: SR_0 = \sqrt{V[\{\widehat{SR}_n\}]}\left( (1 - \gamma)\,
              \Phi^{-1}\!\left[1 - \frac1N\right]
              + \gamma\,\Phi^{-1}\!\left[1 - \frac1{N e}\right] \right)

    with :math:`\gamma` the Euler–Mascheroni constant. This is the rejection
    threshold the deflated Sharpe ratio uses as :math:`SR^*`.

    Parameters
    ----------
    n_trials : int
        Number of independent trials :math:`N`, at least 2.
    sr_variance : float
        Variance of the trials' Sharpe ratios, :math:`\ge 0`, in the units of the
        returned threshold (per period for use with per-period Sharpe ratios).

    Returns
    -------
    float
    """
    n = _count(n_trials, "n_trials", minimum=2)
    var = finite(sr_variance, "sr_variance")
    if var < 0:
        raise InvalidParameterError(f"`sr_variance` must be >= 0, got {sr_variance!r}.")
    z = (1 - EULER_GAMMA) * norm.ppf(1 - 1 / n) + EULER_GAMMA * norm.ppf(1 - 1 / (n * math.e))
    return float(math.sqrt(var) * z)


def deflated_sharpe_ratio(
    returns: Any,
    *,
    n_trials: int | None = None,
    sr_variance: float | None = None,
    trial_returns: Any = None,
    periods_per_year: float | None = None,
) -> float:
    r"""Deflated Sharpe ratio (Bailey & López de Prado 2014).

    The PSR of ``returns`` against the Sharpe ratio that the best of ``N`` unskilled
    trials would be expected to reach: :math:`DSR = \widehat{PSR}(SR_0)` with
    :math:`SR_0` from :func:`expected_max_sharpe`.

    Give either ``n_trials`` and ``sr_variance``, or ``trial_returns``: a periods ×
    trials matrix (one column per trial, e.g. every backtested configuration), from
    which :math:`N` = number of columns and :math:`V` = sample variance (``ddof=1``)
    of the columns' per-period Sharpe ratios.

    Parameters
    ----------
    returns : array-like
        Per-period (excess) returns of the selected strategy.
    n_trials : int, optional
        Number of independent trials :math:`N` (at least 2).
    sr_variance : float, optional
        Variance of the trials' Sharpe ratios: per period, or of **annualized**
        Sharpe ratios when ``periods_per_year`` is given (divided by it).
    trial_returns : DataFrame or 2-D array, optional
        The trials' returns, instead of ``n_trials`` and ``sr_variance``.
    periods_per_year : float or None, default None
        Set it to pass an annualized ``sr_variance``.

    Returns
    -------
    float
        Probability in ``[0, 1]`` that the true Sharpe ratio exceeds :math:`SR_0`.

    Raises
    ------
    InvalidParameterError
        If both or neither ways of describing the trials are given.

    Examples
    --------
    The paper's example (:math:`N=100`, annualized :math:`V=1/2`, :math:`T=1250`
    daily returns, annualized :math:`\widehat{SR}=2.5`, :math:`\hat\gamma_3=-3`,
    :math:`\hat\gamma_4=10`) gives :math:`SR_0 \approx 0.1132` per day and
    :math:`DSR \approx 0.9004`; see ``psr_from_statistics`` and ``expected_max_sharpe``.
    """
    if trial_returns is not None:
        if n_trials is not None or sr_variance is not None:
            raise InvalidParameterError(
                "pass either `trial_returns` or (`n_trials`, `sr_variance`), not both."
            )
        matrix, columns = returns_matrix(trial_returns, "trial_returns")
        if matrix.shape[1] < 2:
            raise InsufficientDataError(
                f"`trial_returns` has {matrix.shape[1]} column; deflating needs at least 2 "
                "trials (one column per trial)."
            )
        sharpes = [
            _moments(matrix[:, j], f"trial_returns[{c!r}]")[0] for j, c in enumerate(columns)
        ]
        n, var = matrix.shape[1], float(np.var(sharpes, ddof=1))
    elif n_trials is None or sr_variance is None:
        raise InvalidParameterError(
            "pass `n_trials` and `sr_variance` (variance of the trials' Sharpe ratios), or "
            "`trial_returns` (periods × trials matrix)."
        )
    else:
        n = n_trials
        var = finite(sr_variance, "sr_variance") / annualization(periods_per_year) ** 2
    return probabilistic_sharpe_ratio(returns, expected_max_sharpe(n, var))


def min_trl_from_statistics(
    sharpe: float,
    skew: float,
    kurtosis: float,
    sr_benchmark: float = 0.0,
    *,
    confidence: float = 0.95,
) -> float:
    r"""Minimum track record length from summary statistics (Bailey & López de Prado 2012).

    .. math:: MinTRL = 1 + \left(1 - \hat\gamma_3 \widehat{SR} + \frac{\hat\gamma_4 - 1}{4}
              \widehat{SR}^2\right) \left(\frac{Z_\alpha}{\widehat{SR} - SR^*}\right)^2

    the number of observations for which :math:`\widehat{PSR}(SR^*) = \alpha`
    (``confidence``), with :math:`Z_\alpha = \Phi^{-1}(\alpha)`.

    Parameters
    ----------
    sharpe : float
        Observed per-period Sharpe ratio.
    skew : float
        Skewness of the returns.
    kurtosis : float
        **Raw** kurtosis (3 for normal returns).
    sr_benchmark : float, default 0.0
        Per-period benchmark Sharpe ratio.
    confidence : float, default 0.95
        Confidence level :math:`\alpha`, in ``(0, 1)``.

    Returns
    -------
    float
        Number of periods (not rounded); ``inf`` when ``sharpe <= sr_benchmark``
        (no track record is long enough).
    """
    sr = finite(sharpe, "sharpe")
    sr_star = finite(sr_benchmark, "sr_benchmark")
    alpha = finite(confidence, "confidence")
    if not 0 < alpha < 1:
        raise InvalidParameterError(f"`confidence` must be in (0, 1), got {confidence!r}.")
    v = _variance_term(sr, finite(skew, "skew"), finite(kurtosis, "kurtosis"))
    if sr <= sr_star:
        return math.inf
    return float(1 + v * (norm.ppf(alpha) / (sr - sr_star)) ** 2)


def minimum_track_record_length(
    returns: Any,
    sr_benchmark: float = 0.0,
    *,
    confidence: float = 0.95,
    periods_per_year: float | None = None,
) -> float:
    """Minimum track record length of a return series (Bailey & López de Prado 2012).

    Computes the per-period Sharpe ratio, skewness and raw kurtosis of ``returns`` and
    applies :func:`min_trl_from_statistics`.

    Parameters
    ----------
    returns : array-like
        Per-period (excess) returns, at least 2 observations, not all equal.
    sr_benchmark : float, default 0.0
        Benchmark Sharpe ratio: per period, or annualized when ``periods_per_year``
        is given.
    confidence : float, default 0.95
        Confidence level.
    periods_per_year : float or None, default None
        Set it to pass an annualized ``sr_benchmark``.

    Returns
    -------
    float
        Number of **periods** of the same frequency as ``returns`` (divide by
        ``periods_per_year`` for years); ``inf`` when the Sharpe ratio does not
        exceed the benchmark.
    """
    r = returns_array(returns, "returns", min_obs=2)
    sr, skew, kurt = _moments(r, "returns")
    sr_star = finite(sr_benchmark, "sr_benchmark") / annualization(periods_per_year)
    return min_trl_from_statistics(sr, skew, kurt, sr_star, confidence=confidence)


def _moments(r: np.ndarray, name: str) -> tuple[float, float, float]:
    """Per-period Sharpe ratio (ddof=1), skewness and raw kurtosis (biased moments).

    All three are scale-free, so they are computed on ``r`` rescaled by a power of two
    (exact): values near 1e200 would otherwise overflow when raised to the 4th power.
    A series without dispersion beyond float rounding raises, as a constant one does.
    """
    magnitude = float(np.max(np.abs(r)))
    f = power_of_two_scale(magnitude)
    z = r * f
    check_dispersion(z, magnitude * f, r, name, "its Sharpe ratio")
    centered = z - z.mean()
    m2 = float(np.mean(centered**2))
    skew = float(np.mean(centered**3)) / m2**1.5
    kurt = float(np.mean(centered**4)) / m2**2
    return float(z.mean() / z.std(ddof=1)), skew, kurt


def _variance_term(sr: float, skew: float, kurtosis: float) -> float:
    """``1 - skew * SR + (kurtosis - 1) / 4 * SR**2``, which must be positive."""
    v = 1 - skew * sr + (kurtosis - 1) / 4 * sr**2
    if v <= 0:
        raise InvalidParameterError(
            f"1 - skew*SR + (kurtosis-1)/4*SR² = {v:.4g} is not positive (skew={skew!r}, "
            f"kurtosis={kurtosis!r}, SR={sr!r}); `kurtosis` must be raw (3 for a normal "
            "distribution), not excess kurtosis, and SR must be per period."
        )
    return v


def _count(value: int, name: str, *, minimum: int) -> int:
    """Validate an integer count ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TrTypeError(f"`{name}` must be an integer, got {type(value).__name__}.")
    if value < minimum:
        raise InvalidParameterError(f"`{name}` must be >= {minimum}, got {value}.")
    return int(value)
