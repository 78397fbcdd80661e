"""Empirical lookahead check: a feature at time *t* must not change when later data goes.

:func:`assert_no_lookahead` builds the features on the full frame and again on
the frame truncated at several cutoffs, and compares the values of every row at
or before each cutoff. A feature computed only from information available at
its row's time gives the same value either way; a negative shift, a centred
window, a full-sample z-score or a rolling statistic of an outcome that is not
yet realized does not.

Columns whose values become known only later than the row's own time (the
realized return of the row, known when its label window closes) are declared in
``observed_at``; in each truncated frame their values are hidden (set missing)
where they are not yet known at the cutoff. That is what catches
``returns.rolling(20).mean()`` without ``.shift(1)``: the current row's return
is inside the window but not yet observable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import (
    EmptyDataError,
    FeatureTypeError,
    InsufficientDataError,
    InvalidParameterError,
    LookaheadError,
    MissingColumnError,
    TrTypeError,
    TrValueError,
    describe_rows,
)
from tr_core.validation import as_datetime_array, check_same_timezone, resolve_column

__all__ = ["LookaheadReport", "assert_no_lookahead"]

FeatureFn = Callable[[pd.DataFrame], pd.DataFrame | pd.Series]


@dataclass(frozen=True)
class LookaheadReport:
    """What :func:`assert_no_lookahead` checked, when it found no lookahead.

    Attributes
    ----------
    features : tuple of str
        Feature columns compared.
    cutoffs : tuple of pandas.Timestamp
        Truncation times, ascending, in the time column's timezone when it has one.
    rows_compared : tuple of int
        Rows at or before each cutoff (each compared on every feature).
    """

    features: tuple[str, ...]
    cutoffs: tuple[pd.Timestamp, ...]
    rows_compared: tuple[int, ...]

    def __repr__(self) -> str:
        # One line: the feature names (possibly hundreds) are summarised by count.
        span = f"{self.cutoffs[0].isoformat()}..{self.cutoffs[-1].isoformat()}"
        return (
            f"LookaheadReport(n_features={len(self.features)}, n_cutoffs={len(self.cutoffs)}, "
            f"cutoffs={span!r}, values_compared={self.values_compared})"
        )

    @property
    def values_compared(self) -> int:
        """Feature values compared in total."""
        return sum(self.rows_compared) * len(self.features)

    def to_frame(self) -> pd.DataFrame:
        """One row per cutoff: the cutoff, rows compared and values compared."""
        return pd.DataFrame(
            {
                "cutoff": pd.DatetimeIndex(self.cutoffs),
                "rows_compared": np.asarray(self.rows_compared, dtype=np.int64),
                "values_compared": np.asarray(self.rows_compared, dtype=np.int64)
                * len(self.features),
            }
        )

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable summary."""
        return {
            "features": list(self.features),
            "cutoffs": [c.isoformat() for c in self.cutoffs],
            "rows_compared": list(self.rows_compared),
            "values_compared": self.values_compared,
        }


