"""Importance loops run as joblib work items: other processes and a Dask cluster agree exactly.

SFI (features × folds) and permutation importance (units) hand their work to
``joblib.Parallel``. Every work item pickles (module-level functions on arrays, an
estimator and a metric name), so it runs in joblib's worker processes (loky) and,
inside ``joblib.parallel_config(backend="dask")``, on a ``dask.distributed`` cluster —
with results identical to ``n_jobs=1``: the permutations are drawn before the work is
handed out and the model copies are seeded.
"""

from __future__ import annotations

from typing import Any

import joblib
import numpy as np
import pandas as pd
import pytest
from xgboost import XGBClassifier

from tr_core.splits import PurgedKFold
from tr_feature_selection.importance import (
    PermutationImportance,
    SingleFeatureImportance,
    permutation_importance,
    single_feature_importance,
)

pytestmark = pytest.mark.slow


def recency(train: pd.DataFrame) -> np.ndarray:
    """Weights rising from 1 to 2 over the training rows (computed in the calling process)."""
    return np.linspace(1.0, 2.0, len(train))


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    n = 400
    frame = pd.DataFrame(
        {
            "time": pd.date_range("2022-01-03", periods=n, freq="D"),
            "x": rng.normal(size=n),
            "z": rng.normal(size=n),
            "noise": rng.normal(size=n),
        }
    )
    frame["label_end"] = frame["time"] + pd.Timedelta(days=3)
    frame["y"] = 0.6 * frame["x"] - 0.4 * frame["z"] + rng.normal(size=n)
    frame.loc[rng.random(n) < 0.2, "z"] = np.nan
    return frame


def _sfi(data: pd.DataFrame, n_jobs: int | None) -> SingleFeatureImportance:
    return single_feature_importance(
        data,
        features=["x", "z", "noise"],
        target="y",
        cv=PurgedKFold(3, times="time", label_ends="label_end"),
        model=XGBClassifier(n_estimators=8, max_depth=2, subsample=0.7, n_jobs=1),
        random_state=5,
        sample_weight=recency,
        n_jobs=n_jobs,
        verbose=False,
    )


def _mda(data: pd.DataFrame, n_jobs: int | None) -> PermutationImportance:
    train, later = data.iloc[:250], data.iloc[260:]
    model = XGBClassifier(n_estimators=8, max_depth=2, n_jobs=1, random_state=0)
    model.fit(train[["x", "z", "noise"]], (train["y"] > 0).astype(int))
    return permutation_importance(
        model,
        later,
        features=["x", "z", "noise"],
        target="y",
        n_repeats=3,
        clusters={"xz": ["x", "z"]},
        random_state=1,
        times="time",
        train_end=train["label_end"].max(),
        n_jobs=n_jobs,
        verbose=False,
    )


@pytest.fixture(scope="module")
def sequential(data: pd.DataFrame) -> dict[str, Any]:
    return {"sfi": _sfi(data, None), "mda": _mda(data, None)}


def _assert_same(got: dict[str, Any], expected: dict[str, Any]) -> None:
    pd.testing.assert_frame_equal(got["sfi"].scores, expected["sfi"].scores)
    pd.testing.assert_frame_equal(got["sfi"].n_train, expected["sfi"].n_train)
    pd.testing.assert_frame_equal(got["mda"].drops, expected["mda"].drops)
    assert got["mda"].baseline == expected["mda"].baseline


def test_worker_processes_give_the_sequential_result(data, sequential) -> None:
    assert sequential["sfi"].scores.notna().all(axis=None)
    with joblib.parallel_config(backend="loky"):
        got = {"sfi": _sfi(data, 2), "mda": _mda(data, 2)}
    _assert_same(got, sequential)


def test_a_dask_cluster_gives_the_sequential_result(data, sequential) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as stream,
        joblib.parallel_config(backend="dask"),
    ):
        got = {"sfi": _sfi(data, None), "mda": _mda(data, None)}
    _assert_same(got, sequential)
    assert stream.data, "no work item ran on the cluster"
