"""Tests of tr_core.synthetic: structure, determinism, and a recoverable truth."""

from __future__ import annotations

import json

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tr_core.contract import DataContract
from tr_core.errors import InvalidParameterError
from tr_core.synthetic import GroundTruth, SyntheticMarket, make_insider_trades

N = 100_000


@pytest.fixture(scope="module")
def market() -> SyntheticMarket:
    return make_insider_trades(N, random_state=0)


def rank_ic(x: pd.Series | npt.NDArray[np.float64], y: pd.Series) -> float:
    """Spearman correlation on the rows where both are present."""
    a = pd.Series(np.asarray(x, dtype=float), index=y.index)
    ok = a.notna() & y.notna()
    return float(np.corrcoef(a[ok].rank(), y[ok].rank())[0, 1])


def ols_predict(train: pd.DataFrame, test: pd.DataFrame, cols: list[str]) -> npt.NDArray:
    """Least squares of alpha on ``cols`` (with intercept), fitted on train, applied to test."""
    design = np.column_stack([np.ones(len(train)), train[cols].to_numpy()])
    coef, *_ = np.linalg.lstsq(design, train["alpha"].to_numpy(), rcond=None)
    return np.column_stack([np.ones(len(test)), test[cols].to_numpy()]) @ coef


def time_split(frame: pd.DataFrame, share: float = 0.6) -> tuple[pd.DataFrame, pd.DataFrame]:
    cut = frame["trade_date"].iloc[int(share * len(frame))]
    return frame[frame["trade_date"] < cut], frame[frame["trade_date"] >= cut]


# --- structure ---------------------------------------------------------------------------


def test_frame_layout(market: SyntheticMarket) -> None:
    frame, truth = market
    assert list(frame.columns[:4]) == ["trade_date", "label_end", "ticker", "alpha"]
    assert tuple(frame.columns[4:]) == truth.feature_names
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame["trade_date"].dtype == np.dtype("datetime64[ns]")
    assert frame["label_end"].dtype == np.dtype("datetime64[ns]")
    assert all(frame[c].dtype == np.float64 for c in ["alpha", *truth.feature_names])
    assert frame["trade_date"].is_monotonic_increasing
    assert frame["trade_date"].duplicated().any()  # many trades share a day
    assert isinstance(frame["ticker"].iloc[0], str)
    assert 1_000 < frame["ticker"].nunique() <= truth.n_tickers == 2_500
    assert (frame["trade_date"].dt.day_of_week < 5).all()


def test_label_end_is_horizon_business_days_later() -> None:
    frame, truth = make_insider_trades(3_000, random_state=2, horizon=10)
    expected = frame["trade_date"] + pd.offsets.BDay(10)
    pd.testing.assert_series_equal(frame["label_end"], expected, check_names=False)
    assert truth.horizon == 10


def test_contract_declares_roles_and_validates(market: SyntheticMarket) -> None:
    contract = market.contract
    assert isinstance(contract, DataContract)
    assert (contract.time, contract.target, contract.label_end, contract.entity) == (
        "trade_date",
        "alpha",
        "label_end",
        "ticker",
    )
    assert contract.features == market.truth.feature_names
    assert dict(contract.groups) == dict(market.truth.groups)
    assert contract.target_units == "fraction"
    report = contract.validate(market.frame)
    assert report.n_rows == N
    assert report.group_complete_rows["market"] == round(
        N * (1 - market.truth.missing_share["market"])
    )


def test_same_seed_same_market_other_seed_differs() -> None:
    a = make_insider_trades(5_000, random_state=7)
    b = make_insider_trades(5_000, random_state=7)
    c = make_insider_trades(5_000, random_state=8)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.truth.summary() == b.truth.summary()
    assert not np.allclose(a.frame["alpha"], c.frame["alpha"])


def test_truth_tables_and_summary(market: SyntheticMarket) -> None:
    truth = market.truth
    assert isinstance(truth, GroundTruth)
    table = truth.to_frame()
    assert tuple(table.index) == truth.feature_names
    assert set(table["group"]) == {"insider", "technical", "market", "noise"}
    grouped = [c for cols in truth.groups.values() for c in cols]
    assert sorted(grouped) == sorted(truth.feature_names)  # a partition
    assert set(truth.noise) == set(truth.groups["noise"])
    assert (table.loc[list(truth.noise), ["weight_calm", "weight_stressed"]] == 0).all().all()
    assert set(truth.informative) == set(truth.feature_names) - set(truth.noise)
    # the trade-weighted weight is the regime mix of the two weights
    s = truth.regime.stressed_share_trades
    w = table["weight_calm"] * (1 - s) + table["weight_stressed"] * s
    np.testing.assert_allclose(table["weight"], w)
    text = json.dumps(market.summary())
    assert json.loads(text)["truth"]["informative"]["ins_own_change"] == pytest.approx(
        truth.informative["ins_own_change"]
    )
    pd.testing.assert_frame_equal(market.to_frame(), table)


