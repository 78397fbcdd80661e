"""Running groups (and folds) in parallel threads without oversubscribing the cores.

Threads suffice: XGBoost and NumPy release the GIL while they compute. With
``n_jobs = k`` the analyzer uses ``k`` cores in all: ``w = min(k, tasks)`` worker
threads, each training its model with ``max(1, k // w)`` threads. With
``n_jobs=None`` tasks run one after another and each model keeps its own thread
setting (XGBoost's default uses every core). Results do not depend on ``n_jobs``:
every task is seeded the same way and XGBoost's CPU training is deterministic
whatever its thread count; results are returned in task order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from tr_core.errors import InvalidParameterError
from tr_evaluation.progress import progress

__all__ = ["run_tasks", "thread_plan"]

T = TypeVar("T")
R = TypeVar("R")


def thread_plan(n_jobs: int | None, n_tasks: int) -> tuple[int, int | None]:
    """Worker threads and threads per model for ``n_jobs`` cores and ``n_tasks`` tasks.

    Parameters
    ----------
    n_jobs : int or None
        Cores to use in all; ``-1`` means every core; None runs tasks one after
        another and leaves the model's own thread setting alone.
    n_tasks : int
        Number of tasks (groups, or folds × groups).

    Returns
    -------
    workers : int
        Tasks run at once.
    model_threads : int or None
        Threads given to each model (None: the model's own setting).

    Raises
    ------
    InvalidParameterError
        ``n_jobs`` that is not None, -1 or a positive integer.

    Examples
    --------
    >>> thread_plan(8, 5)
    (5, 1)
    >>> thread_plan(4, 2)
    (2, 2)
    """
    if n_jobs is None:
        return 1, None
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or (n_jobs < 1 and n_jobs != -1):
        raise InvalidParameterError(
            f"`n_jobs` must be None, -1 (every core) or a positive integer, got {n_jobs!r}."
        )
    cores = (os.cpu_count() or 1) if n_jobs == -1 else n_jobs
    workers = max(1, min(cores, n_tasks))
    return workers, max(1, cores // workers)


def run_tasks(
    fn: Callable[[T], R], tasks: Sequence[T], *, workers: int, desc: str, verbose: bool
) -> list[R]:
    """``[fn(t) for t in tasks]``, on ``workers`` threads, with a progress bar.

    The first exception raised by a task is raised here.
    """
    if workers == 1:
        return [fn(t) for t in progress(tasks, desc=desc, total=len(tasks), verbose=verbose)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(progress(pool.map(fn, tasks), desc=desc, total=len(tasks), verbose=verbose))
