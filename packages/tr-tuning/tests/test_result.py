"""TuningResult: the trial table, summary, importances, plots and the refit model."""

from __future__ import annotations

import json
import math
import os
import socket
from typing import Any

import matplotlib
import numpy as np
import optuna
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge

from tr_core.errors import InsufficientDataError, InvalidParameterError
from tr_core.splits import WalkForward, checked_folds
from tr_tuning import Metric, ModelOptimizer, TuningResult
from tr_tuning.objective import trial_record

matplotlib.use("Agg")

FEATURES = ["ins_log_value", "ins_own_change", "ins_role_score", "noise_0", "noise_1"]
SPACE = {
    "alpha": ("float", 1e-2, 1e5, "log"),
    "tol": ("float", 1e-6, 1e-2, "log"),
    "fit_intercept": True,
}


@pytest.fixture(scope="module")
def result(market: Any) -> TuningResult:
    c = market.contract
    opt = ModelOptimizer(
        Ridge(), SPACE, n_trials=8, pruner="none", random_state=0, n_buckets=10, verbose=False
    )
    return opt.optimize(
        market.frame, features=FEATURES, target=c.target, times=c.time, label_ends=c.label_end
    )


def test_the_trial_table(result: TuningResult) -> None:
    trials = result.trials
    assert trials.index.name == "trial"
    assert list(trials.index) == list(range(8))
    expected = {
        "state",
        "value",
        "param_alpha",
        "param_tol",
        *(f"fold_{k}" for k in range(5)),
        "pruned_at_fold",
        "n_rounds",
        "duration_s",
        "worker",
    }
    assert expected <= set(trials.columns)
    assert (trials["state"] == "COMPLETE").all()
    assert trials["pruned_at_fold"].isna().all()
    assert trials["n_rounds"].isna().all()  # Ridge does not boost
    assert (trials["duration_s"] > 0).all()
    assert (trials["worker"] == f"{socket.gethostname()}:{os.getpid()}").all()
    folds = trials[[f"fold_{k}" for k in range(5)]]
    np.testing.assert_allclose(trials["value"], folds.mean(axis=1))
    # Fixed parameters are part of the best parameters but not searched columns.
    assert "param_fit_intercept" not in trials.columns
    assert result.best_params["fit_intercept"] is True
    assert result.best_params["alpha"] == trials.loc[result.best_trial, "param_alpha"]


def test_summary_is_json_and_to_frame_is_a_copy(result: TuningResult) -> None:
    summary = json.loads(json.dumps(summary_ := result.summary(), allow_nan=False))
    assert summary == summary_
    assert summary["best_trial"] == result.best_trial
    assert summary["trials"] == {"COMPLETE": 8}
    assert summary["n_folds"] == 5
    assert summary["metric"] == "top_bucket_return"
    assert summary["storage"] == "in-memory"
    assert "DSR" in summary["selection_bias"]["reading"]
    frame = result.to_frame()
    pd.testing.assert_frame_equal(frame, result.trials)
    frame.loc[0, "value"] = 99.0
    assert result.trials.loc[0, "value"] != 99.0
    text = repr(result)
    assert text.startswith("TuningResult(study='tr-tuning'")
    assert "n_trials=8" in text


def test_param_importances_sum_to_one_over_the_searched_params(result: TuningResult) -> None:
    importances = result.param_importances()
    assert set(importances.index) == {"alpha", "tol"}
    assert importances.sum() == pytest.approx(1.0)
    assert (importances >= 0).all()
    assert importances.name == "importance"


@pytest.mark.parametrize("plot", ["plot_history", "plot_importances", "plot_slices"])
def test_plots_are_figures(result: TuningResult, plot: str) -> None:
    import matplotlib.pyplot as plt

    fig = getattr(result, plot)()
    assert isinstance(fig, Figure)
    assert "tr-tuning" in fig._suptitle.get_text()
    plt.close(fig)


def test_selection_bias_fields(result: TuningResult) -> None:
    bias = result.selection
    for value in (bias.deflated_sharpe, bias.pbo):
        assert math.isnan(value) or 0.0 <= value <= 1.0
    if math.isnan(bias.deflated_sharpe) or math.isnan(bias.pbo):
        assert bias.reason
    assert bias.n_trials == 8


def test_best_model_of_a_result_read_without_data(result: TuningResult) -> None:
    stored = TuningResult.from_study(result.study, storage="journal file x")
    assert stored.best_params == result.best_params
    assert stored.best_value == result.best_value
    with pytest.raises(InvalidParameterError, match=r"without its data.*optimize\(frame"):
        stored.best_model()
    refit = result.best_model()
    assert isinstance(refit, Ridge)
    assert refit.alpha == result.best_params["alpha"]


