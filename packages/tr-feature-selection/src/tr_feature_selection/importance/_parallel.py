"""Importance loops as joblib work items, so one setting moves them to a Dask cluster.

Every loop of the importance methods (SFI's features × folds, permutation's units)
is a stream of ``joblib.delayed`` calls of *module-level* functions on plain
arguments (numpy arrays, an estimator, a metric name), run by
``joblib.Parallel(n_jobs=...)``. Nothing in a work item is a lambda or a closure of
this package, so it pickles for joblib's process backend (loky) and for Dask:
wrapping a call in ``joblib.parallel_config(backend="dask")`` runs it on a
``dask.distributed`` cluster unchanged.

Results do not depend on ``n_jobs`` or the backend: every piece of randomness is
drawn in the calling process before the work is handed out (permutations) or fixed
in the model template (its ``random_state``), and results come back in task order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

# joblib ships no type information; the override in the root pyproject may or may not list it.
from joblib import Parallel, delayed  # type: ignore[import-untyped, unused-ignore]

from tr_core.errors import InvalidParameterError
from tr_evaluation.progress import progress

__all__ = ["check_n_jobs", "delayed", "run_parallel"]


def check_n_jobs(n_jobs: Any) -> int | None:
    """``n_jobs`` as joblib reads it: None, or a non-zero integer (``-1``: every core).

    Raises
    ------
    InvalidParameterError
        Anything else (0, a float, a bool).
    """
    if n_jobs is None:
        return None
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs == 0:
        raise InvalidParameterError(
            f"`n_jobs` must be None (one at a time, or what joblib.parallel_config says), "
            f"-1 (every core) or a positive number of parallel work items, got {n_jobs!r}."
        )
    return int(n_jobs)


def run_parallel(
    tasks: Iterable[Any], *, n_jobs: int | None, total: int, desc: str, verbose: bool
) -> list[Any]:
    """Results of the ``joblib.delayed`` calls ``tasks``, in order, with a progress bar.

    ``tasks`` may be a generator: joblib draws from it as workers free up, so the
    inputs of all work items never sit in memory at once. An exception raised by a
    task, or by the generator itself, is raised here.
    """
    runner = Parallel(n_jobs=n_jobs, return_as="generator")
    return list(progress(runner(tasks), desc=desc, total=total, verbose=verbose))
