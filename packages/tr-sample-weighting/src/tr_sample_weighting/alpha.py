"""Weights from the size of each event's outcome: ``clip((|alpha| / scale) ** power, lo, hi)``.

In the insider-trading research, weighting trades by ``|alpha| ** 1.5`` (alpha in
percent points, clip ``(0.1, 10)``) lifted the out-of-sample top-bucket return from
16.15 % to 26.16 %: the model learns most from the trades whose outcome was large.

The units of ``alpha`` change the result completely, so ``scale`` — the ``|alpha|``
that gets weight 1, i.e. one percent point written in alpha's units — has no
default. With ``power=1.5`` and ``clip=(0.1, 10)``::

    alpha        declared units      (|alpha|/scale)**1.5   weight
    0.01 (1 %)   scale="fraction"        1.0                 1.0
    0.02 (2 %)   scale="fraction"        2.828               2.828
    0.05 (5 %)   scale="fraction"       11.18               10.0
    0.01 (1 %)   scale="percent"         0.001               0.1    wrong units
    0.05 (5 %)   scale="percent"         0.0112              0.1    wrong units
    5.0  (5 %)   scale="percent"        11.18               10.0
    5.0  (5 %)   scale="fraction"    11180.3                10.0    wrong units

Declaring the wrong units does not fail loudly on its own: every weight lands on
the same clip bound and the weighting silently does nothing. Named units are
therefore checked against the data (see :class:`UnitsWarning`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import with_index
from tr_core.errors import InvalidParameterError, NonFiniteError, ZeroWeightError, describe_rows
from tr_core.units import UNIT_SCALE, TargetUnits, UnitsWarning, check_units
from tr_core.validation import as_float_array, row_labels
from tr_sample_weighting.base import (
    Data,
    Normalize,
    SampleWeighter,
    check_column_name,
    column_values,
)

if TYPE_CHECKING:
    from tr_core.contract import DataContract

__all__ = [
    "AlphaPowerWeighter",
    "MagnitudeWeighter",
    "Scale",
    "Units",
    "UnitsWarning",
    "alpha_power_weights",
    "calculate_alpha_squared_weights",
    "magnitude_weights",
]

Units = TargetUnits
"""Units of alpha: :data:`tr_core.units.TargetUnits`, as in ``DataContract(target_units=...)``."""

Scale = float | Units
"""``|alpha|`` that gets weight 1: a positive number, or the name of alpha's units."""

# UNIT_SCALE (one percent point in each unit: the ``scale`` a unit name stands for) and
# UnitsWarning are tr_core.units' own objects, imported above so that
# ``tr_sample_weighting.UnitsWarning`` is the very class tr-core's checks raise.


def alpha_power_weights(
    alpha: Any,
    power: float = 1.5,
    clip: tuple[float, float] | None = (0.1, 10.0),
    *,
    scale: Scale,
) -> Any:
    r"""Weights ``clip((|alpha| / scale) ** power, lo, hi)``, aligned to ``alpha``.

    Parameters
    ----------
    alpha : array-like of float
        Realized alpha (or return) per event; finite.
    power : float, default 1.5
        Exponent, ``>= 0``. ``0`` gives uniform weights, ``1`` is
        :func:`magnitude_weights`, ``2`` weights by squared alpha.
    clip : (float, float) or None, default (0.1, 10.0)
        Bounds ``(lo, hi)`` with ``0 <= lo <= hi`` (``hi`` may be ``inf``),
        applied after the power; ``None`` for no clipping. A positive ``lo`` keeps
        events with a tiny alpha in the fit with a small weight.
    scale : float or {"fraction", "percent", "log", "bps"}
        Required. The ``|alpha|`` that gets weight 1. A unit name stands for one
        percent point in that unit: ``"fraction"`` and ``"log"`` → 0.01,
        ``"percent"`` → 1.0, ``"bps"`` → 100.0, so the same economic alpha gets
        the same weight whatever its units.

    Returns
    -------
    ndarray of float64, or Series
        One weight per event, ``> 0``, in input order; a Series on ``alpha``'s index
        when ``alpha`` is a Series.

    Raises
    ------
    NonFiniteError
        If ``alpha`` holds NaN/inf, or a weight overflows without an upper clip.
    InvalidParameterError
        If ``power`` is negative, ``scale`` is not positive or not a known unit,
        or ``clip`` is not ``0 <= lo <= hi``.
    ZeroWeightError
        If a weight would be 0 (``alpha`` is 0 and ``lo`` is 0 or ``clip`` is
        None): such rows would silently drop out of the fit.

    Warns
    -----
    UnitsWarning
        With a unit name and at least 20 rows, when the median ``|alpha|`` is
        below 0.1 or above 100 percent points — the signature of alpha given in
        other units than declared (e.g. 0.05 declared as ``"percent"``). The
        check is :func:`tr_core.units.check_units`, shared with
        ``DataContract(target_units=...)`` and the compounding metrics.

    Notes
    -----
    With alpha as a fraction, ``alpha = 0.05`` (+5 %) gives
    ``(0.05 / 0.01) ** 1.5 = 11.18`` → clipped to 10. The same number declared
    as percent points is read as +0.05 %: ``0.05 ** 1.5 = 0.0112`` → clipped to
    0.1. See the module docstring for a table.

    Examples
    --------
    >>> alpha_power_weights([0.01, -0.02, 0.05], scale="fraction").round(3).tolist()
    [1.0, 2.828, 10.0]
    >>> alpha_power_weights([1.0, -2.0, 5.0], scale="percent").round(3).tolist()
    [1.0, 2.828, 10.0]
    >>> alpha_power_weights([0.01, -0.02, 0.05], scale="percent").tolist()
    [0.1, 0.1, 0.1]
    """
    return with_index(
        _alpha_power(alpha, power, clip, scale, name="alpha"), _index(alpha), "weight"
    )


