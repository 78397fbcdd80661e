"""Model preparation, labels and scores: the pieces every selection method trains with."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier, XGBRegressor

from tr_core.errors import (
    IndexAlignmentError,
    InsufficientDataError,
    InvalidParameterError,
    NonFiniteError,
)
from tr_feature_selection.models import (
    DEFAULT_XGB_PARAMS,
    default_model,
    make_labels,
    model_task,
    predict_scores,
    prepare_model,
)


def test_default_model_carries_the_documented_settings() -> None:
    model = default_model(random_state=7, n_jobs=1, device="cpu")
    params = model.get_params()
    assert isinstance(model, XGBClassifier)
    assert {k: params[k] for k in DEFAULT_XGB_PARAMS} == DEFAULT_XGB_PARAMS
    assert (params["random_state"], params["n_jobs"], params["device"]) == (7, 1, "cpu")


def test_prepare_model_copies_and_never_touches_the_template() -> None:
    template = XGBRegressor(n_estimators=3, random_state=1)
    copy = prepare_model(template, random_state=5, n_jobs=2, device="cpu")
    assert copy is not template
    assert (copy.random_state, copy.n_jobs, copy.device) == (5, 2, "cpu")
    assert (template.random_state, template.n_jobs, template.device) == (1, None, None)
    assert prepare_model(template).get_params() == template.get_params()


def test_prepare_model_sets_only_parameters_the_model_has() -> None:
    copy = prepare_model(LinearRegression(), random_state=3, n_jobs=2)
    assert copy.n_jobs == 2
    assert "random_state" not in copy.get_params()


def test_prepare_model_without_template_is_the_default() -> None:
    model = prepare_model(None, random_state=4)
    assert isinstance(model, XGBClassifier)
    assert model.random_state == 4


def test_device_is_for_xgboost_only() -> None:
    with pytest.raises(InvalidParameterError, match=r"device.*LogisticRegression"):
        prepare_model(LogisticRegression(), device="cuda")


def test_model_task_by_estimator_tags() -> None:
    assert model_task(XGBClassifier()) == "classification"
    assert model_task(LinearRegression()) == "regression"
    with pytest.raises(InvalidParameterError, match=r"classifier or regressor.*StandardScaler"):
        model_task(StandardScaler())


def test_labels_from_a_threshold_and_from_a_function() -> None:
    alpha = pd.Series([-0.02, 0.0, 0.01, 0.05])
    assert make_labels(alpha, 0.0).tolist() == [0, 0, 1, 1]
    assert make_labels(alpha, 0.02).tolist() == [0, 0, 0, 1]
    assert make_labels(alpha, lambda a: a.abs() > 0.015).tolist() == [1, 0, 0, 1]
    assert make_labels(alpha, 0.0).dtype == np.int8


def test_label_function_gets_a_copy() -> None:
    alpha = pd.Series([-0.02, 0.01, 0.05])

    def vandal(a: pd.Series) -> pd.Series:
        a.iloc[0] = 99.0
        return pd.Series([True, False, True])

    make_labels(alpha, vandal)
    assert alpha.iloc[0] == -0.02


@pytest.mark.parametrize(
    ("label", "match"),
    [
        (lambda a: a * 3, "0/1"),
        (lambda a: (a > 0).to_numpy()[:-1], "0/1"),
        ("positive", "finite threshold"),
        (float("nan"), "finite threshold"),
        (True, "finite threshold"),
    ],
)
def test_bad_label_rules(label: object, match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        make_labels(pd.Series([-0.01, 0.02, 0.03]), label)  # type: ignore[arg-type]


def test_constant_labels_name_where_they_came_from() -> None:
    alpha = pd.Series([0.01, 0.02, 0.03])
    with pytest.raises(InsufficientDataError, match=r"group 'insider'.*class 1"):
        make_labels(alpha, 0.0, where="group 'insider'")
    assert make_labels(alpha, 0.0, require_both=False).tolist() == [1, 1, 1]


def test_labels_refuse_a_target_with_nan() -> None:
    with pytest.raises(NonFiniteError, match="alpha"):
        make_labels(pd.Series([0.01, np.nan]), 0.0, where="alpha")


def test_scores_are_the_probability_of_class_one() -> None:
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    np.testing.assert_array_equal(predict_scores(clf, X), clf.predict_proba(X)[:, 1])
    reg = LinearRegression().fit(X, [0.0, 1.0, 2.0, 3.0])
    np.testing.assert_allclose(predict_scores(reg, X), [0.0, 1.0, 2.0, 3.0], atol=1e-12)


def test_scores_need_classes_zero_and_one() -> None:
    X = np.array([[0.0], [1.0], [2.0]])
    clf = LogisticRegression().fit(X, [0, 1, 2])
    with pytest.raises(InvalidParameterError, match=r"classes \[0, 1, 2\]"):
        predict_scores(clf, X)


def test_non_finite_scores_are_refused() -> None:
    class Broken(LinearRegression):
        def predict(self, X: object) -> np.ndarray:
            return np.array([0.1, np.nan])

    model = Broken().fit(np.array([[0.0], [1.0]]), [0.0, 1.0])
    with pytest.raises(NonFiniteError, match="Broken returned 1 non-finite"):
        predict_scores(model, np.array([[0.0], [1.0]]))


def test_label_function_result_is_matched_by_label() -> None:
    # Read in storage order, a sorted Series put every label on another row; it is now
    # matched to the target by index label, and labels that differ are refused.
    alpha = pd.Series([0.05, -0.02, 0.01], index=[10, 11, 12])
    assert make_labels(alpha, lambda a: (a > 0).sort_values()).tolist() == [1, 0, 1]
    with pytest.raises(IndexAlignmentError, match="`label` does not describe the same rows"):
        make_labels(alpha, lambda a: (a > 0).reset_index(drop=True))
    assert make_labels(alpha, lambda a: a > 0).tolist() == [1, 0, 1]
    assert make_labels(alpha, lambda a: (a > 0).to_numpy()).tolist() == [1, 0, 1]
