"""Feature-group analysis: which groups of features predict returns out of sample.

>>> from tr_feature_selection.groups import FeatureGroupAnalyzer
>>> analyzer = FeatureGroupAnalyzer(evaluation_metric="bucket_19_return")

Each group trains its own model on the rows complete *in its own columns*
(never a constant fill), is scored on later test rows, and is bucketed with
tr-evaluation; :meth:`FeatureGroupAnalyzer.cross_validate_groups` repeats this
over time-series folds and measures the selection bias of picking the best group.
See ``docs/tr-feature-selection/feature-groups.md``.
"""

from tr_feature_selection.groups.analyzer import FeatureGroupAnalyzer
from tr_feature_selection.groups.cv_result import GroupCVResult
from tr_feature_selection.groups.nan_policy import NanPolicy, check_nan_policy
from tr_feature_selection.groups.result import FeatureGroupResult
from tr_feature_selection.groups.sanity import DEFAULT_MAX_PLAUSIBLE_AUC, LeakageWarning
from tr_feature_selection.groups.spec import FeatureGroups
from tr_feature_selection.groups.weights import WeightCalculator

__all__ = [
    "DEFAULT_MAX_PLAUSIBLE_AUC",
    "FeatureGroupAnalyzer",
    "FeatureGroupResult",
    "FeatureGroups",
    "GroupCVResult",
    "LeakageWarning",
    "NanPolicy",
    "WeightCalculator",
    "check_nan_policy",
]
