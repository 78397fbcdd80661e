"""Frozen results of permutation (MDA) and single-feature (SFI) importance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tr_core.jsonable import plain

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["PermutationImportance", "SingleFeatureImportance"]


@dataclass(frozen=True, eq=False, repr=False)
class PermutationImportance:
    """Mean decrease of a metric when features are permuted on an evaluation slice (MDA).

    Attributes
    ----------
    metric : str
        Name of the higher-is-better metric.
    baseline : float
        The metric on the unpermuted slice.
    drops : DataFrame
        ``baseline - metric after permuting`` per unit (rows: a feature, or a
        cluster permuted as one) and repeat (columns ``0 .. n_repeats - 1``).
        Positive: the model relied on the unit.
    members : mapping of str to tuple of str
        The features of each unit (one feature for an unclustered unit).
    n_rows : int
        Rows of the evaluation slice.
    """

    metric: str
    baseline: float
    drops: pd.DataFrame
    members: Mapping[str, tuple[str, ...]]
    n_rows: int

    @property
    def n_repeats(self) -> int:
        """Permutations per unit."""
        return int(self.drops.shape[1])

    def __repr__(self) -> str:
        return (
            f"PermutationImportance(metric={self.metric!r}, baseline={self.baseline:.4g}, "
            f"{len(self.drops)} units x {self.n_repeats} repeats on {self.n_rows} rows, "
            f"top: {_top(self.importance)})"
        )

    @property
    def mean(self) -> pd.Series:
        """Mean drop per unit, in input order."""
        return self.drops.mean(axis=1).rename("mean")

    @property
    def std(self) -> pd.Series:
        """Standard deviation of the drop over repeats (ddof=1; NaN with one repeat)."""
        return self.drops.std(axis=1, ddof=1).rename("std")

    @property
    def importance(self) -> pd.Series:
        """Mean drop per unit, highest first (ties in input order)."""
        return ranked(self.mean, "permutation_importance")

    def to_frame(self) -> pd.DataFrame:
        """One row per unit, highest importance first: mean, std, n_features, features."""
        order = self.importance.index
        return pd.DataFrame(
            {
                "mean": self.mean,
                "std": self.std,
                "n_features": pd.Series({u: len(f) for u, f in self.members.items()}),
                "features": pd.Series({u: ", ".join(f) for u, f in self.members.items()}),
            }
        ).loc[order]

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable summary (NaN becomes None)."""
        return {
            "method": "permutation (MDA)",
            "metric": self.metric,
            "baseline": plain(self.baseline),
            "n_rows": self.n_rows,
            "n_repeats": self.n_repeats,
            "importance": {str(k): plain(float(v)) for k, v in self.importance.items()},
            "std": {str(k): plain(float(v)) for k, v in self.std.items()},
            "clusters": {u: list(f) for u, f in self.members.items() if len(f) > 1},
        }

    def plot(self) -> Figure:
        """Horizontal bars of the mean drop with ±1 std error bars, most important on top."""
        return bar_chart(
            self.mean,
            self.std,
            title=f"Permutation importance ({self.n_repeats} repeats, {self.n_rows} rows)",
            xlabel=f"drop of {self.metric} (baseline {self.baseline:.4g})",
        )


@dataclass(frozen=True, eq=False, repr=False)
class SingleFeatureImportance:
    """Out-of-sample score of a model trained on one feature at a time (SFI).

    Attributes
    ----------
    metric : str
        Name of the higher-is-better metric.
    scores : DataFrame
        Metric per feature (rows) and fold (columns ``0 .. n_folds - 1``); NaN where
        the fold could not be scored for that feature (no complete training or test
        rows, one class only in the training rows, or a metric undefined there).
    n_train, n_test : DataFrame
        Rows used per feature and fold: the fold's rows where the feature is present.
    n_rows : Series
        Rows of the frame where each feature is present.
    """

    metric: str
    scores: pd.DataFrame
    n_train: pd.DataFrame
    n_test: pd.DataFrame
    n_rows: pd.Series

    @property
    def n_folds(self) -> int:
        """Folds of the splitter."""
        return int(self.scores.shape[1])

    def __repr__(self) -> str:
        return (
            f"SingleFeatureImportance(metric={self.metric!r}, {len(self.scores)} features x "
            f"{self.n_folds} folds, top: {_top(self.importance)})"
        )

    @property
    def mean(self) -> pd.Series:
        """Mean metric over the scored folds, per feature, in input order."""
        return self.scores.mean(axis=1).rename("mean")

    @property
    def std(self) -> pd.Series:
        """Standard deviation over the scored folds (ddof=1; NaN with fewer than two)."""
        return self.scores.std(axis=1, ddof=1).rename("std")

    @property
    def importance(self) -> pd.Series:
        """Mean out-of-sample metric per feature, highest first (NaN last)."""
        return ranked(self.mean, "single_feature_importance")

    def to_frame(self) -> pd.DataFrame:
        """One row per feature, best first: mean, std, folds scored, rows used."""
        order = self.importance.index
        return pd.DataFrame(
            {
                "mean": self.mean,
                "std": self.std,
                "n_folds_scored": self.scores.notna().sum(axis=1),
                "n_rows": self.n_rows,
                "n_train_rows": self.n_train.sum(axis=1),
                "n_test_rows": self.n_test.sum(axis=1),
            }
        ).loc[order]

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable summary (NaN becomes None)."""
        return {
            "method": "single feature (SFI)",
            "metric": self.metric,
            "n_folds": self.n_folds,
            "importance": {str(k): plain(float(v)) for k, v in self.importance.items()},
            "std": {str(k): plain(float(v)) for k, v in self.std.items()},
            "n_rows": {str(k): int(v) for k, v in self.n_rows.items()},
            "n_folds_scored": {str(k): int(v) for k, v in self.scores.notna().sum(axis=1).items()},
        }

    def plot(self) -> Figure:
        """Horizontal bars of the mean fold metric with ±1 std error bars, best on top."""
        return bar_chart(
            self.mean,
            self.std,
            title=f"Single-feature importance ({self.n_folds} folds)",
            xlabel=f"out-of-sample {self.metric}",
            reference=0.5 if self.metric == "auc" else 0.0,
        )


def _top(importance: pd.Series, n: int = 3) -> str:
    """The first ``n`` names of a ranking with their values, for a one-line repr."""
    shown = ", ".join(f"{k}={v:.4g}" for k, v in importance.iloc[:n].items())
    return shown + (", …" if len(importance) > n else "")


def ranked(values: pd.Series, name: str) -> pd.Series:
    """``values`` sorted descending, stable for ties, NaN last, renamed."""
    return values.sort_values(ascending=False, kind="stable", na_position="last").rename(name)


def bar_chart(
    mean: pd.Series, std: pd.Series, *, title: str, xlabel: str, reference: float = 0.0
) -> Figure:
    """Horizontal bars from ``reference`` (chance level) to ``mean`` with ``std`` error bars.

    The highest value is on top; a NaN mean draws no bar.
    """
    from matplotlib.figure import Figure

    order = ranked(mean, "mean").index[::-1]
    values = mean.loc[order].to_numpy(dtype=np.float64)
    errors = std.loc[order].to_numpy(dtype=np.float64)
    fig = Figure(figsize=(8, max(2.5, 0.3 * len(order) + 1.2)), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(
        [str(u) for u in order],
        values - reference,
        left=reference,
        xerr=errors,
        color=np.where(values >= reference, "tab:blue", "tab:red").tolist(),
        alpha=0.8,
        capsize=3,
    )
    ax.axvline(reference, color="black", linewidth=0.8)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return fig
