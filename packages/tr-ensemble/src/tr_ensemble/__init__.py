"""Stacking, blending and regime-aware meta-learners for trading models that never look ahead.

- :class:`TimeSeriesStackingClassifier` / :class:`TimeSeriesStackingRegressor` —
  stacking on out-of-fold predictions from any tr-core splitter
  (:mod:`tr_ensemble.stacking`);
- the meta-learner's inputs: base predictions, market-regime features and their
  products (:mod:`tr_ensemble.meta_learner`);
- :class:`Blender` — weights (optimized, equal, rank average, given) fitted on a time
  slice later than the base models' training rows (:mod:`tr_ensemble.blending`, with
  its objectives in :mod:`tr_ensemble.objectives`);
- :func:`compare_to_base_models` → :class:`EnsembleComparison` — every base model and
  the ensemble walked forward on the same out-of-sample rows, with baselines and the
  DSR/PBO of picking the best (:mod:`tr_ensemble.comparison`);
- the base models' fits per fold (:mod:`tr_ensemble.base_models`) on checked
  folds (:mod:`tr_ensemble.folds`), the inputs every ensemble checks
  (:mod:`tr_ensemble.inputs`).
"""

from tr_ensemble.__about__ import __version__
from tr_ensemble.blending import Blender
from tr_ensemble.comparison import EnsembleComparison, compare_to_base_models
from tr_ensemble.stacking import TimeSeriesStackingClassifier, TimeSeriesStackingRegressor

__all__ = [
    "Blender",
    "EnsembleComparison",
    "TimeSeriesStackingClassifier",
    "TimeSeriesStackingRegressor",
    "__version__",
    "compare_to_base_models",
]
