"""The data contract: which column plays which role, declared once and checked.

A research frame has one row per event (a trade, a signal). Guessing which column
is the decision time or the outcome is how leaks and silent mistakes start, so the
roles are declared in a :class:`DataContract` and every tool reads them from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, get_args

import numpy as np
import pandas as pd

from tr_core.errors import (
    DuplicateColumnError,
    EmptyDataError,
    InvalidParameterError,
    LabelWindowError,
    MissingColumnError,
    NonFiniteError,
    TrTypeError,
    describe_rows,
)
from tr_core.units import TargetUnits, check_units
from tr_core.validation import (
    as_datetime_array,
    check_no_inf,
    check_numeric,
    check_same_timezone,
)

__all__ = ["DataContract", "ValidationReport"]

_UNITS: tuple[str, ...] = get_args(TargetUnits)


@dataclass(frozen=True)
class ValidationReport:
    """What :meth:`DataContract.validate` found in a valid frame.

    Attributes
    ----------
    n_rows : int
        Rows in the frame.
    n_timestamps : int
        Distinct decision times.
    start, end : pandas.Timestamp
        First and last decision time, in the time column's timezone when it has one
        (so :meth:`summary` keeps the UTC offset), else naive.
    n_entities : int or None
        Distinct entities, when the contract declares an entity column.
    sorted_by_time : bool
        Whether rows are already in non-decreasing time order (never required:
        the toolkit sorts internally and returns results aligned to the input).
    feature_nan : dict
        NaN count per feature (missing feature values are allowed, never filled).
    group_complete_rows : dict
        Rows with every feature of the group present, per feature group.
    """

    n_rows: int
    n_timestamps: int
    start: pd.Timestamp
    end: pd.Timestamp
    n_entities: int | None
    sorted_by_time: bool
    feature_nan: dict[str, int] = field(default_factory=dict)
    group_complete_rows: dict[str, int] = field(default_factory=dict)

    def __repr__(self) -> str:
        # One line: per-feature counts (hundreds of features) stay in to_frame().
        return (
            f"ValidationReport(n_rows={self.n_rows}, n_timestamps={self.n_timestamps}, "
            f"start={self.start.isoformat()!r}, end={self.end.isoformat()!r}, "
            f"n_entities={self.n_entities}, sorted_by_time={self.sorted_by_time}, "
            f"n_features={len(self.feature_nan)}, "
            f"features_with_nan={sum(n > 0 for n in self.feature_nan.values())}, "
            f"n_groups={len(self.group_complete_rows)})"
        )

    def to_frame(self) -> pd.DataFrame:
        """Per-feature NaN counts and NaN share, one row per feature."""
        nan = pd.Series(self.feature_nan, name="nan_count", dtype="int64")
        out = nan.to_frame()
        out["nan_share"] = out["nan_count"] / max(self.n_rows, 1)
        out.index.name = "feature"
        return out

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable summary."""
        return {
            "n_rows": self.n_rows,
            "n_timestamps": self.n_timestamps,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "n_entities": self.n_entities,
            "sorted_by_time": self.sorted_by_time,
            "feature_nan": dict(self.feature_nan),
            "group_complete_rows": dict(self.group_complete_rows),
        }


