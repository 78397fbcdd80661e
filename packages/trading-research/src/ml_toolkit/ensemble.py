"""The plan's ``ml_toolkit.ensemble``: a thin re-export of :mod:`tr_ensemble`.

Every name is the object of ``tr_ensemble`` itself
(``ml_toolkit.ensemble.TimeSeriesStackingClassifier is
tr_ensemble.TimeSeriesStackingClassifier``).

Only the top-level names are re-exported; the lists of scikit-learn estimator checks
each estimator is known to fail, with their reasons, stay in :mod:`tr_ensemble.stacking`
and :mod:`tr_ensemble.blending`.
"""

from tr_ensemble import (
    Blender,
    EnsembleComparison,
    TimeSeriesStackingClassifier,
    TimeSeriesStackingRegressor,
    compare_to_base_models,
)

# tr_ensemble.__all__ without __version__ (a test keeps the two equal).
__all__ = [
    "Blender",
    "EnsembleComparison",
    "TimeSeriesStackingClassifier",
    "TimeSeriesStackingRegressor",
    "compare_to_base_models",
]
