"""Feature groups through joblib: identical results for any n_jobs and backend, a Dask
cluster included, and a progress bar over groups × folds."""

from __future__ import annotations

import io
import sys

import joblib
import pandas as pd
import pytest
from xgboost import XGBClassifier

from tr_core.splits import WalkForward
from tr_core.synthetic import make_insider_trades
from tr_feature_selection.groups import FeatureGroupAnalyzer


@pytest.fixture(scope="module")
def market() -> tuple[pd.DataFrame, dict[str, list[str]]]:
    frame, truth = make_insider_trades(4_000, random_state=5)
    groups = {k: list(v) for k, v in truth.groups.items()}
    return frame, {name: groups[name] for name in ("insider", "market", "noise")}


def analyzer(n_jobs: int | None, *, verbose: bool = False) -> FeatureGroupAnalyzer:
    model = XGBClassifier(n_estimators=10, max_depth=2, learning_rate=0.3)
    return FeatureGroupAnalyzer(
        model,
        evaluation_metric="ic",
        n_buckets=5,
        label_ends="label_end",
        random_state=0,
        n_jobs=n_jobs,
        verbose=verbose,
    )


def cv() -> WalkForward:
    return WalkForward(n_splits=3, times="trade_date", label_ends="label_end")


def test_a_dask_cluster_gives_the_same_table_as_one_job(market) -> None:
    distributed = pytest.importorskip("dask.distributed")
    frame, groups = market
    expected = analyzer(1).cross_validate_groups(frame, groups, cv())
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as stream,
        joblib.parallel_config(backend="dask"),
    ):
        got = analyzer(None).cross_validate_groups(frame, groups, cv())
    # The 3 folds × 3 groups really ran on the cluster's workers.
    assert len(stream.data) >= 9
    pd.testing.assert_frame_equal(got.folds, expected.folds)
    pd.testing.assert_frame_equal(got.table, expected.table)
    assert got.periods is not None
    assert expected.periods is not None
    pd.testing.assert_frame_equal(got.periods, expected.periods)
    assert got.deflated_sharpe == expected.deflated_sharpe


def test_identical_for_any_n_jobs(market) -> None:
    frame, groups = market
    expected = analyzer(None).cross_validate_groups(frame, groups, cv())
    for n_jobs in (1, 2, -1):
        got = analyzer(n_jobs).cross_validate_groups(frame, groups, cv())
        pd.testing.assert_frame_equal(got.folds, expected.folds)


def test_progress_bar_counts_groups_times_folds(market, monkeypatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    frame, groups = market
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    analyzer(2, verbose=True).cross_validate_groups(frame, groups, cv())
    assert "feature groups × folds" in screen.getvalue()
    assert "0/9" in screen.getvalue()  # groups × folds = 3 × 3 tasks
