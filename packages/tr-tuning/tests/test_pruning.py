"""Pruning across folds: a trial good on its first folds and bad on a later one is pruned there.

The model below reads two features: ``signal`` (the planted truth: the target is
``strength * signal``) and ``t`` (the row's day number). With hyperparameter
``turn`` it ranks by ``signal`` before day ``turn`` and by ``-signal`` from then
on, so a trial with ``turn`` inside fold ``k``'s test block scores exactly like
the good trials on folds ``0..k-1`` and badly from fold ``k``. The signal weakens
over time, so the good trials' running mean *falls* from fold to fold: a pruner
that compared a trial's best running mean so far (Optuna's ``MedianPruner``)
would never stop the bad trial, whose early running mean is as high as anyone's.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import optuna
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin

from tr_tuning import ModelOptimizer
from tr_tuning.bayesian_search import MEDIAN_STARTUP_TRIALS, FoldMedianPruner, make_pruner
from tr_tuning.objective import trial_record

BLOCK = 100
N_BLOCKS = 6
# Signal strength in each block: falling, so the good trials' running mean falls too.
STRENGTH = np.array([6.0, 5.0, 4.0, 3.0, 2.0, 1.0])
GOOD = 1e6  # a turn day after every row: never inverts


class TurningModel(RegressorMixin, BaseEstimator):
    """Ranks by ``signal`` before day ``turn`` and by ``-signal`` from then on."""

    def __init__(self, turn: float = GOOD) -> None:
        self.turn = turn

    def fit(self, X: pd.DataFrame, y: Any, sample_weight: Any = None) -> TurningModel:
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        signal = X["signal"].to_numpy()
        return np.where(X["t"].to_numpy() < self.turn, signal, -signal)


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    n = BLOCK * N_BLOCKS
    rng = np.random.default_rng(11)
    # The same 100 signal values in every block (shuffled), so block scores differ only by
    # the planted strength.
    grid = np.linspace(-2.0, 2.0, BLOCK)
    signal = np.concatenate([rng.permutation(grid) for _ in range(N_BLOCKS)])
    day = np.arange(n)
    times = pd.Timestamp("2020-01-01") + pd.to_timedelta(day, unit="D")
    return pd.DataFrame(
        {
            "time": times,
            "t": day.astype(np.float64),
            "signal": signal,
            "alpha": STRENGTH[day // BLOCK] * signal,
        }
    )


def _folds() -> list[tuple[np.ndarray, np.ndarray]]:
    """Fold k trains on blocks 0..k and tests on block k+1 (5 folds)."""
    rows = np.arange(BLOCK * N_BLOCKS)
    return [
        (rows[: (k + 1) * BLOCK], rows[(k + 1) * BLOCK : (k + 2) * BLOCK])
        for k in range(N_BLOCKS - 1)
    ]


def _turn_in_fold(k: int) -> float:
    """A turn day at the start of fold k's test block."""
    return float((k + 1) * BLOCK)


def _run(planted: pd.DataFrame, turns: list[float], pruner: Any) -> Any:
    def space(trial: optuna.trial.BaseTrial) -> dict[str, float]:
        value = turns[trial.number]
        return {"turn": trial.suggest_float("turn", value, value)}

    opt = ModelOptimizer(
        TurningModel(),
        space,
        cv=_folds(),
        n_trials=len(turns),
        pruner=pruner,
        sampler="random",
        random_state=0,
        verbose=False,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = opt.optimize(
            planted, features=["t", "signal"], target="alpha", times="time", label_ends="time"
        )
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "already reported" in m], messages
    return result


TURNS = [GOOD] * MEDIAN_STARTUP_TRIALS + [_turn_in_fold(3), _turn_in_fold(1), GOOD]


def test_a_trial_bad_only_on_later_folds_is_pruned_at_that_fold(planted: pd.DataFrame) -> None:
    result = _run(planted, TURNS, "median")
    trials = result.trials
    good = trials.iloc[:MEDIAN_STARTUP_TRIALS]
    assert (good["state"] == "COMPLETE").all()
    # Folds get weaker over time, so the good trials' fold scores fall.
    good_scores = good[[f"fold_{k}" for k in range(5)]].iloc[0].to_numpy()
    assert (np.diff(good_scores) < 0).all()

    late, early, last = trials.iloc[MEDIAN_STARTUP_TRIALS:].itertuples()
    assert late.state == "PRUNED"
    assert late.pruned_at_fold == 3
    assert early.state == "PRUNED"
    assert early.pruned_at_fold == 1
    assert last.state == "COMPLETE"
    assert pd.isna(last.pruned_at_fold)
    # Before turning bad the pruned trial scored exactly like the good ones...
    np.testing.assert_array_equal([late.fold_0, late.fold_1, late.fold_2], good_scores[:3])
    # ... and the fold it was pruned at is where it turned: its score there is negative.
    assert late.fold_3 < 0
    assert pd.isna(late.fold_4)  # never fitted
    assert early.fold_0 == good_scores[0]
    assert early.fold_1 < 0
    assert result.best_value == pytest.approx(good_scores.mean())


