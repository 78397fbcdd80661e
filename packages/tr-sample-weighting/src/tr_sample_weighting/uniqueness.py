"""Label uniqueness and return attribution (López de Prado, AFML ch. 4).

Labels whose outcome windows ``[time, label_end]`` overlap share information; a
model fit on them as if they were independent over-counts the crowded periods.
The concurrency ``c_t`` of a time point ``t`` is the number of labels whose window
contains ``t`` (closed on both ends); the *average uniqueness* of label ``i`` is the
mean of ``1 / c_t`` over the time points of its window (AFML sections 4.3–4.4,
Snippets 4.1 and 4.2).

Time points are the bars of the price series in AFML. Without a bar series
(``bars=None``) the grid is the set of all distinct event times and label ends:
concurrency only changes at those points, so every window is described by them.
Passing ``bars`` (e.g. the trading days) gives AFML's exact bar-weighted mean.

Computation sweeps sorted endpoints: each label's window is located on the sorted
grid (its first and one-past-last grid position), ``c_t`` is the running sum of
+1 at every start and −1 after every end, and each label's mean of ``1 / c_t`` is
a difference of two prefix sums — ``O((n + T) log(n + T))`` time (one sort) and
``O(n + T)`` memory, never an ``n × T`` matrix.

References
----------
M. López de Prado, *Advances in Financial Machine Learning*, Wiley 2018, ch. 4.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import align_inputs, with_index
from tr_core.errors import InsufficientDataError, LabelWindowError, ZeroWeightError, describe_rows
from tr_core.validation import (
    as_datetime_array,
    as_float_array,
    check_same_timezone,
    row_labels,
)
from tr_sample_weighting.base import (
    Data,
    Normalize,
    SampleWeighter,
    check_column_name,
    contract_label_end,
    frame_column,
)

if TYPE_CHECKING:
    from tr_core.contract import DataContract

__all__ = [
    "ReturnAttributionWeighter",
    "UniquenessWeighter",
    "label_concurrency",
    "return_attribution_weights",
    "uniqueness_weights",
]


@dataclass(frozen=True)
class _Sweep:
    """Label windows located on the time grid."""

    grid: npt.NDArray[np.int64]
    concurrency: npt.NDArray[np.int64]
    start: npt.NDArray[np.intp]
    stop: npt.NDArray[np.intp]


def _sweep(times: Any, label_ends: Any, bars: Any) -> _Sweep:
    """Locate the windows of ``times``/``label_ends`` (already aligned row by row) on the grid."""
    check_same_timezone(times=times, label_ends=label_ends, bars=bars)
    t0 = as_datetime_array(times, "times").view(np.int64)
    t1 = as_datetime_array(label_ends, "label_ends").view(np.int64)
    backwards = np.flatnonzero(t1 < t0)
    if backwards.size:
        raise LabelWindowError(
            f"`label_ends` is before `times` in {describe_rows(row_labels(times, backwards))}; "
            "a label window must end at or after the decision time — fix or drop those rows."
        )
    if bars is None:
        grid, position = _unique_with_positions(np.concatenate([t0, t1]))
        start, stop = position[: t0.size], position[t0.size :] + 1
    else:
        grid, _ = _unique_with_positions(as_datetime_array(bars, "bars").view(np.int64))
        start = np.searchsorted(grid, t0, side="left")
        stop = np.searchsorted(grid, t1, side="right")
        empty = np.flatnonzero(stop <= start)
        if empty.size:
            raise InsufficientDataError(
                f"the label windows of {describe_rows(row_labels(times, empty))} contain no "
                "bar of `bars`; pass bars that cover every window (or bars=None to use the "
                "event times)."
            )
    # Label i covers grid positions [start_i, stop_i): +1 where it starts, -1 after it ends.
    edges = np.bincount(start, minlength=grid.size + 1) - np.bincount(stop, minlength=grid.size + 1)
    concurrency = np.cumsum(edges[: grid.size])
    return _Sweep(grid, concurrency.astype(np.int64), start, stop)


def _unique_with_positions(
    values: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Sorted distinct values and the position of each input value among them.

    One argsort; ``np.unique(..., return_inverse=True)`` does the same work but is
    several times slower on large integer arrays in recent numpy.
    """
    order = np.argsort(values)
    ordered = values[order]
    is_new = np.empty(ordered.size, dtype=bool)
    is_new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=is_new[1:])
    positions = np.empty(values.size, dtype=np.intp)
    positions[order] = np.cumsum(is_new) - 1
    return ordered[is_new], positions


