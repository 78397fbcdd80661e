"""Time-decay weights over cumulative uniqueness (López de Prado, AFML section 4.7).

Markets change, so older events may deserve less weight. AFML decays weights
linearly not in calendar time but in *cumulative average uniqueness*: a crowded
period (many overlapping labels) is old "slowly", because its labels together
carry little more information than one.

References
----------
M. López de Prado, *Advances in Financial Machine Learning*, Wiley 2018,
section 4.7, Snippet 4.11.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import align_inputs, with_index
from tr_core.errors import InvalidParameterError
from tr_core.validation import as_datetime_array
from tr_sample_weighting.base import (
    Data,
    Normalize,
    SampleWeighter,
    check_column_name,
    frame_column,
)
from tr_sample_weighting.uniqueness import _average_uniqueness, _sweep

if TYPE_CHECKING:
    from tr_core.contract import DataContract

__all__ = ["TimeDecayWeighter", "time_decay_weights"]


@overload
def time_decay_weights(
    times: pd.Series, label_ends: Any = ..., oldest: float = ..., *, bars: Any = ...
) -> pd.Series: ...
@overload
def time_decay_weights(
    times: Any, label_ends: pd.Series, oldest: float = ..., *, bars: Any = ...
) -> pd.Series: ...
@overload
def time_decay_weights(
    times: Any, label_ends: Any = ..., oldest: float = ..., *, bars: Any = ...
) -> npt.NDArray[np.float64]: ...
def time_decay_weights(
    times: Any,
    label_ends: Any = None,
    oldest: float = 1.0,
    *,
    bars: Any = None,
) -> npt.NDArray[np.float64] | pd.Series:
    r"""Piecewise-linear decay over cumulative uniqueness (AFML Snippet 4.11).

    Sort events by time and let ``x_i`` be the cumulative sum of the average
    uniqueness ``\bar u`` up to and including event ``i``, ``X`` its total. With
    ``c = oldest``:

    .. math::

        w_i = \begin{cases}
            c + (1 - c)\, x_i / X & c \ge 0 \\
            \max\bigl(0,\ (c + x_i / X) / (c + 1)\bigr) & -1 < c < 0
        \end{cases}

    The newest event gets 1. For ``c >= 0`` weights fall linearly to about
    ``c`` for the oldest (exactly ``c + (1 - c) \bar u_0 / X``, as in AFML);
    ``c = 1`` means no decay, ``c = 0`` decays to (nearly) zero. For ``c < 0``
    the oldest share ``|c|`` of the cumulative uniqueness gets weight 0 — those
    rows are *meant* to drop out.

    Parameters
    ----------
    times : array-like of datetime
        Decision time of each event.
    label_ends : array-like of datetime, optional
        End of each label window; the decay then runs over cumulative average
        uniqueness (:func:`~tr_sample_weighting.uniqueness_weights`). Without it
        every event counts 1 (decay over the number of events). Series are
        paired with ``times`` by index label (the same labels, in any order),
        never by position.
    oldest : float, default 1.0
        ``c`` in AFML, in ``(-1, 1]``.
    bars : array-like of datetime, optional
        Time grid for the uniqueness; only with ``label_ends``.

    Returns
    -------
    Series or ndarray of float64
        Weights in ``[0, 1]``. Events sharing a decision time get the same
        weight (the cumulative sum through the end of their time; AFML's code
        assumes distinct times). A Series on the index of the first Series
        given (``times``, else ``label_ends``) when either is a Series;
        otherwise an array in input order.

    Raises
    ------
    IndexAlignmentError
        If ``times`` and ``label_ends`` are Series with different index labels.
    InvalidParameterError
        If ``oldest`` is outside ``(-1, 1]`` or ``bars`` is given without
        ``label_ends``.
    LabelWindowError, LengthMismatchError, TimeTypeError, TimeColumnError
        For bad time inputs, as in :func:`~tr_sample_weighting.uniqueness_weights`.

    Examples
    --------
    Four events on distinct days, no overlap (uniqueness 1 each):

    >>> import pandas as pd
    >>> days = pd.date_range("2024-01-01", periods=4)
    >>> time_decay_weights(days, oldest=0.5).tolist()
    [0.625, 0.75, 0.875, 1.0]
    >>> time_decay_weights(days, oldest=-0.5).tolist()
    [0.0, 0.0, 0.5, 1.0]
    """
    c = _check_oldest(oldest)
    aligned, index = align_inputs(times=times, label_ends=label_ends)
    times, label_ends = aligned["times"], aligned["label_ends"]
    t = as_datetime_array(times, "times")
    if label_ends is None:
        if bars is not None:
            raise InvalidParameterError(
                "`bars` only sets the grid of the uniqueness, which needs `label_ends`; "
                "pass label_ends=... or drop bars."
            )
        uniqueness = np.ones(t.size, dtype=np.float64)
    else:
        uniqueness = _average_uniqueness(_sweep(times, label_ends, bars))
    order = np.argsort(t, kind="stable")
    cumulative = np.cumsum(uniqueness[order])
    last_of_time = np.searchsorted(t[order], t, side="right") - 1
    share = cumulative[last_of_time] / cumulative[-1]
    if c >= 0:
        weights: npt.NDArray[np.float64] = c + (1.0 - c) * share
    else:
        weights = np.maximum((c + share) / (c + 1.0), 0.0)
    return with_index(weights, index, "time_decay")  # type: ignore[no-any-return]


def _check_oldest(oldest: float) -> float:
    if isinstance(oldest, bool) or not isinstance(oldest, int | float):
        raise InvalidParameterError(f"`oldest` must be a number in (-1, 1], got {oldest!r}.")
    if not (math.isfinite(oldest) and -1.0 < oldest <= 1.0):
        raise InvalidParameterError(
            f"`oldest` must be in (-1, 1], got {oldest!r}: 1 means no decay, 0 decays to "
            "zero, -0.25 gives the oldest quarter (by cumulative uniqueness) weight 0."
        )
    return float(oldest)


@dataclass(frozen=True, kw_only=True)
class TimeDecayWeighter(SampleWeighter):
    """Weighter form of :func:`time_decay_weights`, reading columns of a frame.

    Parameters
    ----------
    time : str
        Column with the decision time.
    label_end : str, optional
        Column with the end of the label window (decay over cumulative
        uniqueness); without it the decay runs over the number of events.
    oldest : float, default 1.0
        ``c`` in AFML, in ``(-1, 1]``.
    normalize : {None, "mean", "sum"}, default None
    """

    time: str
    label_end: str | None = None
    oldest: float = 1.0
    normalize: Normalize = None

    @classmethod
    def from_contract(
        cls, contract: DataContract, *, oldest: float = 1.0, normalize: Normalize = None
    ) -> TimeDecayWeighter:
        """Use the contract's ``time`` and (when declared) ``label_end`` columns."""
        return cls(
            time=contract.time, label_end=contract.label_end, oldest=oldest, normalize=normalize
        )

    def _validate(self) -> None:
        check_column_name(self.time, "time")
        if self.label_end is not None:
            check_column_name(self.label_end, "label_end")
        object.__setattr__(self, "oldest", _check_oldest(self.oldest))

    def _raw_weights(self, data: Data) -> npt.NDArray[np.float64]:
        owner = repr(self)
        times = frame_column(data, self.time, "time", owner)
        ends = None
        if self.label_end is not None:
            ends = frame_column(data, self.label_end, "label_end", owner)
        # Columns of one frame share its index: the Series comes back in row order.
        return np.asarray(time_decay_weights(times, ends, self.oldest), dtype=np.float64)
