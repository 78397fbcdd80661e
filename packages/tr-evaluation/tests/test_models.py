"""Models per fold: labels, task, ranking scores and fresh copies of the caller's model."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from tr_core.errors import (
    IndexAlignmentError,
    InsufficientDataError,
    InvalidParameterError,
    NonFiniteError,
    TrTypeError,
)
from tr_evaluation.models import (
    as_model_factory,
    make_labels,
    model_task,
    predict_scores,
)

ALPHA = pd.Series([-0.02, 0.0, 0.01, 0.05])


class Plain:
    """An estimator without scikit-learn's get_params: copied by deepcopy."""

    def __init__(self) -> None:
        self.settings = {"depth": 3}

    def fit(self, X: Any, y: Any) -> Plain:
        self.settings["fitted"] = True
        return self

    def predict(self, X: Any) -> Any:
        return np.zeros(len(X))


# --- make_labels ------------------------------------------------------------------------


def test_a_threshold_makes_class_one_strictly_above_it() -> None:
    assert make_labels(ALPHA, 0.0).tolist() == [0, 0, 1, 1]  # 0.0 is not above 0.0
    assert make_labels(ALPHA, 0.02).tolist() == [0, 0, 0, 1]
    assert make_labels(ALPHA, 0).tolist() == [0, 0, 1, 1]  # an int threshold is a number too
    assert make_labels(ALPHA, 0.0).dtype == np.int8


def test_a_callable_labels_each_row_and_gets_a_copy() -> None:
    assert make_labels(ALPHA, lambda a: a.abs() > 0.015).tolist() == [1, 0, 0, 1]
    assert make_labels(ALPHA, lambda a: (a > 0).astype(int).to_numpy()).tolist() == [0, 0, 1, 1]

    def vandal(a: pd.Series) -> pd.Series:
        a.iloc[0] = 99.0
        return a > 0

    # The rule saw (and changed) its own copy: the first row is labelled from 99.0 ...
    assert make_labels(ALPHA, vandal).tolist() == [1, 0, 1, 1]
    # ... while the caller's target is untouched.
    assert ALPHA.iloc[0] == -0.02


def test_a_series_from_the_rule_is_matched_by_label() -> None:
    alpha = pd.Series([0.05, -0.02, 0.01], index=[10, 11, 12])
    # Sorted by value, the Series lists the labels 11, 12, 10: paired by position it
    # would label the rows [0, 1, 1]; paired by label the truth is [1, 0, 1].
    assert make_labels(alpha, lambda a: (a > 0).sort_values()).tolist() == [1, 0, 1]
    with pytest.raises(IndexAlignmentError, match="`label` does not describe the same rows"):
        make_labels(alpha, lambda a: (a > 0).reset_index(drop=True))


def test_a_shuffled_index_keeps_every_label_on_its_row() -> None:
    alpha = pd.Series([0.03, -0.01, 0.02, -0.04], index=["d", "b", "c", "a"])
    labels = make_labels(alpha, lambda a: (a > 0).sort_index())
    assert labels.tolist() == [1, 0, 1, 0]  # in the target's own order d, b, c, a
    assert make_labels(alpha, 0.0).tolist() == [1, 0, 1, 0]


def test_a_constant_class_is_refused_where_it_came_from() -> None:
    alpha = pd.Series([0.01, 0.02, 0.03])
    with pytest.raises(InsufficientDataError, match=r"every row of fold 3 has class 1"):
        make_labels(alpha, 0.0, where="fold 3")
    with pytest.raises(InsufficientDataError, match=r"has class 0 \(`label`=0.5\)"):
        make_labels(alpha, 0.5)
    # An evaluation slice may be one-sided.
    assert make_labels(alpha, 0.0, require_both=False).tolist() == [1, 1, 1]


