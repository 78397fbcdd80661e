"""Per-bucket statistics (one contiguous segment per bucket) and per-period ones (``np.bincount``).

Weighted statistics with non-negative sample weights ``w`` (all ones when no
weights are given), for the rows ``i`` of one bucket:

* mean :math:`\\bar r = \\sum w_i r_i / V_1`, with :math:`V_1 = \\sum w_i` and
  :math:`V_2 = \\sum w_i^2` — the *pooled* mean of all the bucket's rows, so a
  period with more rows in the bucket weighs more;
* period mean: the plain average, over the periods ``p`` in which the bucket has
  rows of positive total weight, of the period's own weighted bucket mean
  :math:`\\bar r_p` — every period weighs the same. This is what alphalens'
  ``mean_return_by_quantile(by_date=False)`` reports (per-date means, then their
  mean). On a balanced panel (unweighted, the same number of rows of the bucket in
  every period) the two are equal; on an unbalanced one they differ. Periods are
  the groups of ``by``, or the ``period`` periods when buckets are pooled;
  without periods all rows are one period and the period mean is the mean;
* standard deviation with *reliability* weights (unbiased; ``ddof=1`` when
  unweighted): :math:`s^2 = \\sum w_i (r_i - \\bar r)^2 / (V_1 - V_2 / V_1)`;
* effective sample size (Kish 1965, *Survey Sampling*): :math:`n_{eff} = V_1^2 / V_2`;
* t-statistic :math:`t = \\bar r / (s / \\sqrt{n_{eff}})`;
* win rate :math:`\\sum w_i [r_i > 0] / V_1`;
* weighted median: the smallest return whose cumulative weight reaches
  :math:`V_1 / 2`, averaged with the next return when the cumulative weight hits
  exactly :math:`V_1 / 2` (so equal weights give the ordinary median).

Rank IC (Grinold & Kahn 2000, *Active Portfolio Management*, ch. 6) is
Spearman's correlation of score and return, i.e. Pearson's correlation of their
average ranks, computed pooled and within each period; it ignores weights.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_evaluation.buckets._layout import BucketLayout
from tr_evaluation.buckets._ranks import group_bounds

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Bucket segments of at least this many rows narrow to a band before their median
# selection (smaller ones are partitioned directly), from a sample of about _SAMPLE.
_BAND_MIN_ROWS = 1 << 14
_SAMPLE = 1 << 12

TABLE_COLUMNS = (
    "count",
    "weight",
    "mean",
    "period_mean",
    "median",
    "std",
    "win_rate",
    "t_stat",
    "n_eff",
)


def bucket_table(
    layout: BucketLayout, n_buckets: int, period_mean: FloatArray | None = None
) -> pd.DataFrame:
    """Count, weight, mean, period mean, median, std, win rate, t-stat and n_eff per bucket.

    Parameters
    ----------
    layout : BucketLayout
        Returns (and weights, as the second array) grouped by bucket; each
        bucket's segment may be reordered in place for its median.
    n_buckets : int
        Number of buckets.
    period_mean : ndarray of float, optional
        The ``period_mean`` column (see :func:`run_period_means` and
        :func:`period_bucket_means`); None when there are no periods: all rows
        are then one period and it equals ``mean``.

    Returns
    -------
    DataFrame
        One row per bucket, index ``bucket``. Each bucket's statistics come from
        its contiguous segment (a loop over buckets, never over rows or periods).
        Empty buckets have count 0 and NaN statistics.
    """
    count = layout.counts
    values = layout.values[0]
    seg_weights = layout.values[1] if len(layout.values) > 1 else None
    sums = np.zeros((5, n_buckets))  # V1, V2, sum w r, sum w (r - mean)^2, sum w [r > 0]
    median = np.full(n_buckets, np.nan)
    starts, ends = group_bounds(count)
    for b in np.flatnonzero(count):
        seg = values[starts[b] : ends[b]]
        w = None if seg_weights is None else seg_weights[starts[b] : ends[b]]
        sums[:, b] = _segment_sums(seg, w)
        median[b] = _median_inplace(seg) if w is None else _weighted_median_inplace(seg, w)
    v1, v2, total, ss, wins = sums
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / v1
        std = np.sqrt(ss / (v1 - v2 / v1))
        n_eff = v1 * v1 / v2
        t_stat = mean / (std / np.sqrt(n_eff))
        win = wins / v1
    return pd.DataFrame(
        {
            "count": count,
            "weight": v1,
            "mean": mean,
            "period_mean": mean.copy() if period_mean is None else period_mean,
            "median": median,
            "std": std,
            "win_rate": win,
            "t_stat": t_stat,
            "n_eff": n_eff,
        },
        index=pd.RangeIndex(n_buckets, name="bucket"),
    )


def run_period_means(layout: BucketLayout, n_buckets: int) -> FloatArray:
    """Equal-weight average over periods of each bucket's per-period (weighted) mean.

    Every run of ``layout`` is one period's rows of one bucket, so a run's mean is
    that period's bucket mean; runs whose weights sum to zero have no mean and are
    left out. Call before :func:`bucket_table`, which reorders rows within buckets.
    """
    if layout.run_length.size == 0:
        return np.full(n_buckets, np.nan)
    first = np.cumsum(layout.run_length) - layout.run_length
    returns = layout.values[0]
    if len(layout.values) > 1:
        weights = layout.values[1]
        run_weight = np.add.reduceat(weights, first)
        run_total = np.add.reduceat(weights * returns, first)
    else:
        run_weight = layout.run_length.astype(np.float64)
        run_total = np.add.reduceat(returns, first)
    return _average_of_means(layout.run_bucket, run_total, run_weight, n_buckets)


def period_bucket_means(
    codes: IntArray,
    buckets: npt.NDArray[np.signedinteger],
    returns: FloatArray,
    weights: FloatArray | None,
    n_buckets: int,
) -> FloatArray:
    """:func:`run_period_means` for buckets formed over all rows, periods given by ``codes``.

    The (period, bucket) cells present are numbered by ``np.unique`` (never a
    ``n_periods x n_buckets`` table, which a million buckets would make huge), then
    summed with ``np.bincount``.
    """
    cell = codes * np.int64(n_buckets) + buckets
    cells, inverse = np.unique(cell, return_inverse=True)
    inverse = inverse.reshape(-1)
    weighted = returns if weights is None else weights * returns
    weight = np.asarray(np.bincount(inverse, weights, minlength=cells.size), dtype=np.float64)
    total = np.asarray(np.bincount(inverse, weighted, minlength=cells.size), dtype=np.float64)
    return _average_of_means(cells % n_buckets, total, weight, n_buckets)


def _average_of_means(
    bucket: IntArray, total: FloatArray, weight: FloatArray, n_buckets: int
) -> FloatArray:
    """Per bucket, the plain average of ``total / weight`` over its cells with weight > 0."""
    ok = weight > 0
    means = total[ok] / weight[ok]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            np.bincount(bucket[ok], means, minlength=n_buckets)
            / np.bincount(bucket[ok], minlength=n_buckets),
            dtype=np.float64,
        )


def _segment_sums(seg: FloatArray, w: FloatArray | None) -> list[float]:
    """``V1, V2, sum w r, sum w (r - mean)^2, sum w [r > 0]`` of one bucket's rows.

    Dot products use ``np.einsum`` rather than ``@``: ``@`` calls the threaded BLAS,
    whose threads spin for the CPU on a busy machine (ten times slower there) for
    work that one core does at memory speed.
    """
    if w is None:
        n = float(seg.size)
        total = float(seg.sum())
        dev = seg - total / n
        ss = float(np.einsum("i,i->", dev, dev))
        return [n, n, total, ss, float(np.count_nonzero(seg > 0))]
    v1 = float(w.sum())
    total = float(np.einsum("i,i->", w, seg))
    if v1 > 0:
        dev = seg - total / v1
        dev *= dev
        ss = float(np.einsum("i,i->", w, dev))
    else:
        ss = float("nan")
    return [v1, float(np.einsum("i,i->", w, w)), total, ss, float(w[seg > 0].sum())]


def _median_inplace(segment: FloatArray) -> float:
    """Median of a non-empty ``segment`` of finite values (may reorder it in place).

    A large segment first narrows to the band of values around its middle
    (:func:`middle_band`); only that band is partitioned.
    """
    low, high = (segment.size - 1) // 2, segment.size // 2
    selected = middle_band(segment, low, high) if segment.size >= _BAND_MIN_ROWS else None
    if selected is None:
        selected = (segment, 0)
    band, below = selected
    low, high = low - below, high - below
    # Both middle values in one selection (cheaper than a second pass for the lower one).
    band.partition(low if low == high else (low, high))
    return float((band[low] + band[high]) / 2)


def middle_band(values: FloatArray, low: int, high: int) -> tuple[FloatArray, int] | None:
    """A few values holding the order statistics ``low..high`` of ``values``, or None.

    Floyd & Rivest (1975), "Expected time bounds for selection", *Comm. ACM* 18(3):
    sort an evenly spaced sample of about :data:`_SAMPLE` values, take the sample
    values a few standard errors below and above the targets' sample position as
    bounds, and keep the values between them (two comparisons and one compaction,
    instead of a selection over all values). The number of values below the lower
    bound tells where the targets fall in the band; when the sample misled (the
    targets are not inside the band, e.g. on adversarially ordered values), None is
    returned and the caller selects from all values.

    Parameters
    ----------
    values : ndarray of float
        Finite values (not modified).
    low, high : int
        0-based ranks of the wanted order statistics, ``low <= high``.

    Returns
    -------
    (band, below) or None
        ``band`` (a new array) holds the ranks ``low..high`` at positions
        ``low - below .. high - below`` of its own order.
    """
    n = values.size
    sample = np.sort(values[:: max(1, n // _SAMPLE)])
    m = sample.size
    # The sample rank of a population quantile has a standard error of at most
    # sqrt(m) / 2 positions: six of them on each side.
    margin = 3 * int(np.sqrt(m)) + 1
    lower = sample[max(0, low * m // n - margin)]
    upper = sample[min(m - 1, high * m // n + margin)]
    below = int(np.count_nonzero(values < lower))
    inside = values >= lower
    inside &= values <= upper
    band = values[inside]
    if below <= low and high < below + band.size:
        return band, below
    return None


def _weighted_median_inplace(segment: FloatArray, w: FloatArray) -> float:
    """Weighted median (module docstring) of one bucket; sorts both arrays in place."""
    order = np.argsort(segment)
    segment[:] = segment[order]
    w[:] = w[order]
    one = np.array([segment.size], dtype=np.int64)
    return float(weighted_medians(segment, w, one, np.array([w.sum()]))[0])


def weighted_medians(
    sorted_values: FloatArray, sorted_weights: FloatArray, counts: IntArray, totals: FloatArray
) -> FloatArray:
    """Weighted median of consecutive segments of sorted values (see module docstring)."""
    out = np.full(counts.size, np.nan)
    cum = np.cumsum(sorted_weights)
    ends = np.cumsum(counts)
    starts = ends - counts
    before = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0.0)
    ok = (counts > 0) & (totals > 0)
    target = before[ok] + totals[ok] / 2
    lo = np.searchsorted(cum, target, side="left")
    lo = np.minimum(lo, ends[ok] - 1)
    exact = cum[lo] == target
    hi = np.where(exact, np.searchsorted(cum, target, side="right"), lo)
    hi = np.minimum(hi, ends[ok] - 1)
    out[ok] = (sorted_values[lo] + sorted_values[hi]) / 2
    return out


def rank_correlation(
    x_twice: IntArray, y_twice: IntArray, codes: IntArray | None, sizes: IntArray
) -> FloatArray:
    """Pearson correlation of doubled average ranks, per group (NaN if undefined).

    The mean doubled rank of a group of ``m`` rows is exactly ``m - 1``, so the
    ranks are centred without rounding error.
    """
    if codes is None:
        centre = sizes[0] - 1
        x = np.subtract(x_twice, centre, dtype=np.float64)
        y = np.subtract(y_twice, centre, dtype=np.float64)
        # einsum, not the threaded BLAS of ``@`` (see :func:`_segment_sums`).
        sxy, sxx, syy = (np.array([np.einsum("i,i->", a, b)]) for a, b in ((x, y), (x, x), (y, y)))
    else:
        n_groups = sizes.size
        group_centre = sizes[codes] - 1
        x = np.subtract(x_twice, group_centre, dtype=np.float64)
        y = np.subtract(y_twice, group_centre, dtype=np.float64)
        del group_centre
        sxy = np.bincount(codes, x * y, minlength=n_groups)
        sxx = np.bincount(codes, x * x, minlength=n_groups)
        syy = np.bincount(codes, y * y, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = sxy / np.sqrt(sxx * syy)
    corr[(sxx == 0) | (syy == 0)] = np.nan
    return np.asarray(corr, dtype=np.float64)


def group_mean(
    codes: IntArray,
    mask: npt.NDArray[np.bool_],
    values: FloatArray,
    weights: FloatArray | None,
    n_groups: int,
) -> FloatArray:
    """Weighted mean of ``values`` over the rows in ``mask``, per group (NaN if none)."""
    c = codes[mask]
    w = None if weights is None else weights[mask]
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.bincount(c, w, minlength=n_groups)
        v = values[mask] if w is None else w * values[mask]
        return np.asarray(np.bincount(c, v, minlength=n_groups) / total, dtype=np.float64)


def top_turnover(
    codes: IntArray, entities: IntArray, top: npt.NDArray[np.bool_], n_groups: int
) -> FloatArray:
    """Share of each period's distinct top-bucket entities absent from the previous top bucket.

    The first period, and periods without top-bucket rows, get NaN. "Previous" is the
    previous *observed* period (codes are consecutive observed periods).
    """
    n_entities = int(entities.max()) + 1 if entities.size else 1
    keys = np.unique(codes[top] * n_entities + entities[top])
    period = keys // n_entities
    stayed = np.isin(keys - n_entities, keys)
    with np.errstate(invalid="ignore", divide="ignore"):
        turnover = 1.0 - np.bincount(period, stayed, minlength=n_groups) / np.bincount(
            period, minlength=n_groups
        )
    turnover[:1] = np.nan
    return np.asarray(turnover, dtype=np.float64)
