"""scikit-learn's own estimator checks, with each expected failure's reason verified."""

from __future__ import annotations

import warnings

import pytest
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import check_estimator

from tr_ensemble.blending import (
    EXPECTED_FAILED_CHECKS_CLASSIFIER,
    EXPECTED_FAILED_CHECKS_REGRESSOR,
    Blender,
)
from tr_ensemble.stacking import (
    EXPECTED_FAILED_CHECKS,
    TimeSeriesStackingClassifier,
    TimeSeriesStackingRegressor,
)


def _results(estimator, **kwargs) -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(check_estimator(estimator, on_fail=None, **kwargs))


def _classifier(**kwargs) -> TimeSeriesStackingClassifier:
    return TimeSeriesStackingClassifier(
        [
            ("linear", LogisticRegression()),
            ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ],
        verbose=False,
        **kwargs,
    )


@pytest.mark.slow
def test_classifier_passes_every_check_but_the_listed_ones_for_the_listed_reason() -> None:
    results = _results(_classifier(), expected_failed_checks=EXPECTED_FAILED_CHECKS)
    failed = [
        (r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"
    ]
    assert failed == []
    xfailed = {r["check_name"]: r["exception"] for r in results if r["status"] == "xfail"}
    assert set(xfailed) <= set(EXPECTED_FAILED_CHECKS)
    assert len(xfailed) >= len(EXPECTED_FAILED_CHECKS) - 1
    # Each fails because a fold trains without a class: the refusal issue 12 asks for.
    for name, exc in xfailed.items():
        text = " ".join(str(e) for e in (exc, exc.__cause__, exc.__context__) if e)
        assert "without class" in text, (name, text[:300])


@pytest.mark.slow
def test_with_kfold_only_the_class_sorted_iris_check_fails() -> None:
    results = _results(_classifier(cv=KFold(3)))
    failed = {r["check_name"] for r in results if r["status"] == "failed"}
    assert failed == {"check_positive_only_tag_during_fit"}


@pytest.mark.slow
def test_regressor_passes_every_check() -> None:
    stack = TimeSeriesStackingRegressor(
        [("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=3, random_state=0))],
        verbose=False,
    )
    results = _results(stack)
    assert [r["check_name"] for r in results if r["status"] == "failed"] == []
    assert sum(r["status"] == "passed" for r in results) > 40


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_blender_passes_every_check_but_the_listed_ones(kind: str) -> None:
    if kind == "classifier":
        blender = Blender(
            [
                ("linear", LogisticRegression()),
                ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
            ],
            verbose=False,
        )
        expected = EXPECTED_FAILED_CHECKS_CLASSIFIER
    else:
        blender = Blender(
            [("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=3, random_state=0))],
            objective="top_bucket_return",
            verbose=False,
        )
        expected = EXPECTED_FAILED_CHECKS_REGRESSOR
    results = _results(blender, expected_failed_checks=expected)
    assert [r["check_name"] for r in results if r["status"] == "failed"] == []
    xfailed = {r["check_name"]: r["exception"] for r in results if r["status"] == "xfail"}
    # A listed check may pass on another scikit-learn version (its data change), never
    # fail for another reason than the one listed.
    assert set(xfailed) <= set(expected)
    assert len(xfailed) >= len(expected) - 1
    for name, exc in xfailed.items():
        text = " ".join(str(e) for e in (exc, exc.__cause__, exc.__context__) if e)
        reason = "has no row of class" if kind == "classifier" else "sample_weight"
        assert reason in text, (name, text[:300])
