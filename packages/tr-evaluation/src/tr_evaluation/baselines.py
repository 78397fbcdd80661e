"""Baselines for a bucket result: all trades, random scores and single-feature rankers.

A model's top bucket is only interesting if it beats what needs no model. On the
same rows, :class:`BaselineEvaluator` reports

* ``all trades``: the unconditional (weighted) mean return of every row;
* ``random``: the distribution of the top-bucket return under random scores.
  With random (tie-free) scores the top bucket is a uniformly random subset of
  the rows of fixed size ``k``, so each permutation draws ``k`` rows without
  replacement (vectorized in batches). The model's p-value is
  ``(1 + #{random >= observed}) / (1 + n_permutations)`` (Phipson & Smyth 2010,
  "Permutation p-values should never be zero");
* one ranker per feature column: the feature used as the score (rows where the
  feature is NaN are dropped for that ranker only, never filled);
* tied scores share a bucket, so a ranker with few distinct values (a role code,
  a 0/1 flag) can leave its top bucket empty: all its best-valued rows sit lower.
  Its "top" is then its highest non-empty bucket — the rows it ranks best, which
  is what trading on it would select — reported with a warning, its size in
  ``top_rows``, and a permutation null of random subsets of that same size (a
  larger selection is closer to the unconditional mean by construction). A
  ranker with fewer usable rows than buckets gets a row of NaN and a warning;
* for the model and every ranker, a percentile bootstrap confidence interval of
  the top-bucket return (Efron & Tibshirani 1993, ch. 13), resampling the rows of
  the top bucket with their weights; bucket membership is held fixed, so the
  interval reflects the sampling noise of the returns inside the top bucket.

Buckets are pooled over all rows (per-period bucketing is available in
:class:`~tr_evaluation.buckets.BucketAnalyzer`); ``times`` only adds per-period
IC statistics to the model's result.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from joblib import delayed

from tr_core.alignment import align_inputs
from tr_core.errors import InvalidParameterError, TrTypeError
from tr_core.jsonable import plain
from tr_core.validation import as_float_array
from tr_evaluation.buckets import BucketAnalyzer, BucketResult
from tr_evaluation.parallel import check_n_jobs, run_parallel

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["BaselineEvaluator", "BaselineResult"]

FloatArray = npt.NDArray[np.float64]
_BATCH_CELLS = 2_000_000


@dataclass(frozen=True, eq=False, repr=False)
class BaselineResult:
    """The model's bucket result next to its baselines.

    Attributes
    ----------
    model : BucketResult
        Bucket analysis of the model's scores.
    table : DataFrame
        One row per ranker (``model``, ``all trades``, ``random``, then one per
        feature): ``kind``, ``n_rows``, ``top_rows`` (rows of the top bucket, or of
        the highest non-empty bucket when ties left the top one empty),
        ``top_bucket_return``, ``ci_low``, ``ci_high``, ``p_value`` (vs random
        selections of ``top_rows`` rows), ``spread`` (top minus lowest non-empty
        bucket) and ``ic``.
    random_top_returns : ndarray
        Top-bucket returns of the random-score permutations (model rows).
    confidence : float
        Level of the bootstrap intervals.
    """

    model: BucketResult
    table: pd.DataFrame
    random_top_returns: FloatArray
    confidence: float

    @property
    def p_value(self) -> float:
        """Permutation p-value of the model's top-bucket return against random scores."""
        return float(self.table["p_value"].iloc[0])

    def __repr__(self) -> str:
        """One line: sizes, the model's top bucket and p-value, the rankers — never the arrays."""
        return (
            f"BaselineResult(n_rows={self.model.n_rows}, n_buckets={self.model.n_buckets}, "
            f"model_top_bucket_return={float(self.table['top_bucket_return'].iloc[0]):.6g}, "
            f"p_value={self.p_value:.4g}, n_permutations={self.random_top_returns.size}, "
            f"confidence={self.confidence:g}, rankers={[str(r) for r in self.table.index]})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The tidy comparison table (a copy), one row per ranker."""
        return self.table.copy()

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable dict: confidence and, per ranker, its table row."""
        rankers = {
            str(name): {str(k): plain(v) for k, v in row.items()}
            for name, row in self.table.iterrows()
        }
        return {
            "confidence": self.confidence,
            "n_buckets": self.model.n_buckets,
            "rankers": rankers,
        }

    def plot(self) -> Figure:
        """Top-bucket return per ranker with its interval, and the random-score distribution."""
        from matplotlib.figure import Figure

        fig = Figure(figsize=(12, 4.5), layout="constrained")
        ax_bar, ax_hist = fig.subplots(1, 2, width_ratios=[3, 2])
        table = self.table
        y = table["top_bucket_return"].to_numpy()
        err = np.vstack([y - table["ci_low"].to_numpy(), table["ci_high"].to_numpy() - y])
        colors = {"model": "tab:blue", "unconditional": "gray", "random": "black"}
        ax_bar.bar(
            range(len(table)),
            y,
            yerr=np.abs(err),
            capsize=3,
            color=[colors.get(k, "tab:orange") for k in table["kind"]],
        )
        ax_bar.set_xticks(range(len(table)))
        ax_bar.set_xticklabels(table.index, rotation=30, ha="right")
        ax_bar.axhline(0.0, color="black", linewidth=0.8)
        ax_bar.set_ylabel("top bucket mean return")
        ax_bar.set_title(f"Top bucket vs baselines ({self.confidence:.0%} intervals)")
        ax_hist.hist(self.random_top_returns, bins=40, color="gray", alpha=0.7)
        ax_hist.axvline(self.model.top_bucket_return, color="tab:blue", label="model")
        ax_hist.set_xlabel("top bucket return under random scores")
        ax_hist.set_title(f"Permutation test: p = {self.p_value:.4f}")
        ax_hist.legend()
        return fig


class BaselineEvaluator:
    """Compare a model's top bucket with all trades, random scores and single features.

    Parameters
    ----------
    n_buckets : int, default 20
        Number of buckets (pooled over all rows).
    n_permutations : int, default 1000
        Random-score permutations per ranker.
    n_bootstrap : int, default 1000
        Bootstrap resamples per confidence interval.
    confidence : float, default 0.95
        Level of the percentile intervals.
    random_state : int or None, default 0
        Seed of the numpy generators (one child seed per ranker, from
        :class:`numpy.random.SeedSequence`); the same seed gives the same table.
    n_jobs : int or None, default None
        Single-feature rankers evaluated in parallel through joblib (None: one at a
        time, unless inside a ``joblib.parallel_config``); ``with
        joblib.parallel_config(backend="dask"):`` runs them on a Dask cluster. The
        table is identical for any ``n_jobs``.
    verbose : bool, default False
        Show a progress bar over rankers (terminal or notebook).
    """

    def __init__(
        self,
        n_buckets: int = 20,
        n_permutations: int = 1000,
        n_bootstrap: int = 1000,
        confidence: float = 0.95,
        random_state: int | None = 0,
        n_jobs: int | None = None,
        verbose: bool = False,
    ):
        self.n_buckets = n_buckets
        self.n_permutations = n_permutations
        self.n_bootstrap = n_bootstrap
        self.confidence = confidence
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def evaluate(
        self,
        scores: Any,
        returns: Any,
        *,
        features: pd.DataFrame | None = None,
        times: Any = None,
        weights: Any = None,
    ) -> BaselineResult:
        """Evaluate the model's scores and the baselines on the same rows.

        Parameters
        ----------
        scores : array-like of float
            Model scores; rows with NaN score or return are dropped (counted in
            ``result.model.n_dropped``).
        returns : array-like of float
            Realized returns.
        features : DataFrame, optional
            One column per single-feature ranker, describing the same rows as
            ``scores``.
        times : array-like of datetime, optional
            Decision times (adds per-period IC to the model result).
        weights : array-like of float, optional
            Non-negative sample weights.

        Notes
        -----
        Inputs that carry an index (Series, the ``features`` frame) are paired
        by index label — the same labels in any order — never by position;
        plain arrays are taken by position. The rows are those of the first
        input with an index (``scores`` when it is a Series).

        Returns
        -------
        BaselineResult

        Raises
        ------
        InvalidParameterError
            Bad counts or confidence level, bad weights.
        TrTypeError
            ``features`` that is not a DataFrame.
        IndexAlignmentError
            Inputs with an index whose labels differ (they describe other rows).
        LengthMismatchError, NonFiniteError, InsufficientDataError
            As :meth:`BucketAnalyzer.analyze`.
        """
        self._check_params()
        if features is not None and not isinstance(features, pd.DataFrame):
            raise TrTypeError(
                f"`features` must be a DataFrame of feature columns, got {type(features).__name__}."
            )
        # Once, at the boundary: every per-row input in the rows' order, by label. Below,
        # the model and every feature ranker index the same numpy arrays by position.
        aligned, _ = align_inputs(
            scores=scores, returns=returns, times=times, weights=weights, features=features
        )
        scores, returns, times = aligned["scores"], aligned["returns"], aligned["times"]
        weights, features = aligned["weights"], aligned["features"]
        analyzer = BucketAnalyzer(n_buckets=self.n_buckets)
        model = analyzer.analyze(scores, returns, times=times, weights=weights)
        r_all = as_float_array(returns, "returns", allow_nan=True)
        w_all = None if weights is None else as_float_array(weights, "weights")
        used = model.buckets >= 0
        frame = pd.DataFrame(index=range(r_all.size)) if features is None else features
        # One child seed per ranker: each ranker's permutations are the same whichever
        # worker computes it, so the table is identical for any n_jobs or backend.
        model_seed, all_seed, *feature_seeds = np.random.SeedSequence(self.random_state).spawn(
            2 + frame.shape[1]
        )
        rng = np.random.default_rng(model_seed)
        draws = (self.n_permutations, self.n_bootstrap, self.confidence)
        rows: dict[str, dict[str, Any]] = {}
        k_random = _random_top_size(model.n_rows, model.n_buckets)
        random_tops = _permutations(r_all[used], _subset(w_all, used), k_random, draws[0], rng)
        group = _warn_top_group(model, "scores")
        model_tops = random_tops
        if group[2] != k_random:
            model_tops = _permutations(r_all[used], _subset(w_all, used), group[2], draws[0], rng)
        rows["model"] = _ranker_row("model", model, group, r_all, w_all, model_tops, draws, rng)
        rows["all trades"] = _unconditional_row(
            r_all[used], _subset(w_all, used), draws, np.random.default_rng(all_seed)
        )
        alpha = (1 - self.confidence) / 2
        rows["random"] = {
            "kind": "random",
            "n_rows": model.n_rows,
            "top_rows": k_random,
            "top_bucket_return": float(random_tops.mean()),
            "ci_low": float(np.quantile(random_tops, alpha)),
            "ci_high": float(np.quantile(random_tops, 1 - alpha)),
            "p_value": np.nan,
            "spread": np.nan,
            "ic": np.nan,
        }
        columns = list(frame.columns)
        values = [as_float_array(frame[c], f"features[{c!r}]", allow_nan=True) for c in columns]
        jobs = (
            delayed(_feature_row)(f"features[{c!r}]", v, r_all, w_all, self.n_buckets, draws, seed)
            for c, v, seed in zip(columns, values, feature_seeds, strict=True)
        )
        outcomes = run_parallel(
            jobs,
            n_jobs=self.n_jobs,
            total=len(columns),
            desc="baseline rankers",
            verbose=self.verbose,
            prefer="threads",
        )
        for column, (row, message) in zip(columns, outcomes, strict=True):
            if message:
                warnings.warn(message, UserWarning, stacklevel=2)
            rows[str(column)] = row
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = "ranker"
        return BaselineResult(
            model=model, table=table, random_top_returns=random_tops, confidence=self.confidence
        )

    def _check_params(self) -> None:
        for name in ("n_permutations", "n_bootstrap"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
                raise InvalidParameterError(f"`{name}` must be a positive integer, got {value!r}.")
        check_n_jobs(self.n_jobs)
        if not 0 < self.confidence < 1:
            raise InvalidParameterError(
                f"`confidence` must be strictly between 0 and 1, got {self.confidence!r}; "
                "e.g. 0.95."
            )


Draws = tuple[int, int, float]
"""``(n_permutations, n_bootstrap, confidence)`` of one evaluation."""


def _feature_row(
    name: str,
    values: FloatArray,
    returns: FloatArray,
    weights: FloatArray | None,
    n_buckets: int,
    draws: Draws,
    seed: np.random.SeedSequence,
) -> tuple[dict[str, Any], str | None]:
    """One single-feature ranker's table row and its warning (a picklable joblib work item).

    Warnings are returned, not raised, so that they reach the caller from any worker.
    """
    usable = int(np.count_nonzero(~(np.isnan(values) | np.isnan(returns))))
    if usable < n_buckets:
        too_few = (
            f"`{name}` has {usable} rows with a value and a return, fewer than "
            f"n_buckets={n_buckets}; its baseline row is NaN."
        )
        return _nan_row("feature", usable), too_few
    result = BucketAnalyzer(n_buckets=n_buckets).analyze(values, returns, weights=weights)
    keep = result.buckets >= 0
    group, message = _top_group(result, name)
    rng = np.random.default_rng(seed)
    tops = _permutations(returns[keep], _subset(weights, keep), group[2], draws[0], rng)
    return _ranker_row("feature", result, group, returns, weights, tops, draws, rng), message


def _permutations(
    returns: FloatArray,
    weights: FloatArray | None,
    k: int,
    n_permutations: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Mean returns of random subsets of ``k`` rows (the top bucket under random scores)."""
    n = returns.size
    out = np.empty(n_permutations)
    batch = max(1, _BATCH_CELLS // n)
    for start in range(0, n_permutations, batch):
        b = min(batch, n_permutations - start)
        idx = np.argpartition(rng.random((b, n)), n - k, axis=1)[:, n - k :]
        out[start : start + b] = _weighted_means(returns, weights, idx)
    return out


def _bootstrap(
    returns: FloatArray, weights: FloatArray | None, draws: Draws, rng: np.random.Generator
) -> tuple[float, float]:
    """Percentile interval of the weighted mean of ``returns`` (rows resampled)."""
    _, n_bootstrap, confidence = draws
    n = returns.size
    means = np.empty(n_bootstrap)
    batch = max(1, _BATCH_CELLS // n)
    for start in range(0, n_bootstrap, batch):
        b = min(batch, n_bootstrap - start)
        means[start : start + b] = _weighted_means(returns, weights, rng.integers(0, n, (b, n)))
    alpha = (1 - confidence) / 2
    means = means[np.isfinite(means)]
    if not means.size:
        return float("nan"), float("nan")
    return float(np.quantile(means, alpha)), float(np.quantile(means, 1 - alpha))


def _ranker_row(
    kind: str,
    result: BucketResult,
    group: tuple[int, int, int],
    returns: FloatArray,
    weights: FloatArray | None,
    random_tops: FloatArray,
    draws: Draws,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Table row of a ranker whose top group is ``group`` (see :func:`_top_group`)."""
    top, bottom, top_rows = group
    selected = result.buckets == top
    low, high = _bootstrap(returns[selected], _subset(weights, selected), draws, rng)
    means = result.table["mean"].to_numpy()
    observed = float(means[top])
    p = (1 + np.count_nonzero(random_tops >= observed)) / (1 + random_tops.size)
    return {
        "kind": kind,
        "n_rows": result.n_rows,
        "top_rows": top_rows,
        "top_bucket_return": observed,
        "ci_low": low,
        "ci_high": high,
        "p_value": float(p),
        "spread": observed - float(means[bottom]),
        "ic": result.ic,
    }


def _unconditional_row(
    returns: FloatArray, weights: FloatArray | None, draws: Draws, rng: np.random.Generator
) -> dict[str, Any]:
    mean = float(np.average(returns, weights=weights))
    low, high = _bootstrap(returns, weights, draws, rng)
    return {
        "kind": "unconditional",
        "n_rows": int(returns.size),
        "top_rows": int(returns.size),
        "top_bucket_return": mean,
        "ci_low": low,
        "ci_high": high,
        "p_value": np.nan,
        "spread": np.nan,
        "ic": np.nan,
    }


def _warn_top_group(result: BucketResult, name: str) -> tuple[int, int, int]:
    """:func:`_top_group`, warning in the caller's thread."""
    group, message = _top_group(result, name)
    if message:
        warnings.warn(message, UserWarning, stacklevel=3)
    return group


def _top_group(result: BucketResult, name: str) -> tuple[tuple[int, int, int], str | None]:
    """Highest and lowest non-empty bucket and the rows of the highest, and a warning text
    when the highest non-empty bucket is not the top one."""
    counts = result.table["count"].to_numpy()
    nonempty = np.flatnonzero(counts > 0)
    top, bottom = int(nonempty[-1]), int(nonempty[0])
    message = None
    if top != result.n_buckets - 1:
        message = (
            f"`{name}` leaves the top bucket {result.n_buckets - 1} empty: its scores are tied "
            f"at the top (average ranks put them lower). Using its highest non-empty bucket "
            f"{top} ({int(counts[top])} of {result.n_rows} rows) as its top; see `top_rows`."
        )
    return (top, bottom, int(counts[top])), message


def _nan_row(kind: str, n_rows: int) -> dict[str, Any]:
    """A ranker row without statistics (too few usable rows)."""
    nan = float("nan")
    return {
        "kind": kind,
        "n_rows": n_rows,
        "top_rows": 0,
        "top_bucket_return": nan,
        "ci_low": nan,
        "ci_high": nan,
        "p_value": nan,
        "spread": nan,
        "ic": nan,
    }


def _subset(weights: FloatArray | None, mask: npt.NDArray[np.bool_]) -> FloatArray | None:
    return None if weights is None else weights[mask]


def _random_top_size(n_rows: int, n_buckets: int) -> int:
    """Rows in the top bucket when ``n_rows`` tie-free scores are bucketed (pooled)."""
    ranks = np.arange(n_rows, dtype=np.int64)
    return int(np.count_nonzero((2 * ranks * n_buckets - 1) // (2 * (n_rows - 1)) >= n_buckets - 1))


def _weighted_means(
    returns: FloatArray, weights: FloatArray | None, idx: npt.NDArray[np.intp]
) -> FloatArray:
    """Row-wise (weighted) mean of ``returns[idx]``; NaN where the weights sum to zero."""
    if weights is None:
        return np.asarray(returns[idx].mean(axis=1), dtype=np.float64)
    w = weights[idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((w * returns[idx]).sum(axis=1) / w.sum(axis=1), dtype=np.float64)