@dataclass(frozen=True, init=False)
class DataContract:
    """Column roles of a research frame, and their validation.

    Parameters
    ----------
    time : str
        Column with the decision time (datetime). Every feature value must be
        known at this time; splits order and separate rows by it.
    target : str
        Column with the realized outcome (alpha or return) of the event, in
        ``target_units``.
    features : sequence of str
        Feature columns (numeric; NaN allowed and never filled, inf forbidden).
    label_end : str, optional
        Column with the time the outcome window closes (datetime, ``>= time``).
        Needed for purging overlapping labels.
    entity : str, optional
        Column identifying the instrument (ticker).
    groups : mapping of str to sequence of str, optional
        Named feature groups (e.g. ``{"insider": [...], "technical": [...]}``).
        Each feature belongs to at most one group; features not listed form a
        group of their own named after the feature. Default: one group
        ``"features"`` holding every feature. Missing values are handled per
        group (see :func:`tr_core.nan.complete_rows_by_group`).
    target_units : {"fraction", "percent", "log", "bps"}, default "fraction"
        Units of ``target``: ``"fraction"`` means 0.05 is +5 %, ``"percent"`` means
        5.0 is +5 %, ``"log"`` is a log return, ``"bps"`` basis points. Weighting
        and reporting depend on it, so it is declared rather than guessed;
        :meth:`validate` warns (:class:`~tr_core.units.UnitsWarning`) when the
        target's typical magnitude is implausible in the declared units.

    Examples
    --------
    >>> contract = DataContract(
    ...     time="trade_date", target="alpha", features=["value", "momentum"],
    ...     label_end="label_end", entity="ticker")
    >>> contract.columns
    ('trade_date', 'alpha', 'value', 'momentum', 'label_end', 'ticker')
    """

    time: str
    target: str
    features: tuple[str, ...]
    label_end: str | None
    entity: str | None
    groups: Mapping[str, tuple[str, ...]]
    target_units: TargetUnits

    def __init__(
        self,
        time: str,
        target: str,
        features: Sequence[str],
        *,
        label_end: str | None = None,
        entity: str | None = None,
        groups: Mapping[str, Sequence[str]] | None = None,
        target_units: TargetUnits = "fraction",
    ) -> None:
        if isinstance(features, str):
            raise InvalidParameterError(
                f"`features` must be a sequence of column names, got the string {features!r}; "
                f"write features=[{features!r}]."
            )
        feats = tuple(features)
        if not feats:
            raise InvalidParameterError("`features` is empty; declare at least one feature column.")
        roles = {"time": time, "target": target, "label_end": label_end, "entity": entity}
        for role, col in roles.items():
            if col is not None and not isinstance(col, str):
                raise InvalidParameterError(f"`{role}` must be a column name (str), got {col!r}.")
        _check_unique(feats, "features")
        clash = [c for c in feats if c in roles.values()]
        if clash:
            raise InvalidParameterError(
                f"columns {clash} are declared both as features and as time/target/label_end/"
                "entity; a feature must not be the outcome or the clock — remove them from "
                "`features`."
            )
        if target_units not in _UNITS:
            raise InvalidParameterError(
                f"`target_units` must be one of {list(_UNITS)}, got {target_units!r}."
            )
        object.__setattr__(self, "time", time)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "features", feats)
        object.__setattr__(self, "label_end", label_end)
        object.__setattr__(self, "entity", entity)
        object.__setattr__(self, "groups", _resolve_groups(feats, groups))
        object.__setattr__(self, "target_units", target_units)

    def __hash__(self) -> int:
        return hash(
            (
                self.time,
                self.target,
                self.features,
                self.label_end,
                self.entity,
                tuple(self.groups.items()),
                self.target_units,
            )
        )

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the contract names, in role order."""
        optional = tuple(c for c in (self.label_end, self.entity) if c is not None)
        return (self.time, self.target, *self.features, *optional)

    def validate(self, frame: pd.DataFrame) -> ValidationReport:
        """Check ``frame`` against the contract; raise on the first problem found.

        The frame is read, never modified or reordered.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per event.

        Returns
        -------
        ValidationReport
            Facts about the valid frame (rows, time span, NaN per feature, ...).

        Raises
        ------
        TrTypeError
            ``frame`` is not a DataFrame.
        DuplicateColumnError
            Two columns share a name.
        MissingColumnError
            A declared column is absent.
        EmptyDataError
            No rows.
        TimeTypeError, TimeColumnError
            ``time``/``label_end`` not datetime, or NaT.
        LabelWindowError
            ``label_end`` earlier than ``time``.
        NonFiniteError
            NaN/inf in ``target``, inf in a feature, missing ``entity``.
        FeatureTypeError
            A feature (or the target) is not numeric.

        Warns
        -----
        UnitsWarning
            With 20 or more rows, when the median ``|target|`` is implausible in
            ``target_units`` (outside 0.1..100 percent points, see
            :func:`tr_core.units.check_units`): e.g. alpha in percent points
            declared as fractions.
        """
        if not isinstance(frame, pd.DataFrame):
            raise TrTypeError(
                f"expected a pandas DataFrame, got {type(frame).__name__}; "
                "build one with pd.DataFrame(...)."
            )
        dup = frame.columns[frame.columns.duplicated()].unique().tolist()
        if dup:
            raise DuplicateColumnError(
                f"the frame has duplicate column names {dup}; every column must be unique so "
                "that roles are unambiguous — rename or drop the duplicates."
            )
        missing = [c for c in self.columns if c not in frame.columns]
        if missing:
            raise MissingColumnError(
                f"columns {missing} are declared in the contract but not in the frame "
                f"(it has {list(frame.columns)[:20]}); rename the frame's columns or fix the "
                "names given to DataContract(...)."
            )
        if len(frame) == 0:
            raise EmptyDataError("the frame has no rows; validation needs at least one event.")

        times = as_datetime_array(frame[self.time], f"column {self.time!r} (time)")
        if self.label_end is not None:
            check_same_timezone(
                **{
                    f"column {self.time!r} (time)": frame[self.time],
                    f"column {self.label_end!r} (label_end)": frame[self.label_end],
                }
            )
            ends = as_datetime_array(
                frame[self.label_end], f"column {self.label_end!r} (label_end)"
            )
            early = np.flatnonzero(ends < times)
            if early.size:
                raise LabelWindowError(
                    f"column {self.label_end!r} (label_end) is before column {self.time!r} (time) "
                    f"in {describe_rows(list(frame.index[early]))}; an outcome window cannot close "
                    "before the decision — fix those rows or drop them."
                )
        check_numeric(frame[self.target], f"target column {self.target!r}")
        target = frame[self.target].to_numpy(dtype=np.float64, na_value=np.nan)
        bad = np.flatnonzero(~np.isfinite(target))
        if bad.size:
            raise NonFiniteError(
                f"column {self.target!r} (target) has NaN/inf in "
                f"{describe_rows(list(frame.index[bad]))}; an event without a realized outcome "
                "cannot be trained or evaluated on — drop those rows explicitly before validating."
            )
        check_units(target, self.target_units, f"column {self.target!r} (target)")
        feature_nan: dict[str, int] = {}
        for col in self.features:
            check_numeric(frame[col], f"feature column {col!r}")
            values = frame[col].to_numpy(dtype=np.float64, na_value=np.nan)
            check_no_inf(values[:, None], [col], frame)
            feature_nan[col] = int(np.isnan(values).sum())
        n_entities = None
        if self.entity is not None:
            ent = frame[self.entity]
            absent = np.flatnonzero(ent.isna().to_numpy())
            if absent.size:
                raise NonFiniteError(
                    f"column {self.entity!r} (entity) is missing in "
                    f"{describe_rows(list(frame.index[absent]))}; every event needs its instrument."
                )
            n_entities = int(ent.nunique())
        complete = {
            name: int(frame[list(cols)].notna().all(axis=1).sum())
            for name, cols in self.groups.items()
        }
        ordered = bool(np.all(times[1:] >= times[:-1]))
        return ValidationReport(
            n_rows=len(frame),
            n_timestamps=int(np.unique(times).size),
            start=_in_zone(times.min(), frame[self.time]),
            end=_in_zone(times.max(), frame[self.time]),
            n_entities=n_entities,
            sorted_by_time=ordered,
            feature_nan=feature_nan,
            group_complete_rows=complete,
        )


def _in_zone(value: np.datetime64, column: pd.Series) -> pd.Timestamp:
    """A naive-UTC time back in the column's timezone (naive columns stay naive)."""
    stamp = pd.Timestamp(value)
    tz = getattr(column.dtype, "tz", None)
    return stamp if tz is None else stamp.tz_localize("UTC").tz_convert(tz)


