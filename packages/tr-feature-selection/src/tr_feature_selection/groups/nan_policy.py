"""Which missing-value policies feature-group analysis accepts, and why filling is refused.

Only two policies exist:

``"drop_per_group"`` (default)
    Each group keeps the rows on which *its* columns (and the target) are present,
    on train and test separately (:func:`tr_core.nan.complete_rows`), and the
    result reports how many rows each group lost.
``"native"``
    Rows keep their NaN and the model routes them itself — XGBoost learns a
    default direction for missing values at every split. Only models that
    accept NaN can be used this way.

Any constant fill (``"zero"``, ``0``, ``"mean"``, ``"median"``, ``"ffill"``, a
number, ...) is refused: zero is a real value, not "missing", and when
missingness is not at random a fill plants a value that the model learns as
signal. Imputation, when a user really wants it, is an explicit step of their own.
"""

from __future__ import annotations

from typing import Any, Literal

from tr_core.errors import InvalidParameterError

__all__ = ["NanPolicy", "check_nan_policy"]

NanPolicy = Literal["drop_per_group", "native"]

_POLICIES: tuple[NanPolicy, ...] = ("drop_per_group", "native")

_WHY_NOT_FILL = (
    "Filling missing features with a constant is refused: zero (or a mean, a median, a "
    "carried-forward value) is a real value, not 'missing'. When missingness is not at "
    "random — illiquid names lack a whole feature group, first-time filers have no trading "
    "history — the fill plants a fake value on exactly those rows, and the model learns the "
    "fake value as signal; in the insider-trading research fillna(0) cost a third of the "
    "top-bucket return. Use nan_policy='drop_per_group' (each group keeps its own complete "
    "rows and the result reports how many it lost) or 'native' (XGBoost routes NaN itself). "
    "If you must impute, do it yourself as an explicit, documented step before the analysis."
)


def check_nan_policy(nan_policy: Any) -> NanPolicy:
    """Validate ``nan_policy``; refuse every kind of constant fill with the reason.

    Parameters
    ----------
    nan_policy : {"drop_per_group", "native"}
        The policy asked for.

    Returns
    -------
    str
        The policy, unchanged.

    Raises
    ------
    InvalidParameterError
        For a fill (``"zero"``, ``0``, ``"mean"``, any number, ...), explaining why
        zero is not neutral; for anything else unknown, listing the two policies.

    Examples
    --------
    >>> check_nan_policy("native")
    'native'
    """
    if isinstance(nan_policy, str) and nan_policy in _POLICIES:
        return nan_policy
    if _looks_like_fill(nan_policy):
        raise InvalidParameterError(f"`nan_policy`={nan_policy!r}: {_WHY_NOT_FILL}")
    raise InvalidParameterError(
        f"`nan_policy` must be one of {list(_POLICIES)}, got {nan_policy!r}."
    )


def _looks_like_fill(value: Any) -> bool:
    """A number, or a name that asks for a value to be written into the gaps."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    if not isinstance(value, str):
        return False
    name = value.strip().lower().replace("-", "_").replace(" ", "_")
    fills = ("zero", "fill", "mean", "median", "mode", "constant", "impute", "pad", "interp")
    if any(word in name for word in fills):
        return True
    try:
        float(value)
    except ValueError:
        return False
    return True
