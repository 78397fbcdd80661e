"""Pick the k most important features from a ranking."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from tr_core.errors import InvalidParameterError, TrTypeError
from tr_core.validation import as_float_array
from tr_feature_selection.importance.results import PermutationImportance, SingleFeatureImportance

__all__ = ["select_top_k"]


def select_top_k(
    scores: pd.Series | PermutationImportance | SingleFeatureImportance, k: int
) -> list[str]:
    """The names of the ``k`` highest importances, best first.

    Parameters
    ----------
    scores : Series or importance result
        Importance per feature (index: feature names, higher is more important),
        e.g. from :func:`xgboost_importance`, or a :class:`PermutationImportance` /
        :class:`SingleFeatureImportance` (their ``.importance`` is used). NaN
        scores are never selected; ties keep the input order.
    k : int
        How many names, ``1 <= k <=`` the number of non-NaN scores.

    Returns
    -------
    list of str

    Raises
    ------
    TrTypeError
        ``scores`` is not a Series or result, has non-string or repeated names, or
        non-numeric values.
    InvalidParameterError
        ``k`` is not an integer, below 1, or above the number of non-NaN scores.
    NonFiniteError
        A score is infinite.

    Examples
    --------
    >>> select_top_k(pd.Series({"a": 0.1, "b": 0.3, "c": float("nan"), "d": 0.3}), 2)
    ['b', 'd']
    """
    if isinstance(scores, PermutationImportance | SingleFeatureImportance):
        scores = scores.importance
    if not isinstance(scores, pd.Series):
        raise TrTypeError(
            "`scores` must be a Series of importances indexed by feature name, or a "
            f"PermutationImportance / SingleFeatureImportance, got {type(scores).__name__}."
        )
    names = list(scores.index)
    if not all(isinstance(n, str) for n in names):
        raise TrTypeError(
            f"`scores` must be indexed by feature names (str), got labels like {names[:5]}."
        )
    if scores.index.has_duplicates:
        twice = sorted(set(scores.index[scores.index.duplicated()]))
        raise TrTypeError(f"`scores` names {twice} more than once; one score per feature.")
    values = as_float_array(scores, "scores", allow_nan=True, allow_empty=True)
    valid = np.flatnonzero(~np.isnan(values))
    given: object = k
    if isinstance(given, bool) or not isinstance(given, numbers.Integral):
        raise InvalidParameterError(f"`k` must be an integer, got {k!r}.")
    if not 1 <= k <= valid.size:
        raise InvalidParameterError(
            f"`k`={k} must be between 1 and the number of non-NaN scores ({valid.size} of "
            f"{len(names)}); lower k or score more features."
        )
    best = valid[np.argsort(-values[valid], kind="stable")][: int(k)]
    return [names[i] for i in best]
