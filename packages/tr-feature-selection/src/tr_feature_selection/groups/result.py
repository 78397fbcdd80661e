"""``FeatureGroupResult``: one row per feature group, its bucket tables and NaN audits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tr_core.errors import InsufficientDataError
from tr_core.jsonable import plain
from tr_core.nan import NanAudit

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FeatureGroupResult", "best_group", "best_text", "rows_by_group"]


@dataclass(frozen=True, repr=False)
class FeatureGroupResult:
    """Out-of-sample comparison of feature groups on one train/test split.

    Attributes
    ----------
    table : DataFrame
        One row per group (index ``group``, in the order given), columns:

        ``n_features``; ``train_rows`` / ``test_rows`` (rows given);
        ``train_filtered`` / ``test_filtered`` (removed by ``filter_func``);
        ``train_nan_dropped`` / ``test_nan_dropped`` (removed because a column
        of the group, or the target, was NaN); ``train_used`` / ``test_used``;
        ``train_metric``, ``test_metric`` and ``overfit_gap`` (train − test);
        ``auc``, ``ic``, ``top_bucket_return``, ``spread`` (test rows).
    buckets : mapping of str to DataFrame
        Each group's test bucket table (tr-evaluation's ``BucketResult.table``).
    audits : mapping of str to (NanAudit, NanAudit)
        Each group's NaN audit on the (filtered) training and test rows.
    metric : str
        Name of the evaluation metric (higher is better).
    n_buckets : int
        Number of score buckets.
    nan_policy : str
        ``"drop_per_group"`` or ``"native"``.
    weighted : bool
        Whether training was weighted.
    """

    table: pd.DataFrame
    buckets: Mapping[str, pd.DataFrame]
    audits: Mapping[str, tuple[NanAudit, NanAudit]]
    metric: str
    n_buckets: int
    nan_policy: str
    weighted: bool

    @property
    def groups(self) -> list[str]:
        """Group names, in the order given."""
        return [str(g) for g in self.table.index]

    def __repr__(self) -> str:
        """One line: the groups, the metric, the best group and its test score."""
        return (
            f"FeatureGroupResult({len(self.table)} groups, metric={self.metric!r}, "
            f"{best_text(self.table['test_metric'])}, n_buckets={self.n_buckets}, "
            f"nan_policy={self.nan_policy!r}, weighted={self.weighted})"
        )

    def best(self) -> str:
        """The group with the highest test metric (ties: the first listed).

        Raises
        ------
        InsufficientDataError
            If every group's test metric is NaN.
        """
        return best_group(self.table["test_metric"], f"test {self.metric}")

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (a copy)."""
        return self.table.copy()

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable summary: settings, best group and the table by group."""
        has_best = not self.table["test_metric"].isna().all()
        return {
            "metric": self.metric,
            "n_buckets": self.n_buckets,
            "nan_policy": self.nan_policy,
            "weighted": self.weighted,
            "best": self.best() if has_best else None,
            "groups": rows_by_group(self.table),
        }

    def plot(self) -> Figure:
        """Test metric per group (bars) with the train metric (markers), and the test
        top- and bottom-bucket mean target per group.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8, 6.5), layout="constrained")
        top, bottom = fig.subplots(2, 1)
        x = np.arange(len(self.table))
        names = self.groups
        top.bar(x, self.table["test_metric"], color="tab:blue", label="test")
        top.scatter(x, self.table["train_metric"], color="tab:red", marker="D", label="train")
        top.axhline(0.0, color="grey", linewidth=0.8)
        top.set_xticks(x, names)
        top.set_ylabel(self.metric)
        top.set_title(f"Feature groups: {self.metric} (train markers show overfitting)")
        top.legend()
        high = [float(self.buckets[g]["mean"].iloc[-1]) for g in names]
        low = [float(self.buckets[g]["mean"].iloc[0]) for g in names]
        width = 0.4
        bottom.bar(x - width / 2, high, width, color="tab:green", label="top bucket")
        bottom.bar(x + width / 2, low, width, color="tab:orange", label="bottom bucket")
        bottom.axhline(0.0, color="grey", linewidth=0.8)
        bottom.set_xticks(x, names)
        bottom.set_ylabel("mean target (test)")
        bottom.set_title(f"Top and bottom of {self.n_buckets} score buckets")
        bottom.legend()
        return fig


def best_group(metric: pd.Series, what: str) -> str:
    """The group (index label) with the highest ``metric``; ties: the first listed.

    Raises
    ------
    InsufficientDataError
        If every value is NaN.
    """
    if metric.isna().all():
        raise InsufficientDataError(f"every group's {what} is NaN; there is no best group.")
    return str(metric.idxmax())


def best_text(metric: pd.Series) -> str:
    """``best='name' (value)`` for reprs, or ``best=None`` when every value is NaN."""
    if metric.isna().all():
        return "best=None"
    return f"best={str(metric.idxmax())!r} ({float(metric.max()):.4g})"


def rows_by_group(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The table as ``{group: {column: plain value}}``, JSON-serializable."""
    return {
        str(group): {str(col): plain(value) for col, value in row.items()}
        for group, row in table.iterrows()
    }
