"""``filter_func``: the user's row filter, applied to train and test before anything else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from tr_core.errors import InvalidParameterError
from tr_core.validation import check_same_length
from tr_feature_selection._alignment import check_aligned

__all__ = ["FilterFunc", "apply_filter"]

FilterFunc = Callable[[pd.DataFrame], Any]
"""``filter_func(frame) -> mask``: one boolean per row, True keeps the row."""


def apply_filter(
    filter_func: FilterFunc | None, frame: pd.DataFrame, where: str
) -> tuple[pd.DataFrame, int]:
    """The rows of ``frame`` that ``filter_func`` keeps, and how many it removed.

    Parameters
    ----------
    filter_func : callable or None
        Called with a copy of ``frame``; None keeps every row.
    frame : DataFrame
        Never modified.
    where : str
        The frame's name (``"train"``, ``"test"``, ...), for messages.

    Returns
    -------
    kept : DataFrame
        ``frame`` itself when nothing is removed, else the kept rows in order.
    removed : int
        Rows removed.

    Raises
    ------
    InvalidParameterError
        A mask that is not boolean (or holds missing values), or a Series mask
        indexed unlike ``frame`` (it would keep other rows than it names).
    LengthMismatchError
        A mask of the wrong length.
    """
    if filter_func is None:
        return frame, 0
    raw = check_aligned(filter_func(frame.copy()), frame.index, "`filter_func`'s mask")
    mask = np.asarray(_plain_mask(raw) if isinstance(raw, pd.Series | pd.Index) else raw)
    if mask.ndim != 1 or mask.dtype != np.bool_:
        raise InvalidParameterError(
            f"`filter_func` must return one bool per row of the {where} frame, got "
            f"{type(raw).__name__} of dtype {mask.dtype} and shape {mask.shape}; return e.g. "
            "frame['price'] > 5 (with no missing values)."
        )
    check_same_length(**{f"{where} frame": frame, "filter_func's mask": mask})
    if mask.all():
        return frame, 0
    return frame.iloc[np.flatnonzero(mask)], int((~mask).sum())


def _plain_mask(raw: pd.Series | pd.Index) -> object:
    """A pandas mask as numpy; a nullable ``boolean`` one without NA becomes plain bool."""
    if pd.api.types.is_bool_dtype(raw.dtype) and not raw.isna().any():
        return raw.to_numpy(dtype=np.bool_)
    return raw.to_numpy()
