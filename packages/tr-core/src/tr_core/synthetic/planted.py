"""The seed's two costly lessons, planted on request into the synthetic market.

In the insider-trading research two fixes moved real money: dropping
``fillna(0)`` on features (top bucket 17.73 % -> 26.16 %) and weighting trades by
``|alpha| ** 1.5`` (16.15 % -> 26.16 %). The plain synthetic market cannot show
either for a tree model: its zero fills land on values no real row has (trees
isolate them as a missing flag), and its features only shift the *location* of
alpha, so a model of ``P(alpha > 0 | x)`` ranks rows as a model of
``E[alpha | x]`` does. Each function here plants one mechanism that makes the
lesson true for a known reason; :func:`~tr_core.synthetic.make_insider_trades`
calls them only when asked (``fill_collision=True``, ``magnitude_signal=True``).

Every draw comes from a generator of its own (:func:`planted_rngs`), spawned
from the market's seed, so switching a lesson on never moves the draws of the
plain market, and switching one lesson on never moves the other's.

Fill collision (group ``filings``)
    Per insider, a selling propensity ``g ~ N(0, 1)`` and an award propensity
    ``h ~ N(0, 1)``; per trade, ``fil_sales_12m ~ Poisson(exp(-0.3 + g))`` and
    ``fil_awards_12m ~ Poisson(exp(-0.5 + 0.8 h))``. A genuine 0 is common
    (about half the rows) and informative: an insider who sold nothing and was
    granted nothing in the year before buys with conviction. Their drivers are
    the standardized indicators ``1{count > 0}``, with weights -0.02 and -0.01
    per sd (a genuine 0 earns about +4 % and +2 % more than a positive count).
    For 25 % of insiders the filing history is unknown: both columns are NaN,
    and those trades earn -5 % (a latent effect). Missing rows therefore earn
    *less* than the average known row, while the genuine zeros earn *more*:
    ``fillna(0)`` moves every missing row into the best real bucket.

Magnitude signal (group ``event``)
    Two scores ``evt_steady_score``, ``evt_catalyst_score ~ N(0, 1)``.

    * Steady: with probability ``0.6 * sigmoid(1.5 * s)`` (times
      ``min(signal_strength, 1)``) the trade's alpha is *replaced* by a small win,
      ``0.006 + 0.004 * N(0, 1)``. A high score raises ``P(alpha > 0)`` a lot
      (about +16 points from the bottom to the top quintile) and moves
      ``E[alpha]`` little, slightly *down* (the win is below the average trade's
      alpha: about -0.7 % from the bottom to the top quintile).
    * Catalyst: with probability ``0.2 * sigmoid(1.5 * (c - 0.5))`` a jump of
      ``signal_strength * (0.15 + Exp(mean 0.2))`` is added. A high score adds
      ``q * 0.35`` to ``E[alpha]`` but only about ``q / 3`` to ``P(alpha > 0)``
      (about +4.8 % and +4 points from the bottom to the top quintile).

    A classifier of ``alpha > 0`` fitted unweighted ranks the steady rows
    first; ``|alpha| ** 1.5`` weights make the small wins nearly weightless and
    the model ranks the catalyst rows first, whose mean alpha is far higher.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tr_core.synthetic.truth import FeatureTruth

__all__ = [
    "FILL_COLLISION",
    "MAGNITUDE_SIGNAL",
    "UNKNOWN_HISTORY_EFFECT",
    "FillCollision",
    "MagnitudeSignal",
    "apply_magnitude_signal",
    "draw_magnitude_signal",
    "event_features",
    "filings_features",
    "plant_fill_collision",
    "planted_descriptions",
    "planted_rngs",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Mechanism names, as keys of ``GroundTruth.planted`` and the generator's switches.
FILL_COLLISION = "fill_collision"
MAGNITUDE_SIGNAL = "magnitude_signal"

# --- fill collision ----------------------------------------------------------------------
#: Share of insiders whose filing history is unknown (the ``filings`` group is NaN).
FILL_MISSING_SHARE = 0.25
#: Alpha shift of a trade whose insider's filing history is unknown (latent).
UNKNOWN_HISTORY_EFFECT = -0.05
_SALES_WEIGHT = -0.02
_AWARDS_WEIGHT = -0.01
_SALES_LOG_MEAN, _SALES_LOG_SD = -0.3, 1.0
_AWARDS_LOG_MEAN, _AWARDS_LOG_SD = -0.5, 0.8

# --- magnitude signal --------------------------------------------------------------------
_STEADY_MAX, _STEADY_SLOPE = 0.6, 1.5
_STEADY_WIN, _STEADY_SD = 0.006, 0.004
_JUMP_MAX, _JUMP_SLOPE, _JUMP_MID = 0.2, 1.5, 0.5
_JUMP_MIN, _JUMP_EXTRA = 0.15, 0.2


def planted_rngs(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Independent generators for the fill collision and the magnitude signal.

    Spawned from ``SeedSequence(seed)``, so they never share a draw with
    ``default_rng(seed)`` (the plain market's stream) or with each other.

    Parameters
    ----------
    seed : int
        The market's seed.

    Returns
    -------
    tuple of numpy.random.Generator
        ``(fill_rng, magnitude_rng)``.
    """
    fill, magnitude = np.random.SeedSequence(seed).spawn(2)
    return np.random.default_rng(fill), np.random.default_rng(magnitude)


