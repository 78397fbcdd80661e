"""Bayesian search: which parameters to try next (samplers), and which trials to stop (pruners).

Samplers, all seeded by ``random_state``:

``"tpe"`` (default)
    Multivariate tree-structured Parzen estimator (Bergstra et al. 2011; Falkner et
    al. 2018 for the multivariate kernel), which models the joint effect of
    parameters such as depth and learning rate. With a shared storage, several
    workers may run at once, and ``constant_liar`` makes a worker treat the others'
    running trials as bad so the workers do not all probe the same region.
``"gp"``
    Gaussian-process Bayesian optimization (Optuna's ``GPSampler``; needs PyTorch).
``"cmaes"``
    CMA-ES (Hansen 2016; needs ``tr-tuning[cmaes]``), for continuous spaces.
``"random"``
    Uniform random search: the baseline every clever sampler must beat.

Any :class:`optuna.samplers.BaseSampler` instance is used as given.

Pruners compare a running trial with the others *at the same step*; here a step
is a fold (see :mod:`tr_tuning.objective`). ``"median"`` stops a trial whose
running mean over its first folds is worse than the median of the completed
trials' running means at that fold (:class:`FoldMedianPruner`);
``"hyperband"`` (Li et al. 2018) treats folds as the resource; ``"none"`` never
prunes.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import numpy as np
import optuna

from tr_core.errors import InvalidParameterError, TrTypeError

__all__ = ["PRUNERS", "SAMPLERS", "FoldMedianPruner", "make_pruner", "make_sampler"]

SAMPLERS = ("tpe", "gp", "cmaes", "random")
PRUNERS = ("median", "hyperband", "none")

# The median pruner needs some finished trials to compare with before it stops any.
MEDIAN_STARTUP_TRIALS = 5


def make_sampler(
    sampler: Any, *, random_state: int | None, shared: bool
) -> optuna.samplers.BaseSampler:
    """An Optuna sampler from a name or an instance.

    Parameters
    ----------
    sampler : {"tpe", "gp", "cmaes", "random"} or optuna.samplers.BaseSampler
        The search strategy.
    random_state : int or None
        Seed: the same seed, space and single in-memory worker give the same trials.
    shared : bool
        Whether several workers may share the study (a persistent storage). Turns on
        TPE's constant liar, and seeds the sampler from ``random_state`` *and* the
        process id: workers started with the same seed would otherwise propose the
        very same parameters, trial after trial.

    Raises
    ------
    InvalidParameterError
        An unknown name (the valid ones are listed), or a sampler whose optional
        dependency is not installed (naming what to install).
    """
    if isinstance(sampler, optuna.samplers.BaseSampler):
        return sampler
    if shared and random_state is not None:
        entropy = np.random.SeedSequence([random_state, os.getpid()])
        random_state = int(entropy.generate_state(1)[0])
    if sampler == "tpe":
        return optuna.samplers.TPESampler(
            seed=random_state, multivariate=True, constant_liar=shared
        )
    if sampler == "random":
        return optuna.samplers.RandomSampler(seed=random_state)
    if sampler == "gp":
        _require("torch", "sampler='gp'", "pip install torch (the CPU build is enough)")
        return optuna.samplers.GPSampler(seed=random_state)
    if sampler == "cmaes":
        _require("cmaes", "sampler='cmaes'", "pip install 'tr-tuning[cmaes]'")
        return optuna.samplers.CmaEsSampler(seed=random_state)
    raise InvalidParameterError(
        f"`sampler`={sampler!r} is unknown; use one of {list(SAMPLERS)} or an "
        "optuna.samplers.BaseSampler instance."
    )


def make_pruner(pruner: Any, n_folds: int) -> optuna.pruners.BasePruner:
    """An Optuna pruner from a name or an instance; steps are folds ``0..n_folds-1``.

    Raises
    ------
    InvalidParameterError
        An unknown name (the valid ones are listed).
    """
    if isinstance(pruner, optuna.pruners.BasePruner):
        return pruner
    if pruner is None or pruner == "none":
        return optuna.pruners.NopPruner()
    if pruner == "median":
        return FoldMedianPruner(n_startup_trials=MEDIAN_STARTUP_TRIALS)
    if pruner == "hyperband":
        return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=n_folds)
    if isinstance(pruner, str):
        raise InvalidParameterError(
            f"`pruner`={pruner!r} is unknown; use one of {list(PRUNERS)} or an "
            "optuna.pruners.BasePruner instance."
        )
    raise TrTypeError(
        f"`pruner` must be a name ({list(PRUNERS)}) or an optuna pruner, got "
        f"{type(pruner).__name__}."
    )


class FoldMedianPruner(optuna.pruners.BasePruner):
    """Stop a trial whose running score at this fold is worse than the completed trials' median.

    Optuna's ``MedianPruner`` compares the *best* value a trial reported at any
    step so far with the others' median at the current step. That suits learning
    curves, which improve with the step; a running mean over folds does not
    improve with the fold, and when later folds are harder (a weaker signal, a
    regime change) a trial's early running mean stays above everyone's later
    median, so a trial that turns bad on a later fold would never be stopped.
    Here the trial's running mean at fold ``k`` is compared with the completed
    trials' running means at fold ``k`` — like with like.

    Parameters
    ----------
    n_startup_trials : int, default 5
        Completed trials needed before any trial is pruned.
    """

    def __init__(self, n_startup_trials: int = MEDIAN_STARTUP_TRIALS) -> None:
        self.n_startup_trials = n_startup_trials

    def prune(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> bool:
        """Whether ``trial`` should stop after the step it reported last."""
        step = trial.last_step
        if step is None:
            return False
        completed = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
        if len(completed) < self.n_startup_trials:
            return False
        # The objective reports finite running means only (a non-finite fold score fails
        # the trial before it reports).
        value = trial.intermediate_values[step]
        others = np.array(
            [t.intermediate_values[step] for t in completed if step in t.intermediate_values],
            dtype=np.float64,
        )
        others = others[np.isfinite(others)]
        if others.size == 0:
            return False
        median = float(np.median(others))
        if study.direction == optuna.study.StudyDirection.MAXIMIZE:
            return value < median
        return value > median


def _require(module: str, what: str, fix: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise InvalidParameterError(f"{what} needs the package {module!r}, not installed: {fix}.")
