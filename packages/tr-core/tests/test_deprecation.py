"""Deprecated spellings keep working until 0.2, with a FutureWarning naming the new one."""

from __future__ import annotations

import pytest

from tr_core.deprecation import NOT_GIVEN, renamed_argument
from tr_core.errors import InvalidParameterError
from tr_core.synthetic import make_insider_trades


def test_new_spelling_is_silent() -> None:
    assert renamed_argument("times", "t", "time", None, owner="f") == "t"


def test_old_spelling_warns_and_is_used() -> None:
    with pytest.warns(FutureWarning, match=r"f: `time` is deprecated .* 0\.2; use `times`"):
        assert renamed_argument("times", None, "time", "t", owner="f") == "t"


def test_both_spellings_are_refused() -> None:
    with pytest.raises(InvalidParameterError, match="pass `times` only"):
        renamed_argument("times", "a", "time", "b", owner="f")
    # NOT_GIVEN marks "not passed" for a new spelling with a non-None default.
    with pytest.warns(FutureWarning):
        assert renamed_argument("random_state", NOT_GIVEN, "seed", 7, owner="f", default=0) == 7


def test_a_new_value_equal_to_its_default_still_counts_as_given() -> None:
    # Review of issue 10: `is default` missed an explicit random_state=0 (or an interned
    # "trade_date"), so the deprecated spelling silently won. NOT_GIVEN tells them apart.
    with pytest.raises(InvalidParameterError, match="pass `random_state` only"):
        renamed_argument("random_state", 0, "seed", 3, owner="f", default=0)
    assert renamed_argument("random_state", NOT_GIVEN, "seed", None, owner="f", default=0) == 0
    with pytest.raises(InvalidParameterError, match="pass `random_state` only"):
        make_insider_trades(100, random_state=0, seed=3)


def test_an_explicit_none_under_the_old_spelling_can_count() -> None:
    with pytest.warns(FutureWarning, match="`time` is deprecated"):
        value = renamed_argument(
            "times", NOT_GIVEN, "time", None, owner="f", default="t", old_default=NOT_GIVEN
        )
    assert value is None
    assert repr(NOT_GIVEN) == "<not given>"
