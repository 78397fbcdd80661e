"""xgboost_importance: tree statistics and TreeSHAP against hand-worked values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb
from sklearn.linear_model import LinearRegression

from tr_core.errors import (
    EmptyDataError,
    FeatureTypeError,
    InvalidParameterError,
    MissingColumnError,
    NonFiniteError,
    TrTypeError,
)
from tr_feature_selection.importance import IMPORTANCE_KINDS, xgboost_importance


@pytest.fixture(scope="module")
def stump() -> tuple[xgb.XGBRegressor, pd.DataFrame]:
    """One split on `a`: 3 rows with y=1 (a=0), 5 rows with y=3 (a=1); `b` is constant.

    With base_score 0, lambda 0 and learning rate 1 the leaves are the leaf means
    (1 and 3), the split's gain is G_L^2/H_L + G_R^2/H_R - G^2/H = 9/3 + 225/5 - 324/8
    = 7.5, and the cover is 8 rows.
    """
    X = pd.DataFrame({"a": [0.0, 0, 0, 1, 1, 1, 1, 1], "b": [2.0] * 8})
    y = np.where(X["a"] > 0, 3.0, 1.0)
    model = xgb.XGBRegressor(
        n_estimators=1,
        max_depth=1,
        learning_rate=1.0,
        reg_lambda=0.0,
        min_child_weight=0.0,
        base_score=0.0,
        n_jobs=1,
    )
    return model.fit(X, y), X


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("gain", 7.5), ("total_gain", 7.5), ("weight", 1.0), ("cover", 8.0), ("total_cover", 8.0)],
)
def test_tree_statistics_of_a_stump(stump, kind, expected) -> None:
    model, _ = stump
    imp = xgboost_importance(model, kind)
    assert imp.name == f"{kind}_importance"
    assert imp.index.tolist() == ["a", "b"]
    assert imp["a"] == pytest.approx(expected)
    assert imp["b"] == 0.0  # never split on: 0.0, not missing


def test_shap_of_a_stump_in_closed_form(stump) -> None:
    # TreeSHAP of one split: phi_a(x) = leaf(x) - E[leaf], E by cover = (3*1 + 5*3)/8 = 2.25,
    # so phi_a = -1.25 on the 3 rows with a=0 and +0.75 on the 5 with a=1;
    # mean |phi_a| = (3*1.25 + 5*0.75)/8 = 0.9375.
    model, X = stump
    imp = xgboost_importance(model, "shap", X=X)
    assert imp.name == "shap_importance"
    assert imp["a"] == pytest.approx(0.9375)
    assert imp["b"] == 0.0
    only_ones = X[X["a"] == 1]
    assert xgboost_importance(model, "shap", X=only_ones)["a"] == pytest.approx(0.75)


def test_contributions_plus_bias_are_the_margin(stump) -> None:
    model, X = stump
    contribs = model.get_booster().predict(xgb.DMatrix(X), pred_contribs=True)
    assert contribs[:, -1] == pytest.approx(np.full(8, 2.25))
    assert contribs.sum(axis=1) == pytest.approx(model.predict(X, output_margin=True))


def test_shap_of_a_one_feature_forest_is_distance_to_the_training_mean() -> None:
    # Only `a` is used (b is constant), so phi_a(x) = f(x) - E[f], and with squared
    # error each tree's cover-weighted expectation is its mean over the training rows:
    # mean |phi_a| over X_eval = mean |f(X_eval) - mean f(X_train)|.
    rng = np.random.default_rng(3)
    train = pd.DataFrame({"a": rng.normal(size=400), "b": np.ones(400)})
    y = np.sin(2 * train["a"]) + rng.normal(scale=0.3, size=400)
    model = xgb.XGBRegressor(n_estimators=20, max_depth=3, n_jobs=1).fit(train, y)
    evaluation = pd.DataFrame({"a": rng.normal(size=150), "b": np.ones(150)})
    expected = np.abs(model.predict(evaluation) - model.predict(train).mean()).mean()
    imp = xgboost_importance(model, "shap", X=evaluation)
    assert imp["a"] == pytest.approx(expected, rel=1e-4)
    assert imp["b"] == 0.0


def test_every_trained_feature_is_listed_sorted_descending() -> None:
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(300, 4)), columns=["w", "x", "y", "z"])
    X["unused"] = 0.0
    target = 2 * X["x"] + X["z"] + 0.1 * rng.normal(size=300)
    model = xgb.XGBRegressor(n_estimators=15, max_depth=2, n_jobs=1).fit(X, target)
    for kind in IMPORTANCE_KINDS:
        imp = xgboost_importance(model, kind, X=X if kind == "shap" else None)
        assert sorted(imp.index) == sorted(X.columns)
        assert imp.is_monotonic_decreasing
        assert imp["unused"] == 0.0
        assert imp.index[0] == "x"


def test_split_counts_match_the_trees() -> None:
    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.normal(size=(200, 3)), columns=["p", "q", "r"])
    model = xgb.XGBClassifier(n_estimators=8, max_depth=2, n_jobs=1)
    model.fit(X, (X["p"] + X["q"] > 0).astype(int))
    trees = model.get_booster().trees_to_dataframe()
    counts = trees.loc[trees["Feature"] != "Leaf", "Feature"].value_counts()
    weight = xgboost_importance(model, "weight")
    assert weight.to_dict() == {f: float(counts.get(f, 0)) for f in weight.index}


def test_columns_of_x_may_come_in_any_order(stump) -> None:
    model, X = stump
    pd.testing.assert_series_equal(
        xgboost_importance(model, "shap", X=X[["b", "a"]]), xgboost_importance(model, "shap", X=X)
    )


def test_booster_and_unnamed_features() -> None:
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 3))
    y = (X[:, 2] > 0).astype(int)
    model = xgb.XGBClassifier(n_estimators=5, max_depth=2, n_jobs=1).fit(X, y)
    imp = xgboost_importance(model.get_booster(), "total_gain")
    assert sorted(imp.index) == ["f0", "f1", "f2"]
    assert imp.index[0] == "f2"
    shap = xgboost_importance(model, "shap", X=X)
    assert shap.index[0] == "f2"
    with pytest.raises(InvalidParameterError, match="3 unnamed columns"):
        xgboost_importance(model, "shap", X=X[:, :2])


def test_multiclass_shap_averages_over_classes() -> None:
    rng = np.random.default_rng(4)
    X = pd.DataFrame(rng.normal(size=(300, 2)), columns=["u", "v"])
    y = np.digitize(X["u"], [-0.5, 0.5])
    model = xgb.XGBClassifier(n_estimators=5, max_depth=2, n_jobs=1).fit(X, y)
    contribs = model.get_booster().predict(xgb.DMatrix(X), pred_contribs=True)
    assert contribs.shape == (300, 3, 3)
    imp = xgboost_importance(model, "shap", X=X)
    assert imp["u"] == pytest.approx(np.abs(contribs[:, :, 0]).mean(), rel=1e-6)


def test_input_is_not_modified(stump) -> None:
    model, X = stump
    before = X.copy()
    xgboost_importance(model, "shap", X=X)
    pd.testing.assert_frame_equal(X, before)


def test_bad_models_and_kinds(stump) -> None:
    model, X = stump
    with pytest.raises(InvalidParameterError, match="not fitted"):
        xgboost_importance(xgb.XGBClassifier())
    with pytest.raises(InvalidParameterError, match="no trees"):
        xgboost_importance(xgb.Booster())
    with pytest.raises(TrTypeError, match="LinearRegression"):
        xgboost_importance(LinearRegression().fit(X, X["a"]))
    with pytest.raises(InvalidParameterError, match="unknown importance `kind` 'mdi'"):
        xgboost_importance(model, "mdi")  # type: ignore[arg-type]


def test_bad_x(stump) -> None:
    model, X = stump
    with pytest.raises(InvalidParameterError, match="pass X="):
        xgboost_importance(model, "shap")
    with pytest.raises(InvalidParameterError, match="ignores data"):
        xgboost_importance(model, "gain", X=X)
    with pytest.raises(InvalidParameterError, match=r"\['c'\].*not trained on"):
        xgboost_importance(model, "shap", X=X.assign(c=1.0))
    with pytest.raises(MissingColumnError, match=r"\['b'\]"):
        xgboost_importance(model, "shap", X=X[["a"]])
    with pytest.raises(FeatureTypeError, match="'b'"):
        xgboost_importance(model, "shap", X=X.assign(b="x"))
    with pytest.raises(EmptyDataError):
        xgboost_importance(model, "shap", X=X.iloc[:0])
    with pytest.raises(NonFiniteError, match=r"'a'.*infinite"):
        xgboost_importance(model, "shap", X=X.assign(a=np.inf))
    with pytest.raises(TrTypeError, match="DataFrame"):
        xgboost_importance(model, "shap", X=X.to_numpy())  # type: ignore[arg-type]
