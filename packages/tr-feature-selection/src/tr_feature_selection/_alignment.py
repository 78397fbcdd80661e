"""Values returned by a user's callable must belong to the rows they were computed for."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tr_core.errors import InvalidParameterError

__all__ = ["check_aligned"]


def check_aligned(values: Any, index: pd.Index, what: str) -> Any:
    """Return ``values`` unchanged, refusing a pandas object indexed unlike the rows.

    NumPy turns a Series into its values in *storage* order, so a Series that was
    sorted, reset or re-indexed inside a user's callable would be matched to the
    wrong rows without a word. A Series must carry the rows' own index, in order;
    plain arrays are taken in row order.

    Parameters
    ----------
    values : Series, DataFrame or array-like
        What the callable (or the caller) returned.
    index : pandas.Index
        The index of the rows the values belong to.
    what : str
        How to name the values in the message.

    Raises
    ------
    InvalidParameterError
        A Series/DataFrame whose index differs from ``index`` (order included).
    """
    if isinstance(values, pd.Series | pd.DataFrame) and not values.index.equals(index):
        raise InvalidParameterError(
            f"{what} is indexed differently from the rows it belongs to (first labels "
            f"{list(values.index[:5])} vs {list(index[:5])}), so its values would be matched "
            "to the wrong rows. Keep the rows' index and order (don't sort, reset_index or "
            "reindex it), or pass a plain array in row order."
        )
    return values
