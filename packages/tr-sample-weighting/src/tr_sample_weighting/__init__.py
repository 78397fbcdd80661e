"""Sample weights for trading research.

Alpha power, magnitude, label uniqueness, return attribution, time decay and class
balance.

Every weight function returns one float64 weight per input row, in input order,
never modifies its input and raises a :mod:`tr_core.errors` exception (naming the
argument and the rows) instead of returning zero or non-finite weights. Weighters
are the same computations as small frozen objects that read their columns from a
frame, multiply (``w1 * w2``) and normalize only when told to.
"""

from tr_sample_weighting.__about__ import __version__
from tr_sample_weighting.alpha import (
    AlphaPowerWeighter,
    MagnitudeWeighter,
    UnitsWarning,
    alpha_power_weights,
    calculate_alpha_squared_weights,
    magnitude_weights,
)
from tr_sample_weighting.balance import ClassBalanceWeighter, class_balance_weights
from tr_sample_weighting.base import ProductWeighter, SampleWeighter
from tr_sample_weighting.decay import TimeDecayWeighter, time_decay_weights
from tr_sample_weighting.uniqueness import (
    ReturnAttributionWeighter,
    UniquenessWeighter,
    label_concurrency,
    return_attribution_weights,
    uniqueness_weights,
)

__all__ = [
    "AlphaPowerWeighter",
    "ClassBalanceWeighter",
    "MagnitudeWeighter",
    "ProductWeighter",
    "ReturnAttributionWeighter",
    "SampleWeighter",
    "TimeDecayWeighter",
    "UniquenessWeighter",
    "UnitsWarning",
    "__version__",
    "alpha_power_weights",
    "calculate_alpha_squared_weights",
    "class_balance_weights",
    "label_concurrency",
    "magnitude_weights",
    "return_attribution_weights",
    "time_decay_weights",
    "uniqueness_weights",
]
