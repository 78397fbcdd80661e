"""Optuna-driven hyperparameter tuning under leak-free time-series cross-validation.

- :class:`XGBoostOptimizer` — XGBoost with a documented search space and early
  stopping on a purged, time-ordered validation slice of each fold
  (:mod:`tr_tuning.xgboost_tuning`);
- :class:`ModelOptimizer` — the same machinery for any scikit-learn estimator
  (:mod:`tr_tuning.optimizer`);
- Optuna integration: storages (memory, journal file, PostgreSQL with heartbeats),
  studies that refuse to mix experiments (:mod:`tr_tuning.optuna_study`);
- Bayesian search: samplers and pruners (:mod:`tr_tuning.bayesian_search`);
- time-series cross-validation: folds prepared once, pruned fold by fold
  (:mod:`tr_tuning.cross_validation`, :mod:`tr_tuning.objective`);
- the result: :class:`TuningResult`, with the deflated Sharpe ratio and PBO of the
  selection (:mod:`tr_evaluation.metrics.selection`).
"""

from tr_evaluation.metrics import SelectionBias
from tr_tuning.__about__ import __version__
from tr_tuning.metrics import METRICS, Metric
from tr_tuning.optimizer import ModelOptimizer
from tr_tuning.result import TuningResult
from tr_tuning.search_space import (
    DEFAULT_XGBOOST_REGRESSION_SPACE,
    DEFAULT_XGBOOST_SPACE,
    SearchSpace,
    check_search_space,
)
from tr_tuning.xgboost_tuning import XGBoostOptimizer

__all__ = [
    "DEFAULT_XGBOOST_REGRESSION_SPACE",
    "DEFAULT_XGBOOST_SPACE",
    "METRICS",
    "Metric",
    "ModelOptimizer",
    "SearchSpace",
    "SelectionBias",
    "TuningResult",
    "XGBoostOptimizer",
    "__version__",
    "check_search_space",
]
