"""Search spaces: dict entries parsed and checked once, a callable used as given."""

from __future__ import annotations

import json
import math

import optuna
import pytest

from tr_core.errors import InvalidParameterError, TrTypeError
from tr_tuning import DEFAULT_XGBOOST_SPACE, SearchSpace, check_search_space


def _fixed_trial(params: dict[str, object]) -> optuna.trial.FixedTrial:
    return optuna.trial.FixedTrial(params)


def test_dict_entries_parse_to_their_kinds() -> None:
    space = check_search_space(
        {
            "max_depth": ("int", 2, 8),
            "n_leaves": ("int", 4, 64, "log"),
            "subsample": ("float", 0.5, 1.0),
            "learning_rate": ("float", 1e-3, 0.3, "log"),
            "booster": ("categorical", ["gbtree", "dart"]),
            "tree_method": "hist",
            "n_estimators": 500,
        }
    )
    kinds = {r.name: (r.kind, r.log) for r in space.ranges}
    assert kinds == {
        "max_depth": ("int", False),
        "n_leaves": ("int", True),
        "subsample": ("float", False),
        "learning_rate": ("float", True),
        "booster": ("categorical", False),
        "tree_method": ("fixed", False),
        "n_estimators": ("fixed", False),
    }
    assert space.searched == ("max_depth", "n_leaves", "subsample", "learning_rate", "booster")
    params = space.suggest(
        _fixed_trial(
            {
                "max_depth": 3,
                "n_leaves": 16,
                "subsample": 0.7,
                "learning_rate": 0.01,
                "booster": "dart",
            }
        )
    )
    assert params == {
        "max_depth": 3,
        "n_leaves": 16,
        "subsample": 0.7,
        "learning_rate": 0.01,
        "booster": "dart",
        "tree_method": "hist",
        "n_estimators": 500,
    }


def test_suggested_values_stay_inside_the_ranges() -> None:
    space = check_search_space(
        {"d": ("int", 2, 4), "lr": ("float", 1e-3, 1e-1, "log"), "c": ("categorical", [1, 2])}
    )
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    for _ in range(30):
        trial = study.ask()
        p = space.suggest(trial)
        assert 2 <= p["d"] <= 4
        assert isinstance(p["d"], int)
        assert 1e-3 <= p["lr"] <= 1e-1
        assert p["c"] in (1, 2)
        study.tell(trial, 0.0)


def test_describe_is_canonical_json() -> None:
    a = check_search_space({"b": ("float", 0.0, 1.0), "a": ("int", 1, 3), "x": "hist"})
    b = check_search_space({"x": "hist", "a": ("int", 1, 3), "b": ("float", 0.0, 1.0)})
    assert a.describe() == b.describe()
    assert json.loads(a.describe()) == {
        "a": {"int": [1, 3], "log": False},
        "b": {"float": [0.0, 1.0], "log": False},
        "x": {"fixed": "hist"},
    }
    c = check_search_space({"b": ("float", 0.0, 2.0), "a": ("int", 1, 3), "x": "hist"})
    assert c.describe() != a.describe()


def test_default_xgboost_space_is_valid_and_searches_everything() -> None:
    space = check_search_space(DEFAULT_XGBOOST_SPACE)
    assert set(space.searched) == set(DEFAULT_XGBOOST_SPACE)
    assert "n_estimators" not in space.searched  # decided by early stopping
    logs = {r.name for r in space.ranges if r.log}
    assert logs == {"learning_rate", "min_child_weight", "reg_alpha", "reg_lambda"}


def test_a_callable_space_builds_the_params_itself() -> None:
    def conditional(trial: optuna.trial.BaseTrial) -> dict[str, object]:
        booster = trial.suggest_categorical("booster", ["gbtree", "dart"])
        params: dict[str, object] = {"booster": booster}
        if booster == "dart":
            params["rate_drop"] = trial.suggest_float("rate_drop", 0.0, 0.5)
        return params

    space = check_search_space(conditional)
    assert space.searched == ()
    assert json.loads(space.describe()) == {"callable": conditional.__qualname__}
    got = space.suggest(_fixed_trial({"booster": "dart", "rate_drop": 0.2}))
    assert got == {"booster": "dart", "rate_drop": 0.2}
    assert check_search_space(space) is space


def test_a_callable_returning_no_dict_is_refused_naming_it() -> None:
    def bad(trial: optuna.trial.BaseTrial) -> list[int]:
        return [1, 2]

    space = check_search_space(bad)
    with pytest.raises(TrTypeError, match=r"bad.*returned list.*dict of parameters"):
        space.suggest(_fixed_trial({}))


@pytest.mark.parametrize(
    ("space", "match"),
    [
        ({}, r"`search_space` is empty"),
        ({"max_depth": ("int", 8, 2)}, r"\['max_depth'\].*low=8 > high=2.*swap"),
        ({"lr": ("float", 0.3, 0.001)}, r"\['lr'\].*low=0.3 > high=0.001"),
        ({"max_depth": ("integer", 2, 8)}, r"\['max_depth'\].*kind, one of \['int', 'float'"),
        ({"max_depth": ()}, r"\['max_depth'\].*first item must be the kind"),
        ({"lr": ("float", 0.0, 0.3, "log")}, r"\['lr'\].*log range needs low > 0.*low=0.0"),
        ({"n": ("int", -1, 5, "log")}, r"\['n'\].*log range needs low > 0"),
        ({"lr": ("float", 0.0, math.inf)}, r"\['lr'\].*high=inf must be a finite number"),
        ({"lr": ("float", math.nan, 1.0)}, r"\['lr'\].*low=nan must be a finite number"),
        ({"lr": ("float", "0.1", 1.0)}, r"\['lr'\].*low='0.1' must be a finite number"),
        ({"d": ("int", 2.5, 8)}, r"\['d'\].*whole number"),
        ({"lr": ("float", 0.1, 1.0, "ln")}, r"\['lr'\].*\(\"float\", low, high, \"log\"\)"),
        ({"lr": ("float", 0.1)}, r"\['lr'\].*a range is"),
        ({"b": ("categorical", [])}, r"\['b'\].*at least one choice"),
        ({"b": ("categorical", "gbtree")}, r"\['b'\].*categorical"),
        ({"tree_method": "hist", "n_estimators": 500}, r"fixes every parameter.*searches none"),
    ],
)
def test_bad_entries_are_refused_naming_the_entry(space: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        check_search_space(space)


def test_non_dict_and_non_str_keys_are_type_errors() -> None:
    with pytest.raises(TrTypeError, match=r"`search_space` must be a dict.*got int"):
        check_search_space(3)
    with pytest.raises(TrTypeError, match=r"keys must be parameter names.*got 1"):
        check_search_space({1: ("int", 1, 2)})


def test_name_is_used_in_messages() -> None:
    with pytest.raises(InvalidParameterError, match=r"`space`\['d'\]"):
        check_search_space({"d": ("int", 3, 1)}, name="space")


def test_a_search_space_instance_passes_through() -> None:
    space = SearchSpace(ranges=check_search_space({"d": ("int", 1, 2)}).ranges)
    assert check_search_space(space) is space
