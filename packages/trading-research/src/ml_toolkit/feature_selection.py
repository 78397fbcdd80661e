"""The plan's ``ml_toolkit.feature_selection``: a thin re-export of :mod:`tr_feature_selection`.

Every name is the object of ``tr_feature_selection`` itself
(``ml_toolkit.feature_selection.FeatureGroupAnalyzer is
tr_feature_selection.FeatureGroupAnalyzer``), so ``isinstance`` checks, pickles and
documentation agree across both names.

Only the top-level names are re-exported. The rest lives in tr-feature-selection's
public subpackages: :mod:`tr_feature_selection.groups` (``FeatureGroups``,
``check_nan_policy``, ...), :mod:`tr_feature_selection.importance`
(``IMPORTANCE_KINDS``, ...), :mod:`tr_feature_selection.information`,
:mod:`tr_feature_selection.models` and :mod:`tr_feature_selection.scoring`.
"""

from tr_feature_selection import (
    DEFAULT_XGB_PARAMS,
    FeatureGroupAnalyzer,
    FeatureGroupResult,
    GroupCVResult,
    LeakageWarning,
    PermutationImportance,
    SingleFeatureImportance,
    default_model,
    mutual_information,
    permutation_importance,
    select_top_k,
    single_feature_importance,
    xgboost_importance,
)

# tr_feature_selection.__all__ without __version__ (a test keeps the two equal).
__all__ = [
    "DEFAULT_XGB_PARAMS",
    "FeatureGroupAnalyzer",
    "FeatureGroupResult",
    "GroupCVResult",
    "LeakageWarning",
    "PermutationImportance",
    "SingleFeatureImportance",
    "default_model",
    "mutual_information",
    "permutation_importance",
    "select_top_k",
    "single_feature_importance",
    "xgboost_importance",
]
