"""Samplers: seeded and reproducible; optional ones say what to install; unknown names refused."""

from __future__ import annotations

import importlib.util
from typing import Any

import optuna
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from tr_core.errors import InvalidParameterError, TrTypeError
from tr_tuning import ModelOptimizer
from tr_tuning.bayesian_search import SAMPLERS, make_pruner, make_sampler

FEATURES = ["ins_log_value", "ins_own_change", "ins_role_score", "noise_0", "noise_1"]
SPACE = {"alpha": ("float", 1e-2, 1e4, "log"), "tol": ("float", 1e-6, 1e-2, "log")}


def _tune(frame: pd.DataFrame, columns: dict[str, Any], sampler: Any, n_trials: int = 6) -> Any:
    opt = ModelOptimizer(
        Ridge(),
        SPACE,
        metric="ic",
        n_trials=n_trials,
        sampler=sampler,
        pruner="none",
        random_state=3,
        verbose=False,
    )
    return opt.optimize(
        frame,
        features=FEATURES,
        target=columns["target"],
        times=columns["times"],
        label_ends=columns["label_ends"],
    )


@pytest.mark.parametrize("sampler", ["tpe", "random"])
def test_same_seed_single_worker_gives_the_same_trials(
    frame: pd.DataFrame, columns: dict[str, Any], sampler: str
) -> None:
    first = _tune(frame, columns, sampler).trials
    second = _tune(frame, columns, sampler).trials
    cols = ["state", "value", "param_alpha", "param_tol"]
    pd.testing.assert_frame_equal(first[cols], second[cols])
    assert first["param_alpha"].nunique() == len(first)  # really searched


def test_another_seed_gives_other_trials(frame: pd.DataFrame, columns: dict[str, Any]) -> None:
    a = make_sampler("random", random_state=1, shared=False)
    b = make_sampler("random", random_state=2, shared=False)
    first = _tune(frame, columns, a, n_trials=3).trials
    second = _tune(frame, columns, b, n_trials=3).trials
    assert not first["param_alpha"].equals(second["param_alpha"])


def test_cmaes_runs(frame: pd.DataFrame, columns: dict[str, Any]) -> None:
    result = _tune(frame, columns, "cmaes", n_trials=4)
    assert (result.trials["state"] == "COMPLETE").all()
    assert isinstance(result.study.sampler, optuna.samplers.CmaEsSampler)


def test_tpe_is_multivariate_and_seeded() -> None:
    sampler = make_sampler("tpe", random_state=0, shared=True)
    assert isinstance(sampler, optuna.samplers.TPESampler)


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch is installed")
def test_gp_without_torch_says_what_to_install() -> None:
    with pytest.raises(InvalidParameterError, match=r"sampler='gp' needs the package 'torch'.*pip"):
        make_sampler("gp", random_state=0, shared=False)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")
def test_gp_with_torch_is_optunas_gp_sampler() -> None:
    assert isinstance(make_sampler("gp", random_state=0, shared=False), optuna.samplers.GPSampler)


def test_a_sampler_instance_is_used_as_given() -> None:
    sampler = optuna.samplers.NSGAIISampler(seed=0)
    assert make_sampler(sampler, random_state=1, shared=True) is sampler


@pytest.mark.parametrize("bad", ["bayes", "TPE", 3, None])
def test_unknown_sampler_lists_the_valid_ones(bad: Any) -> None:
    with pytest.raises(InvalidParameterError, match=r"`sampler`=.* is unknown") as info:
        make_sampler(bad, random_state=0, shared=False)
    for name in SAMPLERS:
        assert repr(name) in str(info.value)


def test_unknown_pruner_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match=r"`pruner`='asha' is unknown.*'median'"):
        make_pruner("asha", 5)
    with pytest.raises(TrTypeError, match=r"`pruner` must be a name.*got int"):
        make_pruner(3, 5)


def test_unknown_sampler_is_refused_by_optimize_before_any_trial(
    frame: pd.DataFrame, columns: dict[str, Any]
) -> None:
    with pytest.raises(InvalidParameterError, match=r"`sampler`='annealing' is unknown"):
        _tune(frame, columns, "annealing")


def test_workers_of_a_shared_study_get_their_own_seed() -> None:
    """Same random_state on a shared storage: the seed mixes in the process id."""

    def first_values(shared: bool) -> list[float]:
        sampler = make_sampler("random", random_state=0, shared=shared)
        study = optuna.create_study(sampler=sampler)
        study.optimize(lambda t: t.suggest_float("x", 0.0, 1.0), n_trials=3)
        return [t.params["x"] for t in study.trials]

    assert first_values(shared=False) == first_values(shared=False)
    assert first_values(shared=True) == first_values(shared=True)  # same process, same seed
    assert first_values(shared=True) != first_values(shared=False)
