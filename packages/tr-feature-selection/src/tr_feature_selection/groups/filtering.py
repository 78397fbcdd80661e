"""``filter_func``: the user's row filter, applied to train and test before anything else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import align_to
from tr_core.errors import InvalidParameterError
from tr_core.validation import check_same_length

__all__ = ["FilterFunc", "apply_filter"]

FilterFunc = Callable[[pd.DataFrame], Any]
"""``filter_func(frame) -> mask``: one boolean per row, True keeps the row."""


def apply_filter(
    filter_func: FilterFunc | None, frame: pd.DataFrame, where: str
) -> tuple[npt.NDArray[np.intp] | None, int]:
    """The positions of the rows of ``frame`` that ``filter_func`` keeps, and how many it removed.

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
    kept : ndarray of intp or None
        Positions (into ``frame``, in order) of the rows kept; None when every row is
        kept, so callers can skip a copy.
    removed : int
        Rows removed.

    Raises
    ------
    InvalidParameterError
        A mask that is not boolean (or holds missing values).
    IndexAlignmentError
        A Series mask whose index labels are not the rows' labels (a mask in another
        order of the same labels is matched by label, never by position).
    LengthMismatchError
        A mask of the wrong length.
    """
    if filter_func is None:
        return None, 0
    raw = filter_func(frame.copy())
    if isinstance(raw, pd.Series):
        raw = align_to(frame.index, raw, "filter_func")
    mask = np.asarray(_plain_mask(raw) if isinstance(raw, pd.Series | pd.Index) else raw)
    if mask.ndim != 1 or mask.dtype != np.bool_:
        raise InvalidParameterError(
            f"`filter_func` must return one bool per row of the {where} frame, got "
            f"{type(raw).__name__} of dtype {mask.dtype} and shape {mask.shape}; return e.g. "
            "frame['price'] > 5 (with no missing values)."
        )
    check_same_length(**{f"{where} frame": frame, "filter_func's mask": mask})
    if mask.all():
        return None, 0
    return np.flatnonzero(mask).astype(np.intp), int((~mask).sum())


def _plain_mask(raw: pd.Series | pd.Index) -> object:
    """A pandas mask as numpy; a nullable ``boolean`` one without NA becomes plain bool."""
    if pd.api.types.is_bool_dtype(raw.dtype) and not raw.isna().any():
        return raw.to_numpy(dtype=np.bool_)
    return raw.to_numpy()
