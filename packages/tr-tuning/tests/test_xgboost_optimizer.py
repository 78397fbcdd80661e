"""XGBoostOptimizer: early stopping on a purged, time-ordered slice of the training rows only."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from xgboost import XGBClassifier, XGBRegressor

from tr_core.errors import InvalidParameterError
from tr_core.splits import WalkForward, checked_folds
from tr_core.weights import resolve_sample_weight
from tr_tuning import XGBoostOptimizer
from tr_tuning.cross_validation import prepare_folds
from tr_tuning.objective import trial_record

FAST: dict[str, Any] = {
    "max_rounds": 40,
    "early_stopping_rounds": 10,
    "verbose": False,
    "random_state": 0,
}
"""Settings that keep a unit-test trial well under a second."""

# A small space and AUC: what these tests check (folds, rounds, models) does not depend on
# the metric, and AUC of a classifier is the cheapest to compute.
SPACE = {"max_depth": ("int", 2, 4), "learning_rate": ("float", 0.05, 0.3, "log")}


def _optimize(frame: pd.DataFrame, columns: dict[str, Any], **kwargs: Any) -> Any:
    label = kwargs.pop("label", 0.0)
    metric = "auc" if label is not None else "ic"
    settings = {"search_space": SPACE, "n_trials": 3, "pruner": "none", "metric": metric}
    settings |= FAST | kwargs
    return XGBoostOptimizer(**settings).optimize(frame, label=label, **columns)


def _folds(frame: pd.DataFrame, columns: dict[str, Any], complete: Any = None) -> Any:
    times, ends = columns["times"], columns["label_ends"]
    folds = checked_folds(WalkForward(5, times=times, label_ends=ends), frame)
    alpha = frame[columns["target"]].to_numpy()
    prepared = prepare_folds(
        frame,
        folds,
        features=columns["features"],
        y=(alpha > 0).astype(np.int8),
        alpha=alpha,
        weights=resolve_sample_weight(None, frame),
        complete=complete,
        validation_fraction=0.2,
        period_codes=np.zeros(len(frame), dtype=np.intp),
        classification=True,
    )
    return folds, prepared


def test_the_validation_slice_is_the_latest_training_time_purged(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    folds, prepared = _folds(frame, columns)
    times = frame[columns["times"]].to_numpy()
    ends = frame[columns["label_ends"]].to_numpy()
    assert len(prepared) == 5
    for (train, test), fold in zip(folds, prepared, strict=True):
        assert fold.val_rows.size > 0
        assert fold.fit_rows.size > 0
        # Every validation row is later than every fit row ...
        assert times[fold.val_rows].min() > times[fold.fit_rows].max()
        # ... no fit row's label window reaches the first validation time ...
        assert ends[fold.fit_rows].max() < times[fold.val_rows].min()
        # ... and neither side touches the fold's test rows.
        assert not np.intersect1d(fold.val_rows, test).size
        assert not np.intersect1d(fold.fit_rows, test).size
        assert set(fold.fit_rows) | set(fold.val_rows) <= set(train)
        np.testing.assert_array_equal(fold.test_rows, test)
        # The slice is about 20 % of the training timestamps (whole days).
        assert 0.1 < fold.val_rows.size / train.size < 0.3
        pd.testing.assert_frame_equal(fold.X_val, frame[columns["features"]].iloc[fold.val_rows])


def test_nan_policy_drop_leaves_incomplete_rows_out_per_fold(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    complete = frame[columns["features"]].notna().all(axis=1).to_numpy()
    folds, native = _folds(frame, columns)
    _, dropped = _folds(frame, columns, complete)
    for (train, test), keep, drop in zip(folds, native, dropped, strict=True):
        assert keep.dropped_train == keep.dropped_test == 0
        assert keep.X_test.isna().to_numpy().any()  # native keeps NaN rows
        assert drop.dropped_train == int((~complete[train]).sum())
        assert drop.dropped_test == int((~complete[test]).sum())
        assert not drop.X_fit.isna().to_numpy().any()
        assert not drop.X_val.isna().to_numpy().any()
        assert not drop.X_test.isna().to_numpy().any()


def test_best_model_uses_the_median_of_the_best_trials_rounds(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    result = _optimize(frame, columns)
    best = result.study.best_trial
    rounds = trial_record(best)["fold_rounds"]
    assert len(rounds) == 5
    assert all(1 <= r <= FAST["max_rounds"] for r in rounds)
    assert result.best_params["n_estimators"] == round(float(np.median(rounds)))
    assert result.trials.loc[best.number, "n_rounds"] == result.best_params["n_estimators"]
    model = result.best_model()
    assert isinstance(model, XGBClassifier)
    assert model.get_params()["n_estimators"] == result.best_params["n_estimators"]
    assert model.get_booster().num_boosted_rounds() == result.best_params["n_estimators"]
    assert model.get_params()["max_depth"] == result.best_params["max_depth"]
    assert result.best_model() is model  # fitted once, cached


def test_label_none_tunes_a_regressor(frame: pd.DataFrame, columns: dict[str, Any]) -> None:
    result = _optimize(frame, columns, label=None, n_trials=2)
    assert isinstance(result.best_model(), XGBRegressor)
    assert np.isfinite(result.best_value)


def test_without_early_stopping_every_fit_boosts_max_rounds(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    result = _optimize(frame, columns, early_stopping_rounds=None, max_rounds=15, n_trials=2)
    assert result.best_params["n_estimators"] == 15
    assert (result.trials["n_rounds"] == 15).all()


def test_device_is_passed_through_unchanged() -> None:
    opt = XGBoostOptimizer(device="cuda", n_jobs=3, random_state=5, max_rounds=77)
    model = opt._new_model({"max_depth": 3}, classification=True)
    params = model.get_params()
    assert params["device"] == "cuda"
    assert params["n_jobs"] == 3
    assert params["random_state"] == 5
    assert params["n_estimators"] == 77
    assert params["max_depth"] == 3
    assert opt._new_model({}, classification=False).get_params()["device"] == "cuda"


def test_nan_policy_native_and_drop_end_to_end(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    seen: list[pd.DataFrame] = []

    def weight(rows: pd.DataFrame) -> np.ndarray:
        seen.append(rows)
        return np.ones(len(rows))

    _optimize(frame, columns, n_trials=1, sample_weight=weight)
    assert any(rows[columns["features"]].isna().to_numpy().any() for rows in seen)
    seen.clear()
    _optimize(frame, columns, n_trials=1, sample_weight=weight, nan_policy="drop")
    assert seen
    assert not any(rows[columns["features"]].isna().to_numpy().any() for rows in seen)


@pytest.mark.parametrize("fill", ["zero", 0, "mean", -1.0])
def test_constant_fills_are_refused_zero_is_not_missing(
    frame: pd.DataFrame, columns: dict[str, Any], fill: Any
) -> None:
    with pytest.raises(InvalidParameterError, match=r"`nan_policy`=.*'native'") as info:
        _optimize(frame, columns, nan_policy=fill)
    assert "zero" in str(info.value).lower()
    assert "missing" in str(info.value).lower()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"early_stopping_rounds": 0}, r"`early_stopping_rounds` must be None or a positive"),
        ({"validation_fraction": 1.0}, r"`validation_fraction` must be a fraction in \(0, 1\)"),
        ({"max_rounds": 0}, r"`max_rounds` must be a positive integer"),
        ({"device": 0}, r"`device` must be a string"),
    ],
)
def test_boosting_settings_are_checked(
    frame: pd.DataFrame, columns: dict[str, Any], kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        _optimize(frame, columns, **kwargs)


def test_repr_names_the_model_and_hides_nothing_useful() -> None:
    text = repr(XGBoostOptimizer(n_trials=7, storage="postgresql://u:secret@db/x"))
    assert "XGBoost" in text
    assert "n_trials=7" in text
    assert "secret" not in text
