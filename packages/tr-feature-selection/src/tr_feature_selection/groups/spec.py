"""Validation of ``feature_groups``: named, non-empty groups of existing, usable columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from tr_core.errors import (
    DuplicateColumnError,
    InvalidParameterError,
    MissingColumnError,
)
from tr_core.validation import check_numeric

__all__ = ["FeatureGroups", "check_feature_groups"]

FeatureGroups = Mapping[str, Sequence[str]]
"""Group name to its feature columns, e.g. ``{"insider": ["ins_log_value", ...]}``."""


def check_feature_groups(
    feature_groups: Any,
    frames: Mapping[str, pd.DataFrame],
    *,
    reserved: Sequence[str] = (),
) -> dict[str, tuple[str, ...]]:
    """Check ``feature_groups`` against the frames it will be read from.

    Parameters
    ----------
    feature_groups : mapping of str to sequence of str
        Group name to its columns.
    frames : mapping of str to DataFrame
        The frames (e.g. ``{"train": train, "test": test}``), by name for messages.
    reserved : sequence of str, optional
        Columns that must not be features (target, time, label end).

    Returns
    -------
    dict
        Group name to a tuple of its columns, in the given order.

    Raises
    ------
    InvalidParameterError
        No groups, a group name that is not a non-empty string, an empty group, a
        group given as one string, or a group holding the target or the clock.
    DuplicateColumnError
        A column listed twice in one group, or present twice in a frame.
    MissingColumnError
        A column missing from a frame, naming the group and the frame.
    FeatureTypeError
        A non-numeric feature column, naming the group.
    """
    if not isinstance(feature_groups, Mapping) or not feature_groups:
        raise InvalidParameterError(
            "`feature_groups` must be a non-empty mapping of group name to column names, e.g. "
            f"{{'insider': ['ins_log_value', 'ins_own_change']}}; got {feature_groups!r}."
        )
    out: dict[str, tuple[str, ...]] = {}
    for name, columns in feature_groups.items():
        if not isinstance(name, str) or not name:
            raise InvalidParameterError(
                f"feature group names must be non-empty strings, got {name!r}."
            )
        if isinstance(columns, str) or not isinstance(columns, Sequence | pd.Index):
            raise InvalidParameterError(
                f"feature group {name!r} must be a list of column names, got {columns!r}; "
                f"write [{columns!r}] for a one-column group."
            )
        cols = tuple(columns)
        if not cols:
            raise InvalidParameterError(
                f"feature group {name!r} is empty; give it at least one column or remove it."
            )
        repeated = sorted({str(c) for c in cols if cols.count(c) > 1})
        if repeated:
            raise DuplicateColumnError(
                f"feature group {name!r} lists {repeated} more than once; list each column once."
            )
        clash = [c for c in cols if c in reserved]
        if clash:
            raise InvalidParameterError(
                f"feature group {name!r} holds {clash}, which is the target, the time or the "
                "label end; a feature must not be the outcome or the clock — remove it."
            )
        for where, frame in frames.items():
            _check_in_frame(name, cols, where, frame)
        out[name] = cols
    return out


def _check_in_frame(name: str, cols: tuple[str, ...], where: str, frame: pd.DataFrame) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"feature group {name!r} names columns {missing} that are not in the {where} frame "
            f"(it has {list(frame.columns)[:20]}); fix the group or the frame."
        )
    doubled = sorted({str(c) for c in cols if (frame.columns == c).sum() > 1})
    if doubled:
        raise DuplicateColumnError(
            f"feature group {name!r}: columns {doubled} appear more than once in the {where} "
            "frame; rename or drop the duplicates."
        )
    for c in cols:
        check_numeric(frame[c], f"feature group {name!r}: column {c!r} of the {where} frame")
