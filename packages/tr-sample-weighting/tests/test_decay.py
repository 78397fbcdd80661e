"""Time decay over cumulative uniqueness (AFML Snippet 4.11)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tr_core.contract import DataContract
from tr_core.errors import InvalidParameterError, LengthMismatchError, TimeColumnError
from tr_sample_weighting import TimeDecayWeighter, time_decay_weights, uniqueness_weights


def afml_time_decay(uniqueness: pd.Series, clf_last_w: float) -> pd.Series:
    """AFML Snippet 4.11 (getTimeDecay), transcribed."""
    clf_w = uniqueness.sort_index().cumsum()
    if clf_last_w >= 0:
        slope = (1.0 - clf_last_w) / clf_w.iloc[-1]
    else:
        slope = 1.0 / ((clf_last_w + 1) * clf_w.iloc[-1])
    const = 1.0 - slope * clf_w.iloc[-1]
    clf_w = const + slope * clf_w
    clf_w[clf_w < 0] = 0
    return clf_w


def test_hand_computed_without_label_ends() -> None:
    days = pd.date_range("2024-01-01", periods=4)
    # x = 1, 2, 3, 4 of X = 4. c = 0.5: 0.5 + 0.5 x / 4. c = -0.5: (-0.5 + x/4) / 0.5, floored at 0.
    assert time_decay_weights(days, oldest=0.5).tolist() == [0.625, 0.75, 0.875, 1.0]
    assert time_decay_weights(days, oldest=-0.5).tolist() == [0.0, 0.0, 0.5, 1.0]
    assert time_decay_weights(days).tolist() == [1.0, 1.0, 1.0, 1.0]
    assert time_decay_weights(days, oldest=0).tolist() == [0.25, 0.5, 0.75, 1.0]


def test_decay_runs_over_cumulative_uniqueness(three_labels: pd.DataFrame) -> None:
    # u = 2/3, 1/2, 3/4; cumulative 2/3, 7/6, 23/12 of X = 23/12.
    # c = 0: weights = x / X = 8/23, 14/23, 1.
    w = time_decay_weights(three_labels["trade_date"], three_labels["label_end"], oldest=0.0)
    np.testing.assert_allclose(w, [8 / 23, 14 / 23, 1.0], rtol=1e-12)


def test_matches_afml_snippet_on_distinct_times() -> None:
    rng = np.random.default_rng(3)
    times = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.permutation(200), unit="D")
    ends = times + pd.to_timedelta(rng.integers(0, 20, size=200), unit="D")
    u = pd.Series(uniqueness_weights(times, ends), index=times)
    for c in (1.0, 0.7, 0.0, -0.3, -0.9):
        ours = time_decay_weights(times, ends, oldest=c)
        ref = afml_time_decay(u, c).reindex(times).to_numpy()
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-15)


def test_rows_sharing_a_time_get_the_same_weight_in_any_order() -> None:
    t = pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-03", "2024-01-02"])
    w = time_decay_weights(t, oldest=0.0)
    # Sorted: d1 (x=1), d2 (x=2), d3, d3 (x=4 for both).
    assert w.tolist() == [1.0, 0.25, 1.0, 0.5]
    perm = [2, 0, 3, 1]
    np.testing.assert_array_equal(time_decay_weights(t[perm], oldest=0.0), w[perm])


def test_newest_is_one_and_weights_are_monotone_in_time() -> None:
    rng = np.random.default_rng(4)
    times = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 300, 500), unit="D")
    ends = times + pd.to_timedelta(rng.integers(0, 30, 500), unit="D")
    for c in (0.9, 0.2, -0.5):
        w = time_decay_weights(times, ends, oldest=c)
        order = np.argsort(np.asarray(times), kind="stable")
        assert np.all(np.diff(w[order]) >= 0)
        assert w.max() == pytest.approx(1.0, abs=1e-12)
        assert w.min() >= 0


@pytest.mark.parametrize("oldest", [-1.0, -1.5, 1.01, float("nan"), "0.5", True])
def test_bad_oldest_raises(oldest: object) -> None:
    days = pd.date_range("2024-01-01", periods=3)
    with pytest.raises(InvalidParameterError, match="oldest"):
        time_decay_weights(days, oldest=oldest)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="oldest"):
        TimeDecayWeighter(time="t", oldest=oldest)  # type: ignore[arg-type]


def test_input_errors() -> None:
    days = pd.date_range("2024-01-01", periods=3)
    with pytest.raises(LengthMismatchError):
        time_decay_weights(days, days[:2])
    with pytest.raises(InvalidParameterError, match="bars"):
        time_decay_weights(days, bars=days)
    with pytest.raises(TimeColumnError, match="times"):
        time_decay_weights(pd.Series([days[0], pd.NaT]))


def test_weighter_with_and_without_label_end(three_labels: pd.DataFrame) -> None:
    before = three_labels.copy(deep=True)
    w = TimeDecayWeighter(time="trade_date", label_end="label_end", oldest=0.0)
    np.testing.assert_allclose(w(three_labels), [8 / 23, 14 / 23, 1.0])
    plain = TimeDecayWeighter(time="trade_date", oldest=0.0)
    np.testing.assert_allclose(plain(three_labels), [1 / 3, 2 / 3, 1.0])
    pd.testing.assert_frame_equal(three_labels, before)
    contract = DataContract(
        time="trade_date", target="alpha", features=["alpha_lag"], label_end="label_end"
    )
    assert TimeDecayWeighter.from_contract(contract, oldest=0.0) == w
    with pytest.raises(InvalidParameterError, match="label_end"):
        TimeDecayWeighter(time="trade_date", label_end=5)  # type: ignore[arg-type]
