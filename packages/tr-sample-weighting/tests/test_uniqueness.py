"""Concurrency, average uniqueness and return attribution (AFML ch. 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    LabelWindowError,
    LengthMismatchError,
    MissingColumnError,
    NonFiniteError,
    TimeColumnError,
    TimeTypeError,
    TrTypeError,
    ZeroWeightError,
)
from tr_sample_weighting import (
    ReturnAttributionWeighter,
    UniquenessWeighter,
    label_concurrency,
    return_attribution_weights,
    uniqueness_weights,
)


def indicator_uniqueness(start: np.ndarray, end: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Reference: the n x T indicator matrix of AFML Snippet 4.3, then row means of 1/c."""
    ind = (grid[None, :] >= start[:, None]) & (grid[None, :] <= end[:, None])
    conc = ind.sum(axis=0)
    inv = np.where(conc > 0, 1.0 / np.maximum(conc, 1), 0.0)
    return (ind * inv).sum(axis=1) / ind.sum(axis=1)


def test_concurrency_of_the_hand_worked_example(three_labels: pd.DataFrame) -> None:
    c = label_concurrency(three_labels["trade_date"], three_labels["label_end"])
    assert c.tolist() == [1, 2, 2, 2, 1]
    assert c.index.equals(pd.date_range("2024-01-01", periods=5, name="time"))


def test_uniqueness_of_the_hand_worked_example(three_labels: pd.DataFrame) -> None:
    u = uniqueness_weights(three_labels["trade_date"], three_labels["label_end"])
    np.testing.assert_allclose(u, [2 / 3, 1 / 2, 3 / 4], rtol=1e-15)


def test_bars_change_the_grid(days: pd.DatetimeIndex) -> None:
    # A = [d0, d4], B = [d2, d2]. On the endpoint grid {d0, d2, d4}: c = 1, 2, 1,
    # u_A = (1 + 1/2 + 1) / 3 = 5/6. On all five bars: c = 1, 1, 2, 1, 1,
    # u_A = (4 + 1/2) / 5 = 0.9. B is alone with A on d2 either way: 1/2.
    t0, t1 = days[[0, 2]], days[[4, 2]]
    np.testing.assert_allclose(uniqueness_weights(t0, t1), [5 / 6, 1 / 2])
    np.testing.assert_allclose(uniqueness_weights(t0, t1, bars=days), [0.9, 0.5])
    assert label_concurrency(t0, t1, bars=days).tolist() == [1, 1, 2, 1, 1]


def test_bars_outside_every_window_count_zero(days: pd.DatetimeIndex) -> None:
    c = label_concurrency(days[[1]], days[[2]], bars=days)
    assert c.tolist() == [0, 1, 1, 0, 0]
    assert uniqueness_weights(days[[1]], days[[2]], bars=days).tolist() == [1.0]


def test_label_without_a_bar_raises(days: pd.DatetimeIndex) -> None:
    noon = days + pd.Timedelta(hours=12)
    with pytest.raises(InsufficientDataError, match=r"row \[1\]"):
        uniqueness_weights([days[0], noon[1]], [days[2], noon[1]], bars=days)


def test_isolated_labels_are_fully_unique(days: pd.DatetimeIndex) -> None:
    assert uniqueness_weights(days[[0, 2]], days[[1, 3]]).tolist() == [1.0, 1.0]


def test_identical_labels_share_equally(days: pd.DatetimeIndex) -> None:
    assert uniqueness_weights(days[[0, 0, 0, 0]], days[[3, 3, 3, 3]]).tolist() == [0.25] * 4


def test_single_bar_windows(days: pd.DatetimeIndex) -> None:
    # Two labels that start and end on d1: closed windows, concurrency 2 at d1.
    u = uniqueness_weights(days[[1, 1, 3]], days[[1, 1, 3]])
    assert u.tolist() == [0.5, 0.5, 1.0]


