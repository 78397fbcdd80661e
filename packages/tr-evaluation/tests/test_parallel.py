"""The one parallel mechanism: joblib work items, results in task order, any backend."""

from __future__ import annotations

import math
import operator
import os

import joblib
import pytest
from joblib import delayed

from tr_core.errors import InvalidParameterError
from tr_evaluation.parallel import check_n_jobs, cores_for, run_parallel

# Work items are importable functions (operator.mul, math.sqrt): process workers unpickle
# them by reference, which a function defined in a test module would not survive.


@pytest.mark.parametrize("n_jobs", [None, 1, 2, -1])
def test_results_in_task_order_for_any_n_jobs(n_jobs: int | None) -> None:
    tasks = (delayed(operator.mul)(x, x) for x in range(20))
    out = run_parallel(tasks, n_jobs=n_jobs, total=20, desc="squares", verbose=False)
    assert out == [x * x for x in range(20)]


def test_parallel_config_backend_takes_over() -> None:
    with joblib.parallel_config(backend="threading", n_jobs=2):
        out = run_parallel(
            (delayed(operator.mul)(x, x) for x in range(5)),
            n_jobs=None,
            total=5,
            desc="",
            verbose=False,
        )
    assert out == [0, 1, 4, 9, 16]


def test_a_failing_task_raises_in_the_caller() -> None:
    with pytest.raises(ValueError, match="math domain error"):
        run_parallel(
            (delayed(math.sqrt)(x) for x in [4.0, -1.0]), n_jobs=2, total=2, desc="", verbose=False
        )


def test_n_jobs_check_and_cores() -> None:
    assert check_n_jobs(None) is None
    assert check_n_jobs(2) == 2
    assert check_n_jobs(-1) == -1
    assert cores_for(-1) == (os.cpu_count() or 1)
    assert cores_for(3) == 3
    for bad in (0, 1.5, True, "2"):
        with pytest.raises(InvalidParameterError, match="`n_jobs` must be None"):
            check_n_jobs(bad)
