"""Missing values, handled honestly: keep complete rows and say what was lost.

Zero is not "missing". Filling features with a constant (``fillna(0)``) plants a
value that was never observed, and when missingness is not at random (a feature
group absent for small, illiquid names, say) it biases the model towards those
rows. The toolkit therefore never fills: it keeps the rows on which the columns
that matter are complete, *per feature group*, so each group keeps its own rows,
and it reports how many rows each group lost.

Every package that takes a missing-value policy validates it with
:func:`check_nan_policy` (a constant fill is refused with the reason), and asks
:func:`takes_nan` whether a model can be given rows that still hold NaN.
"""

from __future__ import annotations

import numbers
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
    TrTypeError,
    describe_rows,
)

__all__ = [
    "NanAudit",
    "check_nan_policy",
    "complete_rows",
    "complete_rows_by_group",
    "takes_nan",
]


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


_WHY_NOT_FILL = (
    "filling missing values with a constant is refused: zero (or a mean, a median, a "
    "carried-forward value) is a real value, not 'missing'. When missingness is not at "
    "random — illiquid names lack a whole feature group, first-time filers have no trading "
    "history — the fill plants a fake value on exactly those rows, and the model learns the "
    "fake value as signal; in the insider-trading research fillna(0) cost a third of the "
    "top-bucket return."
)

# What the policies the packages offer do, so the refusal can say what to use instead.
_POLICY_MEANING = {
    "drop_per_group": "each group keeps its own complete rows and the result reports how "
    "many it lost",
    "drop_rows": "rows with a missing feature are left out and the result reports how many",
    "native": "the model routes NaN itself: XGBoost, LightGBM, scikit-learn's HistGradientBoosting",
}

# Models that learn where missing values go at every split (recognized by class name and
# top-level module along the MRO, so none of these libraries is imported here).
_NAN_ROUTING_CLASSES = frozenset(
    {
        ("XGBModel", "xgboost"),
        ("HistGradientBoostingClassifier", "sklearn"),
        ("HistGradientBoostingRegressor", "sklearn"),
        ("LGBMModel", "lightgbm"),
    }
)


def check_nan_policy(nan_policy: Any, allowed: Sequence[str], *, name: str = "nan_policy") -> str:
    """Validate a missing-value policy; refuse every kind of constant fill with the reason.

    Parameters
    ----------
    nan_policy : str
        The policy asked for.
    allowed : sequence of str
        The policies the caller offers (e.g. ``("drop_per_group", "native")``).
    name : str, default "nan_policy"
        The caller's argument name, used in the messages.

    Returns
    -------
    str
        The policy, unchanged.

    Raises
    ------
    InvalidParameterError
        For a fill (``"zero"``, ``0``, ``"mean"``, ``"median"``, ``"ffill"``, any number,
        ...), explaining why zero is not "missing" and listing ``allowed`` as the fix;
        for anything else unknown, listing ``allowed``.
    TrTypeError
        ``allowed`` is a single string or empty (a programming error of the caller).

    Examples
    --------
    >>> check_nan_policy("native", ("drop_per_group", "native"))
    'native'
    """
    if isinstance(allowed, str) or not allowed:
        raise TrTypeError(
            f"`allowed` must be a non-empty sequence of policy names, got {allowed!r}; "
            "write e.g. ('drop_per_group', 'native')."
        )
    choices = tuple(allowed)
    if isinstance(nan_policy, str) and nan_policy in choices:
        return nan_policy
    if _looks_like_fill(nan_policy):
        fixes = "; ".join(
            f"{choice!r}" + (f" ({_POLICY_MEANING[choice]})" if choice in _POLICY_MEANING else "")
            for choice in choices
        )
        raise InvalidParameterError(
            f"`{name}`={nan_policy!r}: {_WHY_NOT_FILL} Pass `{name}` as one of: {fixes}. "
            "If you must impute, do it yourself as an explicit, documented step before this call."
        )
    raise InvalidParameterError(f"`{name}` must be one of {list(choices)}, got {nan_policy!r}.")


def _looks_like_fill(value: Any) -> bool:
    """A number, or a name that asks for a value to be written into the gaps."""
    if isinstance(value, bool | np.bool_):
        return False  # True/False are no fill value, just an unknown policy
    if isinstance(value, numbers.Real):
        return True
    if not isinstance(value, str):
        return False
    word = value.strip().lower().replace("-", "_").replace(" ", "_")
    fills = ("zero", "fill", "mean", "median", "mode", "constant", "impute", "pad", "interp")
    if any(fill in word for fill in fills):
        return True
    try:
        float(value)
    except ValueError:
        return False
    return True


def takes_nan(model: Any) -> bool:
    """Whether ``model`` routes missing values itself, so rows may keep their NaN.

    XGBoost (``xgboost.XGBModel``) and LightGBM (``lightgbm.LGBMModel``) learn a
    default direction for NaN at every split; scikit-learn's
    ``HistGradientBoostingClassifier``/``Regressor`` send NaN to the child learned
    during training. They are recognized by class name and top-level module along
    the model's MRO (so a subclass counts), without importing any of these
    libraries. Anything else — a ``Pipeline`` around such a model included, whose
    other steps may not take NaN — is False.

    Parameters
    ----------
    model : object
        An estimator (instance).

    Returns
    -------
    bool

    Examples
    --------
    >>> XGBModel = type("XGBModel", (), {"__module__": "xgboost.sklearn"})
    >>> takes_nan(XGBModel()), takes_nan(object())
    (True, False)
    """
    return any(
        (cls.__name__, cls.__module__.split(".")[0]) in _NAN_ROUTING_CLASSES
        for cls in type(model).__mro__
    )
