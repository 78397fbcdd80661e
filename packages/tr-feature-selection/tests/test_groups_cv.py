"""cross_validate_groups: folds, mean ± std per group, and the selection-bias view."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from xgboost import XGBClassifier

from tr_core.errors import FoldError, InvalidParameterError, LookaheadError, MissingColumnError
from tr_core.splits import PurgedKFold, WalkForward
from tr_core.synthetic import make_insider_trades
from tr_feature_selection.groups import FeatureGroupAnalyzer, GroupCVResult
from tr_feature_selection.groups.cross_validation import pbo_partitions


@pytest.fixture(scope="module")
def market() -> tuple[pd.DataFrame, dict[str, list[str]]]:
    frame, truth = make_insider_trades(20_000, random_state=2)
    return frame, {k: list(v) for k, v in truth.groups.items()}


def analyzer(**kw: object) -> FeatureGroupAnalyzer:
    model = XGBClassifier(n_estimators=20, max_depth=3, learning_rate=0.1, n_jobs=1)
    settings = {"evaluation_metric": "ic", "random_state": 0, "verbose": False, **kw}
    return FeatureGroupAnalyzer(model, **settings)


def test_walk_forward_folds_summary_and_selection_bias(market, tmp_path: Path) -> None:
    frame, groups = market
    splitter = WalkForward(n_splits=3, times="trade_date", label_ends="label_end")
    result = analyzer().cross_validate_groups(frame, groups, splitter)
    assert isinstance(result, GroupCVResult)
    folds = list(splitter.split(frame))
    assert result.n_folds == 3
    assert len(result.folds) == 3 * len(groups)
    for k, (_, test_pos) in enumerate(folds):
        test = frame.iloc[test_pos]
        for group, cols in groups.items():
            used = int(test[[*cols, "alpha"]].notna().all(axis=1).sum())
            assert result.folds.loc[(k, group), "test_used"] == used
    per_group = result.folds.groupby(level="group")["test_metric"]
    np.testing.assert_allclose(result.table["test_metric_mean"], per_group.mean()[list(groups)])
    np.testing.assert_allclose(result.table["test_metric_std"], per_group.std()[list(groups)])
    assert (
        result.table.loc["noise", "test_metric_mean"]
        < result.table.loc["insider", "test_metric_mean"]
    )
    assert result.best() in {"insider", "technical"}
    # The selection-bias view: months × groups of out-of-sample top-bucket returns.
    periods = result.periods
    assert periods is not None
    assert list(periods.columns) == list(groups)
    assert len(periods) >= 4
    assert np.isfinite(periods.to_numpy()).all()
    assert result.pbo is not None
    assert 0.0 <= result.pbo.pbo <= 1.0
    assert result.deflated_sharpe is not None
    assert 0.0 <= result.deflated_sharpe <= 1.0
    assert result.selection_note is None
    summary = json.loads(json.dumps(result.summary()))
    assert summary["n_periods"] == len(periods)
    assert summary["best"] == result.best()
    result.plot().savefig(tmp_path / "cv.png")
    assert (tmp_path / "cv.png").stat().st_size > 0
    assert set(result.buckets) == {(k, g) for k in range(3) for g in groups}


def test_bucket_tables_and_period_months_match_the_folds(market) -> None:
    frame, groups = market
    splitter = WalkForward(n_splits=2, times="trade_date")
    one = {"insider": groups["insider"], "market": groups["market"]}
    result = analyzer(n_buckets=5).cross_validate_groups(frame, one, splitter)
    assert result.periods is not None
    for k, (_, _test_pos) in enumerate(splitter.split(frame)):
        assert (
            result.buckets[(k, "insider")]["count"].sum()
            == result.folds.loc[(k, "insider"), "test_used"]
        )
    # Every month of the matrix is a month of some test row.
    months = frame.iloc[np.concatenate([t for _, t in splitter.split(frame)])]["trade_date"]
    assert set(result.periods.index) <= set(months.dt.to_period("M"))


def test_identical_for_any_n_jobs(market) -> None:
    frame, groups = market
    splitter = PurgedKFold(n_splits=3, times="trade_date", label_ends="label_end")
    small = {"insider": groups["insider"], "noise": groups["noise"]}
    a = analyzer().cross_validate_groups(frame, small, splitter)
    b = analyzer(n_jobs=3).cross_validate_groups(frame, small, splitter)
    pd.testing.assert_frame_equal(a.folds, b.folds)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.deflated_sharpe == b.deflated_sharpe


def test_too_few_groups_or_months_give_a_reason(market, tmp_path: Path) -> None:
    frame, groups = market
    splitter = WalkForward(n_splits=2, times="trade_date")
    single = analyzer().cross_validate_groups(frame, {"insider": groups["insider"]}, splitter)
    assert single.pbo is None
    assert "one group" in (single.selection_note or "")
    recent = frame[frame["trade_date"] >= frame["trade_date"].max() - pd.Timedelta(days=75)]
    short = analyzer().cross_validate_groups(
        recent, {"insider": groups["insider"], "noise": groups["noise"]}, splitter
    )
    assert short.pbo is None
    assert short.deflated_sharpe is None
    assert "need at least 4" in (short.selection_note or "")
    short.plot().savefig(tmp_path / "short.png")
    # times=None: the folds are still checked, against the splitter's own times.
    no_time = analyzer(times=None).cross_validate_groups(
        frame, {"insider": groups["insider"]}, splitter
    )
    assert no_time.periods is None
    assert "no `times` column" in (no_time.selection_note or "")


def test_bad_splitters(market) -> None:
    frame, groups = market
    g = {"insider": groups["insider"]}

    class Empty:
        def split(self, X):
            return iter([])

    class Hollow:
        def split(self, X):
            yield np.arange(10), np.array([], dtype=int)

    class Outside:
        def split(self, X):
            yield np.arange(10), np.array([len(X) + 5])

    # One fold contract (tr_core.splits.checked_folds), one error type.
    with pytest.raises(InvalidParameterError, match="`cv` must be a splitter"):
        analyzer().cross_validate_groups(frame, g, object())
    with pytest.raises(FoldError, match="yielded no fold"):
        analyzer().cross_validate_groups(frame, g, Empty())
    with pytest.raises(FoldError, match="fold 0 has no test rows"):
        analyzer().cross_validate_groups(frame, g, Hollow())
    with pytest.raises(FoldError, match=r"test positions \[\d+\] are outside"):
        analyzer().cross_validate_groups(frame, g, Outside())
    with pytest.raises(InvalidParameterError, match="`cv` is required"):
        analyzer().cross_validate_groups(frame, g)
    with pytest.raises(InvalidParameterError, match="`cv`=3: an integer"):
        analyzer().cross_validate_groups(frame, g, 3)
    with pytest.raises(InvalidParameterError, match="no decision times"):
        analyzer(times=None).cross_validate_groups(frame, g, Hollow())
    with pytest.raises(MissingColumnError, match="`times`='when' is not a column of the frame"):
        analyzer(times="when").cross_validate_groups(frame, g, Hollow())


def test_pbo_partitions() -> None:
    assert [pbo_partitions(n) for n in (0, 3, 4, 5, 13, 40)] == [0, 0, 2, 2, 6, 16]


def test_selection_bias_view_tells_a_real_edge_from_luck(market) -> None:
    """A group with a planted edge is chosen without overfitting; among pure noise it is luck."""
    frame, _ = market
    rng = np.random.default_rng(11)
    frame = frame.assign(edge=frame["alpha"] + rng.normal(0.0, 0.25, len(frame)))
    splitter = WalkForward(n_splits=4, times="trade_date", label_ends="label_end")
    noise = {f"noise_{k}": [f"noise_{k}"] for k in range(5)}
    with_edge = analyzer(evaluation_metric="top_bucket_return").cross_validate_groups(
        frame, {"edge": ["edge"], **noise}, splitter
    )
    assert with_edge.best() == "edge"
    assert with_edge.pbo is not None
    assert with_edge.pbo.pbo <= 0.1
    assert with_edge.deflated_sharpe is not None
    assert with_edge.deflated_sharpe > 0.95
    luck = analyzer(evaluation_metric="top_bucket_return").cross_validate_groups(
        frame, noise, splitter
    )
    assert luck.pbo is not None
    assert luck.pbo.pbo >= 0.25
    assert luck.deflated_sharpe is not None
    assert luck.deflated_sharpe < 0.95
    # noise_4 is a binary flag: its scores tie, its top bucket stays empty, and it is named.
    assert luck.selection_note is not None
    assert "['noise_4']" in luck.selection_note


def test_folds_whose_train_rows_meet_the_test_rows_are_refused(market) -> None:
    # scikit-learn's KFold trains on rows sharing the test rows' days and label windows.
    from sklearn.model_selection import KFold

    frame, groups = market
    g = {"insider": groups["insider"]}
    with pytest.raises(LookaheadError, match=r"fold 0: \d+ training rows have decision times"):
        analyzer().cross_validate_groups(frame, g, KFold(3))
    with pytest.raises(FoldError, match=r"label windows \[time, label_end\] meeting"):
        analyzer(label_ends="label_end").cross_validate_groups(
            frame, g, WalkForward(n_splits=3, times="trade_date")
        )
    purged = PurgedKFold(n_splits=3, times="trade_date", label_ends="label_end")
    result = analyzer(label_ends="label_end").cross_validate_groups(frame, g, purged)
    assert result.n_folds == 3


def test_fold_check_on_hand_made_windows() -> None:
    """Closed windows [t, end]: the analyzer refuses exactly the folds where they meet."""
    day = pd.Timestamp("2024-01-01")
    rng = np.random.default_rng(0)
    n = 60
    frame = pd.DataFrame(
        {
            "t": [day + pd.Timedelta(days=k) for k in range(n)],
            "end": [day + pd.Timedelta(days=k + 2) for k in range(n)],
            "x": rng.normal(size=n),
            "alpha": rng.normal(size=n),
        }
    )
    test = np.arange(30, 40)
    a = FeatureGroupAnalyzer(
        XGBClassifier(n_estimators=2, n_jobs=1), n_buckets=2, evaluation_metric="ic",
        times="t", label_ends="end", verbose=False,
    )  # fmt: skip
    # Row 28's window [28, 30] closes exactly when the test block starts (closed intervals
    # meet); rows 41.. start after the last test window [39, 41] ends... row 41 meets it.
    with pytest.raises(FoldError, match=r"fold 0: 1 training rows .*\[28\]"):
        a.cross_validate_groups(frame, {"x": ["x"]}, [(np.arange(0, 29), test)])
    with pytest.raises(FoldError, match=r"fold 0: 1 training rows .*\[41\]"):
        a.cross_validate_groups(frame, {"x": ["x"]}, [(np.arange(41, 60), test)])
    ok = a.cross_validate_groups(
        frame, {"x": ["x"]}, [(np.r_[np.arange(0, 28), np.arange(42, 60)], test)]
    )
    assert ok.folds.loc[(0, "x"), "train_used"] == 28 + 18
    # Without label ends only shared decision times count: row 29 is fine, row 30 is tested.
    b = FeatureGroupAnalyzer(
        XGBClassifier(n_estimators=2, n_jobs=1), n_buckets=2, evaluation_metric="ic",
        times="t", verbose=False,
    )  # fmt: skip
    assert b.cross_validate_groups(frame, {"x": ["x"]}, [(np.arange(0, 30), test)]).n_folds == 1
    tied = frame.assign(t=frame["t"].where(frame.index != 29, day + pd.Timedelta(days=30)))
    with pytest.raises(FoldError, match=r"1 training rows have decision times"):
        b.cross_validate_groups(
            tied.assign(end=tied["t"]), {"x": ["x"]}, [(np.arange(0, 30), test)]
        )


def test_timezone_aware_times_give_local_calendar_months(market) -> None:
    import warnings

    frame, groups = market
    small = {name: groups[name] for name in ("insider", "market")}
    splitter = WalkForward(n_splits=3, times="trade_date", label_ends="label_end")
    naive = analyzer().cross_validate_groups(frame, small, splitter)
    local = {c: frame[c].dt.tz_localize("America/New_York") for c in ("trade_date", "label_end")}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        aware = analyzer().cross_validate_groups(frame.assign(**local), small, splitter)
    assert not [w for w in caught if "timezone" in str(w.message)]
    assert naive.periods is not None
    assert aware.periods is not None
    pd.testing.assert_frame_equal(aware.periods, naive.periods)
