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

from typing import Any, Literal, cast

from tr_core.nan import check_nan_policy as check_policy

__all__ = ["NanPolicy", "check_nan_policy"]

NanPolicy = Literal["drop_per_group", "native"]

_POLICIES: tuple[NanPolicy, ...] = ("drop_per_group", "native")


def check_nan_policy(nan_policy: Any) -> NanPolicy:
    """Validate ``nan_policy``; refuse every kind of constant fill with the reason.

    The check (and the reason a fill is refused) is :func:`tr_core.nan.check_nan_policy`,
    shared with every package that takes a missing-value policy.

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
    return cast(NanPolicy, check_policy(nan_policy, _POLICIES))