calculate_alpha_squared_weights = alpha_power_weights
"""The name the insider-trading strategy code uses for :func:`alpha_power_weights`."""


def magnitude_weights(
    alpha: Any,
    clip: tuple[float, float] | None = (0.1, 10.0),
    *,
    scale: Scale,
) -> Any:
    """Weights ``clip(|alpha| / scale, lo, hi)``: linear in the outcome's size.

    :func:`alpha_power_weights` with ``power=1``; see it for ``clip``, ``scale``,
    the errors raised and the units check.

    Examples
    --------
    >>> magnitude_weights([0.003, -0.02, 0.5], scale="fraction").round(6).tolist()
    [0.3, 2.0, 10.0]
    """
    return with_index(_alpha_power(alpha, 1.0, clip, scale, name="alpha"), _index(alpha), "weight")


def _index(values: Any) -> pd.Index | None:
    """The caller's index when ``values`` is a Series (results come back on it), else None."""
    return values.index if isinstance(values, pd.Series) else None


def resolve_scale(scale: Scale) -> float:
    """The positive float ``scale`` stands for; raise on anything else."""
    if isinstance(scale, str):
        if scale not in UNIT_SCALE:
            raise InvalidParameterError(
                f"`scale`={scale!r} is not a known unit; use one of {list(UNIT_SCALE)} "
                "or a positive number (the |alpha| that gets weight 1)."
            )
        return UNIT_SCALE[scale]
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0:
        raise InvalidParameterError(
            f"`scale` must be a positive finite number or a unit name {list(UNIT_SCALE)}, "
            f"got {scale!r}."
        )
    if not math.isfinite(scale):
        raise InvalidParameterError(f"`scale` must be finite, got {scale!r}.")
    return float(scale)


def check_power(power: float) -> float:
    """``power`` as a float, ``>= 0`` and finite."""
    if isinstance(power, bool) or not isinstance(power, int | float):
        raise InvalidParameterError(f"`power` must be a number, got {power!r}.")
    if not (math.isfinite(power) and power >= 0):
        raise InvalidParameterError(
            f"`power` must be a finite number >= 0, got {power!r}; a negative power would "
            "give the events with the smallest outcome the largest weight."
        )
    return float(power)


def check_clip(clip: tuple[float, float] | None) -> tuple[float, float] | None:
    """``clip`` as a ``(lo, hi)`` tuple of floats with ``0 <= lo <= hi``, or None."""
    if clip is None:
        return None
    try:
        # float("0.1") would parse text: bounds must be numbers, like the data.
        if isinstance(clip, str | bytes) or any(isinstance(c, str | bytes) for c in clip):
            raise TypeError("text")
        lo, hi = (float(c) for c in clip)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"`clip` must be a pair (lo, hi) of numbers or None, got {clip!r}."
        ) from exc
    if math.isnan(lo) or math.isnan(hi) or not 0 <= lo <= hi or math.isinf(lo):
        raise InvalidParameterError(
            f"`clip`=({lo!r}, {hi!r}) must satisfy 0 <= lo <= hi with lo finite; "
            "e.g. clip=(0.1, 10.0). Weights are never negative."
        )
    return (lo, hi)


