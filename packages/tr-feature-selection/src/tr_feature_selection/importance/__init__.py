"""Feature importance: XGBoost gain/SHAP, permutation (MDA), single-feature (SFI), top-k selection.

See ``docs/tr-feature-selection/importance.md`` for what each method measures and its biases.
"""

from tr_feature_selection.importance.model_importance import (
    IMPORTANCE_KINDS,
    ImportanceKind,
    xgboost_importance,
)
from tr_feature_selection.importance.permutation import permutation_importance
from tr_feature_selection.importance.results import (
    PermutationImportance,
    SingleFeatureImportance,
)
from tr_feature_selection.importance.selection import select_top_k
from tr_feature_selection.importance.single_feature import single_feature_importance

__all__ = [
    "IMPORTANCE_KINDS",
    "ImportanceKind",
    "PermutationImportance",
    "SingleFeatureImportance",
    "permutation_importance",
    "select_top_k",
    "single_feature_importance",
    "xgboost_importance",
]
