"""Per-period bucket returns and the tear sheet: values read back from the figure's Axes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from tr_core.errors import InvalidParameterError
from tr_evaluation.buckets import BucketAnalyzer, BucketResult
from tr_evaluation.buckets.tearsheet import plot_tear_sheet

# Three months x four rows: in each month two low scores (bucket 0) and two high (bucket 1).
SCORES = [1, 2, 11, 12, 3, 4, 13, 14, 5, 6, 15, 16]
RETURNS = [0.01, 0.03, 0.05, 0.07, -0.02, 0.00, 0.10, 0.02, 0.04, 0.02, -0.01, -0.03]
MONTHS = ["2024-01-10", "2024-02-12", "2024-03-15"]
ENTITIES = ["X", "Y", "A", "B", "X", "Y", "B", "C", "X", "Y", "D", "E"]
# Bucket means per month, worked out by hand:
#   Jan: b0 (0.01 + 0.03) / 2 = 0.02,  b1 (0.05 + 0.07) / 2 = 0.06
#   Feb: b0 (-0.02 + 0.00) / 2 = -0.01, b1 (0.10 + 0.02) / 2 = 0.06
#   Mar: b0 (0.04 + 0.02) / 2 = 0.03,  b1 (-0.01 - 0.03) / 2 = -0.02
BUCKET_0 = [0.02, -0.01, 0.03]
BUCKET_1 = [0.06, 0.06, -0.02]
CUM_0 = [0.02, 0.01, 0.04]
CUM_1 = [0.06, 0.12, 0.10]
SPREAD_CUM = [0.04, 0.11, 0.06]  # spreads 0.04, 0.07, -0.05
POOLED_MEAN = 0.28 / 12
# Rank IC per month: Jan +1; Feb return ranks 1, 2, 4, 3 -> 1 - 6 * 2 / (4 * 15) = 0.8; Mar -1.
IC = [1.0, 0.8, -1.0]


def _times(tz: str | None = None) -> pd.DatetimeIndex:
    times = pd.DatetimeIndex([m for m in MONTHS for _ in range(4)])
    return times.tz_localize(tz) if tz else times


def _result(tz: str | None = None, **kwargs: object) -> BucketResult:
    return BucketAnalyzer(n_buckets=2).analyze(
        SCORES, RETURNS, times=_times(tz), entities=ENTITIES, **kwargs
    )


def _axes(fig: Figure, label: str) -> Axes:
    (ax,) = [ax for ax in fig.axes if ax.get_label() == label]
    return ax


def _line(ax: Axes, label: str) -> np.ndarray:
    (line,) = [line for line in ax.get_lines() if str(line.get_label()).startswith(label)]
    return np.asarray(line.get_ydata(), dtype=float)


def test_period_returns_hand_computed() -> None:
    result = _result()
    table = result.period_returns()
    assert list(table.columns) == [0, 1]
    assert table.columns.name == "bucket"
    assert table.index.name == "period"
    assert list(table.index) == list(pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    np.testing.assert_allclose(table[0], BUCKET_0)
    np.testing.assert_allclose(table[1], BUCKET_1)
    # the top and bottom columns are the per-period statistics' own figures
    np.testing.assert_allclose(table[1], result.periods["top_return"])
    np.testing.assert_allclose(table[0], result.periods["bottom_return"])


def test_period_returns_weighted_and_empty_bucket() -> None:
    # Jan: scores 1..4 (two rows per bucket); Feb: scores 5, 6 (only the top bucket).
    times = pd.to_datetime(["2024-01-05"] * 4 + ["2024-02-05"] * 2)
    result = BucketAnalyzer(n_buckets=2).analyze(
        [1, 2, 3, 4, 5, 6],
        [0.01, 0.03, 0.2, 0.4, 0.5, 0.7],
        times=times,
        weights=[1.0, 3.0, 1.0, 1.0, 1.0, 1.0],
    )
    assert list(result.buckets) == [0, 0, 0, 1, 1, 1]
    table = result.period_returns()
    # Jan bucket 0: (1 * 0.01 + 3 * 0.03 + 1 * 0.2) / 5 = 0.06; bucket 1: 0.4
    assert table.loc["2024-01-01", 0] == pytest.approx(0.06)
    assert table.loc["2024-01-01", 1] == pytest.approx(0.4)
    assert math.isnan(table.loc["2024-02-01", 0])  # bucket 0 is empty in February
    assert table.loc["2024-02-01", 1] == pytest.approx(0.6)


def test_period_returns_without_periods_raises() -> None:
    result = BucketAnalyzer(n_buckets=2).analyze(SCORES, RETURNS)
    with pytest.raises(InvalidParameterError, match="times="):
        result.period_returns()


def test_tear_sheet_lines_equal_hand_values() -> None:
    result = _result()
    fig = result.plot_tear_sheet(window=2)
    assert isinstance(fig, Figure)
    cumulative = _axes(fig, "cumulative")
    np.testing.assert_allclose(_line(cumulative, "bucket 0"), CUM_0)
    np.testing.assert_allclose(_line(cumulative, "bucket 1"), CUM_1)
    # one line per bucket, time on the x axis, ordered colours and a colorbar of buckets
    (line,) = [ln for ln in cumulative.get_lines() if ln.get_label() == "bucket 1"]
    assert list(line.get_xdata()) == list(
        pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]).to_numpy()
    )
    colors = [
        ln.get_color() for ln in cumulative.get_lines() if str(ln.get_label()).startswith("bucket")
    ]
    assert len({str(c) for c in colors}) == 2
    assert any(ax.get_label() == "<colorbar>" for ax in fig.axes)
    assert "sum of per-month" in cumulative.get_ylabel()

    np.testing.assert_allclose(_line(_axes(fig, "spread"), "cumulative"), SPREAD_CUM)
    moving = _line(_axes(fig, "ic"), "2-month moving average")
    assert math.isnan(moving[0])
    np.testing.assert_allclose(moving[1:], [0.9, -0.1])
    hist = _axes(fig, "ic_hist")
    (mean,) = [ln for ln in hist.get_lines() if str(ln.get_label()).startswith("mean")]
    assert mean.get_xdata()[0] == pytest.approx(np.mean(IC))
    assert sum(p.get_height() for p in hist.patches) == 3
    # turnover: Feb top {B, C} after {A, B} -> 1/2; Mar top {D, E} -> 1
    turnover = np.asarray(_axes(fig, "turnover").get_lines()[0].get_ydata(), dtype=float)
    assert math.isnan(turnover[0])
    np.testing.assert_allclose(turnover[1:], [0.5, 1.0])


def test_baseline_line_default_and_override() -> None:
    result = _result()
    bars = _axes(plot_tear_sheet(result), "bucket_means")
    np.testing.assert_allclose(_line(bars, "all trades"), [POOLED_MEAN, POOLED_MEAN])
    assert "%" in bars.get_yticklabels()[0].get_text()
    bars = _axes(result.plot_tear_sheet(baseline=0.005), "bucket_means")
    np.testing.assert_allclose(_line(bars, "all trades"), [0.005, 0.005])


def test_baseline_weighted_default() -> None:
    result = BucketAnalyzer(n_buckets=2).analyze(
        [1, 2, 3, 4], [0.1, 0.2, 0.3, 0.4], weights=[3.0, 1.0, 0.0, 0.0]
    )
    bars = _axes(result.plot_tear_sheet(), "bucket_means")
    # (3 * 0.1 + 1 * 0.2) / 4
    assert _line(bars, "all trades")[0] == pytest.approx(0.125)


def test_no_periods_draws_bars_and_a_note() -> None:
    result = BucketAnalyzer(n_buckets=2).analyze(SCORES, RETURNS)
    fig = result.plot_tear_sheet()
    assert [ax.get_label() for ax in fig.axes] == ["bucket_means", "note"]
    note = _axes(fig, "note")
    assert "times=" in note.texts[0].get_text()
    assert len(fig.axes[0].patches) == 2  # the two bucket bars
    np.testing.assert_allclose(_line(fig.axes[0], "all trades"), [POOLED_MEAN] * 2)


def test_tz_aware_times() -> None:
    result = _result("America/New_York")
    table = result.period_returns()
    assert table.index.equals(result.periods.index)
    np.testing.assert_allclose(table[1], BUCKET_1)
    fig = result.plot_tear_sheet()
    cumulative = _axes(fig, "cumulative")
    (line,) = [ln for ln in cumulative.get_lines() if ln.get_label() == "bucket 0"]
    # plotted at the periods' local (wall-clock) start dates
    assert list(line.get_xdata()) == list(
        pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]).to_numpy()
    )
    np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float), CUM_0)


def test_group_periods_use_positions() -> None:
    frame = pd.DataFrame({"s": SCORES, "r": RETURNS, "g": [m[:7] for m in _times().astype(str)]})
    result = BucketAnalyzer(n_buckets=2, by="g").analyze("s", "r", data=frame)
    fig = result.plot_tear_sheet()
    spread = _axes(fig, "spread")
    assert [t.get_text() for t in spread.get_xticklabels()] == ["2024-01", "2024-02", "2024-03"]


@pytest.mark.parametrize("window", [0, -1, 2.5, True])
def test_bad_window(window: object) -> None:
    with pytest.raises(InvalidParameterError, match="window"):
        _result().plot_tear_sheet(window=window)  # type: ignore[arg-type]


@pytest.mark.parametrize("baseline", [math.nan, math.inf, "0.1"])
def test_bad_baseline(baseline: object) -> None:
    with pytest.raises(InvalidParameterError, match="baseline"):
        _result().plot_tear_sheet(baseline=baseline)  # type: ignore[arg-type]
