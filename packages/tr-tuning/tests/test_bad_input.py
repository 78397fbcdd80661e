"""Bad input: each refused before the first trial with a tr_core.errors exception naming the fix."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression, Ridge

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
    LookaheadError,
    MissingColumnError,
    NonFiniteError,
    StorageUnavailableError,
    StudyMismatchError,
    TrTypeError,
)
from tr_tuning import ModelOptimizer

N = 600
BLOCK = 100


@pytest.fixture
def small() -> pd.DataFrame:
    """600 daily rows, one informative feature, and a time column."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=N)
    return pd.DataFrame(
        {
            "time": pd.Timestamp("2021-01-01") + pd.to_timedelta(np.arange(N), unit="D"),
            "x": x,
            "z": rng.normal(size=N),
            "alpha": 0.5 * x + rng.normal(size=N),
        }
    )


def _folds(n_folds: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    rows = np.arange(N)
    return [
        (rows[: (k + 1) * BLOCK], rows[(k + 1) * BLOCK : (k + 2) * BLOCK]) for k in range(n_folds)
    ]


def _optimizer(model: Any = None, space: Any = None, **kwargs: Any) -> ModelOptimizer:
    settings: dict[str, Any] = {
        "cv": _folds(),
        "metric": "ic",
        "n_trials": 1,
        "pruner": "none",
        "random_state": 0,
        "verbose": False,
    }
    model = Ridge() if model is None else model
    space = {"alpha": ("float", 0.1, 10.0, "log")} if space is None else space
    return ModelOptimizer(model, space, **(settings | kwargs))


def _optimize(frame: pd.DataFrame, opt: ModelOptimizer | None = None, **kwargs: Any) -> Any:
    args: dict[str, Any] = {"features": ["x", "z"], "target": "alpha", "times": "time"}
    return (opt or _optimizer()).optimize(frame, **(args | kwargs))


def test_the_small_setup_runs(small: pd.DataFrame) -> None:
    assert _optimize(small).best_value > 0


def test_unknown_metric_lists_the_valid_ones(small: pd.DataFrame) -> None:
    with pytest.raises(InvalidParameterError, match=r"`metric`='sharp' is unknown.*'spread'"):
        _optimize(small, _optimizer(metric="sharp"))


@pytest.mark.parametrize(
    ("space", "match"),
    [
        ({}, r"`search_space` is empty"),
        ({"alpha": ("float", 10.0, 0.1)}, r"`search_space`\['alpha'\].*low=10.0 > high=0.1"),
        ({"alpha": ("real", 0.1, 10.0)}, r"`search_space`\['alpha'\].*first item must be the kind"),
    ],
)
def test_bad_search_spaces(small: pd.DataFrame, space: Any, match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        _optimize(small, _optimizer(space=space))


def test_a_cv_with_one_fold_is_refused(small: pd.DataFrame) -> None:
    with pytest.raises(InvalidParameterError, match=r"`cv` gives 1 fold; tuning needs at least 2"):
        _optimize(small, _optimizer(cv=_folds(1)))


def test_a_fold_without_positives_is_refused_for_auc(small: pd.DataFrame) -> None:
    small.loc[300:399, "alpha"] = -np.abs(small.loc[300:399, "alpha"]) - 0.01  # fold 2's test
    opt = _optimizer(LogisticRegression(), {"C": ("float", 0.1, 10.0, "log")}, metric="auc")
    with pytest.raises(InsufficientDataError, match=r"fold 2: .*no positive class.*is undefined"):
        _optimize(small, opt)


def test_a_fold_whose_training_rows_are_all_dropped(small: pd.DataFrame) -> None:
    small.loc[:99, "x"] = np.nan  # every training row of fold 0
    with pytest.raises(InsufficientDataError, match=r"fold 0: all 100 training rows.*dropped"):
        _optimize(small)


def test_native_nan_with_a_model_that_cannot_route_it(small: pd.DataFrame) -> None:
    small.loc[:9, "x"] = np.nan
    with pytest.raises(InvalidParameterError, match=r"`nan_policy`='native', but Ridge"):
        _optimize(small, _optimizer(nan_policy="native"))


def test_features_missing_from_the_frame(small: pd.DataFrame) -> None:
    with pytest.raises(MissingColumnError, match=r"`features` names \['y'\].*available"):
        _optimize(small, features=["x", "y"])
    with pytest.raises(MissingColumnError, match=r"`target` names \['ret'\]"):
        _optimize(small, target="ret")
    with pytest.raises(InvalidParameterError, match=r"`features` is empty"):
        _optimize(small, features=[])
    with pytest.raises(InvalidParameterError, match=r"`features` contains the target 'alpha'"):
        _optimize(small, features=["x", "alpha"])


def test_target_with_nan(small: pd.DataFrame) -> None:
    small.loc[7, "alpha"] = np.nan
    with pytest.raises(NonFiniteError, match=r"alpha"):
        _optimize(small)


def test_text_features_are_refused(small: pd.DataFrame) -> None:
    small["sector"] = np.where(small["x"] > 0, "tech", "energy")
    with pytest.raises(TrTypeError, match=r"feature 'sector'.*must be numeric, got text"):
        _optimize(small, features=["x", "sector"])


def test_a_weight_callable_with_the_wrong_length(small: pd.DataFrame) -> None:
    opt = _optimizer(sample_weight=lambda rows: np.ones(len(rows) - 1))
    with pytest.raises(LengthMismatchError, match=r"`sample_weight` \(fold 0\).*99.*100 training"):
        _optimize(small, opt)


def test_a_weight_callable_with_negative_weights(small: pd.DataFrame) -> None:
    opt = _optimizer(sample_weight=lambda rows: np.where(rows["x"] > 2.5, -1.0, 1.0))
    with pytest.raises(InvalidParameterError, match=r"`sample_weight` \(fold \d\).*negative"):
        _optimize(small, opt)


def test_a_holdout_that_overlaps_the_training_times(small: pd.DataFrame) -> None:
    with pytest.raises(LookaheadError, match=r"`holdout` starts at .*strictly after"):
        _optimize(small, holdout=small.iloc[550:])


def test_a_holdout_inside_the_training_label_windows(small: pd.DataFrame) -> None:
    train = small.iloc[:500].assign(end=small["time"].iloc[:500] + pd.Timedelta(days=30))
    holdout = small.iloc[510:].assign(end=small["time"].iloc[510:])
    opt = _optimizer(cv=None)  # WalkForward, purged by the 30-day label windows
    with pytest.raises(LookaheadError, match=r"label window end reaches"):
        _optimize(train, opt, label_ends="end", holdout=holdout)


def test_an_unreachable_database_answers_within_seconds(small: pd.DataFrame) -> None:
    start = time.monotonic()
    opt = _optimizer(storage="postgresql://u:s3cret@127.0.0.1:1/db")
    with pytest.raises(StorageUnavailableError) as info:
        _optimize(small, opt)
    assert time.monotonic() - start < 30  # a generous bound: it must not hang
    message = str(info.value)
    assert "\n" not in message
    assert "s3cret" not in message
    assert "127.0.0.1:1" in message
    assert "cannot be reached" in message


def test_a_journal_file_in_a_missing_folder(small: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "missing" / "study.journal"
    with pytest.raises(StorageUnavailableError, match=r"the folder .*missing' does not exist"):
        _optimize(small, _optimizer(storage=str(path)))


def test_a_stored_study_with_another_direction_or_metric(
    small: pd.DataFrame, tmp_path: Path
) -> None:
    journal = str(tmp_path / "study.journal")
    _optimize(small, _optimizer(storage=journal, metric="ic"))
    with pytest.raises(StudyMismatchError, match=r"metric: stored 'ic', now 'spread'"):
        _optimize(small, _optimizer(storage=journal, metric="spread"))
    opt = _optimizer(
        LogisticRegression(), {"C": ("float", 0.1, 10.0)}, metric="logloss", storage=journal
    )
    with pytest.raises(StudyMismatchError, match=r"is a maximize study.*wants to minimize"):
        _optimize(small, opt)
    # Another search space under the same name is refused too.
    with pytest.raises(StudyMismatchError, match=r"search_space: stored"):
        _optimize(small, _optimizer(space={"alpha": ("float", 0.1, 5.0)}, storage=journal))
    # The same setup continues the stored study.
    again = _optimize(small, _optimizer(storage=journal, n_trials=2))
    assert len(again.trials) == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_trials": 0}, r"`n_trials` must be a positive integer, got 0"),
        ({"n_trials": 2.5}, r"`n_trials` must be a positive integer"),
        ({"timeout": 0}, r"`timeout` must be None or a positive number of seconds, got 0"),
        ({"timeout": -5.0}, r"`timeout` must be None or a positive number"),
        ({"n_buckets": 1}, r"n_buckets"),
        ({"heartbeat_interval": 0}, r"`heartbeat_interval` must be a positive integer"),
        ({"n_jobs": 0}, r"`n_jobs` must be None"),
    ],
)
def test_bad_settings(small: pd.DataFrame, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        _optimize(small, _optimizer(**kwargs))


def test_a_frame_that_is_not_a_dataframe(small: pd.DataFrame) -> None:
    with pytest.raises(TrTypeError, match=r"`frame` must be a DataFrame, got ndarray"):
        _optimizer().optimize(small.to_numpy(), features=["x"], target="alpha", times="time")


def test_default_cv_needs_times(small: pd.DataFrame) -> None:
    with pytest.raises(InvalidParameterError, match=r"give `times`.*WalkForward"):
        _optimize(small, _optimizer(cv=None), times=None)


def test_a_bucket_metric_needs_enough_test_rows_per_fold(small: pd.DataFrame) -> None:
    with pytest.raises(InsufficientDataError, match=r"fold 0 has 100 test rows.*n_buckets=200"):
        _optimize(small, _optimizer(n_buckets=200))


def test_a_class_metric_needs_a_classifier(small: pd.DataFrame) -> None:
    with pytest.raises(InvalidParameterError, match=r"`metric`='auc' scores classes.*regressor"):
        _optimize(small, _optimizer(metric="auc"))


def test_storage_of_the_wrong_type(small: pd.DataFrame) -> None:
    with pytest.raises(TrTypeError, match=r"`storage` must be None"):
        _optimize(small, _optimizer(storage=3))


def test_bad_holdouts(small: pd.DataFrame) -> None:
    train, later = small.iloc[:500], small.iloc[520:]
    opt = _optimizer(cv=[(f[0], f[1]) for f in _folds(4)])
    with pytest.raises(TrTypeError, match=r"`holdout` must be a DataFrame, got ndarray"):
        _optimize(train, opt, holdout=later.to_numpy())
    with pytest.raises(MissingColumnError, match=r"`holdout` lacks the columns \['z'\]"):
        _optimize(train, opt, holdout=later.drop(columns="z"))
    with pytest.raises(InvalidParameterError, match=r"a `holdout` needs `times` given as a column"):
        _optimize(train, opt, times=train["time"], holdout=later)
    gaps = later.assign(x=np.nan)
    with pytest.raises(InsufficientDataError, match=r"every holdout row has a missing feature"):
        _optimize(train, opt, holdout=gaps)


def test_times_as_values_instead_of_a_column(small: pd.DataFrame) -> None:
    by_column = _optimize(small)
    by_series = _optimize(small, times=small["time"].sample(frac=1.0, random_state=0))
    by_array = _optimize(small, times=small["time"].to_numpy())
    assert by_series.best_value == by_column.best_value
    assert by_array.best_value == by_column.best_value
    assert by_series.selection.n_periods == by_column.selection.n_periods


def _always_nan(y: Any, score: Any, alpha: Any, w: Any) -> float:
    return float("nan")


def test_a_study_whose_trials_all_fail_stops_with_the_reason(small: pd.DataFrame) -> None:
    from tr_tuning import Metric

    opt = _optimizer(metric=Metric(_always_nan, "maximize", name="broken"), n_trials=50)
    with pytest.raises(InsufficientDataError, match=r"trials in a row failed.*broken is nan"):
        _optimize(small, opt)


def test_a_custom_metric_refusing_a_fold_names_the_fold(small: pd.DataFrame) -> None:
    from tr_tuning import Metric

    def needs_more(y: Any, score: Any, alpha: Any, w: Any) -> float:
        raise InsufficientDataError("too few rows for my metric")

    opt = _optimizer(metric=Metric(needs_more, "maximize"))
    with pytest.raises(InsufficientDataError, match=r"fold 0: too few rows for my metric"):
        _optimize(small, opt)
