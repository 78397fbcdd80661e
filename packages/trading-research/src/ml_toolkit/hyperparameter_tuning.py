"""The plan's ``ml_toolkit.hyperparameter_tuning``: a thin re-export of :mod:`tr_tuning`.

Every name is the object of ``tr_tuning`` itself
(``ml_toolkit.hyperparameter_tuning.XGBoostOptimizer is tr_tuning.XGBoostOptimizer``).

Only the top-level names are re-exported; the configuration files and the ``tr-tune``
command line are described in ``docs/tr-tuning/guide.md`` (:mod:`tr_tuning.config`,
:mod:`tr_tuning.cli`).
"""

from tr_tuning import (
    DEFAULT_XGBOOST_REGRESSION_SPACE,
    DEFAULT_XGBOOST_SPACE,
    METRICS,
    Metric,
    ModelOptimizer,
    SearchSpace,
    SelectionBias,
    TuningResult,
    XGBoostOptimizer,
    check_search_space,
)

# tr_tuning.__all__ without __version__ (a test keeps the two equal).
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
    "check_search_space",
]
