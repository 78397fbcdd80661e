"""Missing values, handled honestly: keep complete rows and say what was lost.

Zero is not "missing". Filling features with a constant (``fillna(0)``) plants a
value that was never observed, and when missingness is not at random (a feature
group absent for small, illiquid names, say) it biases the model towards those
rows. The toolkit therefore never fills: it keeps the rows on which the columns
that matter are complete, *per feature group*, so each group keeps its own rows,
and it reports how many rows each group lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import (
    DuplicateColumnError,
    InvalidParameterError,
    MissingColumnError,
    NonFiniteError,
    describe_rows,
)

__all__ = ["NanAudit", "complete_rows", "complete_rows_by_group"]


@dataclass(frozen=True)
class NanAudit:
    """What :func:`complete_rows` kept and dropped.

    Attributes
    ----------
    columns : tuple of str
        The columns that had to be present.
    rows_in : int
        Rows before.
    rows_out : int
        Complete rows kept.
    nan_counts : dict
        NaN count per column, over all input rows.
    positions : ndarray of int
        Positions (in the input frame) of the kept rows, in input order.
    """

    columns: tuple[str, ...]
    rows_in: int
    rows_out: int
    nan_counts: dict[str, int]
    positions: npt.NDArray[np.intp]

    def __repr__(self) -> str:
        return (
            f"NanAudit(columns={list(self.columns)}, rows_in={self.rows_in}, "
            f"rows_out={self.rows_out}, rows_dropped={self.rows_dropped})"
        )

    @property
    def rows_dropped(self) -> int:
        """Rows lost because at least one of ``columns`` was NaN."""
        return self.rows_in - self.rows_out

    @property
    def kept_share(self) -> float:
        """Share of input rows kept (NaN when there were no rows)."""
        return self.rows_out / self.rows_in if self.rows_in else float("nan")

    def to_frame(self) -> pd.DataFrame:
        """NaN count and share per column."""
        out = pd.DataFrame(
            {"nan_count": pd.Series(self.nan_counts, dtype="int64")}, index=list(self.columns)
        )
        out["nan_share"] = out["nan_count"] / self.rows_in if self.rows_in else np.nan
        out.index.name = "column"
        return out

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable summary."""
        return {
            "columns": list(self.columns),
            "rows_in": self.rows_in,
            "rows_out": self.rows_out,
            "rows_dropped": self.rows_dropped,
            "nan_counts": dict(self.nan_counts),
        }


def complete_rows(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, NanAudit]:
    """Rows of ``frame`` on which every one of ``columns`` is present.

    Parameters
    ----------
    frame : pandas.DataFrame
        Input; never modified, never reordered.
    columns : sequence of str
        Columns that must be non-missing. Other columns may hold NaN.

    Returns
    -------
    complete : pandas.DataFrame
        A new frame with the complete rows, in input order, original index kept.
    audit : NanAudit
        Rows in and out, NaN count per column, positions of the kept rows.

    Raises
    ------
    MissingColumnError
        A column is not in the frame.
    NonFiniteError
        A numeric column holds inf (inf is an error upstream, not a missing value).

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, None, 3.0], "b": [1.0, 2.0, None]})
    >>> kept, audit = complete_rows(df, ["a"])
    >>> kept.index.tolist(), audit.rows_dropped, audit.nan_counts
    ([0, 2], 1, {'a': 1})
    """
    cols = _check_columns(frame, columns)
    present = np.ones(len(frame), dtype=bool)
    counts: dict[str, int] = {}
    for col in cols:
        series = frame[col]
        missing = series.isna().to_numpy()
        if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
            series.dtype
        ):
            values = series.to_numpy(dtype=np.float64, na_value=np.nan)
            inf = np.flatnonzero(np.isinf(values))
            if inf.size:
                raise NonFiniteError(
                    f"column {col!r} has infinite values in "
                    f"{describe_rows(list(frame.index[inf]))}; inf is not a missing value — fix "
                    "its computation upstream or set those values to NaN first."
                )
        counts[col] = int(missing.sum())
        present &= ~missing
    positions = np.flatnonzero(present)
    audit = NanAudit(
        columns=cols,
        rows_in=len(frame),
        rows_out=int(positions.size),
        nan_counts=counts,
        positions=positions,
    )
    return frame.iloc[positions].copy(), audit


def complete_rows_by_group(
    frame: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    *,
    always: Sequence[str] = (),
) -> dict[str, tuple[pd.DataFrame, NanAudit]]:
    """Complete rows for each feature group separately.

    Each group keeps the rows on which *its* features (and the ``always``
    columns, e.g. target and time) are present, so one sparse group does not
    throw away the rows every other group could use — the failure mode of a
    global ``dropna()``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Input; never modified.
    groups : mapping of str to sequence of str
        Group name to its columns, e.g. ``DataContract.groups``.
    always : sequence of str, optional
        Columns required in every group (target, time, ...).

    Returns
    -------
    dict
        Group name to ``(complete_frame, audit)``, in the order of ``groups``.
    """
    if not groups:
        raise InvalidParameterError("`groups` is empty; pass at least one group of columns.")
    out: dict[str, tuple[pd.DataFrame, NanAudit]] = {}
    for name, cols in groups.items():
        needed = tuple(dict.fromkeys([*always, *cols]))
        out[name] = complete_rows(frame, needed)
    return out


def _check_columns(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[str, ...]:
    if isinstance(columns, str):
        raise InvalidParameterError(
            f"`columns` must be a sequence of column names, got the string {columns!r}; "
            f"write [{columns!r}]."
        )
    cols = tuple(columns)
    if not cols:
        raise InvalidParameterError("`columns` is empty; name the columns that must be present.")
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"columns {missing} are not in the frame (it has {list(frame.columns)[:20]}); "
            "pass existing column names."
        )
    dup = sorted({str(c) for c in cols if (frame.columns == c).sum() > 1})
    if dup:
        raise DuplicateColumnError(
            f"columns {dup} appear more than once in the frame, so it is ambiguous which "
            "one must be present; rename or drop the duplicates."
        )
    return cols