def _average_uniqueness(sweep: _Sweep) -> npt.NDArray[np.float64]:
    inverse = np.zeros(sweep.grid.size, dtype=np.float64)
    np.divide(1.0, sweep.concurrency, out=inverse, where=sweep.concurrency > 0)
    prefix = np.concatenate([[0.0], np.cumsum(inverse)])
    mean = (prefix[sweep.stop] - prefix[sweep.start]) / (sweep.stop - sweep.start)
    # Prefix-sum differences can exceed the exact mean by a rounding unit; 1 is its bound.
    out: npt.NDArray[np.float64] = np.minimum(mean, 1.0)
    return out


def _aligned_windows(times: Any, label_ends: Any) -> tuple[Any, Any, pd.Index | None]:
    """``times`` and ``label_ends`` paired by index label (or refused), and the caller's index.

    ``np.asarray`` of a Series is its values in storage order, so a ``label_ends``
    Series sorted differently from ``times`` would give every label another row's
    window. :func:`tr_core.alignment.align_inputs` reorders it by label, or raises
    :class:`~tr_core.errors.IndexAlignmentError` when the labels differ.
    """
    aligned, index = align_inputs(times=times, label_ends=label_ends)
    return aligned["times"], aligned["label_ends"], index


def label_concurrency(times: Any, label_ends: Any, *, bars: Any = None) -> pd.Series:
    """Number of labels whose window ``[time, label_end]`` contains each time point.

    Parameters
    ----------
    times, label_ends : array-like of datetime
        Start and end of each label's window. Series are paired by index label
        (the same labels, in any order); plain arrays by position.
        ``label_ends >= times``.
    bars : array-like of datetime, optional
        The time grid (e.g. trading days). Default: every distinct value of
        ``times`` and ``label_ends``.

    Returns
    -------
    pandas.Series of int64
        ``c_t`` indexed by the sorted grid (AFML Snippet 4.1).

    Raises
    ------
    IndexAlignmentError
        If ``times`` and ``label_ends`` are Series with different index labels.

    Examples
    --------
    >>> d = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04",
    ...                     "2024-01-05"])
    >>> label_concurrency(d[[0, 1, 3]], d[[2, 3, 4]]).tolist()
    [1, 2, 2, 2, 1]
    """
    times, label_ends, _ = _aligned_windows(times, label_ends)
    sweep = _sweep(times, label_ends, bars)
    index = pd.DatetimeIndex(sweep.grid.view("datetime64[ns]"), name="time")
    return pd.Series(sweep.concurrency, index=index, name="concurrency")


