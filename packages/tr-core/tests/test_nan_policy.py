"""The one missing-value policy check (fills refused with the reason) and NaN-routing models."""

from __future__ import annotations

import numpy as np
import pytest

from tr_core.errors import InvalidParameterError, TrTypeError
from tr_core.nan import check_nan_policy, takes_nan

GROUPS = ("drop_per_group", "native")

FILLS = [
    "zero",
    "Zero",
    0,
    0.0,
    -1,
    np.float64(0.0),
    np.int64(0),
    "mean",
    "median",
    "ffill",
    "bfill",
    "fillna",
    "constant",
    "impute",
    "interpolate",
    "pad",
    "most-frequent mode",
    "-1",
    "0.0",
]


@pytest.mark.parametrize("fill", FILLS)
def test_every_fill_spelling_is_refused_with_the_reason(fill: object) -> None:
    with pytest.raises(InvalidParameterError) as err:
        check_nan_policy(fill, GROUPS)
    message = str(err.value)
    assert message.startswith(f"`nan_policy`={fill!r}: ")
    assert "zero (or a mean, a median, a carried-forward value) is a real value" in message
    assert "not 'missing'" in message
    # The fix lists exactly the policies the caller offers, with what each does.
    assert "Pass `nan_policy` as one of: 'drop_per_group' (each group keeps" in message
    assert "'native' (the model routes NaN itself" in message


def test_the_refusal_names_the_callers_argument_and_policies() -> None:
    with pytest.raises(InvalidParameterError) as err:
        check_nan_policy("zero", ("native", "drop_rows", "skip"), name="missing")
    message = str(err.value)
    assert message.startswith("`missing`='zero': ")
    assert "Pass `missing` as one of: 'native' (" in message
    assert "'drop_rows' (rows with a missing feature are left out" in message
    # A policy the module has no description for is listed by name alone.
    assert "; 'skip'. If you must impute, do it yourself" in message
    assert "nan_policy" not in message


@pytest.mark.parametrize("policy", GROUPS)
def test_allowed_policies_pass_unchanged(policy: str) -> None:
    assert check_nan_policy(policy, GROUPS) == policy
    assert check_nan_policy(policy, list(GROUPS), name="x") == policy


def test_a_policy_is_allowed_only_where_the_caller_offers_it() -> None:
    assert check_nan_policy("native", ("native",)) == "native"
    with pytest.raises(InvalidParameterError, match=r"must be one of \['native'\], got 'drop_"):
        check_nan_policy("drop_per_group", ("native",))


@pytest.mark.parametrize("unknown", ["drop", "Native", None, True, np.bool_(False), ["native"]])
def test_unknown_policies_list_the_allowed_ones(unknown: object) -> None:
    with pytest.raises(InvalidParameterError) as err:
        check_nan_policy(unknown, GROUPS, name="nan")
    assert str(err.value) == (
        f"`nan` must be one of ['drop_per_group', 'native'], got {unknown!r}."
    )


@pytest.mark.parametrize("allowed", ["native", ()])
def test_allowed_must_be_a_sequence_of_names(allowed: object) -> None:
    with pytest.raises(TrTypeError, match="`allowed` must be a non-empty sequence"):
        check_nan_policy("native", allowed)  # type: ignore[arg-type]


def _named(name: str, module: str, *bases: type) -> type:
    """A stand-in class as the library defines it: its name and its defining module."""
    return type(name, bases or (object,), {"__module__": module})


XGBModel = _named("XGBModel", "xgboost.sklearn")
XGBClassifier = _named("XGBClassifier", "xgboost.sklearn", XGBModel)
HistGBC = _named("HistGradientBoostingClassifier", "sklearn.ensemble._hist_gradient_boosting")
HistGBR = _named("HistGradientBoostingRegressor", "sklearn.ensemble._hist_gradient_boosting")
LGBMModel = _named("LGBMModel", "lightgbm.sklearn")
LGBMClassifier = _named("LGBMClassifier", "lightgbm.sklearn", LGBMModel)


@pytest.mark.parametrize(
    "cls", [XGBModel, XGBClassifier, HistGBC, HistGBR, LGBMModel, LGBMClassifier]
)
def test_nan_routing_models_by_name_and_module(cls: type) -> None:
    assert takes_nan(cls())


def test_a_subclass_in_the_users_module_inherits_the_routing() -> None:
    mine = _named("MyBooster", "research.models", XGBClassifier)
    assert takes_nan(mine())
    assert takes_nan(_named("Tuned", "__main__", LGBMClassifier)())


@pytest.mark.parametrize(
    "cls",
    [
        # The right name in another library is not the model.
        _named("XGBModel", "xgboost_clone"),
        _named("LGBMModel", "elsewhere.lightgbm"),
        _named("HistGradientBoostingClassifier", "mylib"),
        # The right library, another model.
        _named("LogisticRegression", "sklearn.linear_model"),
        _named("GradientBoostingClassifier", "sklearn.ensemble"),
        # A pipeline around a booster: its other steps may not take NaN.
        _named("Pipeline", "sklearn.pipeline"),
        # A class bound to one of the names, but only by an attribute, not by inheritance.
        type("Wrapper", (), {"__module__": "mine", "model": XGBModel()}),
    ],
)
def test_other_models_do_not_take_nan(cls: type) -> None:
    assert not takes_nan(cls())


def test_a_class_or_nothing_is_not_a_model() -> None:
    # The rule reads an instance's type; a class itself (or None) is no model that takes NaN.
    assert not takes_nan(XGBModel)
    assert not takes_nan(None)


def test_check_does_not_import_the_libraries() -> None:
    import sys

    before = {m for m in ("xgboost", "sklearn", "lightgbm") if m in sys.modules}
    takes_nan(object())
    takes_nan(XGBClassifier())
    after = {m for m in ("xgboost", "sklearn", "lightgbm") if m in sys.modules}
    assert after == before
