"""The feature catalogue of the synthetic market: names, groups, true weights.

Weights are alpha (fraction) per one standard deviation of a feature's driver
(see :class:`~tr_core.synthetic.truth.FeatureTruth`). Magnitudes follow the
insider-trading literature in sign and rough size: purchases by senior
insiders (Seyhun 1986), clusters of buyers and large ownership increases carry
more alpha; opportunistic rather than routine traders are informative (Cohen,
Malloy & Pomorski 2012, *J. Finance* 67(3)); small names earn more (Lakonishok
& Lee 2001, *Rev. Financ. Stud.* 14(1)); momentum crashes in stressed markets
(Daniel & Moskowitz 2016, *J. Financ. Econ.* 122(2)).
"""

from __future__ import annotations

from tr_core.synthetic.truth import FeatureTruth

__all__ = [
    "FIRST_TIME_EFFECT",
    "GROUPS",
    "INSIDER_MULTIPLIER",
    "NOISE_KINDS",
    "NOISE_MULTIPLIER",
    "SIZE_EFFECT",
    "informative_features",
    "noise_features",
]

#: Group names, in column order (the last two exist only when their lesson is planted).
GROUPS: tuple[str, ...] = ("insider", "technical", "market", "noise", "filings", "event")
#: Multiplier of insider weights in (calm, stressed) regimes.
INSIDER_MULTIPLIER: tuple[float, float] = (0.6, 1.8)
#: Multiplier of the idiosyncratic noise scale in (calm, stressed) regimes.
NOISE_MULTIPLIER: tuple[float, float] = (1.0, 1.3)
#: Alpha per standard deviation of (latent) log market cap.
SIZE_EFFECT = -0.015
#: Alpha shift of an insider's first purchase (no earlier trade in the sample).
FIRST_TIME_EFFECT = 0.025
#: Distributions of the noise features, cycled.
NOISE_KINDS: tuple[str, ...] = (
    "normal",
    "student_t",
    "uniform",
    "lognormal",
    "binary",
    "exponential",
)

# name, group, weight in calm, weight in stressed (before the insider multiplier), description
_BASE: tuple[tuple[str, str, float, float, str], ...] = (
    ("ins_log_value", "insider", 0.008, 0.008, "log10 of the purchase value in USD."),
    (
        "ins_own_change",
        "insider",
        0.010,
        0.010,
        "Increase of the insider's holding, as a fraction of the holding before.",
    ),
    (
        "ins_role_score",
        "insider",
        0.006,
        0.006,
        "Seniority of the insider, 1 (10 % owner) to 5 (CEO); fixed per insider.",
    ),
    (
        "ins_cluster_count",
        "insider",
        0.008,
        0.008,
        "Purchases of the same ticker in the 30 calendar days before the trade date "
        "(driver: standardized log1p of it).",
    ),
    (
        "ins_days_since_last",
        "insider",
        0.006,
        0.006,
        "Calendar days since the same insider's previous purchase (driver: standardized "
        "log of it); NaN for a first-time filer.",
    ),
    (
        "ins_track_record",
        "insider",
        0.010,
        0.010,
        "Noisy estimate of the insider's skill (fraction of alpha) from k earlier "
        "purchases: 0.02 + 0.03 * (skill + e / sqrt(k)); the weight acts on skill. NaN for a "
        "first-time filer.",
    ),
    (
        "tech_momentum",
        "technical",
        0.015,
        -0.008,
        "12-1 month stock return (fraction); its effect flips sign in stressed markets.",
    ),
    (
        "tech_volatility",
        "technical",
        0.005,
        0.005,
        "Annualized volatility of daily stock returns over 63 days (fraction).",
    ),
    (
        "tech_dist_high",
        "technical",
        -0.008,
        -0.008,
        "Price over its 52-week high, minus 1 (in (-1, 0]); deeper drawdowns earn more.",
    ),
    ("tech_volume_ratio", "technical", 0.005, 0.005, "20-day over 252-day average volume."),
    (
        "mkt_volatility",
        "market",
        0.004,
        0.004,
        "VIX-like market volatility level (points); above the regime threshold the market "
        "is stressed. Same for every trade of a day.",
    ),
    (
        "mkt_momentum",
        "market",
        -0.006,
        -0.006,
        "Market return over the 63 business days before the trade date (fraction).",
    ),
    (
        "mkt_dispersion",
        "market",
        0.004,
        0.004,
        "Cross-sectional standard deviation of monthly stock returns (fraction).",
    ),
)


def informative_features() -> tuple[FeatureTruth, ...]:
    """The informative features with the regime multipliers applied."""
    calm, stressed = INSIDER_MULTIPLIER
    out = []
    for name, group, w_calm, w_stressed, text in _BASE:
        m_calm, m_stressed = (calm, stressed) if group == "insider" else (1.0, 1.0)
        out.append(FeatureTruth(name, group, w_calm * m_calm, w_stressed * m_stressed, text))
    return tuple(out)


def noise_features(n_noise: int) -> tuple[FeatureTruth, ...]:
    """``n_noise`` pure-noise features, cycling through :data:`NOISE_KINDS`."""
    return tuple(
        FeatureTruth(
            f"noise_{j}",
            "noise",
            0.0,
            0.0,
            f"Pure noise ({NOISE_KINDS[j % len(NOISE_KINDS)]} draws); alpha ignores it.",
        )
        for j in range(n_noise)
    )