@overload
def uniqueness_weights(times: pd.Series, label_ends: Any, *, bars: Any = ...) -> pd.Series: ...
@overload
def uniqueness_weights(times: Any, label_ends: pd.Series, *, bars: Any = ...) -> pd.Series: ...
@overload
def uniqueness_weights(
    times: Any, label_ends: Any, *, bars: Any = ...
) -> npt.NDArray[np.float64]: ...
def uniqueness_weights(
    times: Any, label_ends: Any, *, bars: Any = None
) -> npt.NDArray[np.float64] | pd.Series:
    r"""Average uniqueness of each label over its window (AFML section 4.4).

    .. math:: \bar u_i = \frac{1}{|T_i|} \sum_{t \in T_i} \frac{1}{c_t},
              \qquad T_i = \{t \in \text{grid} : \text{time}_i \le t \le \text{label\_end}_i\}

    Parameters
    ----------
    times, label_ends : array-like of datetime
        Start and end of each label's window; ``label_ends >= times``. Series
        are paired by index label (the same labels, in any order), never by
        position; plain arrays (and a DatetimeIndex) by position.
    bars : array-like of datetime, optional
        The time grid (e.g. trading days). Default: every distinct value of
        ``times`` and ``label_ends``.

    Returns
    -------
    Series or ndarray of float64
        ``\bar u_i`` in ``(0, 1]``; 1 for a label that overlaps no other. A
        Series on the index of the first Series given (``times``, else
        ``label_ends``) when either is a Series; otherwise an array in input
        order.

    Raises
    ------
    IndexAlignmentError
        If ``times`` and ``label_ends`` are Series with different index labels.
    LengthMismatchError
        If ``times`` and ``label_ends`` differ in length.
    LabelWindowError
        If a label ends before it starts.
    TimeTypeError, TimeColumnError
        If the inputs are not datetimes (strings are never parsed) or hold NaT.
    InsufficientDataError
        If, with ``bars``, a window contains no bar.

    Examples
    --------
    Three labels over five days: A = days 0–2, B = days 1–3, C = days 3–4.
    Concurrency is 1, 2, 2, 2, 1, so A averages (1 + 1/2 + 1/2) / 3, B 1/2 and
    C (1/2 + 1) / 2:

    >>> d = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04",
    ...                     "2024-01-05"])
    >>> uniqueness_weights(d[[0, 1, 3]], d[[2, 3, 4]]).round(4).tolist()
    [0.6667, 0.5, 0.75]
    """
    times, label_ends, index = _aligned_windows(times, label_ends)
    weights = _average_uniqueness(_sweep(times, label_ends, bars))
    return with_index(weights, index, "uniqueness")  # type: ignore[no-any-return]


@overload
def return_attribution_weights(
    times: pd.Series, label_ends: Any, returns: Any, *, bars: Any = ...
) -> pd.Series: ...
@overload
def return_attribution_weights(
    times: Any, label_ends: pd.Series, returns: Any, *, bars: Any = ...
) -> pd.Series: ...
@overload
def return_attribution_weights(
    times: Any, label_ends: Any, returns: pd.Series, *, bars: Any = ...
) -> pd.Series: ...
@overload
def return_attribution_weights(
    times: Any, label_ends: Any, returns: Any, *, bars: Any = ...
) -> npt.NDArray[np.float64]: ...
def return_attribution_weights(
    times: Any, label_ends: Any, returns: Any, *, bars: Any = None
) -> npt.NDArray[np.float64] | pd.Series:
    r"""Sample weights by absolute return attribution (AFML section 4.6, Snippet 4.10).

    AFML attributes each bar's return ``r_t`` to the ``c_t`` labels alive on it,
    ``w_i = |\sum_{t \in T_i} r_t / c_t|``, and rescales the weights to sum to
    ``n``. Here every event carries its own return ``R_i`` (events may be on
    different instruments), spread evenly over the bars of its window,
    ``r_{i,t} = R_i / |T_i|``; the attribution then reduces exactly to

    .. math:: w_i \propto \Bigl|\sum_{t \in T_i} \frac{R_i}{|T_i|\,c_t}\Bigr|
              = |R_i|\,\bar u_i, \qquad \sum_i w_i = n,

    with ``\bar u_i`` from :func:`uniqueness_weights`. Large, unshared outcomes
    weigh most; an event with a zero return gets weight 0, as in AFML.

    Parameters
    ----------
    times, label_ends : array-like of datetime
        Start and end of each label's window; ``label_ends >= times``.
    returns : array-like of float
        Each event's realized return over its window (any units: the weights
        are rescaled to sum to ``n``); finite numbers (text is refused).
    bars : array-like of datetime, optional
        The time grid; see :func:`uniqueness_weights`.

    Returns
    -------
    Series or ndarray of float64
        Non-negative weights summing to ``n``. A Series on the index of the
        first Series among ``times``, ``label_ends``, ``returns`` when any is a
        Series (Series are paired by index label, never by position); otherwise
        an array in input order.

    Raises
    ------
    IndexAlignmentError
        If Series among the inputs have different index labels.
    ZeroWeightError
        If every return is 0.
    NonFiniteError
        If ``returns`` holds NaN/inf.
    TrTypeError
        If ``returns`` is not numeric (numbers stored as text included).

    Examples
    --------
    The three labels of :func:`uniqueness_weights` with returns +3 %, −6 %, +2 %:
    ``|R| * u`` is 0.02, 0.03, 0.015, rescaled to sum to 3.

    >>> d = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04",
    ...                     "2024-01-05"])
    >>> return_attribution_weights(d[[0, 1, 3]], d[[2, 3, 4]], [0.03, -0.06, 0.02]).round(4)
    array([0.9231, 1.3846, 0.6923])
    """
    aligned, index = align_inputs(times=times, label_ends=label_ends, returns=returns)
    values = as_float_array(aligned["returns"], "returns")
    uniqueness = _average_uniqueness(_sweep(aligned["times"], aligned["label_ends"], bars))
    attributed = np.abs(values) * uniqueness
    total = attributed.sum()
    if not total > 0:
        raise ZeroWeightError(
            "`returns` is 0 for every event, so every return-attribution weight is 0; "
            "check that `returns` holds the realized returns (not a placeholder)."
        )
    out: npt.NDArray[np.float64] = attributed * (values.size / total)
    return with_index(out, index, "return_attribution")  # type: ignore[no-any-return]


