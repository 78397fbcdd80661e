"""Feature groups' ``sample_weight``: one parameter, the deprecated spellings, and a scale
bound into a weight function that must never be replaced."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from xgboost import XGBClassifier

from tr_core.errors import InvalidParameterError
from tr_core.splits import WalkForward
from tr_feature_selection.groups import FeatureGroupAnalyzer
from tr_feature_selection.groups.weights import TargetFunctionWeights
from tr_sample_weighting import AlphaPowerWeighter, calculate_alpha_squared_weights


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """150 training days, 50 later test days; alpha depends on a, as a fraction."""
    rng = np.random.default_rng(4)
    n = 200
    a = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "trade_date": pd.date_range("2023-01-02", periods=n, freq="D"),
            "a": a,
            "b": rng.normal(size=n),
            "alpha": 0.02 * a + rng.normal(0, 0.03, size=n),
        }
    )
    return frame.iloc[:150], frame.iloc[150:]


def analyzer(**kw: object) -> FeatureGroupAnalyzer:
    # A strong planted signal: the leak warning (AUC > 0.8) is beside the point here.
    settings = {
        "evaluation_metric": "ic",
        "n_buckets": 5,
        "max_plausible_auc": 1.0,
        "verbose": False,
        **kw,
    }
    return FeatureGroupAnalyzer(LinearRegression(), **settings)


def run(**kw: object) -> pd.DataFrame:
    tr, te = frames()
    return analyzer().test_feature_groups(tr, te, {"g": ["a", "b"]}, **kw).table


def test_a_scale_bound_into_the_weight_function_is_never_replaced() -> None:
    # The bug: FeatureGroupAnalyzer called every weight function taking `scale` with
    # scale=target_units, so partial(f, scale=0.05) received "fraction".
    seen: list[object] = []

    def weights(alpha: pd.Series, *, scale: object) -> np.ndarray:
        seen.append(scale)
        return np.ones(len(alpha))

    with pytest.warns(FutureWarning, match="`weight_calculator` is deprecated"):
        run(weight_calculator=partial(weights, scale=0.05))
    assert seen == [0.05]
    # A scale the function requires (and nobody bound) is still target_units.
    with pytest.warns(FutureWarning):
        run(weight_calculator=weights)
    assert seen == [0.05, "fraction"]

    def defaulted(alpha: pd.Series, scale: object = 0.02) -> np.ndarray:
        seen.append(scale)
        return np.ones(len(alpha))

    with pytest.warns(FutureWarning):
        run(weight_calculator=defaulted)
    assert seen == [0.05, "fraction", 0.02]


def test_bound_alpha_scale_weights_like_the_weighter_with_that_scale() -> None:
    # Weighted least squares: the weights change the fit, so the table shows which were used.
    with pytest.warns(FutureWarning):
        bound = run(weight_calculator=partial(calculate_alpha_squared_weights, scale=0.05))
    same = run(sample_weight=AlphaPowerWeighter(column="alpha", scale=0.05))
    fraction = run(sample_weight=AlphaPowerWeighter(column="alpha", scale="fraction"))
    pd.testing.assert_frame_equal(bound, same)
    assert bound.loc["g", "train_metric"] != fraction.loc["g", "train_metric"]


def test_weights_change_a_weighted_least_squares_fit_by_hand() -> None:
    tr, te = frames()
    w = np.where(tr["a"].to_numpy() > 0, 3.0, 1.0)
    table = (
        analyzer(evaluation_metric=lambda target, scores: float(scores[0]))
        .test_feature_groups(tr, te, {"g": ["a", "b"]}, sample_weight=w)
        .table
    )
    by_hand = LinearRegression().fit(tr[["a", "b"]], tr["alpha"], sample_weight=w)
    expected = float(by_hand.predict(te[["a", "b"]].iloc[:1])[0])
    assert table.loc["g", "test_metric"] == pytest.approx(expected, rel=1e-12)


def test_deprecated_spellings_warn_at_the_callers_line_and_refuse_both() -> None:
    with pytest.warns(FutureWarning, match="`use_weighted` is deprecated") as caught:
        plain = run(use_weighted=False)
    assert all(w.filename == __file__ for w in caught)
    pd.testing.assert_frame_equal(plain, run())
    with pytest.warns(FutureWarning, match="`weight_calculator` is deprecated") as caught:
        run(weight_calculator=AlphaPowerWeighter(column="alpha", scale="fraction"))
    assert all(w.filename == __file__ for w in caught)
    with pytest.raises(InvalidParameterError, match="pass `sample_weight` only"):
        run(sample_weight=np.ones(150), weight_calculator=calculate_alpha_squared_weights)


def test_cross_validation_weights_each_folds_training_rows_only() -> None:
    tr, te = frames()
    frame = pd.concat([tr, te])
    cv = WalkForward(n_splits=2, times="trade_date")
    seen: list[pd.Index] = []

    def weighter(data: pd.DataFrame) -> np.ndarray:
        seen.append(data.index)
        return np.ones(len(data))

    result = analyzer().cross_validate_groups(frame, {"g": ["a"]}, cv, sample_weight=weighter)
    assert result.weighted
    folds = list(cv.split(frame))
    assert [list(i) for i in seen] == [list(frame.index[train]) for train, _ in folds]
    unweighted = analyzer().cross_validate_groups(frame, {"g": ["a"]}, cv)
    pd.testing.assert_frame_equal(result.folds, unweighted.folds)
    # Fixed weights for the frame's rows follow the fold's rows.
    w = pd.Series(np.arange(1.0, len(frame) + 1.0), index=frame.index)
    fixed = analyzer().cross_validate_groups(frame, {"g": ["a"]}, cv, sample_weight=w)
    by_fold = [
        analyzer()
        .test_feature_groups(
            frame.iloc[train], frame.iloc[test], {"g": ["a"]}, sample_weight=w.iloc[train]
        )
        .table.loc["g", "test_metric"]
        for train, test in folds
    ]
    np.testing.assert_allclose(fixed.folds["test_metric"].to_numpy(), by_fold, rtol=1e-12)
    with pytest.warns(FutureWarning, match="`weight_calculator`"):
        analyzer().cross_validate_groups(
            frame, {"g": ["a"]}, cv, weight_calculator=calculate_alpha_squared_weights
        )


def test_target_function_weights_pickle_and_describe_themselves() -> None:
    import pickle

    w = TargetFunctionWeights(calculate_alpha_squared_weights, "alpha", "fraction")
    again = pickle.loads(pickle.dumps(w))
    tr, _ = frames()
    np.testing.assert_array_equal(
        again(tr), calculate_alpha_squared_weights(tr["alpha"], scale="fraction")
    )
    assert w.to_dict() == {
        "function_of_target": "alpha_power_weights",
        "target": "alpha",
        "scale": "fraction",
    }


def test_xgboost_receives_the_weights() -> None:
    tr, te = frames()
    model = XGBClassifier(n_estimators=5, max_depth=2, n_jobs=1)
    a = FeatureGroupAnalyzer(
        model,
        evaluation_metric="ic",
        n_buckets=5,
        max_plausible_auc=1.0,
        random_state=0,
        verbose=False,
    )
    plain = a.test_feature_groups(tr, te, {"g": ["a", "b"]}).table
    heavy = np.where(tr["alpha"] > 0, 10.0, 1.0)
    weighted = a.test_feature_groups(tr, te, {"g": ["a", "b"]}, sample_weight=heavy).table
    assert weighted.loc["g", "train_metric"] != plain.loc["g", "train_metric"]
