"""Kraskov/Ross k-nearest-neighbour mutual information, delegated to scikit-learn.

scikit-learn implements the estimator of Kraskov, Stögbauer & Grassberger
(2004, *Phys. Rev. E* 69, 066138) for a continuous target
(:func:`~sklearn.feature_selection.mutual_info_regression`) and its extension
to a discrete target by Ross (2014, *PLoS ONE* 9(2), e87357)
(:func:`~sklearn.feature_selection.mutual_info_classif`). Here each feature is
passed alone, on its own complete rows, so a feature's missing values never
remove rows from another feature.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

__all__ = ["N_NEIGHBORS", "knn_mutual_information"]

#: Neighbours used by the estimator (scikit-learn's default, Kraskov et al.'s k = 3).
N_NEIGHBORS = 3


def knn_mutual_information(
    matrix: npt.NDArray[np.float64],
    target: npt.NDArray[np.float64] | npt.NDArray[np.int64],
    *,
    discrete_target: bool,
    random_state: int | None,
) -> npt.NDArray[np.float64]:
    """Mutual information (nats) of each column of ``matrix`` with ``target``.

    Parameters
    ----------
    matrix : ndarray of float64, shape (n_rows, n_features)
        Features; NaN marks a missing value (its row is left out for that feature).
    target : ndarray, shape (n_rows,)
        Class codes when ``discrete_target``, else continuous values; no NaN.
    discrete_target : bool
        Use ``mutual_info_classif`` (True) or ``mutual_info_regression``.
    random_state : int or None
        Seed of the small noise scikit-learn adds to break ties; the same seed
        is used for every feature.

    Returns
    -------
    ndarray of float64, shape (n_features,)
        scikit-learn's estimates, which it clips at 0.
    """
    estimate = mutual_info_classif if discrete_target else mutual_info_regression
    out = np.empty(matrix.shape[1], dtype=np.float64)
    for j in range(matrix.shape[1]):
        rows = ~np.isnan(matrix[:, j])
        out[j] = estimate(
            matrix[rows, j : j + 1],
            target[rows],
            discrete_features=False,
            n_neighbors=N_NEIGHBORS,
            copy=True,
            random_state=random_state,
        )[0]
    return out