def test_a_study_without_completed_trials() -> None:
    study = optuna.create_study(study_name="empty")
    with pytest.raises(InsufficientDataError, match=r"study 'empty' has no completed trial"):
        TuningResult.from_study(study, storage="in-memory")


def test_importances_need_two_completed_trials(result: TuningResult) -> None:
    study = optuna.create_study(study_name="one")
    study.add_trial(
        optuna.trial.create_trial(
            value=1.0,
            params={"a": 0.5},
            distributions={"a": optuna.distributions.FloatDistribution(0, 1)},
        )
    )
    one = TuningResult.from_study(study, storage="in-memory")
    with pytest.raises(InsufficientDataError, match=r"at least 2 completed trials, got 1"):
        one.param_importances()
    with pytest.raises(InsufficientDataError, match=r"at least 2 completed trials"):
        one.plot_importances()
    assert math.isnan(one.selection.pbo)
    assert "fewer than 2" in one.selection.reason
    detached = TuningResult.from_study(study, storage="in-memory")
    object.__setattr__(detached, "study", None)
    with pytest.raises(InsufficientDataError, match=r"no study is attached"):
        detached.plot_history()


class Coarse(RegressorMixin, BaseEstimator):
    """Ranks by the first feature, or (``coarse=True``) predicts 0/1 only."""

    def __init__(self, coarse: bool = False) -> None:
        self.coarse = coarse

    def fit(self, X: pd.DataFrame, y: Any, sample_weight: Any = None) -> Coarse:
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        first = X.iloc[:, 0].to_numpy()
        return (first > np.median(first)).astype(np.float64) if self.coarse else first


def test_tied_top_scores_count_their_rows_in_the_period_returns(market: Any) -> None:
    # 0/1 scores: the top bucket of 20 is empty; the top rows are the highest occupied
    # bucket (score 1), both for the metric and for the per-period returns behind DSR/PBO.
    c = market.contract
    frame = market.frame
    opt = ModelOptimizer(
        Coarse(coarse=True), {"coarse": ("categorical", [True])}, n_trials=1, verbose=False
    )
    result = opt.optimize(
        frame, features=FEATURES, target=c.target, times=c.time, label_ends=c.label_end
    )
    assert result.trials.loc[0, "state"] == "COMPLETE"
    records = trial_record(result.study.trials[0])["period_returns"]
    tested = [v for v in records.values() if v is not None]
    assert len(tested) >= 20  # every tested month has top rows
    # Fold 0's score is the mean target of its rows scored 1.
    _train, test = next(
        iter(checked_folds(WalkForward(5, times=c.time, label_ends=c.label_end), frame))
    )
    test = test[frame[FEATURES].notna().all(axis=1).to_numpy()[test]]  # nan_policy="drop"
    x = frame[FEATURES[0]].to_numpy()[test]
    top = x > np.median(x)
    expected = frame[c.target].to_numpy()[test][top].mean()
    assert result.trials.loc[0, "fold_0"] == pytest.approx(expected)


def _nan_when_coarse(y: Any, score: Any, alpha: Any, w: Any) -> float:
    return float("nan") if np.unique(score).size < 3 else float(np.corrcoef(score, alpha)[0, 1])


def test_a_trial_whose_metric_is_nan_fails_with_the_reason(market: Any) -> None:
    def space(trial: optuna.trial.BaseTrial) -> dict[str, Any]:
        coarse = int(trial.number == 0)
        return {"coarse": bool(trial.suggest_int("coarse", coarse, coarse))}

    c = market.contract
    metric = Metric(_nan_when_coarse, "maximize", name="corr")
    opt = ModelOptimizer(Coarse(), space, metric=metric, n_trials=1, verbose=False)
    result = opt.optimize(
        market.frame, features=FEATURES, target=c.target, times=c.time, label_ends=c.label_end
    )
    failed = result.trials.loc[0]
    assert failed["state"] == "FAIL"
    assert failed["failed_reason"] == "corr is nan on fold 0"
    # A failed trial is not finished: the worker goes on until the study holds n_trials.
    assert result.trials.loc[1, "state"] == "COMPLETE"
    assert result.best_trial == 1


def test_trials_frame_of_an_empty_study() -> None:
    from tr_tuning.result import trials_frame

    assert trials_frame(optuna.create_study()).empty