def test_regime_threshold_matches_latent_share(market: SyntheticMarket) -> None:
    frame, truth = market
    vol = frame["mkt_volatility"].dropna()
    assert truth.regime.threshold == pytest.approx(20 * np.exp(0.35 * 0.5244005127080407))
    # the regime is persistent, so the realized share of days wanders around 30 %
    assert 0.1 < truth.regime.stressed_share_days < 0.5
    # insiders trade more when markets are stressed
    assert truth.regime.stressed_share_trades > truth.regime.stressed_share_days
    assert (vol > truth.regime.threshold).mean() == pytest.approx(
        truth.regime.stressed_share_trades, abs=0.03
    )


# --- missingness -------------------------------------------------------------------------


def test_missingness_patterns_per_group(market: SyntheticMarket) -> None:
    frame, truth = market
    groups = truth.groups
    tech = frame[list(groups["technical"])].isna()
    assert (tech.all(axis=1) == tech.any(axis=1)).all()  # the group goes missing together
    assert tech.iloc[:, 0].mean() == pytest.approx(truth.missing_share["technical"])
    first = frame["ins_days_since_last"].isna()
    assert (frame["ins_track_record"].isna() == first).all()
    assert frame[["ins_log_value", "ins_own_change", "ins_role_score"]].notna().all().all()
    assert first.mean() == pytest.approx(truth.missing_share["insider"])
    assert (frame["ins_days_since_last"].dropna() >= 1).all()
    days = np.sort(frame["trade_date"].unique())
    mkt = frame[list(groups["market"])].isna()
    assert (mkt.all(axis=1) == (frame["trade_date"] < days[63])).all()
    noise = frame[list(groups["noise"])].isna().to_numpy()
    assert noise.mean() == pytest.approx(0.05, abs=0.005)
    assert set(truth.missingness) == set(groups)


def test_missing_rows_are_not_missing_at_random(market: SyntheticMarket) -> None:
    frame = market.frame
    tech_missing = frame["tech_momentum"].isna()
    first_time = frame["ins_days_since_last"].isna()
    # small names (technical missing) and first-time filers earn more: the NaN carries signal
    assert frame.loc[tech_missing, "alpha"].mean() > frame.loc[~tech_missing, "alpha"].mean() + 0.01
    assert frame.loc[first_time, "alpha"].mean() > frame.loc[~first_time, "alpha"].mean() + 0.01


@pytest.mark.parametrize("group", ["insider", "technical"])
def test_per_group_dropna_beats_fillna_zero(market: SyntheticMarket, group: str) -> None:
    frame, truth = market
    cols = list(truth.groups[group])
    train, test = time_split(frame)
    complete_test = test.dropna(subset=cols)
    dropped = ols_predict(train.dropna(subset=cols), complete_test, cols)
    filled = ols_predict(train.fillna(dict.fromkeys(cols, 0.0)), complete_test, cols)
    ic_dropna = rank_ic(dropped, complete_test["alpha"])
    ic_fillna = rank_ic(filled, complete_test["alpha"])
    assert ic_dropna > 0.08
    assert ic_dropna > ic_fillna + 0.02


# --- the truth is recoverable ------------------------------------------------------------


def test_informative_features_rank_above_noise(market: SyntheticMarket) -> None:
    frame, truth = market
    ic = {c: rank_ic(frame[c], frame["alpha"]) for c in truth.feature_names}
    noise_max = max(abs(ic[c]) for c in truth.noise)
    for name, weight in truth.informative.items():
        assert abs(ic[name]) > noise_max, name
        assert np.sign(ic[name]) == np.sign(weight), name
    assert noise_max < 0.02


