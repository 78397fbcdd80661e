"""Every bad input named by issue 12 gets a tr_core.errors exception naming the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from tr_core.errors import (
    IndexAlignmentError,
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
    MissingColumnError,
    NonFiniteError,
    TrTypeError,
)
from tr_core.splits import WalkForward
from tr_ensemble.stacking import TimeSeriesStackingClassifier, TimeSeriesStackingRegressor

LR = LogisticRegression()
TREE = DecisionTreeClassifier(max_depth=2, random_state=0)


def _fit(X, y, estimators=None, sample_weight=None, **kwargs):
    if estimators is None:
        estimators = [("linear", LR), ("tree", TREE)]
    stack = TimeSeriesStackingClassifier(estimators, verbose=False, **kwargs)
    return stack.fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize(
    ("estimators", "message"),
    [
        ([("a", LR), ("a", TREE)], r"names \['a'\] appear more than once"),
        ([], "`estimators` is empty"),
        ("linear", "list of \\(name, estimator\\) pairs"),
        ([LR], r"`estimators\[0\]` must be a \(name, estimator\) pair"),
        ([("a__b", LR)], "without '__'"),
        ([("a", LogisticRegression)], "unfitted estimator instance"),
        ([("ols", LinearRegression())], "is not a classifier"),
    ],
)
def test_malformed_estimators(signal_frame, estimators, message) -> None:
    X, y, _ = signal_frame
    with pytest.raises(InvalidParameterError, match=message):
        _fit(X, y, estimators)


def test_a_stack_method_the_model_lacks(signal_frame) -> None:
    X, y, _ = signal_frame
    with pytest.raises(InvalidParameterError, match=r"'svm' \(SVC\) has no predict_proba"):
        _fit(X, y, [("svm", SVC()), ("tree", TREE)], stack_method="predict_proba")
    with pytest.raises(InvalidParameterError, match="`stack_method` must be one of"):
        _fit(X, y, stack_method="proba")
    # "auto" reads SVC's decision function instead.
    assert _fit(X, y, [("svm", SVC()), ("tree", TREE)]).stack_method_ == [
        "decision_function",
        "predict_proba",
    ]
    with pytest.raises(InvalidParameterError, match="must be 'auto' or 'predict'"):
        TimeSeriesStackingRegressor(
            [("ols", LinearRegression())], stack_method="predict_proba", verbose=False
        ).fit(X, y.astype(float))


def test_a_cv_with_too_few_out_of_fold_rows(signal_frame) -> None:
    X, y, _times = signal_frame
    few = [(np.arange(0, 500), np.arange(500, 502))]
    with pytest.raises(InsufficientDataError, match="predicts 2 of 600 rows out of fold"):
        _fit(X, y, cv=few)
    with pytest.raises(InvalidParameterError, match="an integer means an unpurged k-fold"):
        _fit(X, y, cv=5)


def test_meta_features_missing_misaligned_or_not_finite(signal_frame) -> None:
    X, y, _ = signal_frame
    with pytest.raises(MissingColumnError, match=r"`meta_features` \['vix'\] are not columns"):
        _fit(X, y, meta_features=["vix"])
    other_rows = pd.DataFrame({"vix": 1.0}, index=[f"x{i}" for i in range(len(X))])
    with pytest.raises(IndexAlignmentError, match="meta_features"):
        _fit(X, y, meta_features=other_rows)
    gappy = X.copy()
    gappy.iloc[10, gappy.columns.get_loc("regime")] = np.nan
    with pytest.raises(NonFiniteError, match="meta feature 'regime'"):
        _fit(gappy, y, meta_features=["regime"])
    with pytest.raises(InvalidParameterError, match="names columns, but X is a ndarray"):
        _fit(X.to_numpy(), y.to_numpy(), meta_features=["regime"])
    with pytest.raises(InvalidParameterError, match="never by position"):
        _fit(X.to_numpy(), y.to_numpy(), meta_features=X[["regime"]])
    with pytest.raises(TrTypeError, match="`meta_features` must be a list of column names"):
        _fit(X, y, meta_features="regime")
    with pytest.raises(InvalidParameterError, match="must name one or more columns"):
        _fit(X, y, meta_features=[])


def test_classes_seen_in_one_fold_and_not_another(signal_frame) -> None:
    X, y, times = signal_frame
    late_class = y.copy()
    late_class.iloc[-50:] = 2  # a class that appears only in the last test block
    with pytest.raises(
        InsufficientDataError, match=r"fold 0 trains on .* without class\(es\) \[2\]"
    ):
        _fit(X, late_class, cv=WalkForward(4, times=times))
    early_class = y.copy()
    early_class.iloc[:3] = 2  # a class no row predicted out of fold has
    with pytest.raises(InsufficientDataError, match=r"no row predicted out of fold has class"):
        _fit(X, early_class, cv=WalkForward(4, times=times))
    with pytest.raises(InsufficientDataError, match="only one class"):
        _fit(X, np.zeros(len(X), dtype=int))


def test_weights_a_model_cannot_take(signal_frame) -> None:
    X, y, _ = signal_frame
    with pytest.raises(
        InvalidParameterError, match=r"'knn' \(KNeighborsClassifier\) does not take"
    ):
        _fit(X, y, [("knn", KNeighborsClassifier()), ("tree", TREE)], sample_weight=np.ones(600))
    with pytest.raises(LengthMismatchError, match="has 3 weights but the frame has 600 rows"):
        _fit(X, y, sample_weight=[1.0, 2.0, 3.0])


def test_bad_switches_and_targets(signal_frame) -> None:
    X, y, _ = signal_frame
    with pytest.raises(InvalidParameterError, match="`n_jobs` must be None"):
        _fit(X, y, n_jobs=0)
    with pytest.raises(InvalidParameterError, match="`verbose` must be True or False"):
        _fit_verbose(X, y)
    with pytest.raises(LengthMismatchError, match="`y` has 599 rows but X has 600"):
        _fit(X.to_numpy(), y.to_numpy()[:-1])
    with pytest.raises(IndexAlignmentError):
        _fit(X, y.set_axis([f"z{i}" for i in range(len(y))]))
    with pytest.raises(InsufficientDataError, match="1 sample"):
        _fit(X.iloc[:1], y.iloc[:1])
    with pytest.raises(NonFiniteError):
        TimeSeriesStackingRegressor([("ols", LinearRegression())], verbose=False).fit(
            X, np.where(np.arange(600) == 7, np.nan, 1.0)
        )


def _fit_verbose(X, y):
    return TimeSeriesStackingClassifier([("linear", LR)], verbose="yes").fit(X, y)


def test_trust_table_needs_a_linear_meta_learner(signal_frame) -> None:
    X, y, _ = signal_frame
    stack = _fit(X, y, final_estimator=DecisionTreeClassifier(max_depth=2))
    with pytest.raises(InvalidParameterError, match="has no coef_"):
        stack.meta_learner_weights()
    three = pd.Series(np.digitize(X["signal"], [-0.5, 0.5]), index=X.index)
    with pytest.raises(InvalidParameterError, match="single-output"):
        _fit(X, three).meta_learner_weights()