def filings_features() -> tuple[FeatureTruth, ...]:
    """The ``filings`` group: counts whose genuine 0 is common and informative."""
    return (
        FeatureTruth(
            "fil_sales_12m",
            "filings",
            _SALES_WEIGHT,
            _SALES_WEIGHT,
            "Open-market sales by the same insider in the 12 months before the trade "
            "(count; 0 is genuine and common). Driver: standardized 1{count > 0}, so a "
            "genuine 0 earns about 4 % more than a seller. NaN when the insider's filing "
            "history is unknown.",
        ),
        FeatureTruth(
            "fil_awards_12m",
            "filings",
            _AWARDS_WEIGHT,
            _AWARDS_WEIGHT,
            "Stock or option awards to the same insider in the 12 months before the trade "
            "(count; 0 is genuine and common). Driver: standardized 1{count > 0}, so a "
            "genuine 0 earns about 2 % more. NaN when the insider's filing history is "
            "unknown.",
        ),
    )


def event_features(weight_steady: float, weight_catalyst: float) -> tuple[FeatureTruth, ...]:
    """The ``event`` group, with the realized effect of each score on mean alpha.

    Parameters
    ----------
    weight_steady, weight_catalyst : float
        Least-squares slope of each mechanism's change of alpha on its score
        (alpha per sd): their effect is not linear, so the weight is measured.

    Returns
    -------
    tuple of FeatureTruth
    """
    return (
        FeatureTruth(
            "evt_steady_score",
            "event",
            weight_steady,
            weight_steady,
            "Score of steady price support (standard normal). With probability "
            "0.6 * sigmoid(1.5 * score) the trade's alpha is a small win, "
            "0.006 + 0.004 * N(0, 1): it raises P(alpha > 0) a lot and moves mean alpha "
            "little (slightly down).",
        ),
        FeatureTruth(
            "evt_catalyst_score",
            "event",
            weight_catalyst,
            weight_catalyst,
            "Score of a pending binary catalyst (standard normal). With probability "
            "0.2 * sigmoid(1.5 * (score - 0.5)) alpha jumps by 0.15 + Exp(mean 0.2): it raises "
            "mean alpha a lot and P(alpha > 0) little.",
        ),
    )


@dataclass(frozen=True)
class FillCollision:
    """The planted ``filings`` columns, their drivers and the unknown-history rows.

    Attributes
    ----------
    columns : dict of str to ndarray
        ``fil_sales_12m`` and ``fil_awards_12m``, NaN where ``unknown``.
    drivers : dict of str to ndarray
        Standardized ``1{count > 0}`` of each (over every row: the count exists
        even where nobody observed it).
    unknown : ndarray of bool
        Rows whose insider's filing history is unknown.
    """

    columns: dict[str, FloatArray]
    drivers: dict[str, FloatArray]
    unknown: BoolArray


def plant_fill_collision(
    rng: np.random.Generator, insider: npt.NDArray[np.int64], n_insiders: int
) -> FillCollision:
    """Draw the ``filings`` group (see the module docstring for the formulas).

    Parameters
    ----------
    rng : numpy.random.Generator
        The fill-collision generator of :func:`planted_rngs`.
    insider : ndarray of int
        Insider id per trade.
    n_insiders : int
        Number of insiders.

    Returns
    -------
    FillCollision
    """
    # Propensities and the unknown history are per insider: whether a vendor
    # matched an insider's filings does not change from trade to trade.
    sell = rng.standard_normal(n_insiders)
    award = rng.standard_normal(n_insiders)
    unknown = (rng.random(n_insiders) < FILL_MISSING_SHARE)[insider]
    sales = rng.poisson(np.exp(_SALES_LOG_MEAN + _SALES_LOG_SD * sell[insider])).astype(np.float64)
    awards = rng.poisson(np.exp(_AWARDS_LOG_MEAN + _AWARDS_LOG_SD * award[insider])).astype(
        np.float64
    )
    columns, drivers = {}, {}
    for name, count in (("fil_sales_12m", sales), ("fil_awards_12m", awards)):
        drivers[name] = _standardize((count > 0).astype(np.float64))
        count[unknown] = np.nan
        columns[name] = count
    return FillCollision(columns=columns, drivers=drivers, unknown=unknown)


