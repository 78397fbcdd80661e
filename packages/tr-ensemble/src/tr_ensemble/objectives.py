"""What a blend is scored by on its blend slice: log loss, AUC, top-bucket return; rank scores.

Pure functions of finite 1-D arrays in row order (the caller aligns and checks
them once, at its public boundary). They are evaluated thousands of times while
blend weights are optimized, so each is one sort or one pass over the rows.

- :func:`log_loss` — the (weighted) mean negative log-likelihood of binary
  outcomes, the proper scoring rule of Good (1952), *J. R. Stat. Soc. B* 14(1).
- :func:`roc_auc` — the (weighted) probability that a random positive outscores a
  random negative, ties counting one half: the Mann–Whitney form of the area under
  the ROC curve (Hanley & McNeil 1982, *Radiology* 143(1)).
- :func:`top_bucket_return` — the mean realized return of the rows whose score
  falls in the top of ``n_buckets`` buckets (:func:`tr_evaluation.assign_buckets`).
- :func:`percentile_ranks` — each column's mid-rank percentiles
  ``(rank - 1/2) / n`` (Hazen 1914, *Trans. ASCE* 77), the inputs of a rank average.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

from tr_core.errors import InsufficientDataError
from tr_evaluation import assign_buckets

__all__ = ["PROBABILITY_CLIP", "log_loss", "percentile_ranks", "roc_auc", "top_bucket_return"]

FloatArray = npt.NDArray[np.float64]

PROBABILITY_CLIP = 1e-15
"""Probabilities are clipped to ``[PROBABILITY_CLIP, 1 - PROBABILITY_CLIP]`` in
:func:`log_loss`, so a confident miss costs ``-log(1e-15) ≈ 34.5`` instead of infinity."""


def log_loss(positive: Any, probability: Any, weight: Any = None) -> float:
    """Weighted mean negative log-likelihood of binary outcomes.

    .. math::

        L = -\\frac{\\sum_i w_i \\left[y_i \\log p_i + (1 - y_i) \\log(1 - p_i)\\right]}
                  {\\sum_i w_i}

    Parameters
    ----------
    positive : array-like of bool or {0, 1}
        Whether each row is of the positive class.
    probability : array-like of float
        Predicted probability of the positive class, clipped to
        ``[PROBABILITY_CLIP, 1 - PROBABILITY_CLIP]``.
    weight : array-like of float, optional
        Row weights (non-negative, not all zero); equal when None.

    Returns
    -------
    float
        Lower is better; ``log 2 ≈ 0.693`` for a constant one half.

    Examples
    --------
    >>> round(log_loss([1, 0], [0.8, 0.4]), 6)  # -(log 0.8 + log 0.6) / 2
    0.366985
    """
    y = np.asarray(positive, dtype=np.float64)
    p = np.clip(np.asarray(probability, dtype=np.float64), PROBABILITY_CLIP, 1 - PROBABILITY_CLIP)
    losses = -(y * np.log(p) + (1.0 - y) * np.log1p(-p))
    return float(np.average(losses, weights=weight))


def roc_auc(positive: Any, scores: Any, weight: Any = None) -> float:
    """Weighted area under the ROC curve: P(score of a positive > score of a negative).

    .. math::

        \\mathrm{AUC} = \\frac{\\sum_{i \\in P} \\sum_{j \\in N} w_i w_j
            \\left[\\mathbb{1}(s_i > s_j) + \\tfrac12 \\mathbb{1}(s_i = s_j)\\right]}
            {\\sum_{i \\in P} w_i \\, \\sum_{j \\in N} w_j}

    computed with one sort: rows are grouped by tied score, and each group's positive
    weight meets the negative weight of all lower groups plus half its own.

    Parameters
    ----------
    positive : array-like of bool or {0, 1}
        Whether each row is of the positive class.
    scores : array-like of float
        Any scores; only their order matters.
    weight : array-like of float, optional
        Row weights (non-negative); equal when None.

    Returns
    -------
    float
        In [0, 1]; higher is better, 0.5 for a score unrelated to the class.

    Raises
    ------
    InsufficientDataError
        No positive or no negative row with a positive weight (the AUC is undefined).

    Examples
    --------
    >>> roc_auc([0, 1, 0, 1], [0.1, 0.4, 0.4, 0.8])  # pairs: 1, 1, 1/2, 1
    0.875
    """
    pos = np.asarray(positive, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    w = np.ones(s.size) if weight is None else np.asarray(weight, dtype=np.float64)
    order = np.argsort(s)  # ties are summed per group below: no stable sort needed
    s = s[order]
    w_pos = np.where(pos, w, 0.0)[order]
    w_neg = np.where(pos, 0.0, w)[order]
    starts = np.flatnonzero(np.concatenate([[True], s[1:] != s[:-1]]))
    group_pos = np.add.reduceat(w_pos, starts)
    group_neg = np.add.reduceat(w_neg, starts)
    total_pos, total_neg = float(group_pos.sum()), float(group_neg.sum())
    if total_pos <= 0 or total_neg <= 0:
        raise InsufficientDataError(
            f"the AUC needs positive and negative rows with positive weight, got a weight of "
            f"{total_pos:g} on positives and {total_neg:g} on negatives; use a longer blend "
            "slice or objective='logloss'."
        )
    neg_below = np.cumsum(group_neg) - group_neg
    return float((group_pos * (neg_below + 0.5 * group_neg)).sum() / (total_pos * total_neg))


def top_bucket_return(scores: Any, returns: Any, n_buckets: int) -> float:
    """Mean realized return of the rows in the top score bucket.

    Parameters
    ----------
    scores : array-like of float
        Finite scores, bucketed by :func:`tr_evaluation.assign_buckets` (bucket
        ``n_buckets - 1`` holds the highest; tied scores share a bucket).
    returns : array-like of float
        The realized return of each row, in the same order.
    n_buckets : int
        Number of buckets (2 or more).

    Returns
    -------
    float
        Higher is better. NaN when no row is in the top bucket, which happens only
        when every score is the same (all rows then fall in the middle bucket).

    Examples
    --------
    >>> top_bucket_return([0.1, 0.9, 0.5, 0.7], [-1.0, 3.0, 0.0, 1.0], n_buckets=2)
    2.0
    """
    buckets = np.asarray(assign_buckets(np.asarray(scores, dtype=np.float64), n_buckets))
    top = buckets == n_buckets - 1
    if not top.any():
        return float("nan")
    return float(np.asarray(returns, dtype=np.float64)[top].mean())


def percentile_ranks(scores: Any) -> FloatArray:
    """Each column's scores as mid-rank percentiles ``(rank - 1/2) / n`` in (0, 1).

    Ranks run from 1 (lowest) to ``n`` (the rows given); tied scores share the
    average of their ranks. The percentiles of every column average one half, so a
    rank average is centred whatever each model's scale.

    Parameters
    ----------
    scores : array-like of shape (n_rows,) or (n_rows, n_columns)

    Returns
    -------
    ndarray of float64, same shape

    Examples
    --------
    >>> percentile_ranks([0.3, 0.1, 0.3, 0.9]).tolist()  # ranks 2.5, 1, 2.5, 4
    [0.5, 0.125, 0.5, 0.875]
    """
    values = np.asarray(scores, dtype=np.float64)
    n = values.shape[0]
    ranks = np.asarray(rankdata(values, method="average", axis=0), dtype=np.float64)
    return np.asarray((ranks - 0.5) / n, dtype=np.float64)