def test_label_ending_where_another_starts_overlaps(days: pd.DatetimeIndex) -> None:
    # Closed windows: [d0, d1] and [d1, d2] share d1.
    u = uniqueness_weights(days[[0, 1]], days[[1, 2]])
    np.testing.assert_allclose(u, [0.75, 0.75])


def test_timezone_aware_times_are_compared_as_instants() -> None:
    # 09:00 New York is 14:00 UTC: a label "ending" at 12:00 UTC ends before it starts,
    # although the wall-clock numbers 09 < 12 would suggest otherwise.
    t0 = pd.DatetimeIndex(["2024-01-02 09:00"], tz="America/New_York")
    with pytest.raises(LabelWindowError):
        uniqueness_weights(t0, pd.DatetimeIndex(["2024-01-02 12:00"], tz="UTC"))
    ends = pd.DatetimeIndex(["2024-01-02 14:00"], tz="UTC")
    assert uniqueness_weights(t0, ends).tolist() == [1.0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 15)),
        min_size=1,
        max_size=40,
    ),
    st.booleans(),
)
def test_matches_indicator_matrix_reference(windows: list[tuple[int, int]], on_bars: bool) -> None:
    start = np.array([s for s, _ in windows])
    end = start + np.array([length for _, length in windows])
    base = pd.Timestamp("2020-01-01")
    t0 = base + pd.to_timedelta(start, unit="D")
    t1 = base + pd.to_timedelta(end, unit="D")
    if on_bars:
        bars = base + pd.to_timedelta(np.arange(0, 60), unit="D")
        grid = np.arange(0, 60)
        u = uniqueness_weights(t0, t1, bars=bars)
    else:
        grid = np.unique(np.concatenate([start, end]))
        u = uniqueness_weights(t0, t1)
    np.testing.assert_allclose(u, indicator_uniqueness(start, end, grid), rtol=1e-12)
    assert np.all(u > 0)
    assert np.all(u <= 1)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 10)), min_size=2, max_size=30),
    st.randoms(use_true_random=False),
)
def test_permuting_rows_permutes_weights(windows: list[tuple[int, int]], rnd: object) -> None:
    start = np.array([s for s, _ in windows])
    end = start + np.array([length for _, length in windows])
    returns = np.linspace(-0.05, 0.07, start.size)
    base = pd.Timestamp("2020-01-01")
    t0 = np.asarray(base + pd.to_timedelta(start, unit="D"))
    t1 = np.asarray(base + pd.to_timedelta(end, unit="D"))
    perm = np.array(rnd.sample(range(start.size), start.size))  # type: ignore[attr-defined]
    u = uniqueness_weights(t0, t1)
    np.testing.assert_allclose(uniqueness_weights(t0[perm], t1[perm]), u[perm], rtol=1e-12)
    r = return_attribution_weights(t0, t1, returns)
    np.testing.assert_allclose(
        return_attribution_weights(t0[perm], t1[perm], returns[perm]), r[perm], rtol=1e-12
    )


def test_return_attribution_by_hand(three_labels: pd.DataFrame) -> None:
    # Spread each event's return evenly over its days and divide by concurrency:
    # A: 0.01/1 + 0.01/2 + 0.01/2 = 0.02, B: 3 * 0.02/2 = 0.03, C: 0.01/2 + 0.01/1 = 0.015.
    raw = np.array([0.02, 0.03, 0.015])
    w = return_attribution_weights(
        three_labels["trade_date"], three_labels["label_end"], three_labels["alpha"]
    )
    np.testing.assert_allclose(w, raw * 3 / raw.sum(), rtol=1e-12)
    assert w.sum() == pytest.approx(3.0)


def test_return_attribution_zero_return_gets_zero_weight(three_labels: pd.DataFrame) -> None:
    w = return_attribution_weights(
        three_labels["trade_date"], three_labels["label_end"], [0.03, 0.0, 0.02]
    )
    assert w["B"] == 0.0  # a Series on the caller's index (its times were a Series)
    assert w.sum() == pytest.approx(3.0)