@dataclass(frozen=True, kw_only=True)
class UniquenessWeighter(SampleWeighter):
    """Weighter form of :func:`uniqueness_weights`, reading two columns of a frame.

    Parameters
    ----------
    time : str
        Column with the decision time (window start).
    label_end : str
        Column with the end of the label window.
    normalize : {None, "mean", "sum"}, default None
    """

    time: str
    label_end: str
    normalize: Normalize = None

    @classmethod
    def from_contract(
        cls, contract: DataContract, *, normalize: Normalize = None
    ) -> UniquenessWeighter:
        """Use the contract's ``time`` and ``label_end`` columns."""
        return cls(time=contract.time, label_end=contract_label_end(contract), normalize=normalize)

    def _validate(self) -> None:
        check_column_name(self.time, "time")
        check_column_name(self.label_end, "label_end")

    def _raw_weights(self, data: Data) -> npt.NDArray[np.float64]:
        owner = repr(self)
        # Both columns come from one frame, so they share its index: weights in row order.
        weights = uniqueness_weights(
            frame_column(data, self.time, "time", owner),
            frame_column(data, self.label_end, "label_end", owner),
        )
        return np.asarray(weights, dtype=np.float64)


@dataclass(frozen=True, kw_only=True)
class ReturnAttributionWeighter(SampleWeighter):
    """Weighter form of :func:`return_attribution_weights`, reading three columns.

    Parameters
    ----------
    time : str
        Column with the decision time (window start).
    label_end : str
        Column with the end of the label window.
    returns : str
        Column with each event's realized return.
    normalize : {None, "mean", "sum"}, default None
        The raw weights already sum to ``n`` (mean 1).
    """

    time: str
    label_end: str
    returns: str
    normalize: Normalize = None

    @classmethod
    def from_contract(
        cls, contract: DataContract, *, normalize: Normalize = None
    ) -> ReturnAttributionWeighter:
        """Use the contract's ``time``, ``label_end`` and ``target`` columns."""
        return cls(
            time=contract.time,
            label_end=contract_label_end(contract),
            returns=contract.target,
            normalize=normalize,
        )

    def _validate(self) -> None:
        check_column_name(self.time, "time")
        check_column_name(self.label_end, "label_end")
        check_column_name(self.returns, "returns")

    def _raw_weights(self, data: Data) -> npt.NDArray[np.float64]:
        owner = repr(self)
        weights = return_attribution_weights(
            frame_column(data, self.time, "time", owner),
            frame_column(data, self.label_end, "label_end", owner),
            frame_column(data, self.returns, "returns", owner),
        )
        return np.asarray(weights, dtype=np.float64)
