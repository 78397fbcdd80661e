"""Running groups (and folds) through joblib without oversubscribing the cores.

Every (fold ×) group is one joblib task: a module-level function and picklable
arguments, so the work runs unchanged on any joblib backend. The default prefers
threads (XGBoost and NumPy release the GIL while they compute, and threads share
the frame instead of copying it); a user who outgrows one machine wraps the call in
``joblib.parallel_config(backend="dask")`` and the same tasks run on a Dask cluster.

With ``n_jobs = k`` the analyzer uses ``k`` cores in all: ``w = min(k, tasks)``
tasks at once, each model training with ``max(1, k // w)`` threads. With
``n_jobs=None`` joblib's active configuration decides (one task after another by
default; a ``parallel_config`` backend otherwise) and each model keeps its own
thread setting (XGBoost's default uses every core). Results do not depend on
``n_jobs`` or the backend: every task is seeded the same way, XGBoost's CPU
training is deterministic whatever its thread count, and results come back in task
order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from joblib import delayed

from tr_evaluation.parallel import check_n_jobs, cores_for, run_parallel

__all__ = ["run_tasks", "thread_plan"]

R = TypeVar("R")


def thread_plan(n_jobs: int | None, n_tasks: int) -> tuple[int | None, int | None]:
    """Tasks at once and threads per model for ``n_jobs`` cores and ``n_tasks`` tasks.

    Parameters
    ----------
    n_jobs : int or None
        Cores to use in all; ``-1`` means every core (``-2`` all but one, as in
        joblib); None leaves both to joblib's active configuration and the model's
        own thread setting.
    n_tasks : int
        Number of tasks (groups, or folds × groups).

    Returns
    -------
    workers : int or None
        ``n_jobs`` given to :class:`joblib.Parallel` (None: joblib's configuration).
    model_threads : int or None
        Threads given to each model (None: the model's own setting).

    Raises
    ------
    InvalidParameterError
        ``n_jobs`` that is not None or a non-zero integer
        (:func:`tr_evaluation.parallel.check_n_jobs`).

    Examples
    --------
    >>> thread_plan(8, 5)
    (5, 1)
    >>> thread_plan(4, 2)
    (2, 2)
    >>> thread_plan(None, 3)
    (None, None)
    """
    jobs = check_n_jobs(n_jobs)
    if jobs is None:
        return None, None
    cores = cores_for(jobs)
    workers = max(1, min(cores, n_tasks))
    return workers, max(1, cores // workers)


def run_tasks(
    fn: Callable[..., R],
    tasks: Sequence[tuple[Any, ...]],
    *,
    n_jobs: int | None,
    desc: str,
    verbose: bool,
) -> list[R]:
    """``[fn(*args) for args in tasks]`` through :func:`tr_evaluation.parallel.run_parallel`.

    Parameters
    ----------
    fn : callable
        A module-level function (picklable), so that process and Dask backends work.
    tasks : sequence of tuple
        The arguments of each call.
    n_jobs : int or None
        Workers (None: the active ``joblib.parallel_config``).
    desc : str
        Label of the progress bar.
    verbose : bool
        Whether a bar may be drawn (see :func:`tr_evaluation.progress.progress`).

    Returns
    -------
    list
        The results, in task order. The first exception raised by a task is raised here.
    """
    return run_parallel(
        (delayed(fn)(*args) for args in tasks),
        n_jobs=n_jobs,
        total=len(tasks),
        desc=desc,
        verbose=verbose,
        prefer="threads",
    )