def test_every_fold_reports_at_its_own_step(planted: pd.DataFrame) -> None:
    result = _run(planted, TURNS, "median")
    for trial in result.study.get_trials(deepcopy=False):
        pruned_at = trial_record(trial).get("pruned_at_fold")
        last = 4 if pruned_at is None else pruned_at
        assert sorted(trial.intermediate_values) == list(range(last + 1))
        # The value at step k is the running mean of the first k+1 fold scores.
        scores = trial_record(trial)["fold_scores"]
        running = np.cumsum(scores) / np.arange(1, len(scores) + 1)
        np.testing.assert_allclose([trial.intermediate_values[k] for k in range(last + 1)], running)


def test_pruner_none_prunes_nothing(planted: pd.DataFrame) -> None:
    result = _run(planted, TURNS, "none")
    assert (result.trials["state"] == "COMPLETE").all()
    assert result.trials["pruned_at_fold"].isna().all()
    bad = result.trials.iloc[MEDIAN_STARTUP_TRIALS : MEDIAN_STARTUP_TRIALS + 2]
    assert (bad["value"] < result.best_value).all()


def test_hyperband_prunes_by_folds_as_resource(planted: pd.DataFrame) -> None:
    result = _run(planted, [GOOD] * 4 + [_turn_in_fold(1)] * 3, "hyperband")
    states = result.trials["state"]
    assert (states.iloc[:4] == "COMPLETE").all()
    pruned = result.trials[states == "PRUNED"]
    assert len(pruned) >= 1
    assert (pruned["pruned_at_fold"] >= 1).all()


def test_median_pruner_waits_for_its_startup_trials(planted: pd.DataFrame) -> None:
    # The bad trial comes second: too few completed trials to compare with.
    result = _run(planted, [GOOD, _turn_in_fold(1), GOOD], "median")
    assert (result.trials["state"] == "COMPLETE").all()


def test_a_pruner_instance_is_used_as_given() -> None:
    pruner = optuna.pruners.PercentilePruner(25.0)
    assert make_pruner(pruner, 5) is pruner
    assert isinstance(make_pruner(None, 5), optuna.pruners.NopPruner)


def _trial(values: dict[int, float], state: Any = None) -> optuna.trial.FrozenTrial:
    state = optuna.trial.TrialState.COMPLETE if state is None else state
    value = list(values.values())[-1] if state == optuna.trial.TrialState.COMPLETE else None
    return optuna.trial.create_trial(
        state=state, value=value, intermediate_values=values, params={}, distributions={}
    )


@pytest.mark.parametrize("direction", ["maximize", "minimize"])
def test_fold_median_pruner_compares_the_current_fold_only(direction: str) -> None:
    sign = 1.0 if direction == "maximize" else -1.0
    study = optuna.create_study(direction=direction)
    for v in (1.0, 2.0, 3.0, 4.0, 5.0):
        study.add_trial(_trial({0: sign * v, 1: sign * v}))
    pruner = FoldMedianPruner()
    running = optuna.trial.TrialState.RUNNING
    # Best at fold 0 (10), just below the median at fold 1 (3): pruned at fold 1 all the same.
    assert pruner.prune(study, _trial({0: sign * 10.0, 1: sign * 2.9}, running))
    assert not pruner.prune(study, _trial({0: sign * 10.0, 1: sign * 3.0}, running))
    assert not pruner.prune(study, _trial({0: sign * 3.5}, running))
    # No completed trial reached fold 2: nothing to compare with.
    assert not pruner.prune(study, _trial({0: sign * 5.0, 1: sign * 5.0, 2: -sign * 9.0}, running))
    assert not pruner.prune(study, _trial({}, running))
    assert not FoldMedianPruner(n_startup_trials=6).prune(
        study, _trial({0: sign * 10.0, 1: sign * -9.0}, running)
    )
