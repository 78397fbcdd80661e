"""The bucket table's median: a sampled band around the middle, then a selection in it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tr_evaluation.buckets import BucketAnalyzer, stats
from tr_evaluation.buckets.stats import _median_inplace, middle_band

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
few_values = st.sampled_from([-1.5, 0.0, 0.25, 3.0])


@given(
    hnp.arrays(np.float64, st.integers(1, 400), elements=finite | few_values),
    st.data(),
)
def test_a_band_holds_the_wanted_order_statistics(values: np.ndarray, data: st.DataObject) -> None:
    low = data.draw(st.integers(0, values.size - 1))
    high = data.draw(st.integers(low, values.size - 1))
    before = values.copy()
    found = middle_band(values, low, high)
    np.testing.assert_array_equal(values, before)  # the caller's values are untouched
    if found is None:
        return
    band, below = found
    ordered = np.sort(values)
    assert below == np.count_nonzero(values < band.min())
    np.testing.assert_array_equal(
        np.sort(band)[low - below : high - below + 1], ordered[low : high + 1]
    )


@given(hnp.arrays(np.float64, st.integers(1, 400), elements=finite | few_values))
def test_the_median_is_numpys_with_or_without_a_band(values: np.ndarray) -> None:
    # Every size takes the band path here (the threshold is lowered to one row).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stats, "_BAND_MIN_ROWS", 1)
        assert _median_inplace(values.copy()) == np.median(values)
    assert _median_inplace(values.copy()) == np.median(values)


def test_a_large_random_segment_narrows_to_a_small_band() -> None:
    rng = np.random.default_rng(0)
    values = rng.standard_normal(300_001)
    found = middle_band(values, 150_000, 150_000)
    assert found is not None
    band, below = found
    assert band.size < 0.15 * values.size
    assert np.partition(band, 150_000 - below)[150_000 - below] == np.median(values)


def test_a_sample_that_misleads_gives_no_band_and_the_median_stays_exact() -> None:
    # Every sampled position holds a huge value: the sample's middle is not the data's.
    values = np.random.default_rng(1).standard_normal(400_000)
    values[:: values.size // stats._SAMPLE] = 1e9
    assert middle_band(values, 199_999, 200_000) is None
    assert _median_inplace(values.copy()) == np.median(values)


def test_bucket_medians_of_a_large_table_equal_numpys() -> None:
    rng = np.random.default_rng(2)
    scores = rng.standard_normal(400_000)
    returns = np.round(0.01 * scores + 0.05 * rng.standard_normal(scores.size), 3)  # ties
    result = BucketAnalyzer(4).analyze(scores, returns)
    expected = [np.median(returns[result.buckets == b]) for b in range(4)]
    assert result.table["median"].tolist() == expected
