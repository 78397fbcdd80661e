"""Per-bucket statistics (one contiguous segment per bucket) and per-period ones (``np.bincount``).

Weighted statistics with non-negative sample weights ``w`` (all ones when no
weights are given), for the rows ``i`` of one bucket:

* mean :math:`\\bar r = \\sum w_i r_i / V_1`, with :math:`V_1 = \\sum w_i` and
  :math:`V_2 = \\sum w_i^2`;
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

from tr_evaluation.buckets._ranks import group_bounds, group_copy, row_blocks

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TABLE_COLUMNS = ("count", "weight", "mean", "median", "std", "win_rate", "t_stat", "n_eff")


def bucket_table(
    returns: FloatArray,
    weights: FloatArray | None,
    buckets: npt.NDArray[np.int16],
    n_buckets: int,
) -> pd.DataFrame:
    """Count, weight, mean, median, std, win rate, t-stat and n_eff per bucket.

    The returns (and weights) are first copied bucket by bucket (a counting sort
    on the bucket codes, see :func:`~tr_evaluation.buckets._ranks.group_copy`);
    each bucket's statistics then come from its contiguous segment (a loop over
    buckets, never over rows or periods), the median by partitioning (unweighted)
    or sorting (weighted) the segment in place. ``weights=None`` means equal
    weights. Empty buckets have count 0 and NaN statistics.
    """
    count = np.zeros(n_buckets, dtype=np.int64)
    for rows in row_blocks(buckets.size):
        count += np.bincount(buckets[rows], minlength=n_buckets)
    grouped = group_copy(buckets, count, [returns] if weights is None else [returns, weights])
    values = grouped[0]
    seg_weights = None if weights is None else grouped[1]
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
            "median": median,
            "std": std,
            "win_rate": win,
            "t_stat": t_stat,
            "n_eff": n_eff,
        },
        index=pd.RangeIndex(n_buckets, name="bucket"),
    )


def _segment_sums(seg: FloatArray, w: FloatArray | None) -> list[float]:
    """``V1, V2, sum w r, sum w (r - mean)^2, sum w [r > 0]`` of one bucket's rows."""
    if w is None:
        n = float(seg.size)
        total = float(seg.sum())
        dev = seg - total / n
        return [n, n, total, float(dev @ dev), float(np.count_nonzero(seg > 0))]
    v1 = float(w.sum())
    total = float(w @ seg)
    if v1 > 0:
        dev = seg - total / v1
        ss = float(w @ (dev * dev))
    else:
        ss = float("nan")
    return [v1, float(w @ w), total, ss, float(w[seg > 0].sum())]


def _median_inplace(segment: FloatArray) -> float:
    """Median of a non-empty ``segment`` (partitioned in place)."""
    half = segment.size // 2
    if segment.size % 2:
        segment.partition(half)
        return float(segment[half])
    segment.partition(half)
    return float((segment[:half].max() + segment[half]) / 2)


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
        sxy, sxx, syy = np.array([x @ y]), np.array([x @ x]), np.array([y @ y])
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
