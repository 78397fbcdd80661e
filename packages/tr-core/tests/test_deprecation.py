"""Deprecated spellings keep working until 0.2, with a FutureWarning naming the new one."""

from __future__ import annotations

import pytest

from tr_core.deprecation import renamed_argument
from tr_core.errors import InvalidParameterError


def test_new_spelling_is_silent() -> None:
    assert renamed_argument("times", "t", "time", None, owner="f") == "t"


def test_old_spelling_warns_and_is_used() -> None:
    with pytest.warns(FutureWarning, match=r"f: `time` is deprecated .* 0\.2; use `times`"):
        assert renamed_argument("times", None, "time", "t", owner="f") == "t"


def test_both_spellings_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match="pass `times` only"):
        renamed_argument("times", "a", "time", "b", owner="f")
    # A non-None default marks "not passed" for the new spelling.
    with pytest.warns(FutureWarning):
        assert renamed_argument("random_state", 0, "seed", 7, owner="f", default=0) == 7
