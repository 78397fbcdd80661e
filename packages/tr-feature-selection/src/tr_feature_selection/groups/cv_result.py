"""``GroupCVResult``: feature groups over cross-validation folds, with selection bias."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tr_core.jsonable import plain
from tr_evaluation.metrics import PBOResult
from tr_feature_selection.groups.result import best_group, best_text, rows_by_group

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["GroupCVResult"]


@dataclass(frozen=True, repr=False)
class GroupCVResult:
    """Feature groups compared over the folds of a time splitter.

    Attributes
    ----------
    table : DataFrame
        One row per group (index ``group``): ``n_features``, ``n_folds``; mean and
        std (``ddof=1``) over folds of ``test_metric``, ``auc``, ``ic`` and
        ``top_bucket_return`` (``<name>_mean``, ``<name>_std``);
        ``train_metric_mean``, ``overfit_gap_mean``; mean rows used and dropped
        for NaN per fold (``train_used_mean``, ``test_used_mean``,
        ``train_nan_dropped_mean``, ``test_nan_dropped_mean``).
    folds : DataFrame
        One row per (fold, group): rows removed by ``filter_func`` and for NaN,
        rows used, train and test metric, overfit gap, AUC, IC, top-bucket
        return, spread.
    periods : DataFrame or None
        Months × groups: each group's out-of-sample top-bucket mean target per
        month (see :mod:`tr_feature_selection.groups.cross_validation`).
    pbo : PBOResult or None
        Probability of backtest overfitting across the groups.
    deflated_sharpe : float or None
        Deflated Sharpe ratio of the best group's monthly returns, given every
        group tried.
    selection_note : str or None
        Why ``pbo`` / ``deflated_sharpe`` are None, when they are.
    metric : str
        Evaluation metric (higher is better).
    n_buckets, n_folds : int
    nan_policy : str
    weighted : bool
    buckets : mapping of (int, str) to DataFrame
        Test bucket table of each (fold, group).
    """

    table: pd.DataFrame
    folds: pd.DataFrame
    periods: pd.DataFrame | None
    pbo: PBOResult | None
    deflated_sharpe: float | None
    selection_note: str | None
    metric: str
    n_buckets: int
    n_folds: int
    nan_policy: str
    weighted: bool
    buckets: Mapping[tuple[int, str], pd.DataFrame]

    def __repr__(self) -> str:
        """One line: groups × folds, the metric, the best group, PBO and deflated Sharpe."""
        pbo = "None" if self.pbo is None else f"{self.pbo.pbo:.3g}"
        dsr = "None" if self.deflated_sharpe is None else f"{self.deflated_sharpe:.3g}"
        return (
            f"GroupCVResult({len(self.table)} groups × {self.n_folds} folds, "
            f"metric={self.metric!r}, {best_text(self.table['test_metric_mean'])}, "
            f"pbo={pbo}, deflated_sharpe={dsr}, weighted={self.weighted})"
        )

    def best(self) -> str:
        """The group with the highest mean test metric (ties: the first listed).

        Raises
        ------
        InsufficientDataError
            If every group's mean test metric is NaN.
        """
        return best_group(self.table["test_metric_mean"], f"mean test {self.metric}")

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (a copy)."""
        return self.table.copy()

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable summary: settings, best group, selection bias, table."""
        has_best = not self.table["test_metric_mean"].isna().all()
        return {
            "metric": self.metric,
            "n_buckets": self.n_buckets,
            "n_folds": self.n_folds,
            "nan_policy": self.nan_policy,
            "weighted": self.weighted,
            "best": self.best() if has_best else None,
            "pbo": None if self.pbo is None else plain(self.pbo.pbo),
            "deflated_sharpe": None
            if self.deflated_sharpe is None
            else plain(self.deflated_sharpe),
            "n_periods": None if self.periods is None else len(self.periods),
            "selection_note": self.selection_note,
            "groups": rows_by_group(self.table),
        }

    def plot(self) -> Figure:
        """Mean ± std of the test metric per group; cumulative monthly top-bucket returns.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8, 6.5), layout="constrained")
        top, bottom = fig.subplots(2, 1)
        x = np.arange(len(self.table))
        top.errorbar(
            x,
            self.table["test_metric_mean"],
            yerr=self.table["test_metric_std"] if self.n_folds > 1 else None,
            fmt="o",
            capsize=4,
            label="test (mean ± std over folds)",
        )
        top.scatter(x, self.table["train_metric_mean"], marker="D", color="tab:red", label="train")
        top.axhline(0.0, color="grey", linewidth=0.8)
        top.set_xticks(x, [str(g) for g in self.table.index])
        top.set_ylabel(self.metric)
        top.set_title(f"Feature groups over {self.n_folds} folds")
        top.legend()
        if self.periods is not None and len(self.periods):
            months = pd.PeriodIndex(self.periods.index).to_timestamp()
            for group in self.periods.columns:
                bottom.plot(months, self.periods[group].cumsum(), label=str(group))
            bottom.legend()
            title = "Cumulative monthly top-bucket mean target (out of sample)"
            if self.pbo is not None:
                title += f"; PBO {self.pbo.pbo:.2f}, DSR of best {self.deflated_sharpe:.2f}"
            bottom.set_title(title)
        else:
            bottom.set_axis_off()
            bottom.set_title(self.selection_note or "no monthly returns")
        return fig
