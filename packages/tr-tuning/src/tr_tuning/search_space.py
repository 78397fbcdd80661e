"""Search spaces: a plain dict of parameter ranges, or a callable ``trial -> params``.

A dict maps each parameter to one of

``("int", low, high)`` / ``("int", low, high, "log")``
    An integer in ``[low, high]``, uniform or log-uniform.
``("float", low, high)`` / ``("float", low, high, "log")``
    A float in ``[low, high]``, uniform or log-uniform.
``("categorical", [choice, ...])``
    One of the listed values (numbers, strings, booleans or None).
a plain value (``500``, ``"hist"``)
    Fixed: passed to every trial, never searched.

Every entry is checked once, when the optimizer is built, so a typo fails before
the first model is fit. A callable receives the :class:`optuna.trial.Trial` and
returns the parameter dict itself (for conditional spaces).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import optuna

from tr_core.errors import InvalidParameterError, TrTypeError

__all__ = [
    "DEFAULT_XGBOOST_REGRESSION_SPACE",
    "DEFAULT_XGBOOST_SPACE",
    "ParamRange",
    "SearchSpace",
    "check_search_space",
]

DEFAULT_XGBOOST_SPACE: dict[str, Any] = {
    "max_depth": ("int", 2, 8),
    "learning_rate": ("float", 0.01, 0.3, "log"),
    "min_child_weight": ("float", 0.5, 50.0, "log"),
    "subsample": ("float", 0.5, 1.0),
    "colsample_bytree": ("float", 0.4, 1.0),
    "gamma": ("float", 0.0, 2.0),
    "reg_alpha": ("float", 1e-3, 10.0, "log"),
    "reg_lambda": ("float", 1e-2, 100.0, "log"),
}
"""The XGBoost search space of :class:`~tr_tuning.XGBoostOptimizer`, and why:

- ``max_depth`` 2-8: return labels are noisy; deep trees memorize the noise, and
  interactions beyond depth 8 are rarely stable across time.
- ``learning_rate`` 0.01-0.3, log: shrinkage acts multiplicatively, so equal ratios
  matter equally; the number of rounds follows from early stopping, not from here.
- ``min_child_weight`` 0.5-50, log: the minimum hessian mass of a leaf — the main
  guard against leaves built on a handful of trades.
- ``subsample`` 0.5-1 and ``colsample_bytree`` 0.4-1: row and column subsampling
  decorrelate the trees (stochastic gradient boosting, Friedman 2002).
- ``gamma`` 0-2: minimum loss reduction to split, in the objective's units.
- ``reg_alpha`` 1e-3-10 and ``reg_lambda`` 1e-2-100, log: L1/L2 penalties on leaf
  weights (Chen & Guestrin 2016), whose effect spans orders of magnitude.

