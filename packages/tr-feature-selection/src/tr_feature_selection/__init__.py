"""tr-feature-selection: which features, and which feature groups, really predict returns?

Mutual information (:mod:`tr_feature_selection.information`), model importance —
XGBoost gain/SHAP, permutation (MDA), single-feature (SFI), top-k selection
(:mod:`tr_feature_selection.importance`) — and the :class:`FeatureGroupAnalyzer`
(:mod:`tr_feature_selection.groups`), which trains one model per feature group on
that group's own complete rows and judges it by the buckets of its out-of-sample
scores. Missing values are never filled with a constant. The shared pieces — the
documented default XGBoost model and the evaluation metrics — live in
:mod:`tr_feature_selection.models` and :mod:`tr_feature_selection.scoring`.
"""

from tr_feature_selection.__about__ import __version__
from tr_feature_selection.groups import (
    FeatureGroupAnalyzer,
    FeatureGroupResult,
    GroupCVResult,
    LeakageWarning,
)
from tr_feature_selection.importance import (
    PermutationImportance,
    SingleFeatureImportance,
    permutation_importance,
    select_top_k,
    single_feature_importance,
    xgboost_importance,
)
from tr_feature_selection.information import mutual_information
from tr_feature_selection.models import DEFAULT_XGB_PARAMS, default_model

__all__ = [
    "DEFAULT_XGB_PARAMS",
    "FeatureGroupAnalyzer",
    "FeatureGroupResult",
    "GroupCVResult",
    "LeakageWarning",
    "PermutationImportance",
    "SingleFeatureImportance",
    "__version__",
    "default_model",
    "mutual_information",
    "permutation_importance",
    "select_top_k",
    "single_feature_importance",
    "xgboost_importance",
]
