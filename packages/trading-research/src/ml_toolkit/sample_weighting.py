"""The plan's ``ml_toolkit.sample_weighting``: a thin re-export of :mod:`tr_sample_weighting`.

Every name is the object of ``tr_sample_weighting`` itself
(``ml_toolkit.sample_weighting.AlphaPowerWeighter is
tr_sample_weighting.AlphaPowerWeighter``); the plan's ``calculate_alpha_squared_weights``
is the package's alias of ``alpha_power_weights``. tr-sample-weighting's whole public
API is at its top level.
"""

from tr_sample_weighting import (
    AlphaPowerWeighter,
    ClassBalanceWeighter,
    MagnitudeWeighter,
    ProductWeighter,
    ReturnAttributionWeighter,
    SampleWeighter,
    TimeDecayWeighter,
    UniquenessWeighter,
    UnitsWarning,
    alpha_power_weights,
    calculate_alpha_squared_weights,
    class_balance_weights,
    label_concurrency,
    magnitude_weights,
    return_attribution_weights,
    time_decay_weights,
    uniqueness_weights,
)

# tr_sample_weighting.__all__ without __version__ (a test keeps the two equal).
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
    "alpha_power_weights",
    "calculate_alpha_squared_weights",
    "class_balance_weights",
    "label_concurrency",
    "magnitude_weights",
    "return_attribution_weights",
    "time_decay_weights",
    "uniqueness_weights",
]
