"""Tests of the planted lessons of tr_core.synthetic: switches, determinism, planted columns.

The model-level effects (a zero fill hurts XGBoost, |alpha| ** 1.5 weights help a
classifier) need xgboost, which tr-core does not depend on: they live in
``packages/tr-sample-weighting/tests/test_planted_lessons.py``.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tr_core.errors import InvalidParameterError
from tr_core.synthetic import SyntheticMarket, make_insider_trades
from tr_core.synthetic.planted import UNKNOWN_HISTORY_EFFECT

N = 50_000
FILINGS = ["fil_sales_12m", "fil_awards_12m"]
EVENTS = ["evt_steady_score", "evt_catalyst_score"]


@pytest.fixture(scope="module")
def filings() -> SyntheticMarket:
    return make_insider_trades(N, random_state=3, fill_collision=True)


@pytest.fixture(scope="module")
def events() -> SyntheticMarket:
    return make_insider_trades(N, random_state=3, magnitude_signal=True)


# --- switches ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fill_collision", "magnitude_signal"])
@pytest.mark.parametrize("value", [1, 0, "yes", None, 1.0])
def test_switches_refuse_non_bools(name: str, value: object) -> None:
    with pytest.raises(InvalidParameterError, match=name):
        make_insider_trades(100, **{name: value})  # type: ignore[arg-type]


def test_switches_accept_numpy_bools() -> None:
    market = make_insider_trades(200, fill_collision=np.True_, magnitude_signal=np.False_)
    assert set(market.truth.planted) == {"fill_collision"}


@pytest.mark.parametrize(
    ("n", "seed", "kwargs"),
    [
        (20_000, 0, {}),
        (5_000, 11, {"n_noise": 0, "horizon": 5}),
        (3_000, 2**32 - 1, {"signal_strength": 0.5, "n_years": 2}),
        (1, 4, {}),
    ],
)
def test_switches_off_is_the_plain_market_bit_for_bit(n: int, seed: int, kwargs: dict) -> None:
    plain = make_insider_trades(n, random_state=seed, **kwargs)
    off = make_insider_trades(
        n, random_state=seed, fill_collision=False, magnitude_signal=False, **kwargs
    )
    pd.testing.assert_frame_equal(off.frame, plain.frame, check_exact=True)
    assert off.truth.summary() == plain.truth.summary()
    assert dict(plain.truth.planted) == {}
    assert set(plain.truth.groups) <= {"insider", "technical", "market", "noise"}


@pytest.mark.parametrize(
    ("kwargs", "added"),
    [
        ({"fill_collision": True}, FILINGS),
        ({"magnitude_signal": True}, EVENTS),
        ({"fill_collision": True, "magnitude_signal": True}, FILINGS + EVENTS),
    ],
)
def test_planting_never_moves_the_plain_draws(kwargs: dict, added: list[str]) -> None:
    plain = make_insider_trades(8_000, random_state=5).frame
    planted = make_insider_trades(8_000, random_state=5, **kwargs).frame
    assert list(planted.columns) == [*plain.columns, *added]
    # every plain column but alpha is the same draw, bit for bit; alpha carries the lesson
    same = [c for c in plain.columns if c != "alpha"]
    pd.testing.assert_frame_equal(planted[same], plain[same], check_exact=True)
    assert not np.array_equal(planted["alpha"].to_numpy(), plain["alpha"].to_numpy())


def test_each_lesson_has_its_own_stream() -> None:
    both = make_insider_trades(8_000, random_state=6, fill_collision=True, magnitude_signal=True)
    fill = make_insider_trades(8_000, random_state=6, fill_collision=True)
    magnitude = make_insider_trades(8_000, random_state=6, magnitude_signal=True)
    pd.testing.assert_frame_equal(both.frame[FILINGS], fill.frame[FILINGS], check_exact=True)
    pd.testing.assert_frame_equal(both.frame[EVENTS], magnitude.frame[EVENTS], check_exact=True)
    again = make_insider_trades(8_000, random_state=6, fill_collision=True, magnitude_signal=True)
    pd.testing.assert_frame_equal(both.frame, again.frame, check_exact=True)


# --- fill collision ----------------------------------------------------------------------


def test_filings_zeros_are_genuine_frequent_and_informative(filings: SyntheticMarket) -> None:
    frame = filings.frame
    known = frame["fil_sales_12m"].notna()
    alpha = frame["alpha"]
    for col in FILINGS:
        values = frame.loc[known, col]
        assert (values == np.round(values)).all()  # counts
        assert (values >= 0).all()
        assert values.value_counts().idxmax() == 0.0  # 0 is the most common real value
        assert 0.35 < (values == 0).mean() < 0.65
        # a genuine 0 earns more than a positive count: the zero is a strong signal
        assert alpha[known & (frame[col] == 0)].mean() > alpha[frame[col] > 0].mean() + 0.015
    zero = known & (frame["fil_sales_12m"] == 0)
    assert alpha[zero].mean() > alpha[frame["fil_sales_12m"] > 0].mean() + 0.03


def test_filings_missing_not_at_random(filings: SyntheticMarket) -> None:
    frame, truth = filings
    missing = frame[FILINGS].isna()
    assert (missing.all(axis=1) == missing.any(axis=1)).all()  # the group goes missing together
    share = missing.iloc[:, 0].mean()
    assert share == pytest.approx(truth.missing_share["filings"])
    assert 0.18 < share < 0.32
    alpha = frame["alpha"]
    gone = missing.iloc[:, 0]
    zeros = (frame[FILINGS] == 0).all(axis=1)
    # the missing rows are the worst, the genuine zeros the best: fillna(0) merges them
    assert alpha[gone].mean() < alpha[~gone].mean() - 0.03
    assert alpha[zeros].mean() > alpha[gone].mean() + 0.06
    filled = frame[FILINGS].fillna(0.0)
    merged = (filled == 0).all(axis=1)
    assert alpha[merged].mean() < alpha[zeros].mean() - 0.015
    # the missingness is per insider and unrelated to the other features
    assert abs(frame.loc[gone, "ins_log_value"].mean() - frame["ins_log_value"].mean()) < 0.02


def test_filings_truth(filings: SyntheticMarket) -> None:
    frame, truth = filings
    assert truth.groups["filings"] == tuple(FILINGS)
    assert tuple(frame.columns[4:]) == truth.feature_names
    assert set(truth.planted) == {"fill_collision"}
    assert "fillna(0)" in truth.planted["fill_collision"]
    assert "Not at random" in truth.missingness["filings"]
    assert truth.latent_effects["unknown_filing_history"] == UNKNOWN_HISTORY_EFFECT < 0
    assert truth.informative["fil_sales_12m"] < truth.informative["fil_awards_12m"] < 0
    table = truth.to_frame()
    assert (table.loc[FILINGS, "group"] == "filings").all()
    filings.contract.validate(frame)
    summary = json.loads(json.dumps(filings.summary()))["truth"]
    assert summary["planted"] == dict(truth.planted)
    assert summary["groups"]["filings"] == FILINGS


# --- magnitude signal --------------------------------------------------------------------


def _quintile_gap(frame: pd.DataFrame, col: str, values: pd.Series) -> float:
    quintile = pd.qcut(frame[col], 5, labels=False)
    means = values.groupby(quintile).mean()
    return float(means.iloc[-1] - means.iloc[0])


def test_steady_predicts_small_wins_catalyst_rare_large_ones(events: SyntheticMarket) -> None:
    frame = events.frame
    alpha, win = frame["alpha"], (frame["alpha"] > 0).astype(float)
    steady_p = _quintile_gap(frame, "evt_steady_score", win)
    steady_mean = _quintile_gap(frame, "evt_steady_score", alpha)
    catalyst_p = _quintile_gap(frame, "evt_catalyst_score", win)
    catalyst_mean = _quintile_gap(frame, "evt_catalyst_score", alpha)
    # steady: P(alpha > 0) moves a lot, mean alpha little (slightly down)
    assert steady_p > 0.12
    assert abs(steady_mean) < 0.015
    # catalyst: mean alpha moves a lot, P(alpha > 0) little
    assert catalyst_mean > 0.035
    assert catalyst_p < steady_p / 2
    # the steady wins are small, the catalyst's wins large
    small = ((alpha > 0) & (alpha < 0.02)).astype(float)
    large = (alpha > 0.3).astype(float)
    steady_q = pd.qcut(frame["evt_steady_score"], 5, labels=False)
    catalyst_q = pd.qcut(frame["evt_catalyst_score"], 5, labels=False)
    assert small[steady_q == 4].mean() > 2 * small[steady_q == 0].mean()
    assert large[catalyst_q == 4].mean() > 3 * large[catalyst_q == 0].mean()


def test_event_truth(events: SyntheticMarket) -> None:
    frame, truth = events
    assert truth.groups["event"] == tuple(EVENTS)
    assert tuple(frame.columns[4:]) == truth.feature_names
    assert set(truth.planted) == {"magnitude_signal"}
    assert truth.missing_share["event"] == 0.0
    assert frame[EVENTS].notna().all().all()
    weights = truth.informative
    assert weights["evt_catalyst_score"] > 0.01
    assert abs(weights["evt_steady_score"]) < 0.005
    assert "unknown_filing_history" not in truth.latent_effects
    events.contract.validate(frame)


def test_zero_strength_plants_no_signal() -> None:
    frame = make_insider_trades(
        30_000, random_state=2, signal_strength=0.0, fill_collision=True, magnitude_signal=True
    ).frame
    alpha = frame["alpha"]
    known = frame["fil_sales_12m"].notna()
    zero = known & (frame["fil_sales_12m"] == 0)
    assert abs(alpha[zero].mean() - alpha[frame["fil_sales_12m"] > 0].mean()) < 0.005
    assert abs(alpha[~known].mean() - alpha[known].mean()) < 0.005
    for col in EVENTS:
        assert abs(_quintile_gap(frame, col, alpha)) < 0.01
        assert abs(_quintile_gap(frame, col, (alpha > 0).astype(float))) < 0.03
