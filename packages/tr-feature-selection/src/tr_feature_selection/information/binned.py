"""Plug-in mutual information of binned columns, with the Miller–Madow bias correction.

For one feature with bin counts ``n_ij`` (feature bin ``i``, target bin or
class ``j``) over its ``N`` complete rows, the plug-in estimate is

.. math::

    \\hat I = \\sum_{ij} \\frac{n_{ij}}{N} \\ln \\frac{N n_{ij}}{n_{i\\cdot} n_{\\cdot j}}
            = \\hat H(X) + \\hat H(Y) - \\hat H(X, Y),

biased upwards by about ``(m_XY - m_X - m_Y + 1) / (2N)`` nats, where the
``m`` count the occupied cells: each plug-in entropy is biased downwards by
``(m - 1) / (2N)`` (Miller 1955, "Note on the bias of information estimates",
in *Information Theory in Psychology*, pp. 95–100; Paninski 2003, *Neural
Computation* 15(6), §3). Adding that term to each entropy is the Miller–Madow
estimator; for mutual information it subtracts the term above. Under
independence ``2 N \\hat I`` is the G-statistic, asymptotically chi-square with
``(m_X - 1)(m_Y - 1)`` degrees of freedom, so the corrected estimate is centred
on 0 and can be slightly negative; it is returned as is, not clipped.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tr_feature_selection.information.binning import quantile_bins

__all__ = ["binned_mutual_information", "mutual_information_from_codes"]

# Features are binned and counted in blocks of about this many cells: a block's
# temporaries stay in cache and no full matrix of codes is ever allocated.
_BLOCK_CELLS = 1_000_000


def binned_mutual_information(
    matrix: npt.NDArray[np.float64],
    target: npt.NDArray[np.float64] | npt.NDArray[np.int64],
    n_bins: npt.NDArray[np.int64],
    *,
    discrete_target: bool,
) -> npt.NDArray[np.float64]:
    """Bias-corrected mutual information (nats) of every feature with the target.

    Parameters
    ----------
    matrix : ndarray of float64, shape (n_rows, n_features)
        Features, NaN where missing; column-major input avoids copies.
    target : ndarray, shape (n_rows,)
        Class codes ``0..K-1`` when ``discrete_target``, else values (no NaN).
    n_bins : ndarray of int, shape (n_features,)
        Quantile bins per feature (and, for a continuous target, for the
        target on that feature's complete rows).
    discrete_target : bool
        Whether ``target`` holds class codes.

    Returns
    -------
    ndarray of float64, shape (n_features,)
    """
    n_rows, n_features = matrix.shape
    out = np.empty(n_features, dtype=np.float64)
    step = max(1, _BLOCK_CELLS // max(n_rows, 1))
    for lo in range(0, n_features, step):
        block = matrix[:, lo : lo + step]
        bins = n_bins[lo : lo + step]
        x_codes = quantile_bins(block, bins)
        if discrete_target:
            y_codes = target.astype(np.int64, copy=False)
        else:
            y_values = np.where(np.isnan(block), np.nan, target.astype(np.float64)[:, None])
            y_codes = quantile_bins(y_values, bins)
        out[lo : lo + step] = mutual_information_from_codes(x_codes, y_codes)
    return out


def mutual_information_from_codes(
    x_codes: npt.NDArray[np.int64], y_codes: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Bias-corrected mutual information (nats) of binned features with the target.

    Parameters
    ----------
    x_codes : ndarray of int64, shape (n_rows, n_features)
        Bin codes of each feature (``>= 0``), ``-1`` where the feature is missing.
    y_codes : ndarray of int64, shape (n_rows,) or (n_rows, n_features)
        Target class or bin codes (``>= 0``): one column shared by every
        feature, or one column per feature. Rows where ``x_codes`` is ``-1``
        are ignored.

    Returns
    -------
    ndarray of float64, shape (n_features,)
        Miller–Madow corrected plug-in estimates; NaN for a feature without rows.
    """
    n_features = x_codes.shape[1]
    # Feature by row on the transposes: codes from quantile_bins are column-major.
    x = x_codes.T
    y = y_codes.T if y_codes.ndim == 2 else y_codes[None, :]
    n_x = int(x.max(initial=0)) + 1
    n_y = int(y.max(initial=0)) + 1
    # One bincount over every feature: cell (feature f, x bin i, y bin j) -> flat index.
    offsets = np.arange(n_features, dtype=np.int64)[:, None] * (n_x * n_y)
    flat = x * n_y
    flat += y
    flat += offsets
    flat = flat[x >= 0]
    counts = np.bincount(flat, minlength=n_features * n_x * n_y).reshape(n_features, n_x, n_y)
    return _miller_madow(counts.astype(np.float64))


def _miller_madow(counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Corrected plug-in MI from joint counts of shape (n_features, n_x, n_y)."""
    n = counts.sum(axis=(1, 2))
    n_x = counts.sum(axis=2)
    n_y = counts.sum(axis=1)
    occupied = _occupied(counts) - _occupied(n_x) - _occupied(n_y) + 1
    with np.errstate(invalid="ignore", divide="ignore"):
        plug_in = _entropy(n_x, n) + _entropy(n_y, n) - _entropy(counts, n)
        mi = plug_in - occupied / (2.0 * n)
    return np.where(n > 0, mi, np.nan)


def _entropy(
    counts: npt.NDArray[np.float64], n: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Plug-in entropy ``ln N - sum(c ln c) / N`` per feature (first axis)."""
    c = counts.reshape(counts.shape[0], -1)
    c_log_c: npt.NDArray[np.float64] = (c * np.log(np.where(c > 0, c, 1.0))).sum(axis=1)
    entropy: npt.NDArray[np.float64] = np.log(n) - c_log_c / n
    return entropy


def _occupied(counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    occupied: npt.NDArray[np.float64] = (counts.reshape(counts.shape[0], -1) > 0).sum(axis=1)
    return occupied.astype(np.float64)
