"""The ground truth behind a synthetic insider-trade market.

Every number here is a parameter the generator *used*, or a share it *realized*,
so tests and demos can check that the toolkit recovers it: informative features
rank above noise, the insider signal is stronger in stressed markets, and
per-group dropna beats ``fillna(0)`` because missingness is not at random.
``GroundTruth.planted`` names the seed's lessons planted on request (see
:mod:`tr_core.synthetic.planted`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

__all__ = ["FeatureTruth", "GroundTruth", "RegimeTruth"]


@dataclass(frozen=True)
class FeatureTruth:
    """The true effect of one feature on alpha.

    Attributes
    ----------
    name : str
        Column name.
    group : str
        Feature group (``"insider"``, ``"technical"``, ``"market"``, ``"noise"``;
        ``"filings"`` and ``"event"`` when a lesson is planted).
    weight_calm, weight_stressed : float
        Expected change of alpha (a fraction: 0.01 is +1 %) per one standard
        deviation of the feature's driver, in the calm and the stressed regime.
        The driver is a standard-normal (or standardized) variable that the
        feature is an increasing function of, so the sign is the sign of the
        feature's effect. Both are 0 for noise features.
    description : str
        What the column means, its units, and how it is derived.
    """

    name: str
    group: str
    weight_calm: float
    weight_stressed: float
    description: str

    @property
    def informative(self) -> bool:
        """Whether alpha depends on this feature in at least one regime."""
        return self.weight_calm != 0.0 or self.weight_stressed != 0.0

    def weight(self, stressed_share: float) -> float:
        """Regime-averaged weight: ``(1 - s) * weight_calm + s * weight_stressed``."""
        return (1.0 - stressed_share) * self.weight_calm + stressed_share * self.weight_stressed


@dataclass(frozen=True)
class RegimeTruth:
    """How the market regime is defined and what it changes.

    Attributes
    ----------
    feature : str
        The observed column that defines the regime.
    threshold : float
        A trade is in the *stressed* regime when ``feature > threshold``.
    stressed_share_days, stressed_share_trades : float
        Realized share of business days, and of trades, in the stressed regime.
    insider_multiplier : tuple of float
        Multiplier of every insider feature's weight in (calm, stressed).
    noise_multiplier : tuple of float
        Multiplier of the idiosyncratic noise scale in (calm, stressed).
    description : str
        The mechanism in words.
    """

    feature: str
    threshold: float
    stressed_share_days: float
    stressed_share_trades: float
    insider_multiplier: tuple[float, float]
    noise_multiplier: tuple[float, float]
    description: str


@dataclass(frozen=True)
class GroundTruth:
    """Everything the generator knows and a model should rediscover.

    Attributes
    ----------
    features : tuple of FeatureTruth
        One entry per feature column, in column order.
    groups : mapping of str to tuple of str
        Group name to its feature columns.
    missingness : mapping of str to str
        Group name to its missingness mechanism, in words.
    missing_share : mapping of str to float
        Group name to the realized share of rows where the group is missing
        (for ``"noise"``: the share of missing cells).
    regime : RegimeTruth
        Regime definition and effects.
    latent_effects : mapping of str to float
        Effects on alpha of variables that are *not* columns: ``"size"``
        (alpha per standard deviation of log market cap),
        ``"first_time_filer"`` (alpha shift of an insider's first purchase) and,
        with ``fill_collision=True``, ``"unknown_filing_history"`` (alpha shift of
        a trade whose ``filings`` group is NaN).
    alpha_model : mapping of str to float
        ``base`` (mean alpha before effects), ``signal_strength`` (multiplier of
        every systematic effect), ``noise_scale`` (std of the idiosyncratic
        part in the calm regime for an average-size name), ``tail_df``
        (Student-t degrees of freedom of that part) and ``floor`` (alpha is
        clipped below at this value: a long position cannot lose more than
        its stake).
    horizon : int
        Business days from ``trade_date`` to ``label_end``.
    n_trades, n_tickers : int
        Rows and distinct tickers generated.
    seed : int
        Seed of :func:`numpy.random.default_rng` that produced the data.
    planted : mapping of str to str
        The seed's lessons planted in this market, mechanism name to what was
        planted and why, in words: ``"fill_collision"`` (a ``fillna(0)`` that
        lands on a real, high-alpha value) and ``"magnitude_signal"`` (features
        that predict small wins vs. rare large ones, so ``|alpha| ** p`` weights
        change a classifier's top bucket). Empty for the plain market.
    """

    features: tuple[FeatureTruth, ...]
    groups: Mapping[str, tuple[str, ...]]
    missingness: Mapping[str, str]
    missing_share: Mapping[str, float]
    regime: RegimeTruth
    latent_effects: Mapping[str, float]
    alpha_model: Mapping[str, float]
    horizon: int
    n_trades: int
    n_tickers: int
    seed: int
    # defaulted, so a truth built before the lessons were planted still constructs
    planted: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __repr__(self) -> str:
        return (
            f"GroundTruth(n_trades={self.n_trades}, n_tickers={self.n_tickers}, "
            f"groups={list(self.groups)}, informative={len(self.informative)}, "
            f"horizon={self.horizon}, seed={self.seed})"
        )

    @property
    def feature_names(self) -> tuple[str, ...]:
        """Every feature column, in column order."""
        return tuple(f.name for f in self.features)

    @property
    def informative(self) -> dict[str, float]:
        """Informative feature to its regime-averaged true weight (trade-weighted)."""
        share = self.regime.stressed_share_trades
        return {f.name: f.weight(share) for f in self.features if f.informative}

    @property
    def noise(self) -> tuple[str, ...]:
        """Features alpha does not depend on."""
        return tuple(f.name for f in self.features if not f.informative)

    def to_frame(self) -> pd.DataFrame:
        """One row per feature: group, informative flag, weights, missingness.

        Returns
        -------
        pandas.DataFrame
            Indexed by feature, with columns ``group``, ``informative``,
            ``weight_calm``, ``weight_stressed``, ``weight`` (trade-weighted
            average), ``missing_share`` (of its group), ``missingness`` and
            ``description``.
        """
        share = self.regime.stressed_share_trades
        rows = [
            {
                "feature": f.name,
                "group": f.group,
                "informative": f.informative,
                "weight_calm": f.weight_calm,
                "weight_stressed": f.weight_stressed,
                "weight": f.weight(share),
                "missing_share": self.missing_share[f.group],
                "missingness": self.missingness[f.group],
                "description": f.description,
            }
            for f in self.features
        ]
        return pd.DataFrame(rows).set_index("feature")

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable summary of the truth."""
        return {
            "n_trades": self.n_trades,
            "n_tickers": self.n_tickers,
            "seed": self.seed,
            "horizon_business_days": self.horizon,
            "groups": {g: list(cols) for g, cols in self.groups.items()},
            "informative": self.informative,
            "noise": list(self.noise),
            "missingness": dict(self.missingness),
            "missing_share": dict(self.missing_share),
            "regime": {
                "feature": self.regime.feature,
                "threshold": self.regime.threshold,
                "stressed_share_days": self.regime.stressed_share_days,
                "stressed_share_trades": self.regime.stressed_share_trades,
                "insider_multiplier": list(self.regime.insider_multiplier),
                "noise_multiplier": list(self.regime.noise_multiplier),
                "description": self.regime.description,
            },
            "latent_effects": dict(self.latent_effects),
            "alpha_model": dict(self.alpha_model),
            "planted": dict(self.planted),
        }
