"""Training weights for a feature group: the ``weight_calculator`` protocol and its checks.

A ``weight_calculator`` is called once per group (and fold) on that group's
complete training rows, in one of two forms, told apart by a documented rule:

* **a weighter of frames** — a callable whose first parameter is named ``data``,
  as every :class:`tr_sample_weighting.SampleWeighter` is (``weighter(data)``).
  It is called with the group's training frame (all columns, complete rows).
* **a function of the target** — anything else, e.g.
  :func:`tr_sample_weighting.calculate_alpha_squared_weights`. It is called with
  the training target Series, and with ``scale=target_units`` when it accepts a
  ``scale`` parameter (alpha's units, which that function requires).

Weights only shape training; evaluation is always unweighted.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InvalidParameterError
from tr_core.validation import as_weight_array, check_same_length
from tr_feature_selection._alignment import check_aligned

__all__ = ["WeightCalculator", "calculator_kind", "check_weighting", "group_weights"]

WeightCalculator = Callable[..., Any]
"""``calculator(target, [scale=...])`` or ``weighter(data)``; returns one weight per row."""


def check_weighting(use_weighted: bool, weight_calculator: Any) -> None:
    """Refuse the ambiguous combinations of ``use_weighted`` and ``weight_calculator``.

    Raises
    ------
    InvalidParameterError
        ``use_weighted=True`` without a calculator, a calculator with
        ``use_weighted=False``, or a calculator that is not callable.
    """
    if not isinstance(use_weighted, bool):
        raise InvalidParameterError(f"`use_weighted` must be True or False, got {use_weighted!r}.")
    if use_weighted and weight_calculator is None:
        raise InvalidParameterError(
            "`use_weighted=True` needs a `weight_calculator`, e.g. "
            "tr_sample_weighting.calculate_alpha_squared_weights."
        )
    if not use_weighted and weight_calculator is not None:
        raise InvalidParameterError(
            "a `weight_calculator` was given with `use_weighted=False`; it is unclear whether "
            "you want weights — pass use_weighted=True, or drop the weight_calculator."
        )
    if weight_calculator is not None and not callable(weight_calculator):
        raise InvalidParameterError(
            f"`weight_calculator` must be callable, got {type(weight_calculator).__name__}."
        )


def calculator_kind(weight_calculator: WeightCalculator) -> str:
    """``"frame"`` when the first parameter is named ``data``, else ``"target"``.

    Parameters
    ----------
    weight_calculator : callable

    Returns
    -------
    {"frame", "target", "target_scaled"}
        ``"target_scaled"`` is a function of the target that accepts ``scale``.
    """
    try:
        params = list(inspect.signature(weight_calculator).parameters.values())
    except (TypeError, ValueError):
        return "target"
    if params and params[0].name == "data":
        return "frame"
    if any(p.name == "scale" for p in params):
        return "target_scaled"
    return "target"


def group_weights(
    weight_calculator: WeightCalculator,
    frame: pd.DataFrame,
    target: str,
    target_units: str,
    group: str,
) -> npt.NDArray[np.float64]:
    """The checked training weights of one group's complete training rows.

    Parameters
    ----------
    weight_calculator : callable
        See the module docstring for how it is called.
    frame : DataFrame
        The group's complete training rows (a copy the caller may not see).
    target : str
        Target column.
    target_units : str
        Units of the target, passed as ``scale``.
    group : str
        Group name, for messages.

    Returns
    -------
    ndarray of float
        One finite, non-negative weight per row, not all zero.

    Raises
    ------
    LengthMismatchError, NonFiniteError, InvalidParameterError, ZeroWeightError
        Wrong length, NaN/inf, negative or all-zero weights, or a Series of
        weights indexed unlike the training rows, naming the group.
    """
    kind = calculator_kind(weight_calculator)
    if kind == "frame":
        raw = weight_calculator(frame.copy())
    elif kind == "target_scaled":
        raw = weight_calculator(frame[target].copy(), scale=target_units)
    else:
        raw = weight_calculator(frame[target].copy())
    where = f"weights of feature group {group!r}"
    raw = check_aligned(raw, frame.index, where)
    values = np.asarray(raw).reshape(-1) if np.ndim(raw) > 1 else raw
    check_same_length(**{"training rows": frame, where: values})
    weights = as_weight_array(values, where, source=frame)
    return weights
