"""The splitters work as ``cv=`` in scikit-learn's cross_val_score and GridSearchCV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from tr_core.errors import LengthMismatchError
from tr_core.splits import CombinatorialPurgedKFold, PurgedKFold, WalkForward, checked_folds


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n = 200
    t = pd.Series(pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 80, n), unit="D"))
    e = t + pd.to_timedelta(rng.integers(0, 10, n), unit="D")
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = 2.0 * X["a"] - X["b"] + rng.normal(scale=0.1, size=n)
    return X, y, t, e


@pytest.mark.parametrize(
    "make",
    [
        lambda t, e: PurgedKFold(4, times=t, label_ends=e, embargo=0.01),
        lambda t, e: CombinatorialPurgedKFold(5, 2, times=t, label_ends=e),
        lambda t, e: WalkForward(3, times=t, label_ends=e),
    ],
)
def test_cross_val_score_and_grid_search(data, make):
    X, y, t, e = data
    cv = make(t, e)
    scores = cross_val_score(Ridge(), X, y, cv=cv)
    assert scores.shape == (cv.get_n_splits(X),)
    assert np.all(scores > 0.9)  # y is almost linear in X: a purged fit still recovers it
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 1000.0]}, cv=cv).fit(X, y)
    assert search.best_params_ == {"alpha": 0.1}
    assert search.n_splits_ == cv.get_n_splits(X)


def test_repr_shows_parameters():
    cv = PurgedKFold(3, times="t", label_ends=np.zeros(4), embargo=0.01)
    assert repr(cv) == "PurgedKFold(n_splits=3, times='t', label_ends=<ndarray of 4>, embargo=0.01)"
    assert repr(WalkForward(2, times="t")) == (
        "WalkForward(n_splits=2, times='t', test_size=None, window='expanding', "
        "train_size=None, gap=0, embargo=0.0, label_ends=None)"
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda t, e: PurgedKFold(3, times=t, label_ends=e, embargo=0.01),
        lambda t, e: WalkForward(2, times=t, label_ends=e),
    ],
)
def test_nested_cross_validation_with_the_same_splitter(data, make):
    # Issue 10: a splitter bound to the whole frame's times failed with a length mismatch
    # when GridSearchCV (inner) was handed the outer fold's training rows. Times given
    # as a Series are now matched to the subset by index label.
    X, y, t, e = data
    cv = make(t, e)
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 1000.0]}, cv=cv)
    scores = cross_val_score(search, X, y, cv=cv)
    assert scores.shape == (cv.get_n_splits(X),)
    assert np.all(scores > 0.9)
    # The inner folds are the splitter's folds of the subset, checked leak-free.
    train, _ = next(iter(cv.split(X)))
    subset = X.iloc[train]
    inner = checked_folds(cv, subset)
    assert inner.n_splits == cv.get_n_splits(subset)


def test_nested_cross_validation_with_column_times(data):
    X, y, t, e = data
    frame = X.assign(t=t, e=e)
    cv = PurgedKFold(3, times="t", label_ends="e")
    model = make_pipeline(
        ColumnTransformer([("keep", "passthrough", ["a", "b"])]),
        Ridge(),
    )
    search = GridSearchCV(model, {"ridge__alpha": [0.1, 1000.0]}, cv=cv)
    assert np.all(cross_val_score(search, frame, y, cv=cv) > 0.9)


def test_positional_times_cannot_follow_a_subset(data):
    X, _, t, e = data
    cv = PurgedKFold(3, times=t.to_numpy(), label_ends=e.to_numpy())
    with pytest.raises(LengthMismatchError, match="Pass X as a DataFrame and `times` as a Series"):
        list(cv.split(X.iloc[:50]))
