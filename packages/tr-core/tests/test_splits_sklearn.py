"""The splitters work as ``cv=`` in scikit-learn's cross_val_score and GridSearchCV."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score

from tr_core.splits import CombinatorialPurgedKFold, PurgedKFold, WalkForward


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
