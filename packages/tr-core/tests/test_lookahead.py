"""Tests of tr_core.lookahead.assert_no_lookahead."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tr_core.errors import (
    FeatureTypeError,
    InsufficientDataError,
    InvalidParameterError,
    LookaheadError,
    MissingColumnError,
    TimeTypeError,
    TrTypeError,
    TrValueError,
)
from tr_core.lookahead import LookaheadReport, assert_no_lookahead
from tr_core.synthetic import make_insider_trades


@pytest.fixture
def prices() -> pd.DataFrame:
    """One instrument, 300 business days; ``ret`` is the return over the next day."""
    rng = np.random.default_rng(0)
    days = pd.bdate_range("2021-01-01", periods=300)
    price = 100 * np.exp(np.cumsum(0.01 * rng.standard_normal(300)))
    ret = np.append(price[1:] / price[:-1] - 1, np.nan)
    label_end = days + pd.offsets.BDay(1)
    frame = pd.DataFrame({"t": days, "price": price, "ret": ret, "label_end": label_end})
    frame.index = pd.Index(np.arange(1000, 1300), name="row")
    return frame


@pytest.fixture
def panel() -> pd.DataFrame:
    """Three tickers interleaved in time, with next-day returns known at label_end."""
    rng = np.random.default_rng(1)
    days = pd.bdate_range("2021-01-01", periods=120)
    parts = []
    for k, ticker in enumerate(["AAA", "BBB", "CCC"]):
        price = (50 + 10 * k) * np.exp(np.cumsum(0.02 * rng.standard_normal(days.size)))
        ret = np.append(price[1:] / price[:-1] - 1, np.nan)
        parts.append(
            pd.DataFrame(
                {
                    "t": days,
                    "ticker": ticker,
                    "price": price,
                    "ret": ret,
                    "label_end": days + pd.offsets.BDay(1),
                }
            )
        )
    return pd.concat(parts).sort_values(["t", "ticker"]).reset_index(drop=True)


REVEAL = {"ret": "label_end"}


def rolling_mean(frame: pd.DataFrame) -> pd.Series:
    return frame["ret"].rolling(20).mean().rename("ret_ma20")


def rolling_mean_lagged(frame: pd.DataFrame) -> pd.Series:
    return frame["ret"].rolling(20).mean().shift(1).rename("ret_ma20")


def test_catches_rolling_mean_of_unrealized_returns(prices: pd.DataFrame) -> None:
    with pytest.raises(LookaheadError) as info:
        assert_no_lookahead(rolling_mean, prices, time="t", observed_at=REVEAL)
    message = str(info.value)
    assert "'ret_ma20'" in message
    assert "cutoff 2021-03-11" in message  # the first cutoff: distinct time 49 of 300
    # the first offending row is the last one at the cutoff, whose own return is unknown
    assert "row 1049 (time 2021-03-11 00:00:00)" in message
    assert "nan on the truncated frame" in message


def test_passes_lagged_rolling_mean(prices: pd.DataFrame) -> None:
    report = assert_no_lookahead(rolling_mean_lagged, prices, time="t", observed_at=REVEAL)
    assert report.features == ("ret_ma20",)
    assert len(report.cutoffs) == 5


def test_without_observed_at_the_current_return_counts_as_known(prices: pd.DataFrame) -> None:
    # Documented behaviour: the check only knows what the frame declares.
    assert_no_lookahead(rolling_mean, prices, time="t")


def test_catches_negative_pct_change_and_passes_positive(prices: pd.DataFrame) -> None:
    with pytest.raises(LookaheadError, match=r"'fwd5'.*row 1145 .*5 rows"):
        assert_no_lookahead(
            lambda f: f["price"].pct_change(-5).rename("fwd5"), prices, time="t", cutoffs=1
        )
    assert_no_lookahead(lambda f: f["price"].pct_change(5).rename("past5"), prices, time="t")


def test_catches_full_sample_zscore_and_passes_expanding(prices: pd.DataFrame) -> None:
    def full_z(f: pd.DataFrame) -> pd.Series:
        return ((f["price"] - f["price"].mean()) / f["price"].std()).rename("z")

    def expanding_z(f: pd.DataFrame) -> pd.Series:
        grow = f["price"].expanding(min_periods=10)
        return ((f["price"] - grow.mean()) / grow.std()).rename("z")

    with pytest.raises(LookaheadError, match=r"'z'.*row 1000 "):
        assert_no_lookahead(full_z, prices, time="t")
    assert_no_lookahead(expanding_z, prices, time="t")


def test_groupby_rolling_per_ticker(panel: pd.DataFrame) -> None:
    def leaky(f: pd.DataFrame) -> pd.DataFrame:
        ma = f.groupby("ticker")["ret"].rolling(20).mean().reset_index(level=0, drop=True)
        return pd.DataFrame({"ma": ma, "mom": f.groupby("ticker")["price"].pct_change(10)})

    def safe(f: pd.DataFrame) -> pd.DataFrame:
        lagged = f.groupby("ticker")["ret"].shift(1)
        ma = lagged.groupby(f["ticker"]).rolling(20).mean().reset_index(level=0, drop=True)
        return pd.DataFrame({"ma": ma, "mom": f.groupby("ticker")["price"].pct_change(10)})

    with pytest.raises(LookaheadError, match="feature 'ma'"):
        assert_no_lookahead(leaky, panel, time="t", observed_at=REVEAL)
    report = assert_no_lookahead(safe, panel, time="t", observed_at=REVEAL, cutoffs=4)
    assert report.features == ("ma", "mom")
    # rows compared = rows at or before each cutoff, three tickers per day
    assert all(r % 3 == 0 for r in report.rows_compared)


def test_synthetic_market_features_pass() -> None:
    market = make_insider_trades(20_000, random_state=3)
    features = list(market.contract.features)
    report = assert_no_lookahead(lambda f: f[features], market.frame, time="trade_date")
    assert report.features == tuple(features)


def test_shift_one_is_not_enough_when_labels_overlap() -> None:
    # The previous trade's alpha is realized 21 business days after it, usually after
    # the next trade of the same ticker: a shifted expanding mean still leaks.
    frame = make_insider_trades(5_000, random_state=3, n_tickers=50).frame

    def past_alpha(f: pd.DataFrame) -> pd.Series:
        return (
            f.groupby("ticker")["alpha"]
            .transform(lambda s: s.shift(1).expanding().mean())
            .rename("ticker_past_alpha")
        )

    with pytest.raises(LookaheadError, match="ticker_past_alpha"):
        assert_no_lookahead(
            past_alpha, frame, time="trade_date", observed_at={"alpha": "label_end"}
        )


def test_does_not_mutate_the_frame_even_if_feature_fn_does(prices: pd.DataFrame) -> None:
    before = prices.copy(deep=True)

    def vandal(f: pd.DataFrame) -> pd.Series:
        f["price"] = 0.0
        del f["ret"]
        return f["price"].rename("zero")

    assert_no_lookahead(vandal, prices, time="t", observed_at=REVEAL)
    pd.testing.assert_frame_equal(prices, before)


def test_explicit_cutoffs_and_report(prices: pd.DataFrame) -> None:
    cuts = [pd.Timestamp("2021-06-01"), pd.Timestamp("2021-02-01")]
    report = assert_no_lookahead(lambda f: f[["price"]].diff(), prices, time="t", cutoffs=cuts)
    assert isinstance(report, LookaheadReport)
    assert report.cutoffs == (pd.Timestamp("2021-02-01"), pd.Timestamp("2021-06-01"))
    days = prices["t"]
    assert report.rows_compared == tuple(int((days <= c).sum()) for c in report.cutoffs)
    assert report.values_compared == sum(report.rows_compared)
    table = report.to_frame()
    assert list(table["rows_compared"]) == list(report.rows_compared)
    assert json.loads(json.dumps(report.summary()))["cutoffs"][0].startswith("2021-02-01")


def test_int_cutoffs_are_quantiles_of_distinct_times(panel: pd.DataFrame) -> None:
    report = assert_no_lookahead(lambda f: f[["price"]], panel, time="t", cutoffs=3)
    days = np.sort(panel["t"].unique())
    expected = [pd.Timestamp(days[int(np.floor(q * (days.size - 1)))]) for q in (0.25, 0.5, 0.75)]
    assert list(report.cutoffs) == expected


def test_unsorted_frame_and_reordered_output(prices: pd.DataFrame) -> None:
    shuffled = prices.sample(frac=1.0, random_state=0)

    def sorted_feature(f: pd.DataFrame) -> pd.Series:
        ordered = f.sort_values("t")
        return ordered["price"].pct_change(-3).rename("fwd3")

    with pytest.raises(LookaheadError, match="fwd3"):
        assert_no_lookahead(sorted_feature, shuffled, time="t")
    assert_no_lookahead(
        lambda f: f.sort_values("t")["price"].pct_change(3).rename("past3"), shuffled, time="t"
    )


def test_tolerances(prices: pd.DataFrame) -> None:
    def tiny_leak(f: pd.DataFrame) -> pd.Series:
        return (f["price"] + 1e-13 * len(f)).rename("p")

    assert_no_lookahead(tiny_leak, prices, time="t")
    with pytest.raises(LookaheadError):
        assert_no_lookahead(tiny_leak, prices, time="t", rtol=0.0, atol=0.0)


def test_columns_selects_features(prices: pd.DataFrame) -> None:
    def two(f: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"ok": f["price"].diff(), "bad": f["price"].diff(-1)})

    report = assert_no_lookahead(two, prices, time="t", columns=["ok"])
    assert report.features == ("ok",)
    with pytest.raises(LookaheadError, match="'bad'"):
        assert_no_lookahead(two, prices, time="t")


def test_nan_in_one_version_only_is_a_violation(prices: pd.DataFrame) -> None:
    def shrinking(f: pd.DataFrame) -> pd.Series:
        out = f["price"].copy()
        out.iloc[-1] = np.nan  # the last row of whatever it is given
        return out

    with pytest.raises(LookaheadError, match="nan on the truncated frame"):
        assert_no_lookahead(shrinking, prices, time="t", cutoffs=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"time": "when"}, MissingColumnError, "when"),
        ({"time": 0}, InvalidParameterError, "time"),
        ({"time": "price"}, TimeTypeError, "time"),
        ({"cutoffs": 0}, InvalidParameterError, "cutoffs"),
        ({"cutoffs": True}, InvalidParameterError, "cutoffs"),
        ({"cutoffs": "2021-03-01"}, InvalidParameterError, "cutoffs"),
        ({"cutoffs": [pd.Timestamp("2000-01-01")]}, InvalidParameterError, "outside"),
        ({"cutoffs": [pd.Timestamp("2030-01-01")]}, InvalidParameterError, "outside"),
        ({"rtol": -1.0}, InvalidParameterError, "rtol"),
        ({"columns": ["nope"]}, MissingColumnError, "nope"),
        ({"columns": "price"}, InvalidParameterError, "columns"),
        ({"columns": []}, InvalidParameterError, "columns"),
        ({"observed_at": {"nope": "label_end"}}, MissingColumnError, "nope"),
        ({"observed_at": {"ret": "price"}}, TimeTypeError, "observed_at"),
        ({"observed_at": ["ret"]}, InvalidParameterError, "observed_at"),
    ],
)
def test_bad_arguments(prices: pd.DataFrame, kwargs: dict, error: type, match: str) -> None:
    args = {"time": "t", **kwargs}
    with pytest.raises(error, match=match):
        assert_no_lookahead(lambda f: f[["price"]], prices, **args)


def test_bad_inputs_and_outputs(prices: pd.DataFrame) -> None:
    with pytest.raises(TrTypeError, match="DataFrame"):
        assert_no_lookahead(lambda f: f, prices.to_numpy(), time="t")  # type: ignore[arg-type]
    with pytest.raises(TrValueError, match="empty"):
        assert_no_lookahead(lambda f: f, prices.iloc[:0], time="t")
    with pytest.raises(InsufficientDataError, match="distinct"):
        assert_no_lookahead(lambda f: f[["price"]], prices.assign(t=prices["t"].iloc[0]), time="t")
    with pytest.raises(TrTypeError, match="DataFrame or Series"):
        assert_no_lookahead(lambda f: f["price"].to_numpy(), prices, time="t")  # type: ignore[arg-type,return-value]
    with pytest.raises(TrValueError, match="not aligned"):
        assert_no_lookahead(lambda f: f[["price"]].reset_index(drop=True), prices, time="t")
    with pytest.raises(TrValueError, match="duplicate"):
        assert_no_lookahead(lambda f: pd.concat([f["price"], f["price"]], axis=1), prices, time="t")
    with pytest.raises(FeatureTypeError, match="numeric"):
        assert_no_lookahead(lambda f: f["t"].dt.strftime("%Y").to_frame(), prices, time="t")
    with pytest.raises(MissingColumnError, match="same columns"):
        assert_no_lookahead(
            lambda f: f[["price"]] if len(f) == len(prices) else f[["ret"]], prices, time="t"
        )
    with pytest.raises(TrTypeError, match="callable"):
        assert_no_lookahead("price", prices, time="t")  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=4, max_size=60
    ),
    repeats=st.integers(min_value=1, max_value=3),
    cutoffs=st.integers(min_value=1, max_value=6),
)
def test_causal_features_always_pass_centred_ones_fail(
    values: list[float], repeats: int, cutoffs: int
) -> None:
    n = len(values)
    times = pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(n) // repeats, unit="D")
    frame = pd.DataFrame({"t": times, "x": values})

    def causal(f: pd.DataFrame) -> pd.DataFrame:
        x = f["x"]
        return pd.DataFrame({"cummax": x.cummax(), "lag": x.shift(1), "ewm": x.ewm(5).mean()})

    assert_no_lookahead(causal, frame, time="t", cutoffs=cutoffs)

    def demeaned(f: pd.DataFrame) -> pd.Series:
        return (f["x"] - f["x"].max()).rename("d")

    series = pd.Series(values)
    dropped_any_max = any(series[times <= c].max() != series.max() for c in np.unique(times)[:-1])
    if dropped_any_max:
        with pytest.raises(LookaheadError):
            assert_no_lookahead(
                demeaned, frame, time="t", cutoffs=sorted(set(times))[:-1], rtol=0.0, atol=0.0
            )


def _new_york(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(
        t=frame["t"].dt.tz_localize("America/New_York"),
        label_end=frame["label_end"].dt.tz_localize("America/New_York"),
    )


def test_naive_cutoffs_for_aware_times_refused(prices: pd.DataFrame) -> None:
    # Regression: both were read as UTC, so a naive cutoff meant for New York time was
    # silently moved by the UTC offset (4-5 hours) — a different set of rows compared.
    aware = _new_york(prices)
    with pytest.raises(TimeTypeError, match=r"`time` carry a timezone but `cutoffs` do not"):
        assert_no_lookahead(
            lambda f: f[["price"]], aware, time="t", cutoffs=[pd.Timestamp("2021-03-01")]
        )
    with pytest.raises(TimeTypeError, match=r"`cutoffs` carry a timezone but `time` do not"):
        assert_no_lookahead(
            lambda f: f[["price"]],
            prices,
            time="t",
            cutoffs=[pd.Timestamp("2021-03-01", tz="America/New_York")],
        )


def test_naive_observed_at_for_aware_times_refused(prices: pd.DataFrame) -> None:
    aware = _new_york(prices).assign(label_end=prices["label_end"])
    with pytest.raises(TimeTypeError, match=r"`time` carry a timezone but `observed_at\['ret'\]`"):
        assert_no_lookahead(rolling_mean_lagged, aware, time="t", observed_at=REVEAL)


def test_aware_times_and_cutoffs_report_in_their_zone(prices: pd.DataFrame) -> None:
    aware = _new_york(prices)
    cut = pd.Timestamp("2021-03-01", tz="America/New_York")
    report = assert_no_lookahead(
        rolling_mean_lagged, aware, time="t", cutoffs=[cut], observed_at=REVEAL
    )
    assert report.cutoffs == (cut,)
    assert report.summary()["cutoffs"] == ["2021-03-01T00:00:00-05:00"]
    assert report.rows_compared == (int((aware["t"] <= cut).sum()),)
    # A cutoff given in another zone is the same instant.
    same = assert_no_lookahead(
        rolling_mean_lagged, aware, time="t", cutoffs=[cut.tz_convert("UTC")], observed_at=REVEAL
    )
    assert same.rows_compared == report.rows_compared
    with pytest.raises(LookaheadError, match=r"at cutoff 2021-03-01 00:00:00-05:00"):
        assert_no_lookahead(rolling_mean, aware, time="t", cutoffs=[cut], observed_at=REVEAL)


def test_report_repr_is_one_line(prices: pd.DataFrame) -> None:
    wide = lambda f: pd.DataFrame({f"p{i}": f["price"] * i for i in range(200)})  # noqa: E731
    text = repr(assert_no_lookahead(wide, prices, time="t", cutoffs=3))
    assert text.startswith("LookaheadReport(n_features=200, n_cutoffs=3, ")
    assert "\n" not in text
    assert len(text) < 200
