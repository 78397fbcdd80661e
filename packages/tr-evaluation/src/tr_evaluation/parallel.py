"""Parallel work through one mechanism, joblib, so a Dask cluster can take over unchanged.

Every loop of the toolkit that can run in parallel — feature groups × folds,
single-feature and permutation importance, baseline rankers — hands
``joblib.delayed`` calls of *module-level* functions on plain, picklable arguments
to :func:`run_parallel`. On one machine ``n_jobs`` sets the workers; a user who
outgrows it wraps the call in ``joblib.parallel_config(backend="dask")`` and the
same work items run on a ``dask.distributed`` cluster. Results come back in task
order, and callers draw every random number before handing work out, so results do
not depend on ``n_jobs`` or the backend.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
from joblib import Parallel, effective_n_jobs

from tr_core.errors import InvalidParameterError
from tr_evaluation.progress import progress

__all__ = ["check_n_jobs", "cores_for", "run_parallel"]


def check_n_jobs(n_jobs: Any) -> int | None:
    """``n_jobs`` as joblib reads it: None, or a non-zero integer (``-1``: every core,
    ``-2``: all but one).

    Parameters
    ----------
    n_jobs : object
        The caller's argument.

    Returns
    -------
    int or None

    Raises
    ------
    InvalidParameterError
        Anything else (0, a float, a bool), naming the argument and the fix.
    """
    if n_jobs is None:
        return None
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs == 0:
        raise InvalidParameterError(
            f"`n_jobs` must be None (one at a time, or what joblib.parallel_config says), "
            f"a positive number of parallel work items, or a negative one as in joblib (-1: "
            f"every core, -2: all but one), got {n_jobs!r}."
        )
    return int(n_jobs)


def cores_for(n_jobs: int) -> int:
    """The number of workers a checked, non-None ``n_jobs`` stands for (``-1``: every core)."""
    return int(effective_n_jobs(n_jobs))


def run_parallel(
    tasks: Iterable[Any],
    *,
    n_jobs: int | None,
    total: int,
    desc: str,
    verbose: bool,
    prefer: Literal["threads", "processes"] | None = None,
) -> list[Any]:
    """Results of the ``joblib.delayed`` calls ``tasks``, in task order, with a progress bar.

    Parameters
    ----------
    tasks : iterable of joblib.delayed calls
        May be a generator: joblib draws from it as workers free up, so the inputs of
        all work items never sit in memory at once.
    n_jobs : int or None
        Passed to :class:`joblib.Parallel` (None: one at a time, or the active
        ``joblib.parallel_config``).
    total : int
        Number of tasks, for the progress bar.
    desc : str
        Label of the progress bar.
    verbose : bool
        Whether a bar may be drawn (see :func:`tr_evaluation.progress.progress`).
    prefer : {"threads", "processes"}, optional
        A soft hint for joblib's default backend (threads suit work that releases the
        GIL, such as XGBoost and NumPy, and share the caller's arrays); a
        ``parallel_config`` backend overrides it.

    Returns
    -------
    list
        The results, in task order. The first exception raised by a task (or by the
        generator of tasks) is raised here.
    """
    runner = Parallel(n_jobs=n_jobs, prefer=prefer, return_as="generator")
    return list(progress(runner(tasks), desc=desc, total=total, verbose=verbose))