def _check_unique(names: tuple[str, ...], arg: str) -> None:
    dup = sorted(n for n, k in Counter(names).items() if k > 1)
    if dup:
        raise InvalidParameterError(f"`{arg}` lists {dup} more than once; list each column once.")


def _resolve_groups(
    features: tuple[str, ...], groups: Mapping[str, Sequence[str]] | None
) -> Mapping[str, tuple[str, ...]]:
    if groups is None:
        return MappingProxyType({"features": features})
    resolved: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for name, cols in groups.items():
        if isinstance(cols, str):
            raise InvalidParameterError(
                f"group {name!r} must list column names, got the string {cols!r}; write [{cols!r}]."
            )
        cols_t = tuple(cols)
        if not cols_t:
            raise InvalidParameterError(f"group {name!r} is empty; drop it or list its features.")
        for c in cols_t:
            if c not in features:
                raise InvalidParameterError(
                    f"group {name!r} lists {c!r}, which is not in `features`; add it to "
                    "`features` or remove it from the group."
                )
            if c in owner:
                raise InvalidParameterError(
                    f"feature {c!r} is in both group {owner[c]!r} and group {name!r}; "
                    "each feature belongs to at most one group."
                )
            owner[c] = name
        resolved[name] = cols_t
    for c in features:
        if c not in owner:
            resolved[c] = (c,)
    return MappingProxyType(resolved)
