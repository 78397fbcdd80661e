"""BucketAnalyzer: hand-computed tables, IC vs scipy, turnover, NaN rows, bad input, plots."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    LengthMismatchError,
    MissingColumnError,
    NonFiniteError,
    TimeTypeError,
)
from tr_evaluation.buckets import BucketAnalyzer, BucketResult
from tr_evaluation.buckets.periods import period_codes


def test_hand_computed_table_unweighted() -> None:
    result = BucketAnalyzer(n_buckets=2).analyze([1, 2, 3, 4], [0.1, -0.2, 0.3, 0.5])
    t = result.table
    assert t["count"].tolist() == [2, 2]
    np.testing.assert_allclose(t["mean"], [-0.05, 0.4])
    np.testing.assert_allclose(t["median"], [-0.05, 0.4])
    np.testing.assert_allclose(t["std"], [math.sqrt(0.045), math.sqrt(0.02)])
    np.testing.assert_allclose(t["win_rate"], [0.5, 1.0])
    np.testing.assert_allclose(t["t_stat"], [-0.05 / (math.sqrt(0.045) / math.sqrt(2)), 4.0])
    assert result.top_bucket_return == pytest.approx(0.4)
    assert result.bucket_1_return == pytest.approx(0.4)
    assert result.bottom_bucket_return == pytest.approx(-0.05)
    assert result.spread == pytest.approx(0.45)
    assert result.monotonicity == pytest.approx(1.0)
    assert result.ic == pytest.approx(stats.spearmanr([1, 2, 3, 4], [0.1, -0.2, 0.3, 0.5])[0])
    assert result.periods is None
    assert math.isnan(result.ic_mean)


def test_hand_computed_table_weighted() -> None:
    result = BucketAnalyzer(n_buckets=2).analyze(
        [1, 2, 3, 4], [0.1, -0.2, 0.3, 0.5], weights=[1.0, 3.0, 1.0, 1.0]
    )
    row = result.table.loc[0]
    assert row["weight"] == 4.0
    assert row["mean"] == pytest.approx((0.1 - 0.6) / 4)
    # reliability weights: sum w (r - m)^2 / (V1 - V2 / V1) = 0.0675 / 1.5
    assert row["std"] == pytest.approx(math.sqrt(0.045))
    assert row["n_eff"] == pytest.approx(1.6)
    assert row["win_rate"] == pytest.approx(0.25)
    assert row["median"] == pytest.approx(-0.2)
    assert row["t_stat"] == pytest.approx(-0.125 / (math.sqrt(0.045) / math.sqrt(1.6)))


@given(
    returns=st.lists(st.floats(-1, 1, allow_nan=False), min_size=4, max_size=60),
    reps=st.lists(st.integers(1, 4), min_size=60, max_size=60),
)
def test_integer_weights_equal_repeated_rows(returns: list[float], reps: list[int]) -> None:
    r = np.array(returns)
    w = np.array(reps[: r.size], dtype=float)
    s = np.arange(r.size, dtype=float)
    weighted = BucketAnalyzer(n_buckets=2).analyze(s, r, weights=w).table
    buckets = BucketAnalyzer(n_buckets=2).analyze(s, r).buckets
    for b in (0, 1):
        rows = buckets == b
        rr = np.repeat(r[rows], w[rows].astype(int))
        assert weighted.loc[b, "mean"] == pytest.approx(rr.mean(), abs=1e-12)
        assert weighted.loc[b, "median"] == pytest.approx(np.median(rr), abs=1e-12)
        assert weighted.loc[b, "win_rate"] == pytest.approx((rr > 0).mean())


def _panel(seed: int = 0, n_days: int = 40, n_entities: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2021-01-04", periods=n_days)
    frame = pd.DataFrame(
        {
            "date": np.repeat(days, n_entities),
            "ticker": np.tile([f"T{i:02d}" for i in range(n_entities)], n_days),
            "score": rng.normal(size=n_days * n_entities),
        }
    )
    frame["ret"] = 0.02 * frame["score"] + rng.normal(scale=0.05, size=len(frame))
    return frame


def test_per_period_ic_matches_scipy_and_buckets_are_cross_sectional() -> None:
    frame = _panel()
    result = BucketAnalyzer(n_buckets=5, by="D").analyze(
        "score", "ret", times="date", entities="ticker", data=frame
    )
    assert result.periods is not None
    assert len(result.periods) == 40
    for day, group in frame.groupby("date"):
        expected_ic = stats.spearmanr(group["score"], group["ret"])[0]
        assert result.periods.loc[day, "ic"] == pytest.approx(expected_ic)
        np.testing.assert_array_equal(
            result.buckets[group.index], pd.qcut(group["score"], 5, labels=False)
        )
        top = group["ret"][result.buckets[group.index] == 4].mean()
        assert result.periods.loc[day, "top_return"] == pytest.approx(top)
    ic = result.periods["ic"]
    assert result.ic_mean == pytest.approx(ic.mean())
    assert result.ic_std == pytest.approx(ic.std(ddof=1))
    assert result.ic_ir == pytest.approx(ic.mean() / ic.std(ddof=1))
    assert result.ic_t_stat == pytest.approx(ic.mean() / ic.std(ddof=1) * math.sqrt(40))
    assert result.ic == pytest.approx(stats.spearmanr(frame["score"], frame["ret"])[0])
    assert result.ic_mean > 0.2
    assert result.monotonicity == pytest.approx(1.0)


def test_by_column_equals_by_day() -> None:
    frame = _panel(seed=1)
    by_day = BucketAnalyzer(n_buckets=5, by="D").analyze(
        frame["score"], frame["ret"], times=frame["date"]
    )
    by_col = BucketAnalyzer(n_buckets=5, by="date").analyze("score", "ret", data=frame)
    np.testing.assert_array_equal(by_day.buckets, by_col.buckets)
    pd.testing.assert_frame_equal(by_day.table, by_col.table)
    assert by_col.period == "date"


def test_pooled_with_monthly_and_weekly_periods() -> None:
    times = pd.to_datetime(
        ["2024-01-01", "2024-01-07", "2024-01-08", "2024-02-29", "2024-03-01"] * 4
    )
    scores = np.arange(20.0)
    returns = np.linspace(-0.1, 0.1, 20)
    monthly = BucketAnalyzer(n_buckets=2).analyze(scores, returns, times=times)
    assert monthly.period == "M"
    assert monthly.periods is not None
    assert list(monthly.periods.index) == list(
        pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"])
    )
    assert monthly.periods["count"].tolist() == [12, 4, 4]
    weekly = BucketAnalyzer(n_buckets=2, period="W").analyze(scores, returns, times=times)
    assert weekly.periods is not None
    # 2024-01-01 is a Monday and 2024-01-07 the following Sunday: one week
    assert list(weekly.periods.index[:2]) == list(pd.to_datetime(["2024-01-01", "2024-01-08"]))
    assert weekly.periods["count"].tolist()[:2] == [8, 4]
    assert weekly.ic == pytest.approx(1.0)


def test_turnover_hand_computed() -> None:
    times = pd.to_datetime(["2024-01-02"] * 4 + ["2024-01-03"] * 4 + ["2024-01-04"] * 4)
    tickers = ["A", "B", "C", "D"] * 3
    # top two by score: day 1 {C, D}; day 2 {C, A}; day 3 {B, A}
    scores = [1, 2, 3, 4, 4, 1, 3, 2, 4, 3, 1, 2]
    result = BucketAnalyzer(n_buckets=2, by="D").analyze(
        scores, np.zeros(12), times=times, entities=tickers
    )
    assert result.periods is not None
    np.testing.assert_allclose(result.periods["turnover"], [np.nan, 0.5, 0.5])
    assert result.mean_turnover == pytest.approx(0.5)


def test_nan_rows_dropped_and_counted_inputs_untouched() -> None:
    scores = pd.Series([1.0, np.nan, 3.0, 4.0, 5.0, 6.0], index=list("abcdef"))
    returns = pd.Series([0.1, 0.2, np.nan, 0.4, 0.5, 0.6], index=list("abcdef"))
    before = (scores.copy(), returns.copy())
    result = BucketAnalyzer(n_buckets=2).analyze(scores, returns)
    assert result.n_dropped == 2
    assert result.n_rows == 4
    assert result.buckets.tolist() == [0, -1, -1, 0, 1, 1]
    pd.testing.assert_series_equal(scores, before[0])
    pd.testing.assert_series_equal(returns, before[1])


def test_constant_scores_warn_and_share_one_bucket() -> None:
    with pytest.warns(UserWarning, match="constant"):
        result = BucketAnalyzer(n_buckets=20).analyze(np.ones(40), np.linspace(-1, 1, 40))
    assert set(result.buckets.tolist()) == {9}
    assert math.isnan(result.top_bucket_return)
    assert math.isnan(result.monotonicity)
    assert math.isnan(result.ic)
    frame = _panel(n_days=3, n_entities=4)
    frame.loc[frame["date"] == frame["date"].iloc[0], "score"] = 1.0
    with pytest.warns(UserWarning, match="1 of 3 groups"):
        BucketAnalyzer(n_buckets=2, by="D").analyze("score", "ret", times="date", data=frame)


def test_summary_is_json_and_getattr() -> None:
    frame = _panel(seed=2, n_days=5)
    result = BucketAnalyzer(n_buckets=20, by="D").analyze(
        "score", "ret", times="date", entities="ticker", data=frame
    )
    summary = result.summary()
    text = json.dumps(summary, allow_nan=False)
    assert "bucket_19_return" in text
    assert summary["bucket_19_return"] == pytest.approx(result.bucket_19_return)
    assert summary["n_periods"] == 5
    assert result.to_frame().equals(result.table)
    with pytest.raises(AttributeError):
        result.bucket_20_return
    with pytest.raises(AttributeError):
        result.no_such_thing
    with pytest.raises(AttributeError):
        result.n_rows = 3  # type: ignore[misc]


def test_plots_render(tmp_path: Path) -> None:
    frame = _panel(seed=3)
    result = BucketAnalyzer(n_buckets=5, by="W").analyze(
        "score", "ret", times="date", entities="ticker", data=frame
    )
    for name, fig in {
        "full": result.plot(),
        "bars": BucketAnalyzer.plot_bucket_performance(result),
        "pooled": BucketAnalyzer(n_buckets=5).analyze(frame["score"], frame["ret"]).plot(),
    }.items():
        path = tmp_path / f"{name}.png"
        fig.savefig(path)
        assert path.stat().st_size > 5_000
    assert len(result.plot().axes) == 3


@pytest.mark.parametrize(
    ("kwargs", "call", "error", "match"),
    [
        ({"n_buckets": 0}, {}, InvalidParameterError, "n_buckets"),
        ({}, {"scores": [1.0] * 3, "returns": [1.0] * 4}, LengthMismatchError, "returns"),
        ({}, {"scores": [1.0] * 5, "returns": [1.0] * 5}, InsufficientDataError, "n_buckets=20"),
        (
            {"n_buckets": 2},
            {"scores": [1.0, np.inf], "returns": [1.0, 2.0]},
            NonFiniteError,
            "scores",
        ),
        ({"n_buckets": 2}, {"weights": [1.0, -1.0, 1.0]}, InvalidParameterError, "weights"),
        ({"n_buckets": 2}, {"weights": [0.0, 0.0, 0.0]}, InvalidParameterError, "all zero"),
        ({"n_buckets": 2}, {"weights": [np.nan, 1.0, 1.0]}, NonFiniteError, "weights"),
        ({"n_buckets": 2}, {"times": ["2024-01-01"] * 3}, TimeTypeError, "times"),
        ({"n_buckets": 2, "by": "M"}, {}, InvalidParameterError, "needs `times`"),
        ({"n_buckets": 2, "by": "sector"}, {}, InvalidParameterError, "data"),
        ({"n_buckets": 2, "by": 3}, {}, InvalidParameterError, "`by`"),
        ({"n_buckets": 2, "period": "Q"}, {}, InvalidParameterError, "period"),
        ({"n_buckets": 2, "period": "M"}, {}, InvalidParameterError, "needs `times`"),
        ({"n_buckets": 2, "by": "D", "period": "M"}, {}, InvalidParameterError, "period"),
        ({"n_buckets": 2}, {"entities": ["a", None, "b"]}, NonFiniteError, "entities"),
        ({"n_buckets": 2}, {"scores": "x"}, MissingColumnError, "scores"),
    ],
)
def test_bad_input(kwargs: dict, call: dict, error: type, match: str) -> None:
    args = {"scores": [1.0, 2.0, 3.0], "returns": [0.1, 0.2, 0.3]}
    args.update(call)
    with pytest.raises(error, match=match):
        BucketAnalyzer(**kwargs).analyze(args.pop("scores"), args.pop("returns"), **args)


def test_bad_by_column() -> None:
    frame = pd.DataFrame({"s": [1.0, 2.0, 3.0], "r": [0.1, 0.2, 0.3], "g": ["a", None, "b"]})
    with pytest.raises(NonFiniteError, match="by"):
        BucketAnalyzer(n_buckets=2, by="g").analyze("s", "r", data=frame)
    with pytest.raises(MissingColumnError, match="nope"):
        BucketAnalyzer(n_buckets=2, by="nope").analyze("s", "r", data=frame)


def test_result_type() -> None:
    assert isinstance(BucketAnalyzer(n_buckets=2).analyze([1, 2], [1, 2]), BucketResult)


def test_statistics_survive_later_changes_to_the_inputs() -> None:
    frame = _panel(seed=4, n_days=6, n_entities=10)
    tickers = frame["ticker"].to_numpy().copy()
    scores = frame["score"].to_numpy().copy()
    result = BucketAnalyzer(n_buckets=2, by="D").analyze(
        scores, frame["ret"], times=frame["date"], entities=tickers
    )
    fresh = BucketAnalyzer(n_buckets=2, by="D").analyze(
        scores.copy(), frame["ret"], times=frame["date"], entities=tickers.copy()
    )
    tickers[:] = "X"
    scores[:] = 0.0
    assert result.periods is not None
    assert fresh.periods is not None
    pd.testing.assert_frame_equal(result.periods, fresh.periods)
    assert result.ic == pytest.approx(fresh.ic)
    assert result.summary() == fresh.summary()


def test_a_period_emptied_by_nan_rows_is_not_listed() -> None:
    times = pd.to_datetime(["2024-01-02"] * 4 + ["2024-01-03"] * 4 + ["2024-01-04"] * 4)
    tickers = ["A", "B", "C", "D"] * 3
    scores = np.array([1, 2, 3, 4, np.nan, np.nan, np.nan, np.nan, 4, 3, 1, 2], dtype=float)
    result = BucketAnalyzer(n_buckets=2, by="D").analyze(
        scores, np.zeros(12), times=times, entities=tickers
    )
    assert result.periods is not None
    assert list(result.periods.index) == list(pd.to_datetime(["2024-01-02", "2024-01-04"]))
    # top {C, D} then {A, B}: everything new since the previous observed day
    np.testing.assert_allclose(result.periods["turnover"], [np.nan, 1.0])
    assert result.buckets.tolist() == [0, 0, 1, 1, -1, -1, -1, -1, 1, 1, 0, 0]


def test_bucket_with_zero_total_weight_has_nan_statistics() -> None:
    result = BucketAnalyzer(n_buckets=2).analyze(
        [1, 2, 3, 4], [0.1, -0.2, 0.3, 0.5], weights=[0.0, 0.0, 1.0, 2.0]
    )
    row = result.table.loc[0]
    assert row["count"] == 2
    assert row["weight"] == 0.0
    assert np.isnan(row[["mean", "median", "std", "win_rate"]].astype(float)).all()
    assert result.table.loc[1, "median"] == pytest.approx(0.5)
    assert result.table.loc[1, "mean"] == pytest.approx((0.3 + 1.0) / 3)


def test_nan_rows_give_the_same_statistics_as_the_complete_rows() -> None:
    frame = _panel(seed=5, n_days=8, n_entities=12)
    frame["entity"] = np.tile(np.arange(12), 8)  # integer entities
    frame.loc[[3, 20, 50], "score"] = np.nan
    full = BucketAnalyzer(n_buckets=3, by="D").analyze(
        "score", "ret", times="date", entities="entity", data=frame
    )
    complete = frame.dropna().reset_index(drop=True)
    clean = BucketAnalyzer(n_buckets=3, by="D").analyze(
        "score", "ret", times="date", entities="entity", data=complete
    )
    assert full.n_dropped == 3
    pd.testing.assert_frame_equal(full.table, clean.table)
    assert full.periods is not None
    assert clean.periods is not None
    pd.testing.assert_frame_equal(full.periods, clean.periods)
    np.testing.assert_array_equal(full.buckets[full.buckets >= 0], clean.buckets)


@pytest.mark.parametrize("freq", ["D", "W", "M"])
def test_period_codes_of_sorted_times_match_the_general_path(freq: str) -> None:
    rng = np.random.default_rng(7)
    ns = rng.integers(0, 800 * 86_400 * 10**9, 3000)
    times = np.sort(np.datetime64("2022-12-30", "ns") + ns.astype("timedelta64[ns]"))
    fast_codes, fast_starts = period_codes(times, freq)
    slow_codes, slow_starts = period_codes(times[::-1].copy(), freq)
    np.testing.assert_array_equal(fast_codes, slow_codes[::-1])
    assert fast_starts.equals(slow_starts)
    expected = pd.Series(times).dt.to_period(freq if freq != "W" else "W-SUN").dt.start_time
    np.testing.assert_array_equal(fast_starts[fast_codes], expected.to_numpy())
