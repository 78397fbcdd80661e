"""Units of returns and alpha, and the one check that they look like what was declared.

A return of 5 % is ``0.05`` as a fraction, ``5.0`` in percent points and ``500``
in basis points. Declaring one unit and passing another is a silent, huge error:
compounding ``5.0`` as a fraction annualizes to ``1e127``; weighting ``0.05`` as
percent points puts every weight on a clip bound. :func:`check_units` warns with
:class:`UnitsWarning` when the typical magnitude of the values is implausible in
the declared unit. It is used by :class:`tr_core.contract.DataContract`
(``target_units``), the weight functions and the compounding metrics.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np

from tr_core.errors import InvalidParameterError

__all__ = ["PLAUSIBLE_PP", "UNIT_SCALE", "TargetUnits", "UnitsWarning", "check_units"]

TargetUnits = Literal["fraction", "percent", "log", "bps"]
"""How returns are written: ``0.05``, ``5.0``, ``log(1.05)`` or ``500`` for +5 %."""

UNIT_SCALE: dict[str, float] = {"fraction": 0.01, "log": 0.01, "percent": 1.0, "bps": 100.0}
"""One percent point written in each unit."""

PLAUSIBLE_PP: tuple[float, float] = (0.1, 100.0)
"""Median ``|value|`` in percent points that is plausible for per-event alpha."""

MIN_ROWS = 20
"""Fewer values than this are not judged: a handful of rows can be anything."""


class UnitsWarning(UserWarning):
    """Values look inconsistent with the units they were declared in."""


def check_units(
    values: Any,
    units: str,
    name: str,
    *,
    plausible_pp: tuple[float, float] = PLAUSIBLE_PP,
    stacklevel: int = 3,
) -> bool:
    """Warn when the median ``|value|`` is implausible in the declared units.

    Parameters
    ----------
    values : array-like of float
        Returns or alpha (NaN ignored).
    units : {"fraction", "percent", "log", "bps"}
        The declared units.
    name : str
        How to name the values in the warning.
    plausible_pp : (float, float), default (0.1, 100.0)
        Plausible range of the median ``|value|`` in percent points. Per-period
        portfolio returns pass ``(0.0, 100.0)``: a quiet day may be tiny, but a
        median move above 100 % a period is not a return in that unit.
    stacklevel : int, default 3
        Passed to :func:`warnings.warn` so the warning points at the caller.

    Returns
    -------
    bool
        True when a warning was issued.

    Raises
    ------
    InvalidParameterError
        ``units`` is not a known unit.

    Warns
    -----
    UnitsWarning
        With at least 20 finite values whose median ``|value|`` is outside
        ``plausible_pp`` once converted to percent points.
    """
    if units not in UNIT_SCALE:
        raise InvalidParameterError(
            f"units {units!r} of {name} are not known; use one of {list(UNIT_SCALE)}."
        )
    magnitude = np.abs(np.asarray(values, dtype=np.float64).reshape(-1))
    magnitude = magnitude[np.isfinite(magnitude)]
    if magnitude.size < MIN_ROWS:
        return False
    typical = float(np.median(magnitude))
    typical_pp = typical / UNIT_SCALE[units]
    lo, hi = plausible_pp
    if lo <= typical_pp <= hi:
        return False
    warnings.warn(
        f"{name} declared in {units!r}: the median |value| is {typical:.4g} {units}, i.e. "
        f"{typical_pp:.4g} percent points — outside the plausible {lo:g}..{hi:g}. The values "
        "look like another unit (a fraction 0.05 is 5 percent points; 5.0 as a fraction is "
        "+500 %). Declare the units the values are really in.",
        UnitsWarning,
        stacklevel=stacklevel,
    )
    return True