``n_estimators`` is not searched: each fold stops boosting when its validation
slice stops improving (``early_stopping_rounds``).
"""

DEFAULT_XGBOOST_REGRESSION_SPACE: dict[str, Any] = {
    k: v for k, v in DEFAULT_XGBOOST_SPACE.items() if k != "gamma"
}
"""The default space of an XGBoost *regressor*: :data:`DEFAULT_XGBOOST_SPACE` without
``gamma``. ``gamma`` is a loss reduction in the objective's units; for squared error
on returns those units are squared returns (about 1e-3 for 3 % moves), so any fixed
range either does nothing or forbids every split and leaves a constant model. It
stays at XGBoost's default 0; ``min_child_weight`` (rows per leaf, for squared
error) and the L1/L2 penalties regularize instead."""

_KINDS = ("int", "float", "categorical")


@dataclass(frozen=True)
class ParamRange:
    """One searched (or fixed) parameter of a dict search space."""

    name: str
    kind: str
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: tuple[Any, ...] = ()
    value: Any = None

    def suggest(self, trial: optuna.trial.BaseTrial) -> Any:
        """The value of this parameter for ``trial``."""
        if self.kind == "int":
            return trial.suggest_int(
                self.name, int(self.low or 0), int(self.high or 0), log=self.log
            )
        if self.kind == "float":
            return trial.suggest_float(
                self.name, float(self.low or 0), float(self.high or 0), log=self.log
            )
        if self.kind == "categorical":
            return trial.suggest_categorical(self.name, self.choices)
        return self.value

    def describe(self) -> Any:
        """A JSON-ready description (the study's record of its search space)."""
        if self.kind == "fixed":
            return {"fixed": self.value}
        if self.kind == "categorical":
            return {"categorical": list(self.choices)}
        return {self.kind: [self.low, self.high], "log": self.log}


@dataclass(frozen=True)
class SearchSpace:
    """A checked search space: parameter ranges, or a callable building the params."""

    ranges: tuple[ParamRange, ...] = ()
    func: Callable[[optuna.trial.Trial], Mapping[str, Any]] | None = None

    def suggest(self, trial: optuna.trial.Trial) -> dict[str, Any]:
        """The parameters of one trial."""
        if self.func is not None:
            params = self.func(trial)
            if not isinstance(params, Mapping):
                raise TrTypeError(
                    f"the `search_space` callable {_name(self.func)} returned "
                    f"{type(params).__name__}; it must return a dict of parameters."
                )
            return dict(params)
        return {r.name: r.suggest(trial) for r in self.ranges}

    @property
    def searched(self) -> tuple[str, ...]:
        """Names of the parameters that are searched (not fixed); empty for a callable."""
        return tuple(r.name for r in self.ranges if r.kind != "fixed")

    def describe(self) -> str:
        """Canonical JSON of the space: equal spaces give equal strings."""
        if self.func is not None:
            return json.dumps({"callable": _name(self.func)})
        return json.dumps({r.name: r.describe() for r in self.ranges}, sort_keys=True, default=str)


def check_search_space(space: Any, *, name: str = "search_space") -> SearchSpace:
    """Validate a user search space once, before any trial runs.

    Parameters
    ----------
    space : dict or callable
        See the module docstring.
    name : str, default "search_space"
        The argument's name, used in messages.

    Returns
    -------
    SearchSpace

    Raises
    ------
    InvalidParameterError
        An empty space, a space with nothing to search, an unknown kind, ``low > high``,
        a non-positive bound of a log range, a non-finite bound, an empty categorical.
    TrTypeError
        Anything that is neither a dict nor a callable; a parameter name that is not a str.

    Examples
    --------
    >>> space = check_search_space({"max_depth": ("int", 2, 8), "tree_method": "hist"})
    >>> space.searched
    ('max_depth',)
    """
    if isinstance(space, SearchSpace):
        return space
    if callable(space) and not isinstance(space, Mapping):
        return SearchSpace(func=space)
    if not isinstance(space, Mapping):
        raise TrTypeError(
            f"`{name}` must be a dict of parameter ranges, e.g. "
            '{"max_depth": ("int", 2, 8), "learning_rate": ("float", 1e-3, 0.3, "log")}, or a '
            f"callable trial -> params; got {type(space).__name__}."
        )
    if not space:
        raise InvalidParameterError(
            f"`{name}` is empty; give at least one parameter range, e.g. "
            '{"max_depth": ("int", 2, 8)}.'
        )
    ranges = tuple(_parse(key, entry, name) for key, entry in space.items())
    if all(r.kind == "fixed" for r in ranges):
        raise InvalidParameterError(
            f"`{name}` fixes every parameter ({sorted(space)}) and searches none; give at "
            'least one range such as ("int", 2, 8), or fit the model directly.'
        )
    return SearchSpace(ranges=ranges)


def _parse(key: Any, entry: Any, name: str) -> ParamRange:
    if not isinstance(key, str):
        raise TrTypeError(f"`{name}` keys must be parameter names (str), got {key!r}.")
    where = f"`{name}`[{key!r}]"
    if not isinstance(entry, tuple | list):
        return ParamRange(key, "fixed", value=entry)
    if not entry or entry[0] not in _KINDS:
        raise InvalidParameterError(
            f"{where}={tuple(entry)!r}: the first item must be the kind, one of {list(_KINDS)}, "
            'e.g. ("int", 2, 8), ("float", 1e-3, 0.3, "log") or ("categorical", ["gbtree", '
            '"dart"]); to fix a parameter, give its plain value.'
        )
    kind = str(entry[0])
    if kind == "categorical":
        if len(entry) != 2 or not isinstance(entry[1], list | tuple) or not entry[1]:
            raise InvalidParameterError(
                f'{where}={tuple(entry)!r}: a categorical is ("categorical", [choice, ...]) '
                "with at least one choice."
            )
        return ParamRange(key, kind, choices=tuple(entry[1]))
    if len(entry) not in (3, 4) or (len(entry) == 4 and entry[3] != "log"):
        raise InvalidParameterError(
            f'{where}={tuple(entry)!r}: a range is ("{kind}", low, high) or ("{kind}", low, '
            'high, "log").'
        )
    low, high = entry[1], entry[2]
    for bound, value in (("low", low), ("high", high)):
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if not numeric or not math.isfinite(value):
            raise InvalidParameterError(f"{where}: {bound}={value!r} must be a finite number.")
        if kind == "int" and value != int(value):
            raise InvalidParameterError(
                f"{where}: {bound}={value!r} must be a whole number for an int range."
            )
    if low > high:
        raise InvalidParameterError(
            f"{where}: low={low!r} > high={high!r}; swap them (the range is (kind, low, high))."
        )
    log = len(entry) == 4
    if log and low <= 0:
        raise InvalidParameterError(
            f"{where}: a log range needs low > 0, got low={low!r}; raise the lower bound "
            '(e.g. 1e-3) or drop "log".'
        )
    return ParamRange(key, kind, low=low, high=high, log=log)


def _name(func: Callable[..., Any]) -> str:
    return str(getattr(func, "__qualname__", None) or repr(func))
