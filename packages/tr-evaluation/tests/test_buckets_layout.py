"""The bucket layout: a balanced tie-free panel moves whole slices, and lays out the same rows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tr_evaluation.buckets import BucketAnalyzer, _layout
from tr_evaluation.buckets.assign import grouped_buckets


def _layouts(
    values: np.ndarray,
    codes: np.ndarray,
    n_buckets: int,
    carry: tuple[np.ndarray, ...],
    *,
    slice_rows: int = _layout._SLICE_ROWS,
) -> tuple[_layout.BucketLayout, _layout.BucketLayout, list[str]]:
    """The layout as built, the layout by row gathers only, and the ways the first took."""
    sizes = np.bincount(codes).astype(np.int64)
    taken: list[str] = []
    move = _layout.LayoutBuilder._move_tiled

    def spy(self: _layout.LayoutBuilder, *args: object) -> None:
        taken.append("slices")
        move(self, *args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_layout.LayoutBuilder, "_move_tiled", spy)
        patch.setattr(_layout, "_SLICE_ROWS", slice_rows)
        built = grouped_buckets(values, codes, sizes, n_buckets, carry).layout
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_layout, "_SLICE_ROWS", values.size + 1)  # slices never pay off
        gathered = grouped_buckets(values, codes, sizes, n_buckets, carry).layout
    assert built is not None
    assert gathered is not None
    return built, gathered, taken


def _assert_same(a: _layout.BucketLayout, b: _layout.BucketLayout) -> None:
    for x, y in zip(a.values, b.values, strict=True):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(a.counts, b.counts)
    np.testing.assert_array_equal(a.run_bucket, b.run_bucket)
    np.testing.assert_array_equal(a.run_length, b.run_length)


@given(
    n_groups=st.integers(1, 30),
    width=st.integers(1, 60),
    n_buckets=st.integers(2, 12),
    shuffle=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_slices_and_gathers_lay_out_the_same_rows(
    n_groups: int, width: int, n_buckets: int, shuffle: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    n = n_groups * width
    values = rng.permutation(n).astype(float)  # distinct: no ties, so every chunk repeats
    codes = np.repeat(np.arange(n_groups), width)
    if shuffle:
        codes = rng.permutation(codes)
    carry = (rng.normal(size=n), rng.uniform(size=n))
    # Slices however short they are, to compare them with gathers on small panels.
    built, gathered, taken = _layouts(values, codes, n_buckets, carry, slice_rows=0)
    assert taken == ["slices"]
    _assert_same(built, gathered)


def test_a_balanced_panel_over_many_chunks_moves_slices() -> None:
    rng = np.random.default_rng(0)
    n_groups, width = 12_000, 50  # 2**18 cells a chunk: three chunks
    values = rng.normal(size=n_groups * width)
    codes = np.repeat(np.arange(n_groups), width)
    built, gathered, taken = _layouts(values, codes, 20, (rng.normal(size=values.size),))
    assert taken == ["slices"]
    _assert_same(built, gathered)


def test_one_tied_group_makes_every_chunk_gather() -> None:
    rng = np.random.default_rng(1)
    values = rng.normal(size=12_000 * 50)
    values[7] = values[8]  # a tie in the first group: its chunk has no single pattern
    codes = np.repeat(np.arange(12_000), 50)
    built, gathered, taken = _layouts(values, codes, 20, (rng.normal(size=values.size),))
    assert taken == []
    _assert_same(built, gathered)


def test_the_bucket_table_of_a_balanced_panel_is_the_same_either_way() -> None:
    rng = np.random.default_rng(2)
    times = np.repeat(np.arange("2024-01-01", "2024-04-01", dtype="datetime64[D]"), 300)
    scores = rng.normal(size=times.size)
    returns = 0.01 * scores + rng.normal(scale=0.05, size=times.size)
    analyzer = BucketAnalyzer(10, by="D")
    table = analyzer.analyze(scores, returns, times=times).table
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_layout, "_SLICE_ROWS", times.size + 1)
        gathered = analyzer.analyze(scores, returns, times=times).table
    assert table.equals(gathered)
    expected = [
        returns[(b * 30 <= _ranks(scores)) & (_ranks(scores) < (b + 1) * 30)] for b in range(10)
    ]
    np.testing.assert_allclose(table["mean"], [x.mean() for x in expected], rtol=1e-12)


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank of each score within its day (300 rows a day, in row order)."""
    days = scores.reshape(-1, 300)
    return np.argsort(np.argsort(days, axis=1), axis=1).ravel()
