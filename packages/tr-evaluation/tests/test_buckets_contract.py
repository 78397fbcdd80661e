"""Issue 10 regressions for buckets: pairing by label, local periods, period means, sizes, repr."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tr_core.errors import IndexAlignmentError, InvalidParameterError, SizeLimitError
from tr_evaluation.buckets import BucketAnalyzer, assign_buckets
from tr_evaluation.buckets._layout import LayoutBuilder
from tr_evaluation.buckets._ranks import twice_average_ranks
from tr_evaluation.buckets.assign import MAX_BUCKETS, buckets_from_ranks
from tr_evaluation.buckets.periods import period_codes
from tr_evaluation.buckets.stats import run_period_means


def _labelled_panel(seed: int = 0, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "score": rng.normal(size=n),
            "time": np.repeat(pd.bdate_range("2024-01-01", periods=n // 20), 20),
            "ticker": np.tile([f"T{i}" for i in range(20)], n // 20),
            "weight": rng.uniform(0.5, 2.0, size=n),
        },
        index=pd.Index([f"row{i}" for i in range(n)], name="id"),
    )
    frame["ret"] = 0.02 * frame["score"] + rng.normal(scale=0.05, size=n)
    return frame


# --- 1. pairing by index label, never by position ---------------------------------------


def test_shuffled_returns_series_gives_the_aligned_answer() -> None:
    frame = _labelled_panel()
    aligned = BucketAnalyzer(n_buckets=5).analyze(frame["score"], frame["ret"])
    shuffled = frame["ret"].sample(frac=1.0, random_state=1)
    assert not shuffled.index.equals(frame.index)
    result = BucketAnalyzer(n_buckets=5).analyze(frame["score"], shuffled)
    # By position the IC would be that of unrelated rows (~0); by label it is the real one.
    assert aligned.ic > 0.2
    assert result.ic == pytest.approx(aligned.ic)
    pd.testing.assert_frame_equal(result.table, aligned.table)
    assert isinstance(result.buckets, pd.Series)
    assert result.buckets.index.equals(frame.index)
    pd.testing.assert_series_equal(result.buckets, aligned.buckets)


def test_every_per_row_input_is_aligned_by_label() -> None:
    frame = _labelled_panel(seed=1)
    analyzer = BucketAnalyzer(n_buckets=4, by="D")
    kwargs = {"times": "time", "entities": "ticker", "weights": "weight"}
    expected = analyzer.analyze("score", "ret", data=frame, **kwargs)
    order = np.random.default_rng(2).permutation(len(frame))
    shuffled = {k: frame[v].iloc[order] for k, v in kwargs.items()}
    result = analyzer.analyze(frame["score"], frame["ret"].iloc[order[::-1]], **shuffled)
    pd.testing.assert_frame_equal(result.table, expected.table)
    assert result.periods is not None
    assert expected.periods is not None
    pd.testing.assert_frame_equal(result.periods, expected.periods)
    pd.testing.assert_series_equal(result.buckets, expected.buckets)


def test_by_column_is_aligned_with_a_scores_series_in_another_order() -> None:
    frame = _labelled_panel(seed=3)
    expected = BucketAnalyzer(n_buckets=4, by="time").analyze("score", "ret", data=frame)
    reordered = frame["score"].iloc[::-1]
    result = BucketAnalyzer(n_buckets=4, by="time").analyze(reordered, "ret", data=frame)
    pd.testing.assert_frame_equal(result.table, expected.table)
    # Buckets come back on the index of the first pandas input: the caller's scores.
    assert result.buckets.index.equals(reordered.index)
    pd.testing.assert_series_equal(result.buckets, expected.buckets.loc[reordered.index])


def test_series_with_other_labels_are_refused() -> None:
    frame = _labelled_panel()
    other = frame["ret"].set_axis([f"x{i}" for i in range(len(frame))])
    with pytest.raises(IndexAlignmentError, match="`returns`"):
        BucketAnalyzer(n_buckets=5).analyze(frame["score"], other)
    with pytest.raises(IndexAlignmentError, match="`weights`"):
        BucketAnalyzer(n_buckets=5).analyze(frame["score"], frame["ret"], weights=other.abs())
    with pytest.raises(IndexAlignmentError, match="`groups`"):
        assign_buckets(frame["score"], 5, groups=frame["time"].iloc[:-1])


def test_arrays_are_taken_by_position_and_give_arrays() -> None:
    frame = _labelled_panel()
    result = BucketAnalyzer(n_buckets=5).analyze(frame["score"].to_numpy(), frame["ret"].to_numpy())
    assert isinstance(result.buckets, np.ndarray)
    by_label = BucketAnalyzer(n_buckets=5).analyze(frame["score"], frame["ret"])
    np.testing.assert_array_equal(result.buckets, by_label.buckets.to_numpy())


def test_assign_buckets_pairs_groups_by_label_and_returns_a_series() -> None:
    scores = pd.Series([0.4, 0.1, 0.3, 0.2, 0.9, 0.8], index=list("abcdef"))
    groups = pd.Series([1, 1, 1, 2, 2, 2], index=list("abcdef"))
    expected = assign_buckets(scores, 2, groups=groups)
    # Three rows per group, two buckets: ranks 0 and 1 go to bucket 0, rank 2 to bucket 1.
    assert expected.tolist() == [1, 0, 0, 0, 1, 0]
    shuffled = groups.iloc[[5, 2, 0, 4, 1, 3]]
    got = assign_buckets(scores, 2, groups=shuffled)
    pd.testing.assert_series_equal(got, expected)
    assert got.name == "bucket"
    assert isinstance(assign_buckets(scores.to_numpy(), 2), np.ndarray)


# --- 2. local calendar periods of timezone-aware times ----------------------------------


def _new_york(stamps: list[str]) -> pd.Series:
    return pd.Series(pd.DatetimeIndex(stamps).tz_localize("America/New_York"))


def test_new_york_evening_trades_stay_on_their_new_york_day() -> None:
    # 20:00 in New York is 01:00 (EST) of the next day in UTC.
    times = _new_york(
        [
            *["2024-03-01 09:30", "2024-03-01 12:00", "2024-03-01 20:00", "2024-03-01 20:00"],
            *["2024-03-04 09:30", "2024-03-04 11:00", "2024-03-04 15:00", "2024-03-04 20:00"],
        ]
    )
    scores = np.array([1.0, 2.0, 3.0, 4.0, 4.0, 3.0, 2.0, 1.0])
    returns = scores / 100
    result = BucketAnalyzer(n_buckets=2, by="D").analyze(scores, returns, times=times)
    assert result.periods is not None
    assert list(result.periods.index) == list(pd.to_datetime(["2024-03-01", "2024-03-04"]))
    assert result.periods["count"].tolist() == [4, 4]
    # Within each New York day, the two highest scores form the top bucket.
    assert result.buckets.tolist() == [0, 0, 1, 1, 1, 1, 0, 0]
    assert result.periods["ic"].tolist() == pytest.approx([1.0, 1.0])


def test_month_end_evening_in_new_york_is_in_its_own_month() -> None:
    times = _new_york(["2024-01-31 20:00", "2024-01-15 10:00", "2024-02-01 10:00"])
    codes, starts = period_codes(times, "M")
    assert codes.tolist() == [0, 0, 1]
    assert list(starts) == list(pd.to_datetime(["2024-01-01", "2024-02-01"]))
    # Sunday 20:00 in New York is Monday in UTC, but still the week that began Monday.
    codes, starts = period_codes(_new_york(["2024-03-03 20:00", "2024-03-04 09:00"]), "W")
    assert codes.tolist() == [0, 1]
    assert list(starts) == list(pd.to_datetime(["2024-02-26", "2024-03-04"]))


@pytest.mark.parametrize("freq", ["D", "W", "M"])
def test_aware_periods_of_unsorted_times_match_the_sorted_path(freq: str) -> None:
    rng = np.random.default_rng(5)
    # Hours around both 2024 DST switches and many evenings.
    utc = pd.Timestamp("2024-03-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 300 * 24, 2000), unit="h"
    )
    times = pd.Series(np.sort(utc.to_numpy())).dt.tz_convert("America/New_York")
    sorted_codes, sorted_starts = period_codes(times, freq)
    backwards = times.iloc[::-1].reset_index(drop=True)
    codes, starts = period_codes(backwards, freq)
    np.testing.assert_array_equal(codes, sorted_codes[::-1])
    assert starts.equals(sorted_starts)
    local = times.dt.tz_localize(None).dt.to_period(freq).dt.start_time
    np.testing.assert_array_equal(sorted_starts[sorted_codes], local.to_numpy())


def test_aware_times_given_as_a_list_use_their_own_zone() -> None:
    stamps = ["2024-03-01 20:00", "2024-03-02 10:00"]
    as_list = list(pd.DatetimeIndex(stamps).tz_localize("America/New_York"))
    codes, starts = period_codes(as_list, "D")
    assert codes.tolist() == [0, 1]
    assert list(starts) == list(pd.to_datetime(["2024-03-01", "2024-03-02"]))


# --- 3. pooled bucket mean vs the average of per-period bucket means --------------------


def _unbalanced() -> dict[str, np.ndarray]:
    # Day 1 has four rows, day 2 two: with 2 buckets, day 1 puts two rows in each
    # bucket and day 2 one row in each.
    return {
        "scores": np.array([1.0, 2.0, 3.0, 4.0, 1.0, 2.0]),
        "returns": np.array([0.01, 0.03, 0.05, 0.07, 0.10, 0.20]),
        "times": pd.to_datetime(["2024-01-02"] * 4 + ["2024-01-03"] * 2).to_numpy(),
    }


def test_period_mean_is_the_average_of_per_period_means_hand_computed() -> None:
    p = _unbalanced()
    analyzer = BucketAnalyzer(n_buckets=2, by="D")
    result = analyzer.analyze(p["scores"], p["returns"], times=p["times"])
    t = result.table
    # Pooled: bucket 0 holds 0.01, 0.03 (day 1) and 0.10 (day 2).
    np.testing.assert_allclose(t["mean"], [0.14 / 3, 0.32 / 3])
    # Per day: bucket 0 means 0.02 and 0.10, bucket 1 means 0.06 and 0.20.
    np.testing.assert_allclose(t["period_mean"], [(0.02 + 0.10) / 2, (0.06 + 0.20) / 2])
    assert result.top_bucket_return == pytest.approx(0.32 / 3)
    assert result.summary()["bucket_period_mean"] == pytest.approx([0.06, 0.13])


def test_weighted_period_mean_leaves_out_periods_without_weight() -> None:
    p = _unbalanced()
    weights = np.array([1.0, 3.0, 1.0, 1.0, 2.0, 1.0])
    result = BucketAnalyzer(n_buckets=2, by="D").analyze(
        p["scores"], p["returns"], times=p["times"], weights=weights
    )
    # Bucket 0: day 1 (0.01 * 1 + 0.03 * 3) / 4 = 0.025, day 2 0.10.
    assert result.table.loc[0, "period_mean"] == pytest.approx((0.025 + 0.10) / 2)
    assert result.table.loc[0, "mean"] == pytest.approx((0.01 + 0.09 + 0.20) / 6)
    weights[4] = 0.0  # day 2's bucket 0 now has no weight: it has no mean
    result = BucketAnalyzer(n_buckets=2, by="D").analyze(
        p["scores"], p["returns"], times=p["times"], weights=weights
    )
    assert result.table.loc[0, "period_mean"] == pytest.approx(0.025)
    assert result.table.loc[1, "period_mean"] == pytest.approx((0.06 + 0.20) / 2)


def test_period_mean_of_pooled_buckets_averages_over_the_period_periods() -> None:
    # Pooled over six rows, bucket 0 holds scores 1-3 and bucket 1 scores 4-6.
    scores = np.array([1.0, 2.0, 4.0, 5.0, 3.0, 6.0])
    returns = scores / 100
    times = pd.to_datetime(["2024-01-10"] * 4 + ["2024-02-10"] * 2)
    result = BucketAnalyzer(n_buckets=2).analyze(scores, returns, times=times)
    assert result.period == "M"
    np.testing.assert_allclose(result.table["mean"], [0.02, 0.05])
    # January: bucket 0 {0.01, 0.02}, bucket 1 {0.04, 0.05}; February: {0.03}, {0.06}.
    np.testing.assert_allclose(result.table["period_mean"], [0.0225, 0.0525])
    without_times = BucketAnalyzer(n_buckets=2).analyze(scores, returns)
    pd.testing.assert_series_equal(
        without_times.table["period_mean"], without_times.table["mean"], check_names=False
    )


@pytest.mark.filterwarnings("ignore:`scores` are constant")
@given(
    sizes=st.lists(st.integers(1, 30), min_size=1, max_size=12),
    n_buckets=st.integers(2, 6),
    seed=st.integers(0, 2**16),
)
def test_period_mean_equals_groupby_of_period_then_bucket(
    sizes: list[int], n_buckets: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    n = sum(sizes)
    if n < n_buckets:
        return
    day = np.repeat(np.arange(len(sizes)), sizes)
    order = rng.permutation(n)  # rows not in time order
    frame = pd.DataFrame(
        {
            "time": (pd.Timestamp("2024-01-01") + pd.to_timedelta(day, unit="D"))[order],
            "score": rng.integers(0, 5, n).astype(float),  # many ties
            "ret": rng.normal(size=n),
        }
    )
    result = BucketAnalyzer(n_buckets=n_buckets, by="D").analyze(
        "score", "ret", times="time", data=frame
    )
    frame["bucket"] = result.buckets
    expected = frame.groupby(["time", "bucket"])["ret"].mean().groupby("bucket").mean()
    got = result.table["period_mean"]
    np.testing.assert_allclose(got.loc[expected.index], expected.to_numpy(), rtol=1e-12)
    assert got.drop(expected.index).isna().all()
    pooled = frame.groupby("bucket")["ret"].mean()
    np.testing.assert_allclose(result.table["mean"].loc[pooled.index], pooled, rtol=1e-12)


# --- 4. bucket counts that cannot be represented ----------------------------------------


def test_forty_thousand_buckets_do_not_wrap_around() -> None:
    buckets = assign_buckets(np.arange(40_000, dtype=float), 40_000)
    assert buckets.dtype == np.int32
    # ceil(r * 40000 / 39999) - 1 = r for every rank r: one row per bucket, in order.
    np.testing.assert_array_equal(buckets, np.arange(40_000))
    result = BucketAnalyzer(n_buckets=40_000).analyze(
        np.arange(40_000, dtype=float), np.arange(40_000, dtype=float)
    )
    assert result.table["count"].eq(1).all()
    assert result.top_bucket_return == 39_999.0
    assert result.buckets.max() == 39_999


def test_int16_is_kept_up_to_its_limit() -> None:
    buckets = assign_buckets(np.arange(32_768, dtype=float), 32_768)
    assert buckets.dtype == np.int16
    assert int(buckets.max()) == 32_767


def test_n_buckets_above_the_limit_is_refused_before_allocating() -> None:
    with pytest.raises(SizeLimitError, match="1,000,001 exceeds the limit of 1,000,000"):
        assign_buckets([0.1, 0.2], MAX_BUCKETS + 1)
    with pytest.raises(SizeLimitError, match="n_buckets"):
        BucketAnalyzer(n_buckets=2**40).analyze([0.1, 0.2], [0.1, 0.2])


# --- 6. short repr ----------------------------------------------------------------------


def test_repr_is_one_short_line() -> None:
    frame = _labelled_panel(n=4000)
    result = BucketAnalyzer(n_buckets=20, by="D").analyze(
        "score", "ret", times="time", entities="ticker", data=frame
    )
    text = repr(result)
    assert "\n" not in text
    assert len(text) < 250
    assert text.startswith("BucketResult(n_buckets=20, by='D', period='D', n_rows=4000")
    assert f"spread={result.spread:.4g}" in text


# --- internals: edge cases the public functions never reach ----------------------------


def test_layout_of_no_rows_and_unsupported_period_frequency() -> None:
    builder = LayoutBuilder((np.zeros(0),), 3)
    builder.add(np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.int16), np.zeros(0, np.int64))
    layout = builder.finish()
    assert layout.counts.tolist() == [0, 0, 0]
    assert np.isnan(run_period_means(layout, 3)).all()
    with pytest.raises(InvalidParameterError, match="'Q'"):
        period_codes(pd.to_datetime(["2024-01-01"]), "Q")


@given(
    sizes=st.lists(st.integers(1, 40), min_size=1, max_size=8),
    n_buckets=st.integers(2, 50),
    seed=st.integers(0, 2**16),
)
def test_float_and_integer_division_give_the_same_buckets(
    sizes: list[int], n_buckets: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    sizes_arr = np.array(sizes, dtype=np.int64)
    values = rng.integers(0, 6, sizes_arr.sum()).astype(float)  # ties: odd doubled ranks
    codes = np.repeat(np.arange(sizes_arr.size), sizes_arr)
    twice = twice_average_ranks(values, codes, sizes_arr)
    order = np.lexsort((values, codes))
    by_float = buckets_from_ranks(twice[order].copy(), sizes_arr, n_buckets)
    by_int = buckets_from_ranks(twice[order].copy(), sizes_arr, n_buckets, float_limit=0)
    np.testing.assert_array_equal(by_float, by_int)
