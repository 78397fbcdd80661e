"""prepare_folds: each fold built once — NaN rows, the early-stopping slice, weights, classes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import InsufficientDataError
from tr_core.splits import checked_folds
from tr_core.weights import resolve_sample_weight
from tr_tuning.cross_validation import prepare_folds

N = 300


@pytest.fixture
def small() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    day = np.arange(N)
    return pd.DataFrame(
        {
            "time": pd.Timestamp("2022-01-03") + pd.to_timedelta(day // 2, unit="D"),
            "x": rng.normal(size=N),
            "alpha": rng.normal(size=N),
            "w": rng.uniform(0.5, 2.0, N),
        }
    )


def _prepare(frame: pd.DataFrame, **kwargs: Any) -> Any:
    rows = np.arange(N)
    cv = kwargs.pop("cv", [(rows[:100], rows[100:200]), (rows[:200], rows[200:])])
    folds = checked_folds(cv, frame, times="time")
    alpha = frame["alpha"].to_numpy()
    settings: dict[str, Any] = {
        "features": ["x"],
        "y": (alpha > 0).astype(np.int8),
        "alpha": alpha,
        "weights": resolve_sample_weight(kwargs.pop("sample_weight", None), frame),
        "complete": None,
        "validation_fraction": None,
        "period_codes": np.arange(N, dtype=np.intp) // 50,
        "classification": True,
    }
    return prepare_folds(frame, folds, **(settings | kwargs))


def test_without_early_stopping_the_model_fits_every_training_row(small: pd.DataFrame) -> None:
    first, second = _prepare(small)
    np.testing.assert_array_equal(first.fit_rows, np.arange(100))
    assert first.val_rows.size == 0
    assert first.X_val.empty
    np.testing.assert_array_equal(second.test_rows, np.arange(200, N))
    np.testing.assert_array_equal(second.test_periods, np.arange(200, N) // 50)
    np.testing.assert_array_equal(second.alpha_test, small["alpha"].to_numpy()[200:])
    assert first.w_fit is None
    assert first.w_test is None


def test_fixed_weights_are_sliced_per_fold(small: pd.DataFrame) -> None:
    first, _ = _prepare(small, sample_weight="w", validation_fraction=0.25)
    w = small["w"].to_numpy()
    np.testing.assert_array_equal(first.w_fit, w[first.fit_rows])
    np.testing.assert_array_equal(first.w_test, w[first.test_rows])
    # Two rows share each timestamp: the slice holds whole timestamps (even count).
    assert first.val_rows.size % 2 == 0
    assert first.fit_rows.size + first.val_rows.size == 100


def test_a_fold_whose_test_rows_are_all_dropped(small: pd.DataFrame) -> None:
    complete = np.ones(N, dtype=bool)
    complete[200:] = False
    with pytest.raises(InsufficientDataError, match=r"fold 1: all 100 test rows .* dropped"):
        _prepare(small, complete=complete)


def test_dropped_rows_are_counted(small: pd.DataFrame) -> None:
    complete = np.ones(N, dtype=bool)
    complete[[5, 150, 250, 251]] = False
    first, second = _prepare(small, complete=complete)
    assert (first.dropped_train, first.dropped_test) == (1, 1)
    assert (second.dropped_train, second.dropped_test) == (2, 2)
    assert 5 not in first.fit_rows
    assert 250 not in second.test_rows


def test_a_fold_too_short_for_a_validation_slice(small: pd.DataFrame) -> None:
    rows = np.arange(N)
    cv = [(rows[:2], rows[2:150]), (rows[:150], rows[150:])]  # fold 0 trains on one timestamp
    with pytest.raises(InsufficientDataError, match=r"fold 0: its 2 training rows cannot hold"):
        _prepare(small, cv=cv, validation_fraction=0.2)


def test_a_fold_whose_fit_rows_hold_one_class(small: pd.DataFrame) -> None:
    small.loc[:99, "alpha"] = np.abs(small.loc[:99, "alpha"]) + 0.1
    with pytest.raises(InsufficientDataError, match=r"fold 0: the 100 rows .* all class 1"):
        _prepare(small)
    # A regressor learns the values: one sign is fine.
    folds = _prepare(small, classification=False, y=small["alpha"].to_numpy())
    assert len(folds) == 2
