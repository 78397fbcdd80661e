"""Mutual information between each feature and the target.

>>> from tr_feature_selection.information import mutual_information

``method="binned"`` (default) is a fast quantile-binned plug-in estimator with
the Miller–Madow bias correction, vectorized over features; ``method="knn"``
delegates to scikit-learn's Kraskov/Ross nearest-neighbour estimator. See
``docs/tr-feature-selection/mutual-information.md``.
"""

from tr_feature_selection.information.mutual_information import mutual_information

__all__ = ["mutual_information"]