@pytest.mark.parametrize(
    ("label", "match"),
    [
        (lambda a: a * 3, "0/1"),
        (lambda a: (a > 0).to_numpy()[:-1], r"shape \(2,\)"),
        ("positive", "finite threshold"),
        (float("nan"), "finite threshold"),
        (float("inf"), "finite threshold"),
        (True, "finite threshold"),
    ],
)
def test_bad_label_rules_are_refused(label: Any, match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        make_labels(pd.Series([-0.01, 0.02, 0.03]), label)


def test_a_target_with_nan_is_refused() -> None:
    with pytest.raises(NonFiniteError, match="alpha"):
        make_labels(pd.Series([0.01, np.nan]), 0.0, where="alpha")


# --- model_task -------------------------------------------------------------------------


def test_model_task_by_estimator_tags() -> None:
    assert model_task(LogisticRegression()) == "classification"
    assert model_task(LinearRegression()) == "regression"
    assert model_task(make_pipeline(StandardScaler(), LogisticRegression())) == "classification"
    with pytest.raises(InvalidParameterError, match=r"classifier or regressor.*StandardScaler"):
        model_task(StandardScaler())
    with pytest.raises(InvalidParameterError, match=r"got str; inherit from"):
        model_task("xgboost")
    with pytest.raises(InvalidParameterError, match=r"got Plain; inherit from.*BaseEstimator"):
        model_task(Plain())  # fit/predict, but no estimator tags
    with pytest.raises(InvalidParameterError, match=r"the class LogisticRegression; write"):
        model_task(LogisticRegression)


# --- predict_scores ---------------------------------------------------------------------

X4 = np.array([[0.0], [1.0], [2.0], [3.0]])


def test_classifier_scores_are_the_probability_of_class_one() -> None:
    # The prior classifier predicts the training share of class 1 for every row: 1/4.
    prior = DummyClassifier(strategy="prior").fit(X4, [0, 0, 0, 1])
    np.testing.assert_array_equal(predict_scores(prior, X4), [0.25] * 4)
    clf = LogisticRegression().fit(X4, [0, 0, 1, 1])
    np.testing.assert_array_equal(predict_scores(clf, X4), clf.predict_proba(X4)[:, 1])
    assert predict_scores(clf, X4).dtype == np.float64
    # Boolean classes are the classes 0 and 1.
    as_bool = DummyClassifier(strategy="prior").fit(X4, [False, True, True, True])
    np.testing.assert_array_equal(predict_scores(as_bool, X4), [0.75] * 4)


def test_regressor_scores_are_its_predictions() -> None:
    reg = LinearRegression().fit(X4, 2.0 * X4[:, 0] + 1.0)
    np.testing.assert_allclose(predict_scores(reg, X4), [1.0, 3.0, 5.0, 7.0], atol=1e-12)


@pytest.mark.parametrize("classes", [[0, 1, 2], [1, 2], [-1, 1]])
def test_classes_other_than_zero_and_one_are_refused(classes: list[int]) -> None:
    y = (classes * 2)[:4]
    clf = DummyClassifier().fit(X4, y)
    with pytest.raises(InvalidParameterError) as err:
        predict_scores(clf, X4)
    message = str(err.value)
    assert f"trained on classes {sorted(set(y))}" in message
    assert "ranking uses P(class 1)" in message
    assert "feature selection" not in message


def test_non_finite_scores_are_refused() -> None:
    class Broken(LinearRegression):
        def predict(self, X: object) -> np.ndarray:
            return np.array([0.1, np.nan, np.inf, 0.2])

    model = Broken().fit(X4, [0.0, 1.0, 2.0, 3.0])
    with pytest.raises(NonFiniteError, match="Broken returned 2 non-finite scores"):
        predict_scores(model, X4)


# --- as_model_factory -------------------------------------------------------------------


def test_a_template_is_copied_per_call_and_never_fitted_itself() -> None:
    template = Ridge(alpha=2.0)
    make = as_model_factory(template)
    first, second = make(), make()
    assert first is not template
    assert second is not template
    assert first is not second
    assert first.get_params() == template.get_params()
    first.fit(X4, [0.0, 1.0, 2.0, 3.0])
    with pytest.raises(NotFittedError):
        check_is_fitted(template)
    with pytest.raises(NotFittedError):
        check_is_fitted(second)


def test_a_fitted_template_still_gives_unfitted_copies() -> None:
    fitted = LinearRegression().fit(X4, [0.0, 1.0, 2.0, 3.0])
    with pytest.raises(NotFittedError):
        check_is_fitted(as_model_factory(fitted)())


def test_a_template_without_get_params_is_deep_copied() -> None:
    template = Plain()
    copy = as_model_factory(template)()
    assert isinstance(copy, Plain)
    assert copy is not template
    copy.fit(X4, [0, 1, 0, 1])
    assert template.settings == {"depth": 3}  # nothing shared, not even nested state


def test_a_class_or_a_callable_is_a_factory() -> None:
    assert as_model_factory(LinearRegression) is LinearRegression
    assert isinstance(as_model_factory(LinearRegression)(), LinearRegression)

    def factory() -> Ridge:
        return Ridge(alpha=0.5)

    assert as_model_factory(factory) is factory
    make = as_model_factory(lambda: Ridge(alpha=3.0))
    first, second = make(), make()
    assert first is not second
    assert first.alpha == 3.0


def test_the_template_factory_pickles() -> None:
    # Joblib process and Dask workers receive the factory pickled.
    make = pickle.loads(pickle.dumps(as_model_factory(Ridge(alpha=4.0))))
    assert isinstance(make(), Ridge)
    assert make().alpha == 4.0


@pytest.mark.parametrize("bad", [42, None, "xgboost", [Ridge()]])
def test_anything_else_is_refused_by_the_callers_name(bad: Any) -> None:
    with pytest.raises(
        TrTypeError, match=rf"`estimator` must be an estimator.*{type(bad).__name__}"
    ):
        as_model_factory(bad, name="estimator")
    with pytest.raises(TrTypeError, match="`model` must be"):
        as_model_factory(bad)
