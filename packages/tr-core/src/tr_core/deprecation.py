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

__all__ = ["REMOVED_IN", "renamed_argument"]

REMOVED_IN = "0.2"
"""The version in which the deprecated aliases are removed."""


def renamed_argument(
    new_name: str,
    new_value: Any,
    old_name: str,
    old_value: Any,
    *,
    owner: str,
    default: Any = None,
    stacklevel: int = 3,
) -> Any:
    """The value of an argument that may still be passed under its old name.

    Parameters
    ----------
    new_name, new_value : str, object
        The glossary spelling and what was passed under it (``default`` if nothing).
    old_name, old_value : str, object
        The deprecated spelling and what was passed under it (None if nothing).
    owner : str
        The function or class, for the message.
    default : object, default None
        The new argument's default: ``new_value is default`` means "not passed".
    stacklevel : int, default 3
        Passed to :func:`warnings.warn` so the warning points at the caller's line.

    Returns
    -------
    object
        ``old_value`` when only the old spelling was used, else ``new_value``.

    Raises
    ------
    InvalidParameterError
        Both spellings were passed.

    Warns
    -----
    FutureWarning
        The old spelling was used.
    """
    if old_value is None:
        return new_value
    if new_value is not default:
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
