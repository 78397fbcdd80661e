"""Invariants that hold for any input (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tr_sample_weighting import (
    AlphaPowerWeighter,
    ClassBalanceWeighter,
    TimeDecayWeighter,
    UniquenessWeighter,
    alpha_power_weights,
    class_balance_weights,
    magnitude_weights,
    time_decay_weights,
)

finite_alpha = arrays(
    np.float64,
    st.integers(1, 60),
    elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
clips = st.tuples(st.floats(1e-3, 5.0), st.floats(0.0, 100.0)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=150, deadline=None)
@given(finite_alpha, st.floats(0.0, 4.0), clips, st.floats(1e-4, 1e3))
def test_alpha_power_weights_are_finite_and_within_clip(
    alpha: np.ndarray, power: float, clip: tuple[float, float], scale: float
) -> None:
    w = alpha_power_weights(alpha, power, clip, scale=scale)
    assert w.shape == alpha.shape
    assert np.all(np.isfinite(w))
    assert np.all((w >= clip[0]) & (w <= clip[1]))
    m = magnitude_weights(alpha, clip, scale=scale)
    assert np.all((m >= clip[0]) & (m <= clip[1]))


@settings(max_examples=100, deadline=None)
@given(finite_alpha, st.floats(0.1, 3.0))
def test_alpha_power_is_monotone_in_abs_alpha(alpha: np.ndarray, power: float) -> None:
    w = alpha_power_weights(alpha, power, scale=1.0)
    order = np.argsort(np.abs(alpha))
    assert np.all(np.diff(w[order]) >= 0)
    np.testing.assert_array_equal(w, alpha_power_weights(-alpha, power, scale=1.0))


@st.composite
def event_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(2, 40))
    start = np.array(draw(st.lists(st.integers(0, 50), min_size=n, max_size=n)))
    length = np.array(draw(st.lists(st.integers(0, 12), min_size=n, max_size=n)))
    alpha = draw(
        arrays(np.float64, n, elements=st.floats(-0.5, 0.5, allow_nan=False, allow_infinity=False))
    )
    side = draw(st.lists(st.sampled_from(["buy", "sell", "hold"]), min_size=n, max_size=n))
    base = pd.Timestamp("2020-01-01")
    return pd.DataFrame(
        {
            "t": base + pd.to_timedelta(start, unit="D"),
            "end": base + pd.to_timedelta(start + length, unit="D"),
            "alpha": alpha,
            "side": side,
        }
    )


WEIGHTER = (
    AlphaPowerWeighter(scale="fraction", column="alpha")
    * UniquenessWeighter(time="t", label_end="end")
    * TimeDecayWeighter(time="t", label_end="end", oldest=-0.2)
    * ClassBalanceWeighter(column="side")
).normalized("mean")


@pytest.mark.filterwarnings("ignore::tr_sample_weighting.UnitsWarning")
@settings(max_examples=80, deadline=None)
@given(event_frames(), st.randoms(use_true_random=False))
def test_permuting_rows_permutes_weights(frame: pd.DataFrame, rnd: object) -> None:
    perm = np.array(rnd.sample(range(len(frame)), len(frame)))  # type: ignore[attr-defined]
    before = frame.copy(deep=True)
    w = WEIGHTER(frame)
    pd.testing.assert_frame_equal(frame, before)
    np.testing.assert_allclose(WEIGHTER(frame.iloc[perm]), w[perm], rtol=1e-9)
    assert np.all(np.isfinite(w))
    assert np.all(w >= 0)
    assert abs(w.mean() - 1.0) < 1e-9


@settings(max_examples=80, deadline=None)
@given(event_frames(), st.floats(-0.99, 1.0))
def test_decay_and_uniqueness_ranges(frame: pd.DataFrame, oldest: float) -> None:
    u = UniquenessWeighter(time="t", label_end="end")(frame)
    assert np.all((u > 0) & (u <= 1))
    d = time_decay_weights(frame["t"], frame["end"], oldest=oldest)
    assert np.all((d >= 0) & (d <= 1))
    newest = frame["t"] == frame["t"].max()
    np.testing.assert_allclose(d[newest.to_numpy()], 1.0, rtol=1e-12)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=50))
def test_class_balance_gives_every_class_the_same_total(labels: list[str]) -> None:
    w = class_balance_weights(labels)
    y = np.array(labels)
    totals = [w[y == k].sum() for k in np.unique(y)]
    np.testing.assert_allclose(totals, len(labels) / len(totals))
