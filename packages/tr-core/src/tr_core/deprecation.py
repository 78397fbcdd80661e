"""Old spellings of arguments, kept as deprecated aliases until 0.2.

The glossary (``docs/architecture.md``) gives each concept one spelling across
the packages. An old spelling still works until version 0.2 and warns with a
:class:`FutureWarning` (shown to users by default, unlike ``DeprecationWarning``)
that names the new spelling; passing both is refused.
"""

from __future__ import annotations

import warnings
from typing import Any

from tr_core.errors import InvalidParameterError

__all__ = ["NOT_GIVEN", "REMOVED_IN", "renamed_argument"]

REMOVED_IN = "0.2"
"""The version in which the deprecated aliases are removed."""


class _NotGiven:
    """Marks an argument the caller did not pass (where None or a default means something)."""

    def __repr__(self) -> str:
        return "<not given>"


NOT_GIVEN: Any = _NotGiven()
"""Signature default of an argument whose "not passed" must be told apart from any value."""


def renamed_argument(
    new_name: str,
    new_value: Any,
    old_name: str,
    old_value: Any,
    *,
    owner: str,
    default: Any = None,
    old_default: Any = None,
    stacklevel: int = 3,
) -> Any:
    """The value of an argument that may still be passed under its old name.

    Parameters
    ----------
    new_name, new_value : str, object
        The glossary spelling and what was passed under it: :data:`NOT_GIVEN` (or
        None when ``default`` is None) means it was not passed.
    old_name, old_value : str, object
        The deprecated spelling and what was passed under it.
    owner : str
        The function or class, for the message.
    default : object, default None
        The new argument's real default, returned when neither spelling was passed. A
        signature whose default is not None declares ``NOT_GIVEN`` and passes the real
        default here, so that an explicit value equal to the default still counts as given.
    old_default : object, default None
        The old argument's signature default: ``old_value is old_default`` means "not
        passed". Declare ``NOT_GIVEN`` when an explicit None must count (it meant
        something under the old spelling).
    stacklevel : int, default 3
        Passed to :func:`warnings.warn` so the warning points at the caller's line.

    Returns
    -------
    object
        ``old_value`` when only the old spelling was used, else ``new_value`` (or
        ``default`` when nothing was passed).

    Raises
    ------
    InvalidParameterError
        Both spellings were passed.

    Warns
    -----
    FutureWarning
        The old spelling was used.
    """
    new_given = new_value is not NOT_GIVEN and not (default is None and new_value is None)
    if old_value is old_default:
        return new_value if new_value is not NOT_GIVEN else default
    if new_given:
        raise InvalidParameterError(
            f"{owner}: pass `{new_name}` only; `{old_name}` is its deprecated old spelling "
            "and both were given."
        )
    warnings.warn(
        f"{owner}: `{old_name}` is deprecated and will be removed in {REMOVED_IN}; "
        f"use `{new_name}` (same meaning).",
        FutureWarning,
        stacklevel=stacklevel,
    )
    return old_value
