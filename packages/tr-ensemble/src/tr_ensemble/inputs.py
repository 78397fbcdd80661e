"""What every ensemble checks about its inputs, once: the rows, the target, NaN support.

Stacking and blending are scikit-learn estimators over the same base models, so they
read ``X`` and ``y`` the same way: a DataFrame is kept as it is (base models may
select their columns by name), anything else becomes a 2-D array; ``y`` given as a
Series is matched to a DataFrame ``X`` by index label, never by position.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils import get_tags
from sklearn.utils.validation import column_or_1d, validate_data

from tr_core.alignment import align_to
from tr_core.errors import LengthMismatchError

__all__ = ["aligned_target", "all_take_nan", "checked_rows"]


def all_take_nan(estimators: Any) -> bool:
    """Whether every ``(name, estimator)`` takes NaN in X, by scikit-learn's tags.

    Malformed ``estimators`` count as no: ``fit`` names the problem.
    """
    try:
        return all(get_tags(est).input_tags.allow_nan for _, est in estimators)
    except (TypeError, ValueError, AttributeError):
        return False


def checked_rows(estimator: Any, X: Any, *, reset: bool) -> Any:
    """``X`` checked once for ``estimator`` (``n_features_in_``, ``feature_names_in_``).

    A DataFrame is returned unchanged; anything else as a 2-D array, with sparse input
    refused and missing values refused unless the estimator's tags allow them.
    """
    if isinstance(X, pd.DataFrame):
        validate_data(estimator, X, reset=reset, skip_check_array=True)
        return X
    allow_nan = get_tags(estimator).input_tags.allow_nan
    return validate_data(
        estimator,
        X,
        reset=reset,
        dtype=None,
        accept_sparse=False,
        ensure_all_finite="allow-nan" if allow_nan else True,
    )


def aligned_target(X: Any, y: Any) -> np.ndarray:
    """``y`` as a 1-D array in ``X``'s row order (by label for pandas inputs).

    Raises
    ------
    IndexAlignmentError
        A Series whose labels are not ``X``'s.
    LengthMismatchError
        A different number of rows than ``X``.
    """
    if isinstance(y, pd.Series | pd.DataFrame) and isinstance(X, pd.DataFrame):
        y = align_to(X.index, y, "y")
    values: np.ndarray = column_or_1d(y, warn=True)
    if len(values) != len(X):
        raise LengthMismatchError(
            f"`y` has {len(values)} rows but X has {len(X)}; pass one target per row."
        )
    return values
