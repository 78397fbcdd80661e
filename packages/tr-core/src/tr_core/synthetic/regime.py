"""Daily market-regime processes of the synthetic market.

Every business day gets a latent volatility state, an observed VIX-like level,
a trailing market return and a cross-sectional dispersion. All trades on one
day share them. The latent states are stationary Gaussian processes built by
filtering white noise with a unit-energy exponential kernel, so each is
exactly standard normal at every day (no burn-in bias) and the whole panel is
drawn in a handful of vectorized numpy calls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "MOMENTUM_WINDOW",
    "STRESS_Z",
    "VOL_LEVEL",
    "VOL_SCALE",
    "MarketPanel",
    "make_market_panel",
]

FloatArray = npt.NDArray[np.float64]

#: Latent volatility above this z-score is the stressed regime (30 % of days).
STRESS_Z = 0.5244005127080407
#: ``mkt_volatility = VOL_LEVEL * exp(VOL_SCALE * z)``: a VIX-like level in points.
VOL_LEVEL = 20.0
VOL_SCALE = 0.35
#: Trailing window of ``mkt_momentum``, in business days.
MOMENTUM_WINDOW = 63


@dataclass(frozen=True)
class MarketPanel:
    """One value per business day of each regime variable.

    Attributes
    ----------
    z_vol : ndarray
        Latent volatility state, standard normal at every day.
    stressed : ndarray of bool
        ``z_vol > STRESS_Z``.
    volatility : ndarray
        Observed VIX-like level, ``VOL_LEVEL * exp(VOL_SCALE * z_vol)``.
    momentum : ndarray
        Market return (fraction) over the ``MOMENTUM_WINDOW`` business days
        *before* the day (the day's own return is not included).
    dispersion : ndarray
        Cross-sectional standard deviation of monthly stock returns (fraction).
    z_momentum, z_dispersion : ndarray
        Standardized drivers of ``momentum`` and ``dispersion``.
    intensity : ndarray
        Probability of a trade falling on each day (sums to 1): insiders buy
        more when markets are stressed.
    """

    z_vol: FloatArray
    stressed: npt.NDArray[np.bool_]
    volatility: FloatArray
    momentum: FloatArray
    dispersion: FloatArray
    z_momentum: FloatArray
    z_dispersion: FloatArray
    intensity: FloatArray


def smooth_normal(rng: np.random.Generator, n: int, half_life: float) -> FloatArray:
    """A stationary AR(1)-like Gaussian series with standard normal marginals.

    White noise is convolved with the kernel ``phi**k`` (``phi = 0.5**(1/half_life)``),
    truncated where its weights fall below ``1e-6`` and scaled to unit energy, so
    every output value is a unit-variance combination of iid normals.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n : int
        Length of the series.
    half_life : float
        Half-life of the autocorrelation, in steps.

    Returns
    -------
    ndarray of float64, shape (n,)
    """
    phi = 0.5 ** (1.0 / half_life)
    length = max(1, math.ceil(math.log(1e-6) / math.log(phi)))
    kernel = phi ** np.arange(length, dtype=np.float64)
    kernel /= np.sqrt(np.sum(kernel**2))
    white = rng.standard_normal(n + length - 1)
    return np.convolve(white, kernel, mode="valid")


def _standardize(x: FloatArray) -> FloatArray:
    sd = float(np.std(x))
    return (x - float(np.mean(x))) / (sd if sd > 0 else 1.0)


def make_market_panel(rng: np.random.Generator, n_days: int) -> MarketPanel:
    """Draw the daily regime panel.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    n_days : int
        Business days in the sample.

    Returns
    -------
    MarketPanel
    """
    z_vol = smooth_normal(rng, n_days + MOMENTUM_WINDOW, half_life=30.0)
    daily_sd = VOL_LEVEL * np.exp(VOL_SCALE * z_vol) / 100.0 / np.sqrt(252.0)
    returns = 0.0003 + daily_sd * rng.standard_normal(z_vol.size)
    cum = np.concatenate(([0.0], np.cumsum(returns)))
    # day d of the sample is index d + MOMENTUM_WINDOW of the simulated path; its
    # momentum sums the returns of the MOMENTUM_WINDOW previous days.
    end = np.arange(MOMENTUM_WINDOW, MOMENTUM_WINDOW + n_days)
    momentum = cum[end] - cum[end - MOMENTUM_WINDOW]
    z_vol = z_vol[MOMENTUM_WINDOW:]
    z_disp = 0.6 * z_vol + 0.8 * smooth_normal(rng, n_days, half_life=20.0)
    activity = 0.35 * z_vol + 0.5 * smooth_normal(rng, n_days, half_life=3.0)
    intensity = np.exp(activity - activity.max())
    return MarketPanel(
        z_vol=z_vol,
        stressed=z_vol > STRESS_Z,
        volatility=VOL_LEVEL * np.exp(VOL_SCALE * z_vol),
        momentum=momentum,
        dispersion=0.08 * np.exp(0.25 * z_disp),
        z_momentum=_standardize(momentum),
        z_dispersion=z_disp,
        intensity=intensity / intensity.sum(),
    )
