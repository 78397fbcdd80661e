"""Property: no out-of-fold prediction comes from a model that saw the predicted row's period.

A base model that memorizes the latest label end of its training rows (and predicts it
for every row) turns each meta-feature into a witness: the meta-feature of row ``r``
is the last moment any row its model trained on was still open. With walk-forward
folds it must be strictly before ``r``'s decision time, for any times (ties
included), label windows and number of splits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, RegressorMixin

from tr_core.splits import WalkForward
from tr_ensemble.stacking import TimeSeriesStackingRegressor


class LatestLabelEnd(RegressorMixin, BaseEstimator):
    """Predicts, for every row, the latest label end (in days) among its training rows."""

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> LatestLabelEnd:
        self.latest_ = float(X["end_day"].max())
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return np.full(len(X), self.latest_)


@st.composite
def events(draw):
    n = draw(st.integers(30, 90))
    days = np.array(draw(st.lists(st.integers(0, 60), min_size=n, max_size=n)))
    lengths = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)))
    start = pd.Timestamp("2024-01-01")
    frame = pd.DataFrame(
        {
            "day": days.astype(float),
            "end_day": (days + lengths).astype(float),
            "noise": np.arange(n, dtype=float),
        },
        index=pd.Index([f"r{i}" for i in draw(st.permutations(range(n)))]),
    )
    times = pd.Series(start + pd.to_timedelta(days, unit="D"), index=frame.index)
    ends = pd.Series(start + pd.to_timedelta(days + lengths, unit="D"), index=frame.index)
    return frame, times, ends, draw(st.integers(2, 4))


@settings(max_examples=60, deadline=None)
@given(events())
def test_every_meta_feature_comes_from_models_that_closed_before_the_row(case) -> None:
    frame, times, ends, n_splits = case
    if times.nunique() < n_splits + 1:
        return
    cv = WalkForward(n_splits, times=times, label_ends=ends)
    try:
        stack = TimeSeriesStackingRegressor(
            [("witness", LatestLabelEnd())], cv=cv, verbose=False
        ).fit(frame, frame["noise"].to_numpy())
    except ValueError:  # purging left a fold without rows: the splitter says so
        return
    witness = stack.oof_predictions_["witness"]
    decided = frame.loc[witness.index, "day"]
    assert (witness < decided).all()
    assert stack.forward_
    # Every row some fold tests is a meta row, once.
    assert len(witness) == stack.n_meta_rows_ == len(set(witness.index))