def assert_no_lookahead(
    feature_fn: FeatureFn,
    frame: pd.DataFrame,
    *,
    time: str,
    cutoffs: int | Sequence[Any] = 5,
    columns: Sequence[str] | None = None,
    observed_at: Mapping[str, str] | None = None,
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> LookaheadReport:
    """Raise if any feature value at time *t* depends on data after *t*.

    For each cutoff ``c``, ``feature_fn`` runs on a copy of the rows with
    ``time <= c`` (with the ``observed_at`` columns hidden where not yet known
    at ``c``), and its values are compared with those of the same rows computed
    on the full frame. Two values agree when both are missing, or both are
    present and ``|a - b| <= atol + rtol * |b|``.

    Parameters
    ----------
    feature_fn : callable
        ``feature_fn(frame) -> DataFrame or Series`` of numeric features aligned
        to ``frame.index`` (same labels, any order). It gets a copy, so it may
        even modify its input without harm.
    frame : pandas.DataFrame
        The raw data; never modified.
    time : str
        Column with each row's decision time (datetime).
    cutoffs : int or sequence of datetime-like, default 5
        Number of cutoffs, spread at evenly spaced quantiles of the distinct
        times (never the last one), or the cutoff times themselves. Each must
        leave at least one row and drop at least one. Cutoff times must be
        timezone-aware exactly when the ``time`` column is.
    columns : sequence of str, optional
        Features to compare (default: every column ``feature_fn`` returns).
    observed_at : mapping of str to str, optional
        Raw column to the column holding the time its value becomes known,
        e.g. ``{"alpha": "label_end"}`` for a realized return. Without it every
        column counts as known at its row's ``time``. Timezone-aware exactly when
        the ``time`` column is.
    rtol, atol : float
        Tolerances of the comparison (``>= 0``).

    Returns
    -------
    LookaheadReport
        Features, cutoffs and rows compared.

    Raises
    ------
    LookaheadError
        Naming the feature, the cutoff, the first offending row (index label,
        time, both values) and how many rows differ.
    MissingColumnError, TimeTypeError, EmptyDataError, InsufficientDataError, InvalidParameterError
        For unusable inputs; :class:`~tr_core.errors.TimeTypeError` also when
        ``cutoffs`` or ``observed_at`` times carry a timezone and ``time`` does not
        (or the reverse): comparing them would shift every cutoff by the UTC offset.
    TrTypeError, FeatureTypeError
        If ``feature_fn`` returns something other than numeric columns.
    TrValueError
        If its output is not aligned to its input.

    Examples
    --------
    >>> df = pd.DataFrame({"t": pd.date_range("2020-01-01", periods=50),
    ...                    "price": np.arange(50.0) ** 1.5})
    >>> ok = assert_no_lookahead(lambda f: f["price"].pct_change(5), df, time="t")
    >>> assert_no_lookahead(lambda f: f["price"].pct_change(-5), df, time="t")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tr_core.errors.LookaheadError: feature 'price' changes when data after ...
    """
    if not isinstance(frame, pd.DataFrame):
        raise TrTypeError(f"`frame` must be a pandas DataFrame, got {type(frame).__name__}.")
    if len(frame) == 0:
        raise EmptyDataError("`frame` is empty; it needs rows to check.")
    if not callable(feature_fn):
        raise TrTypeError("`feature_fn` must be callable: feature_fn(frame) -> DataFrame/Series.")
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not np.isfinite(tol) or tol < 0:
            raise InvalidParameterError(f"`{name}` must be finite and >= 0, got {tol!r}.")
    if not isinstance(time, str):
        raise InvalidParameterError(f"`time` must be a column name (str), got {time!r}.")
    time_values = resolve_column(frame, time, "time")
    times = as_datetime_array(time_values, "time")
    tz = getattr(time_values.dtype, "tz", None)
    reveal = _reveal_times(frame, observed_at, time_values)
    cuts = _cutoffs(cutoffs, times, time_values)

    full = _features(feature_fn, frame.copy(deep=True), "the full frame")
    names = _select(full, columns)
    full_values = _numeric(full, names)
    rows_compared = []
    for cut in cuts:
        keep = np.flatnonzero(times <= cut)
        part = frame.iloc[keep].copy(deep=True)
        for col, when in reveal.items():
            hidden = when[keep] > cut
            if hidden.any():
                part[col] = part[col].mask(pd.Series(hidden, index=part.index))
        label = f"the frame truncated at {_in_zone(cut, tz)}"
        trunc = _numeric(_features(feature_fn, part, label), names)
        _compare(
            names, full_values[keep], trunc, frame.index[keep], times[keep], cut, tz, rtol, atol
        )
        rows_compared.append(int(keep.size))
    return LookaheadReport(
        features=names,
        cutoffs=tuple(_in_zone(c, tz) for c in cuts),
        rows_compared=tuple(rows_compared),
    )


def _in_zone(value: np.datetime64, tz: Any) -> pd.Timestamp:
    """A naive-UTC time shown in the ``time`` column's timezone (naive stays naive)."""
    stamp = pd.Timestamp(value)
    return stamp if tz is None else stamp.tz_localize("UTC").tz_convert(tz)


def _reveal_times(
    frame: pd.DataFrame, observed_at: Mapping[str, str] | None, time_values: Any
) -> dict[str, npt.NDArray[np.datetime64]]:
    if observed_at is None:
        return {}
    if not isinstance(observed_at, Mapping):
        raise InvalidParameterError(
            "`observed_at` must map a column to the column of times it becomes known, "
            "e.g. {'alpha': 'label_end'}."
        )
    out = {}
    for col, when in observed_at.items():
        if col not in frame.columns:
            raise MissingColumnError(
                f"`observed_at` names column {col!r}, which is not in the frame "
                f"(it has {list(frame.columns)[:20]})."
            )
        name = f"observed_at[{col!r}]"
        values = resolve_column(frame, when, name)
        out[col] = as_datetime_array(values, name)
        check_same_timezone(**{"time": time_values, name: values})
    return out


def _cutoffs(
    cutoffs: int | Sequence[Any], times: npt.NDArray[np.datetime64], time_values: Any
) -> npt.NDArray[np.datetime64]:
    unique = np.unique(times)
    if isinstance(cutoffs, bool):
        raise InvalidParameterError(f"`cutoffs` must be an int or datetimes, got {cutoffs!r}.")
    if isinstance(cutoffs, int | np.integer):
        if cutoffs < 1:
            raise InvalidParameterError(f"`cutoffs` must be >= 1, got {cutoffs}.")
        if unique.size < 2:
            raise InsufficientDataError(
                f"`time` has {unique.size} distinct value; truncation needs at least 2 — "
                "a frame with one timestamp cannot look ahead."
            )
        q = np.arange(1, int(cutoffs) + 1) / (int(cutoffs) + 1)
        return unique[np.unique(np.floor(q * (unique.size - 1)).astype(np.intp))]
    if isinstance(cutoffs, str):
        raise InvalidParameterError(
            f"`cutoffs` must be an int or a sequence of datetimes, got the string {cutoffs!r}; "
            f"write cutoffs=[pd.Timestamp({cutoffs!r})]."
        )
    given = pd.DatetimeIndex(list(cutoffs))
    cuts = np.unique(as_datetime_array(given, "cutoffs"))
    # Both are read as UTC: a naive cutoff next to aware times would shift by the offset.
    check_same_timezone(time=time_values, cutoffs=given)
    early = cuts[cuts < unique[0]]
    late = cuts[cuts >= unique[-1]]
    if early.size or late.size:
        tz = getattr(time_values.dtype, "tz", None)
        bad = [str(_in_zone(c, tz)) for c in (*early, *late)]
        raise InvalidParameterError(
            f"cutoffs {bad} lie outside [{_in_zone(unique[0], tz)}, {_in_zone(unique[-1], tz)}): "
            "a cutoff must keep at least one row and drop at least one; pick cutoffs "
            "between the first and the last time."
        )
    return cuts


def _features(feature_fn: FeatureFn, frame: pd.DataFrame, what: str) -> pd.DataFrame:
    out = feature_fn(frame)
    if isinstance(out, pd.Series):
        out = out.to_frame(name=out.name if out.name is not None else "feature")
    if not isinstance(out, pd.DataFrame):
        raise TrTypeError(
            f"`feature_fn` must return a DataFrame or Series, got {type(out).__name__} on {what}."
        )
    if out.columns.has_duplicates:
        dup = sorted({str(c) for c in out.columns[out.columns.duplicated()]})
        raise TrValueError(f"`feature_fn` returned duplicate columns {dup}; name them uniquely.")
    if out.index.equals(frame.index):
        return out
    same_labels = (
        len(out) == len(frame)
        and out.index.is_unique
        and frame.index.is_unique
        and frame.index.difference(out.index).empty
    )
    if same_labels:
        return out.reindex(frame.index)
    raise TrValueError(
        f"`feature_fn` output on {what} is not aligned to its input ({len(out)} rows with "
        f"index {list(out.index[:3])}... vs {len(frame)} rows with index "
        f"{list(frame.index[:3])}...); return one row per input row with the same index "
        "labels — e.g. use groupby(...).transform(...), or .reset_index(level=0, drop=True) "
        "after a groupby rolling."
    )


def _select(full: pd.DataFrame, columns: Sequence[str] | None) -> tuple[str, ...]:
    if columns is None:
        return tuple(full.columns)
    if isinstance(columns, str):
        raise InvalidParameterError(
            f"`columns` must be a sequence of names, got the string {columns!r}; "
            f"write columns=[{columns!r}]."
        )
    names = tuple(columns)
    missing = [c for c in names if c not in full.columns]
    if missing:
        raise MissingColumnError(
            f"`columns` {missing} are not among the features feature_fn returns "
            f"({list(full.columns)[:20]})."
        )
    if not names:
        raise InvalidParameterError("`columns` is empty; name at least one feature to check.")
    return names


def _numeric(out: pd.DataFrame, names: tuple[str, ...]) -> npt.NDArray[np.float64]:
    missing = [c for c in names if c not in out.columns]
    if missing:
        raise MissingColumnError(
            f"`feature_fn` returned no column {missing} on a truncated frame; it must return "
            "the same columns whatever rows it gets."
        )
    bad = [c for c in names if not pd.api.types.is_numeric_dtype(out[c].dtype)]
    if bad:
        raise FeatureTypeError(
            f"features {bad} are not numeric ({[str(out[c].dtype) for c in bad]}); "
            "the check compares numbers — encode them numerically or leave them out via `columns`."
        )
    return out.loc[:, list(names)].to_numpy(dtype=np.float64, na_value=np.nan)


def _compare(
    names: tuple[str, ...],
    full: npt.NDArray[np.float64],
    trunc: npt.NDArray[np.float64],
    labels: pd.Index,
    times: npt.NDArray[np.datetime64],
    cut: np.datetime64,
    tz: Any,
    rtol: float,
    atol: float,
) -> None:
    both_nan = np.isnan(full) & np.isnan(trunc)
    with np.errstate(invalid="ignore"):
        close = np.isclose(full, trunc, rtol=rtol, atol=atol, equal_nan=False)
    differs = ~(close | both_nan)
    bad_cols = np.flatnonzero(differs.any(axis=0))
    if bad_cols.size == 0:
        return
    j = int(bad_cols[0])
    rows = np.flatnonzero(differs[:, j])
    i = int(rows[0])
    label = labels[i].item() if isinstance(labels[i], np.generic) else labels[i]
    others = [names[k] for k in bad_cols[1:]]
    also = f" Other features that change at this cutoff: {others}." if others else ""
    raise LookaheadError(
        f"feature {names[j]!r} changes when data after its row's time is removed: at cutoff "
        f"{_in_zone(cut, tz)}, row {label!r} (time {_in_zone(times[i], tz)}) is "
        f"{float(trunc[i, j])!r} on the truncated frame but {float(full[i, j])!r} on the "
        f"full frame; "
        f"{describe_rows(list(labels[rows]))} differ.{also} Fix: compute each value only from "
        "rows at or before its time — shift rolling windows of not-yet-known values by one "
        "(.shift(1)), use expanding instead of full-sample statistics, never a negative shift "
        "or a centred window."
    )
