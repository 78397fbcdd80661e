"""Rank IC and per-period statistics of a bucket analysis, computed on first use.

The bucket table needs one within-period sort of the scores; the rank IC needs
sorts of the returns as well (pooled and within periods), and turnover needs the
entities factorized. :class:`BucketResult` computes these only when ``ic``,
``periods`` or a figure built from them is first asked for, from the private
copies kept here (never the caller's arrays, which may change afterwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_evaluation.buckets._ranks import twice_average_ranks
from tr_evaluation.buckets.assign import factorize_labels
from tr_evaluation.buckets.stats import group_mean, rank_correlation, top_turnover

__all__ = ["SecondaryInputs"]


@dataclass(frozen=True, eq=False, repr=False)
class SecondaryInputs:
    """The used rows of an analysis, aligned with each other.

    Attributes
    ----------
    scores, returns : ndarray of float
        Scores and returns of the used rows.
    weights : ndarray of float or None
        Their sample weights.
    buckets : ndarray of int16 or int32
        Their buckets.
    n_buckets : int
        Number of buckets.
    codes : ndarray of int or None
        Period code per used row (None without periods).
    labels : Index or None
        Label (start date or group value) of each period code.
    entities : ndarray or None
        Entity label per used row (a private copy; validated, no missing values).
    """

    scores: npt.NDArray[np.float64]
    returns: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64] | None
    buckets: npt.NDArray[np.signedinteger[Any]]
    n_buckets: int
    codes: npt.NDArray[np.int64] | None
    labels: pd.Index | None
    entities: npt.NDArray[Any] | None

    def pooled_ic(self) -> float:
        """Spearman rank IC of score and return over all used rows."""
        pooled = np.array([self.scores.size], dtype=np.int64)
        x = twice_average_ranks(self.scores, None, pooled)
        y = twice_average_ranks(self.returns, None, pooled)
        return float(rank_correlation(x, y, None, pooled)[0])

    def period_frame(self) -> pd.DataFrame | None:
        """Per-period count, rank IC, top/bottom bucket return, spread and turnover."""
        codes, labels = self.codes, self.labels
        if codes is None or labels is None:
            return None
        n_groups = len(labels)
        sizes = np.bincount(codes, minlength=n_groups).astype(np.int64)
        x = twice_average_ranks(self.scores, codes, sizes)
        y = twice_average_ranks(self.returns, codes, sizes)
        ic = rank_correlation(x, y, codes, sizes)
        del x, y
        top = self.buckets == self.n_buckets - 1
        top_return = group_mean(codes, top, self.returns, self.weights, n_groups)
        bottom = self.buckets == 0
        bottom_return = group_mean(codes, bottom, self.returns, self.weights, n_groups)
        turnover = (
            np.full(n_groups, np.nan)
            if self.entities is None
            else top_turnover(codes, factorize_labels(self.entities, "entities")[0], top, n_groups)
        )
        return pd.DataFrame(
            {
                "count": sizes,
                "ic": ic,
                "top_return": top_return,
                "bottom_return": bottom_return,
                "spread": top_return - bottom_return,
                "turnover": turnover,
            },
            index=pd.Index(labels, name="period"),
        )