def test_return_attribution_all_zero_raises(three_labels: pd.DataFrame) -> None:
    with pytest.raises(ZeroWeightError, match="returns"):
        return_attribution_weights(
            three_labels["trade_date"], three_labels["label_end"], [0.0, 0.0, -0.0]
        )


def test_return_attribution_nan_return_raises(three_labels: pd.DataFrame) -> None:
    returns = three_labels["alpha"].where(three_labels.index != "B")
    with pytest.raises(NonFiniteError, match=r"`returns` has NaN in row \['B'\]"):
        return_attribution_weights(three_labels["trade_date"], three_labels["label_end"], returns)


def test_label_end_before_time_names_the_rows(three_labels: pd.DataFrame) -> None:
    ends = three_labels["label_end"].copy()
    ends["C"] = pd.Timestamp("2023-12-01")
    with pytest.raises(LabelWindowError, match=r"row \['C'\]"):
        uniqueness_weights(three_labels["trade_date"], ends)


def test_length_mismatch_names_both_arguments(days: pd.DatetimeIndex) -> None:
    with pytest.raises(LengthMismatchError, match=r"`times` has 3.*`label_ends` has 2"):
        uniqueness_weights(days[:3], days[:2])
    with pytest.raises(LengthMismatchError, match="`returns` has 1"):
        return_attribution_weights(days[:2], days[:2], [0.1])


def test_nat_and_non_datetime_inputs_raise(days: pd.DatetimeIndex) -> None:
    with pytest.raises(TimeColumnError, match="label_ends"):
        uniqueness_weights(days[:2], pd.Series([days[2], pd.NaT]))
    with pytest.raises(TimeTypeError, match="times"):
        uniqueness_weights(["2024-01-01", "2024-01-02"], days[:2])


def test_weighters_read_columns_and_leave_the_frame_alone(three_labels: pd.DataFrame) -> None:
    before = three_labels.copy(deep=True)
    u = UniquenessWeighter(time="trade_date", label_end="label_end")(three_labels)
    np.testing.assert_allclose(u, [2 / 3, 1 / 2, 3 / 4])
    r = ReturnAttributionWeighter(time="trade_date", label_end="label_end", returns="alpha")
    np.testing.assert_allclose(r(three_labels).sum(), 3.0)
    pd.testing.assert_frame_equal(three_labels, before)


def test_weighters_need_a_frame_and_existing_columns(three_labels: pd.DataFrame) -> None:
    w = UniquenessWeighter(time="trade_date", label_end="label_end")
    with pytest.raises(TrTypeError, match="DataFrame"):
        w(three_labels["trade_date"])
    with pytest.raises(MissingColumnError, match="exit_date"):
        UniquenessWeighter(time="trade_date", label_end="exit_date")(three_labels)
    with pytest.raises(InvalidParameterError, match="label_end"):
        UniquenessWeighter(time="trade_date", label_end=3)  # type: ignore[arg-type]


def test_tz_aware_times_with_naive_label_ends_raise() -> None:
    # Regression: Tokyo start times next to naive (read as UTC) ends shifted every
    # window by 9 hours and changed the uniqueness without a word.
    d = pd.Series(pd.date_range("2024-01-01", periods=5, freq="D"))
    starts, ends = d[[0, 1, 3]].reset_index(drop=True), d[[2, 3, 4]].reset_index(drop=True)
    with pytest.raises(TimeTypeError, match="`times` carry a timezone but `label_ends`"):
        uniqueness_weights(starts.dt.tz_localize("Asia/Tokyo"), ends)
    with pytest.raises(TimeTypeError, match="`bars`"):
        uniqueness_weights(starts, ends, bars=d.dt.tz_localize("UTC"))
    tokyo = uniqueness_weights(
        starts.dt.tz_localize("Asia/Tokyo"), ends.dt.tz_localize("Asia/Tokyo")
    )
    np.testing.assert_allclose(tokyo, [2 / 3, 1 / 2, 3 / 4])
