"""TimeSeriesStacking*: out-of-fold meta-features, refits, weights, alignment, sklearn API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from tr_core.errors import FoldError
from tr_core.splits import CombinatorialPurgedKFold, PurgedKFold, WalkForward, checked_folds
from tr_ensemble.stacking import TimeSeriesStackingClassifier, TimeSeriesStackingRegressor


def _stack(cv=None, **kwargs) -> TimeSeriesStackingClassifier:
    return TimeSeriesStackingClassifier(
        [
            ("linear", LogisticRegression()),
            ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ],
        cv=cv,
        verbose=False,
        **kwargs,
    )


def test_meta_features_are_the_folds_out_of_sample_predictions(signal_frame) -> None:
    X, y, times = signal_frame
    cv = WalkForward(4, times=times)
    stack = _stack(cv).fit(X, y)
    folds = checked_folds(cv, X)
    # By hand: each model fitted on a fold's training rows predicts that fold's test rows.
    expected = pd.DataFrame(index=X.index, columns=["linear", "tree"], dtype=float)
    for train, test in folds:
        for name, model in (
            ("linear", LogisticRegression()),
            ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ):
            model.fit(X.iloc[train], y.iloc[train])
            expected.iloc[test, expected.columns.get_loc(name)] = model.predict_proba(X.iloc[test])[
                :, 1
            ]
    tested = folds.tested_rows()
    np.testing.assert_array_equal(stack.meta_rows_, tested)
    assert stack.n_meta_rows_ == tested.size == 600 - 120  # the first fifth is never tested
    assert stack.forward_
    pd.testing.assert_frame_equal(stack.oof_predictions_, expected.iloc[tested])
    # The meta-learner is a logistic regression on exactly those rows.
    by_hand = LogisticRegression().fit(expected.iloc[tested].to_numpy(), y.iloc[tested])
    np.testing.assert_allclose(stack.final_estimator_.coef_, by_hand.coef_, rtol=1e-6)
    # The base models that predict new data are refit on every training row.
    refit = LogisticRegression().fit(X, y)
    np.testing.assert_allclose(stack.named_estimators_["linear"].coef_, refit.coef_)
    new = X.iloc[:7]
    inputs = np.column_stack([m.predict_proba(new)[:, 1] for m in stack.estimators_])
    np.testing.assert_allclose(stack.transform(new), inputs)
    np.testing.assert_allclose(
        stack.predict_proba(new), stack.final_estimator_.predict_proba(inputs)
    )
    assert stack.predict(new).tolist() == stack.final_estimator_.predict(inputs).tolist()
    assert stack.decision_function(new).shape == (7,)
    assert list(stack.get_feature_names_out()) == ["linear", "tree"]
    assert stack.classes_.tolist() == [0, 1]
    assert list(stack.feature_names_in_) == ["signal", "other", "regime"]


def test_default_cv_is_walk_forward_over_the_datetime_index_or_row_order(signal_frame) -> None:
    X, y, times = signal_frame
    on_arrays = _stack().fit(X.to_numpy(), y.to_numpy())
    assert on_arrays.n_meta_rows_ == 500  # 5 splits of 100 rows after the first 100
    assert on_arrays.meta_rows_[0] == 100
    dated = X.set_index(pd.DatetimeIndex(times.to_numpy()))
    on_dates = _stack().fit(dated, y.to_numpy())
    # 300 days in 6 blocks of 50 days = 100 rows: the same rows, read from the index.
    np.testing.assert_array_equal(on_dates.meta_rows_, on_arrays.meta_rows_)


def test_purged_kfold_predicts_every_row_but_not_forward(signal_frame) -> None:
    X, y, times = signal_frame
    stack = _stack(PurgedKFold(4, times=times, label_ends=times)).fit(X, y)
    assert stack.n_meta_rows_ == len(X)
    assert not stack.forward_


def test_a_row_tested_twice_is_refused(signal_frame) -> None:
    X, y, times = signal_frame
    with pytest.raises(FoldError, match="already tested"):
        _stack(CombinatorialPurgedKFold(4, 2, times=times, label_ends=times)).fit(X, y)


def test_rows_are_matched_by_label_not_position(signal_frame) -> None:
    X, y, times = signal_frame
    order = np.random.default_rng(1).permutation(len(X))
    shuffled = X.iloc[order]
    y_other_order = y.iloc[np.random.default_rng(2).permutation(len(y))]
    kept = shuffled.copy()
    stack = _stack(WalkForward(4, times=times)).fit(shuffled, y_other_order)
    reference = _stack(WalkForward(4, times=times)).fit(X, y)
    pd.testing.assert_frame_equal(stack.oof_predictions_.sort_index(), reference.oof_predictions_)
    np.testing.assert_allclose(
        stack.final_estimator_.coef_, reference.final_estimator_.coef_, rtol=1e-6
    )
    pd.testing.assert_frame_equal(shuffled, kept)  # the caller's frame is untouched


def test_sample_weight_reaches_every_fit_on_its_own_rows(signal_frame) -> None:
    X, y, times = signal_frame
    cv = WalkForward(3, times=times)
    seen: list[list[str]] = []

    def weigher(train: pd.DataFrame) -> np.ndarray:
        seen.append(list(train.index))
        return np.ones(len(train))

    stack = _stack(cv).fit(X, y, sample_weight=weigher)
    folds = checked_folds(cv, X)
    expected = [list(X.index[train]) for train, _ in folds]
    expected += [list(X.index[stack.meta_rows_]), list(X.index)]
    assert seen == expected  # each fold's training rows, the meta rows, then all rows
    # Fixed weights: a zero weight is a row the models do not learn from.
    w = pd.Series(1.0, index=X.index)
    w.iloc[::2] = 0.0
    weighted = TimeSeriesStackingRegressor(
        [("ols", LinearRegression())], cv=cv, final_estimator=LinearRegression(), verbose=False
    ).fit(X, y.astype(float), sample_weight=w)
    kept = X.index[1::2]
    np.testing.assert_allclose(
        weighted.named_estimators_["ols"].coef_,
        LinearRegression().fit(X.loc[kept], y.loc[kept]).coef_,
        atol=1e-10,
    )


def test_meta_features_by_name_or_frame_and_the_trust_table(signal_frame) -> None:
    X, y, times = signal_frame
    cv = WalkForward(4, times=times)
    by_name = _stack(cv, meta_features=["regime"]).fit(X, y)
    assert by_name.meta_input_names_ == [
        "linear",
        "tree",
        "regime",
        "linear*regime",
        "tree*regime",
    ]
    regime = X[["regime"]].iloc[::-1]  # another order: matched by label
    by_frame = _stack(cv, meta_features=regime).fit(X, y)
    np.testing.assert_allclose(
        by_name.final_estimator_.coef_, by_frame.final_estimator_.coef_, rtol=1e-6
    )
    # The regime is standardized on the meta rows, and the products are built from it.
    z = (X["regime"].iloc[by_name.meta_rows_] - by_name.meta_layout_.center[0]) / (
        by_name.meta_layout_.scale[0]
    )
    assert abs(z.mean()) < 1e-12
    assert abs(z.std(ddof=0) - 1) < 1e-12
    table = by_name.meta_learner_weights()
    coef = by_name.final_estimator_.coef_[0]
    assert table.loc["linear", "weight"] == coef[0]
    assert table.loc["tree", "regime"] == coef[4]
    np.testing.assert_allclose(
        by_name.predict_proba(X.iloc[:5]), by_frame.predict_proba(X.iloc[:5])
    )


def test_passthrough_gives_the_meta_learner_the_columns(signal_frame) -> None:
    X, y, times = signal_frame
    stack = _stack(WalkForward(4, times=times), passthrough=True).fit(X, y)
    assert stack.meta_input_names_ == ["linear", "tree", "signal", "other", "regime"]
    assert stack.final_estimator_.coef_.shape == (1, 5)


def test_multiclass_reads_one_column_per_class(signal_frame) -> None:
    X, _y, times = signal_frame
    three = pd.Series(np.digitize(X["signal"], [-0.5, 0.5]), index=X.index)
    stack = _stack(WalkForward(4, times=times)).fit(X, three)
    assert stack.meta_input_names_ == [
        "linear[0]",
        "linear[1]",
        "linear[2]",
        "tree[0]",
        "tree[1]",
        "tree[2]",
    ]
    proba = stack.predict_proba(X.iloc[:4])
    assert proba.shape == (4, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_regressor_twin(signal_frame) -> None:
    X, _y, times = signal_frame
    target = X["signal"] * 2.0 + 0.1 * np.random.default_rng(3).normal(size=len(X))
    stack = TimeSeriesStackingRegressor(
        [("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=3, random_state=0))],
        cv=WalkForward(4, times=times),
        verbose=False,
    ).fit(X, target)
    assert stack.transform(X.iloc[:3]).shape == (3, 2)
    assert stack.score(X, target) > 0.95
    weights = stack.meta_learner_weights()["weight"]
    assert weights["ridge"] > weights["tree"]  # the linear truth is the linear model's


def test_sklearn_api_params_clone_pipeline_and_cross_val_score(signal_frame) -> None:
    X, y, times = signal_frame
    stack = _stack(WalkForward(3, times=times))
    params = stack.get_params()
    assert params["linear__C"] == 1.0
    assert params["tree__max_depth"] == 3
    stack.set_params(linear__C=0.5, passthrough=False)
    assert stack.named_estimators["linear"].C == 0.5
    copy = clone(stack)
    assert copy.get_params()["linear__C"] == 0.5
    assert not hasattr(copy, "estimators_")
    # Nested: the outer split hands the stack a subset; its splitter's times (a Series)
    # are matched to the subset by label.
    outer = WalkForward(2, times=times)
    scores = cross_val_score(stack, X, y, cv=outer, scoring="roc_auc")
    assert scores.shape == (2,)
    assert (scores > 0.75).all()  # the signal column predicts the class
    pipe = Pipeline([("scale", StandardScaler().set_output(transform="pandas")), ("stack", stack)])
    assert pipe.fit(X, y).predict(X.iloc[:3]).shape == (3,)


def test_tz_aware_times(signal_frame) -> None:
    X, y, times = signal_frame
    aware = times.dt.tz_localize("America/New_York")
    stack = _stack(WalkForward(4, times=aware)).fit(X, y)
    reference = _stack(WalkForward(4, times=times)).fit(X, y)
    np.testing.assert_array_equal(stack.meta_rows_, reference.meta_rows_)


@pytest.mark.parametrize("unit", [1e-300, 1.0, 1e300])
def test_regime_features_in_any_unit_give_the_same_meta_learner(signal_frame, unit) -> None:
    X, y, times = signal_frame
    cv = WalkForward(4, times=times)
    reference = _stack(cv, meta_features=["regime"]).fit(X, y)
    # The same regime in another unit, given beside X (the base models see the same X).
    scaled = (X[["regime"]] * unit).rename(columns={"regime": "vix"})
    stack = _stack(cv, meta_features=scaled).fit(X, y)
    np.testing.assert_allclose(
        stack.meta_learner_weights().to_numpy(),
        reference.meta_learner_weights().to_numpy(),
        rtol=1e-6,
    )
