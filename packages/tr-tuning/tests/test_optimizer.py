"""ModelOptimizer / XGBoostOptimizer end to end on tr-core's synthetic market (planted truth)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from lightgbm import LGBMClassifier
from sklearn.linear_model import LogisticRegression, Ridge

from tr_core.splits import WalkForward, checked_folds
from tr_tuning import ModelOptimizer, XGBoostOptimizer
from tr_tuning.objective import trial_record

FAST: dict[str, Any] = {
    "max_rounds": 40,
    "early_stopping_rounds": 10,
    "verbose": False,
    "random_state": 0,
}
SPACE = {"max_depth": ("int", 2, 4), "learning_rate": ("float", 0.05, 0.3, "log")}
COMPLETE_FEATURES = ["ins_log_value", "ins_own_change", "ins_role_score", "noise_0", "noise_1"]
RIDGE_SPACE = {"alpha": ("float", 1e-2, 1e4, "log")}


def _ridge(**kwargs: Any) -> ModelOptimizer:
    settings: dict[str, Any] = {
        "metric": "ic",
        "n_trials": 3,
        "pruner": "none",
        "sampler": "random",
        "random_state": 0,
        "verbose": False,
    }
    return ModelOptimizer(Ridge(), RIDGE_SPACE, **(settings | kwargs))


def test_tuned_xgboost_finds_the_planted_signal(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    # 10 buckets: on 4,000 rows a 1/20 top bucket holds ~25 test rows per fold.
    opt = XGBoostOptimizer(SPACE, n_trials=6, n_buckets=10, pruner="none", **FAST)
    result = opt.optimize(frame, **columns)
    done = result.trials[result.trials["state"] == "COMPLETE"]
    assert len(done) >= 4
    assert result.best_value > 0
    assert result.best_value == done["value"].max()
    assert result.best_value > done["value"].min()
    assert result.n_folds == 5
    # Every completed trial's per-period top-bucket returns were recorded for DSR/PBO.
    assert result.selection.n_trials == len(done)


def _split(frame: pd.DataFrame, columns: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    times, ends = frame[columns["times"]], frame[columns["label_ends"]]
    cut = times.quantile(0.8)
    return frame[ends < cut], frame[times > cut]


def test_holdout_is_reported_and_never_selects(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    train, holdout = _split(frame, columns)

    def tune(**kwargs: Any) -> Any:
        opt = XGBoostOptimizer(SPACE, n_trials=3, n_buckets=10, metric="auc", **FAST)
        return opt.optimize(train, **columns, **kwargs)

    plain = tune()
    with_holdout = tune(holdout=holdout)
    assert plain.holdout_value is None
    assert with_holdout.holdout_value is not None
    assert 0.0 < with_holdout.holdout_value < 1.0  # an AUC
    assert with_holdout.best_params == plain.best_params
    pd.testing.assert_series_equal(with_holdout.trials["value"], plain.trials["value"])
    assert with_holdout.summary()["holdout_value"] == with_holdout.holdout_value
    assert "holdout=" in repr(with_holdout)
    # The holdout value is the refit model's AUC on the holdout rows.
    from sklearn.metrics import roc_auc_score

    model = with_holdout.best_model()
    p = model.predict_proba(holdout[columns["features"]])[:, 1]
    expected = roc_auc_score(holdout[columns["target"]] > 0, p)
    assert with_holdout.holdout_value == pytest.approx(expected)


def test_logistic_regression_with_dropped_nan_rows(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    opt = ModelOptimizer(
        LogisticRegression(max_iter=200),
        {"C": ("float", 1e-3, 10.0, "log")},
        metric="auc",
        n_trials=3,
        nan_policy="drop",
        random_state=0,
        verbose=False,
    )
    features = [*COMPLETE_FEATURES, "tech_momentum", "tech_volatility"]
    result = opt.optimize(
        frame,
        features=features,
        target=columns["target"],
        times=columns["times"],
        label_ends=columns["label_ends"],
    )
    assert (result.trials["state"] == "COMPLETE").all()
    model = result.best_model()
    assert isinstance(model, LogisticRegression)
    assert result.best_params["C"] == model.C
    complete = int(frame[features].notna().all(axis=1).sum())
    assert complete < len(frame)
    assert model.n_features_in_ == len(features)


def test_lightgbm_with_native_nan(frame: pd.DataFrame, columns: dict[str, Any]) -> None:
    opt = ModelOptimizer(
        LGBMClassifier(n_estimators=20, verbose=-1),
        {"num_leaves": ("int", 4, 16), "learning_rate": ("float", 0.05, 0.2, "log")},
        metric="auc",
        n_trials=2,
        nan_policy="native",
        random_state=0,
        n_jobs=1,
        verbose=False,
    )
    result = opt.optimize(frame, **columns)
    assert (result.trials["state"] == "COMPLETE").all()
    model = result.best_model()
    assert isinstance(model, LGBMClassifier)
    assert model.get_params()["random_state"] == 0
    assert model.get_params()["n_jobs"] == 1


def _run_ridge(frame: pd.DataFrame, columns: dict[str, Any], **kwargs: Any) -> Any:
    return _ridge(**kwargs).optimize(
        frame,
        features=COMPLETE_FEATURES,
        target=columns["target"],
        times=columns["times"],
        label_ends=columns["label_ends"],
    )


def test_the_callers_frame_is_unchanged_even_shuffled_and_tz_aware(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    base = _run_ridge(frame.copy(), columns)
    shuffled = frame.sample(frac=1.0, random_state=1)
    for col in (columns["times"], columns["label_ends"]):
        shuffled[col] = shuffled[col].dt.tz_localize("America/New_York")
    before = shuffled.copy()
    result = _run_ridge(shuffled, columns)
    pd.testing.assert_frame_equal(shuffled, before)
    # Row order and index labels do not matter: the same rows give the same scores.
    np.testing.assert_allclose(result.trials["value"], base.trials["value"], rtol=1e-6)


def test_sample_weight_forms_agree_and_a_callable_sees_only_fit_rows(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    frame = frame.sample(frac=1.0, random_state=2)  # index labels out of order
    weights = pd.Series(
        np.where(frame[columns["target"]] > 0, 3.0, 1.0), index=frame.index, name="w"
    )
    frame["w"] = weights
    before = frame.copy()
    seen: list[pd.Index] = []

    def by_rows(rows: pd.DataFrame) -> pd.Series:
        seen.append(rows.index)
        return rows["w"]

    forms = {
        "column": "w",
        "array": weights.to_numpy(),
        "series": weights.sample(frac=1.0, random_state=3),  # another order: matched by label
        "callable": by_rows,
    }
    values = {
        name: _run_ridge(frame, columns, sample_weight=w).trials["value"]
        for name, w in forms.items()
    }
    unweighted = _run_ridge(frame, columns).trials["value"]
    pd.testing.assert_frame_equal(frame, before)
    for name in ("array", "series", "callable"):
        np.testing.assert_allclose(values[name], values["column"], rtol=1e-9, err_msg=name)
    assert not np.allclose(values["column"], unweighted)
    # The callable ran once per fold, on exactly that fold's training (fit) rows: the
    # complete rows (nan_policy="drop") of the fold's training side.
    complete = frame[COMPLETE_FEATURES].notna().all(axis=1).to_numpy()
    folds = checked_folds(
        WalkForward(5, times=columns["times"], label_ends=columns["label_ends"]), frame
    )
    assert len(seen) == len(folds)
    for index, (train, _test) in zip(seen, folds, strict=True):
        pd.testing.assert_index_equal(index, frame.index[train[complete[train]]])


def test_a_regressor_refuses_a_label(frame: pd.DataFrame, columns: dict[str, Any]) -> None:
    from tr_core.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"Ridge is a regressor.*label=None"):
        _ridge().optimize(
            frame,
            features=COMPLETE_FEATURES,
            target=columns["target"],
            times=columns["times"],
            label=0.0,
        )


def test_tz_aware_times_given_as_an_array_keep_their_calendar(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    """Per-period returns are cut on the times' own wall clock, however the times are given.

    In UTC+14 every trade date's midnight is the previous day in UTC, so a first-of-month
    trade falls in the previous month if the zone is dropped.
    """
    zone = "Pacific/Kiritimati"
    local = frame.copy()
    for col in (columns["times"], columns["label_ends"]):
        local[col] = local[col].dt.tz_localize(zone)
    first_of_month = local[columns["times"]].dt.day.eq(1)
    assert first_of_month.any()  # the case that tells the two calendars apart is there
    times = local[columns["times"]]
    cv = WalkForward(5, times=columns["times"], label_ends=columns["label_ends"])

    def records(given: Any) -> list[Any]:
        result = _ridge(cv=cv).optimize(
            local,
            features=COMPLETE_FEATURES,
            target=columns["target"],
            times=given,
            label_ends=columns["label_ends"],
        )
        return [trial_record(t)["period_returns"] for t in result.study.trials]

    as_series = records(times)
    assert records(times.to_numpy()) == as_series
    assert records(columns["times"]) == as_series
