"""Leak-free time splits: train/test, walk-forward, purged k-fold and combinatorial purged CV.

Every splitter follows scikit-learn's protocol (``split(X, y=None, groups=None)``
yields sorted integer positions; ``get_n_splits``), so it works as ``cv=`` in
``cross_val_score`` and ``GridSearchCV``. Rows need not be sorted by time; rows
that share a timestamp are never on both sides of a split. See
``docs/tr-core/splits.md`` for a guide.
"""

from tr_core.splits.checked import CheckedFolds, checked_folds
from tr_core.splits.combinatorial import CombinatorialPurgedKFold
from tr_core.splits.purged_kfold import PurgedKFold
from tr_core.splits.train_test import time_train_test_split
from tr_core.splits.walk_forward import WalkForward

__all__ = [
    "CheckedFolds",
    "CombinatorialPurgedKFold",
    "PurgedKFold",
    "WalkForward",
    "checked_folds",
    "time_train_test_split",
]
