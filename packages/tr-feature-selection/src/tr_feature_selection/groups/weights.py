"""Training weights of feature groups: ``sample_weight``, and the deprecated spellings.

Feature-group analysis takes the toolkit's one weight parameter, ``sample_weight``
(:mod:`tr_core.weights`): an array or Series for the rows of the frame, a column
name, or a weighter / callable ``f(train_frame) -> weights`` computed on each
group's (and fold's) complete *training* rows only. Weights only shape training;
evaluation is always unweighted.

Until 0.2 the old spellings still work, with a :class:`FutureWarning`:

* ``weight_calculator`` is ``sample_weight`` under another name, with its old
  calling convention kept. A callable whose first parameter is named ``data``
  (every :class:`tr_sample_weighting.SampleWeighter`) is a weighter of frames. Any
  other callable is a **function of the target**, e.g.
  :func:`tr_sample_weighting.calculate_alpha_squared_weights`: it is called with
  the training target Series, and with ``scale=target_units`` only when it
  *requires* a ``scale`` it was not given — a ``scale`` bound with
  :func:`functools.partial`, or defaulted in its signature, is the caller's choice
  and is never replaced.
* ``use_weighted`` carries no information (weights are used exactly when they are
  given); it is accepted, warned about, and checked only for contradicting the
  weights (``True`` without weights, ``False`` with them).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from tr_core.deprecation import REMOVED_IN, renamed_argument
from tr_core.errors import InvalidParameterError
from tr_core.weights import TrainingWeights, resolve_sample_weight

__all__ = [
    "TargetFunctionWeights",
    "WeightCalculator",
    "calculator_kind",
    "resolve_group_weights",
]

WeightCalculator = Callable[..., Any]
"""A weighter ``weighter(data)`` or a function of the target ``f(target, [scale=...])``
(the deprecated ``weight_calculator``); returns one weight per row."""


def calculator_kind(
    weight_calculator: WeightCalculator,
) -> Literal["frame", "target", "target_scaled"]:
    """How the deprecated ``weight_calculator`` is called.

    Parameters
    ----------
    weight_calculator : callable

    Returns
    -------
    {"frame", "target", "target_scaled"}
        ``"frame"`` when the first parameter is named ``data``; ``"target_scaled"``
        for a function of the target that *requires* a ``scale`` still unbound (no
        default, not bound by :func:`functools.partial`); ``"target"`` otherwise.

    Examples
    --------
    >>> from functools import partial
    >>> def f(alpha, *, scale): ...
    >>> calculator_kind(f), calculator_kind(partial(f, scale=0.05))
    ('target_scaled', 'target')
    """
    try:
        signature = inspect.signature(weight_calculator)
    except (TypeError, ValueError):
        return "target"
    params = list(signature.parameters.values())
    if params and params[0].name == "data":
        return "frame"
    scale = signature.parameters.get("scale")
    named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    if scale is not None and scale.kind in named and scale.default is inspect.Parameter.empty:
        return "target_scaled"
    return "target"


@dataclass(frozen=True)
class TargetFunctionWeights:
    """A function of the target turned into a weighter of frames (deprecated convention).

    Picklable when ``func`` is, so it travels to joblib workers and Dask clusters.

    Attributes
    ----------
    func : callable
        ``func(target)`` or ``func(target, scale=...)``.
    target : str
        Target column of the frames it is called on.
    scale : str or None
        Passed as ``scale`` when not None (only when ``func`` requires it).
    """

    func: Callable[..., Any]
    target: str
    scale: str | None

    def __call__(self, data: pd.DataFrame) -> Any:
        """Weights of ``data``'s rows from its target column."""
        target = data[self.target].copy()
        if self.scale is None:
            return self.func(target)
        return self.func(target, scale=self.scale)

    def to_dict(self) -> dict[str, Any]:
        """Description for experiment records."""
        name = getattr(self.func, "__qualname__", None) or repr(self.func)
        return {"function_of_target": name, "target": self.target, "scale": self.scale}


def resolve_group_weights(
    frame: pd.DataFrame,
    *,
    sample_weight: Any,
    weight_calculator: Any,
    use_weighted: Any,
    target: str,
    target_units: str,
    owner: str,
) -> TrainingWeights:
    """Resolve the weight arguments of a feature-group call once, against ``frame``.

    Parameters
    ----------
    frame : DataFrame
        The rows the weights belong to (the training frame, or the frame that is
        split into folds).
    sample_weight : array-like, Series, str, callable or None
        The one weight parameter (see :mod:`tr_core.weights`).
    weight_calculator : callable or None
        Deprecated spelling of ``sample_weight`` (see the module docstring).
    use_weighted : bool or None
        Deprecated; None when not given.
    target : str
        Target column (for functions of the target).
    target_units : str
        Units of the target, passed as ``scale`` to functions of the target that require it.
    owner : str
        The method, for messages.

    Returns
    -------
    TrainingWeights

    Raises
    ------
    InvalidParameterError
        Both ``sample_weight`` and ``weight_calculator``; a ``use_weighted`` that is
        not a bool or contradicts the weights; a ``weight_calculator`` that is not
        callable.

    Warns
    -----
    FutureWarning
        ``weight_calculator`` or ``use_weighted`` was passed.
    """
    name = "sample_weight"
    if weight_calculator is not None:
        if not callable(weight_calculator):
            raise InvalidParameterError(
                f"`weight_calculator` must be callable, got {type(weight_calculator).__name__}; "
                "pass fixed weights as `sample_weight` instead."
            )
        # stacklevel 4: renamed_argument <- here <- the analyzer's method <- the caller's line.
        weight_calculator = renamed_argument(
            "sample_weight", sample_weight, "weight_calculator", weight_calculator,
            owner=owner, stacklevel=4,
        )  # fmt: skip
        kind = calculator_kind(weight_calculator)
        sample_weight = (
            weight_calculator
            if kind == "frame"
            else TargetFunctionWeights(
                weight_calculator, target, target_units if kind == "target_scaled" else None
            )
        )
        name = "weight_calculator"
    if use_weighted is not None:
        _check_use_weighted(use_weighted, given=sample_weight is not None, owner=owner)
    return resolve_sample_weight(sample_weight, frame, name=name)


def _check_use_weighted(use_weighted: Any, *, given: bool, owner: str) -> None:
    """Warn that ``use_weighted`` is deprecated; refuse it when it contradicts the weights."""
    if not isinstance(use_weighted, bool):
        raise InvalidParameterError(f"`use_weighted` must be True or False, got {use_weighted!r}.")
    if use_weighted and not given:
        raise InvalidParameterError(
            "`use_weighted`=True but no weights were given; pass `sample_weight` (e.g. "
            "tr_sample_weighting.AlphaPowerWeighter(column='alpha', scale='fraction'))."
        )
    if not use_weighted and given:
        raise InvalidParameterError(
            "`use_weighted`=False contradicts the weights that were given; weights are used "
            "exactly when `sample_weight` is given — drop `use_weighted`."
        )
    warnings.warn(
        f"{owner}: `use_weighted` is deprecated and will be removed in {REMOVED_IN}; it "
        "carries no information — weights are used exactly when `sample_weight` is given.",
        FutureWarning,
        stacklevel=4,
    )