def test_regime_modulates_signal(market: SyntheticMarket) -> None:
    frame, truth = market
    stressed = frame["mkt_volatility"] > truth.regime.threshold
    calm = frame["mkt_volatility"] <= truth.regime.threshold
    for name in ["ins_own_change", "ins_log_value", "ins_cluster_count"]:
        assert rank_ic(frame.loc[stressed, name], frame.loc[stressed, "alpha"]) > 1.4 * rank_ic(
            frame.loc[calm, name], frame.loc[calm, "alpha"]
        )
    # momentum works in calm markets and reverses in stressed ones
    assert rank_ic(frame.loc[calm, "tech_momentum"], frame.loc[calm, "alpha"]) > 0.02
    assert rank_ic(frame.loc[stressed, "tech_momentum"], frame.loc[stressed, "alpha"]) < -0.01


def test_model_on_informative_features_has_positive_top_bucket(market: SyntheticMarket) -> None:
    frame, truth = market
    cols = list(truth.informative)
    train, test = time_split(frame.dropna(subset=cols))
    pred = ols_predict(train, test, cols)
    decile = pd.qcut(pred, 10, labels=False)
    by_decile = test["alpha"].groupby(decile).mean()
    assert by_decile.iloc[-1] > test["alpha"].mean() + 0.03
    assert by_decile.iloc[-1] > by_decile.iloc[0] + 0.06


def test_alpha_is_heavy_tailed_fraction(market: SyntheticMarket) -> None:
    alpha = market.frame["alpha"]
    assert 0.08 < alpha.std() < 0.2
    assert alpha.kurt() > 2.0  # a normal has 0
    assert alpha.min() >= -0.95
    assert market.truth.alpha_model["tail_df"] == 4.0


def test_zero_signal_strength_leaves_only_noise() -> None:
    frame, truth = make_insider_trades(50_000, random_state=4, signal_strength=0.0)
    for name in truth.informative:
        assert abs(rank_ic(frame[name], frame["alpha"])) < 0.03, name


def test_cluster_count_counts_earlier_trades_of_the_ticker() -> None:
    frame = make_insider_trades(3_000, random_state=5, n_tickers=40).frame
    days = frame["trade_date"].to_numpy()
    tickers = frame["ticker"].to_numpy()
    window = np.timedelta64(30, "D")
    for i in range(0, len(frame), 97):
        same = tickers == tickers[i]
        expected = (same & (days < days[i]) & (days >= days[i] - window)).sum()
        assert frame["ins_cluster_count"].iloc[i] == expected


# --- parameters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_trades": 0}, "n_trades"),
        ({"n_trades": 2.5}, "n_trades"),
        ({"n_trades": True}, "n_trades"),
        ({"random_state": -1}, "random_state"),
        ({"n_tickers": 0}, "n_tickers"),
        ({"n_years": 0}, "n_years"),
        ({"horizon": 0}, "horizon"),
        ({"n_noise": -1}, "n_noise"),
        ({"signal_strength": -0.1}, "signal_strength"),
        ({"signal_strength": "strong"}, "signal_strength"),
        ({"noise_scale": 0.0}, "noise_scale"),
        ({"noise_scale": float("nan")}, "noise_scale"),
        ({"tail_df": 2.0}, "tail_df"),
        ({"start": "not a date"}, "start"),
        ({"start": pd.Timestamp("2020-01-01", tz="UTC")}, "start"),
    ],
)
def test_invalid_parameters(kwargs: dict, match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        make_insider_trades(**{"n_trades": 100, **kwargs})


def test_small_and_noiseless_variants() -> None:
    frame, truth = make_insider_trades(1, random_state=0)
    assert len(frame) == 1
    assert truth.n_tickers == 1
    market = make_insider_trades(500, random_state=0, n_noise=0, start="2001-03-05", n_years=1)
    assert "noise" not in market.truth.groups
    assert market.truth.noise == ()
    assert market.frame["trade_date"].min() >= pd.Timestamp("2001-03-05")
    market.contract.validate(market.frame)


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=400),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    horizon=st.integers(min_value=1, max_value=60),
)
def test_any_market_satisfies_its_contract(n: int, seed: int, horizon: int) -> None:
    market = make_insider_trades(n, random_state=seed, horizon=horizon, n_years=1)
    report = market.contract.validate(market.frame)
    assert report.n_rows == n
    assert (market.frame["label_end"] > market.frame["trade_date"]).all()
    assert market.frame["trade_date"].is_monotonic_increasing


def test_seed_is_a_deprecated_alias_of_random_state() -> None:
    with pytest.warns(FutureWarning, match="`seed` is deprecated"):
        old = make_insider_trades(300, seed=4)
    pd.testing.assert_frame_equal(old.frame, make_insider_trades(300, random_state=4).frame)