def _alpha_power(
    alpha: Any,
    power: float,
    clip: tuple[float, float] | None,
    scale: Scale,
    *,
    name: str,
) -> npt.NDArray[np.float64]:
    values = as_float_array(alpha, name)
    power = check_power(power)
    bounds = check_clip(clip)
    unit = resolve_scale(scale)
    magnitude = np.abs(values) / unit
    if isinstance(scale, str):
        # stacklevel 4: check_units -> _alpha_power -> alpha_power_weights -> the caller.
        check_units(values, scale, f"`{name}`", stacklevel=4)
    with np.errstate(over="ignore"):
        weights = magnitude**power
    if bounds is not None:
        weights = np.clip(weights, *bounds)
    overflow = np.flatnonzero(np.isinf(weights))
    if overflow.size:
        raise NonFiniteError(
            f"weights overflow to inf for `{name}` in "
            f"{describe_rows(row_labels(alpha, overflow))}; set a finite upper clip bound."
        )
    zero = np.flatnonzero(weights == 0)
    if zero.size:
        raise ZeroWeightError(
            f"`{name}` gives weight 0 in {describe_rows(row_labels(alpha, zero))} (|alpha| is 0 "
            f"or underflows, and clip={bounds}); those rows would silently drop out of the fit. "
            "Set clip=(lo, hi) with lo > 0, e.g. (0.1, 10.0), or drop the rows explicitly."
        )
    return weights


@dataclass(frozen=True, kw_only=True)
class AlphaPowerWeighter(SampleWeighter):
    """Weighter form of :func:`alpha_power_weights`.

    Parameters
    ----------
    power : float, default 1.5
    clip : (float, float) or None, default (0.1, 10.0)
    scale : float or {"fraction", "percent", "log", "bps"}
        Required; see :func:`alpha_power_weights`.
    column : str, optional
        Column of alpha when called on a DataFrame; when called on values
        (array, Series) those are the alpha.
    normalize : {None, "mean", "sum"}, default None

    Examples
    --------
    >>> import pandas as pd
    >>> AlphaPowerWeighter(scale="percent")
    AlphaPowerWeighter(power=1.5, clip=(0.1, 10.0), scale='percent', column=None, normalize=None)
    >>> w = AlphaPowerWeighter(scale="fraction", column="alpha")
    >>> w(pd.DataFrame({"alpha": [0.01, -0.04]})).tolist()
    [1.0, 8.0]
    """

    power: float = 1.5
    clip: tuple[float, float] | None = (0.1, 10.0)
    scale: Scale
    column: str | None = None
    normalize: Normalize = None

    @classmethod
    def from_contract(
        cls,
        contract: DataContract,
        *,
        power: float = 1.5,
        clip: tuple[float, float] | None = (0.1, 10.0),
        normalize: Normalize = None,
    ) -> AlphaPowerWeighter:
        """Read alpha from the contract's ``target`` in its declared ``target_units``."""
        return cls(
            power=power,
            clip=clip,
            scale=contract.target_units,
            column=contract.target,
            normalize=normalize,
        )

    def _validate(self) -> None:
        if self.column is not None:
            check_column_name(self.column, "column")
        object.__setattr__(self, "power", check_power(self.power))
        object.__setattr__(self, "clip", check_clip(self.clip))
        resolve_scale(self.scale)

    def _raw_weights(self, data: Data) -> npt.NDArray[np.float64]:
        values = column_values(data, self.column, repr(self))
        return _alpha_power(values, self.power, self.clip, self.scale, name=self.column or "alpha")


@dataclass(frozen=True, kw_only=True)
class MagnitudeWeighter(SampleWeighter):
    """Weighter form of :func:`magnitude_weights` (linear ``|alpha|``, clipped).

    Parameters
    ----------
    clip : (float, float) or None, default (0.1, 10.0)
    scale : float or {"fraction", "percent", "log", "bps"}
        Required; see :func:`alpha_power_weights`.
    column : str, optional
        Column of alpha when called on a DataFrame.
    normalize : {None, "mean", "sum"}, default None
    """

    clip: tuple[float, float] | None = (0.1, 10.0)
    scale: Scale
    column: str | None = None
    normalize: Normalize = None

    @classmethod
    def from_contract(
        cls,
        contract: DataContract,
        *,
        clip: tuple[float, float] | None = (0.1, 10.0),
        normalize: Normalize = None,
    ) -> MagnitudeWeighter:
        """Read alpha from the contract's ``target`` in its declared ``target_units``."""
        return cls(
            clip=clip, scale=contract.target_units, column=contract.target, normalize=normalize
        )

    def _validate(self) -> None:
        if self.column is not None:
            check_column_name(self.column, "column")
        object.__setattr__(self, "clip", check_clip(self.clip))
        resolve_scale(self.scale)

    def _raw_weights(self, data: Data) -> npt.NDArray[np.float64]:
        values = column_values(data, self.column, repr(self))
        return _alpha_power(values, 1.0, self.clip, self.scale, name=self.column or "alpha")