@dataclass(frozen=True)
class MagnitudeSignal:
    """The planted ``event`` scores and the draws that turn them into alpha.

    Attributes
    ----------
    steady_score, catalyst_score : ndarray
        The observed scores (standard normal).
    steady : ndarray of bool
        Rows whose alpha is replaced by a small win.
    win : ndarray
        The small win of each row (used where ``steady``).
    jump : ndarray
        The jump added to each row's alpha (0 where no catalyst fired).
    """

    steady_score: FloatArray
    catalyst_score: FloatArray
    steady: BoolArray
    win: FloatArray
    jump: FloatArray


def draw_magnitude_signal(rng: np.random.Generator, n: int, strength: float) -> MagnitudeSignal:
    """Draw the ``event`` scores and their outcomes (formulas in the module docstring).

    Parameters
    ----------
    rng : numpy.random.Generator
        The magnitude generator of :func:`planted_rngs`.
    n : int
        Rows.
    strength : float
        ``signal_strength``: scales the jump size; ``min(strength, 1)`` scales
        the steady share (a probability), so 0 leaves no planted signal.

    Returns
    -------
    MagnitudeSignal
    """
    steady_score = rng.standard_normal(n)
    catalyst_score = rng.standard_normal(n)
    # every draw is made for every row, so the stream does not depend on the scores
    steady_u = rng.random(n)
    win_z = rng.standard_normal(n)
    jump_u = rng.random(n)
    jump_e = rng.exponential(_JUMP_EXTRA, size=n)
    steady_p = min(strength, 1.0) * _STEADY_MAX * _sigmoid(_STEADY_SLOPE * steady_score)
    jump_p = _JUMP_MAX * _sigmoid(_JUMP_SLOPE * (catalyst_score - _JUMP_MID))
    jump = np.where(jump_u < jump_p, strength * (_JUMP_MIN + jump_e), 0.0)
    return MagnitudeSignal(
        steady_score=steady_score,
        catalyst_score=catalyst_score,
        steady=steady_u < steady_p,
        win=_STEADY_WIN + _STEADY_SD * win_z,
        jump=jump,
    )


def apply_magnitude_signal(raw: FloatArray, draws: MagnitudeSignal) -> FloatArray:
    """Alpha (before the floor) after the steady wins and the catalyst jumps."""
    return np.where(draws.steady, draws.win, raw) + draws.jump


def planted_descriptions(*, fill_collision: bool, magnitude_signal: bool) -> dict[str, str]:
    """``GroundTruth.planted``: each planted mechanism, in words."""
    out = {}
    if fill_collision:
        out[FILL_COLLISION] = (
            "Group 'filings' (fil_sales_12m, fil_awards_12m): counts of the insider's sales "
            "and awards in the prior 12 months. A genuine 0 is common (about half the rows) "
            "and earns more alpha (+4 % for no sales, +2 % for no awards). For "
            f"{FILL_MISSING_SHARE:.0%} of insiders the filing history is unknown: both "
            "columns are NaN and the trade earns "
            f"{UNKNOWN_HISTORY_EFFECT:+.0%} (latent effect 'unknown_filing_history'). "
            "fillna(0) therefore mixes the worst rows into the best real value, and a tree "
            "cannot tell them apart; native NaN handling (or a missing flag) keeps them apart."
        )
    if magnitude_signal:
        out[MAGNITUDE_SIGNAL] = (
            "Group 'event': evt_steady_score predicts many small wins (with probability "
            "0.6 * sigmoid(1.5 * score) alpha is replaced by 0.006 + 0.004 * N(0, 1)), raising "
            "P(alpha > 0) much and mean alpha little (slightly down); evt_catalyst_score "
            "predicts rare large wins (with probability 0.2 * sigmoid(1.5 * (score - 0.5)) "
            "alpha jumps by 0.15 + Exp(mean 0.2)), raising mean alpha much and P(alpha > 0) "
            "little. An unweighted classifier of alpha > 0 ranks the steady rows first; "
            "|alpha| ** 1.5 weights make the small wins light and rank the catalyst rows "
            "first, with a higher top bucket."
        )
    return out


def _sigmoid(x: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-x))


def _standardize(x: FloatArray) -> FloatArray:
    sd = float(x.std()) if x.size else 0.0
    return (x - float(x.mean())) / (sd if sd > 0 else 1.0)
