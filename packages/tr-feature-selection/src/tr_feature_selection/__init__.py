"""tr-feature-selection: which features, and which feature groups, really predict returns?"""

from tr_feature_selection.__about__ import __version__

__all__ = ["__version__"]
