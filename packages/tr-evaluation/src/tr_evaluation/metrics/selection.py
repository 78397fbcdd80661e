"""How much of the best candidate is the luck of picking the best of many.

Tuning tries many configurations on the same folds and keeps the best; an ensemble is
picked over its base models the same way. The best cross-validated score is biased
upwards — the more candidates ("trials"), the more. Two statistics measure it on the
completed trials' out-of-sample,
per-period returns (the mean realized return of each trial's top-bucket test rows
in each calendar period):

- the deflated Sharpe ratio of the best trial (Bailey & López de Prado 2014): the
  probability that its true Sharpe ratio beats what the best of ``N`` unskilled
  trials would show;
- the probability of backtest overfitting across the trials (Bailey, Borwein,
  López de Prado & Zhu 2015): how often the in-sample winner ranks below the
  median out of sample.

Periods in which some trial had no top-bucket row are left out for every trial
(the matrix must be complete; nothing is filled).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from tr_core.errors import TrError
from tr_evaluation.metrics.overfitting import probability_of_backtest_overfitting
from tr_evaluation.metrics.returns import sharpe_ratio
from tr_evaluation.metrics.sharpe_inference import deflated_sharpe_ratio

__all__ = ["MAX_PARTITIONS", "SelectionBias", "period_matrix", "selection_bias"]

MAX_PARTITIONS = 16
"""CSCV partitions used at most (12,870 combinations)."""


@dataclass(frozen=True)
class SelectionBias:
    """Deflated Sharpe ratio of the best trial and PBO across trials.

    Attributes
    ----------
    deflated_sharpe : float
        DSR of the best trial's per-period returns given the trials (NaN when it
        cannot be computed; ``reason`` says why).
    pbo : float
        Probability of backtest overfitting across the completed trials (NaN likewise).
    n_trials : int
        Completed trials compared.
    n_periods : int
        Periods in the returns matrix.
    n_partitions : int
        CSCV partitions used for PBO (0 when not computed).
    reason : str
        Why a statistic is NaN; empty otherwise.
    n_tried : int or None
        Trials tried in all (completed and pruned), the ``N`` of the deflated Sharpe
        ratio when more than ``n_trials``; None when only completed trials were counted.
    """

    deflated_sharpe: float
    pbo: float
    n_trials: int
    n_periods: int
    n_partitions: int
    reason: str = ""
    n_tried: int | None = None

    @property
    def reading(self) -> str:
        """One line: what the two numbers say about the best trial."""
        if math.isnan(self.deflated_sharpe) and math.isnan(self.pbo):
            return f"selection bias not measured: {self.reason}"
        parts = []
        if not math.isnan(self.deflated_sharpe):
            verdict = (
                "survives the number of trials"
                if self.deflated_sharpe >= 0.95
                else "could be the luck of picking the best"
            )
            tried = (
                f"{self.n_trials} trials"
                if self.n_tried is None
                else f"{self.n_tried} trials ({self.n_trials} completed)"
            )
            parts.append(f"DSR {self.deflated_sharpe:.2f} over {tried}: {verdict}")
        if not math.isnan(self.pbo):
            verdict = "likely overfit" if self.pbo > 0.5 else "selection mostly holds out of sample"
            parts.append(f"PBO {self.pbo:.2f}: {verdict}")
        return "; ".join(parts)

    def summary(self) -> dict[str, Any]:
        """Plain dict for reports."""
        return {
            "deflated_sharpe": None if math.isnan(self.deflated_sharpe) else self.deflated_sharpe,
            "pbo": None if math.isnan(self.pbo) else self.pbo,
            "n_trials": self.n_trials,
            "n_tried": self.n_tried,
            "n_periods": self.n_periods,
            "n_partitions": self.n_partitions,
            "reading": self.reading,
        }


def selection_bias(
    period_returns: pd.DataFrame,
    best: Any,
    *,
    n_tried: int | None = None,
    metric: Literal["sharpe", "mean", "sortino"] = "sharpe",
) -> SelectionBias:
    """DSR of the best trial and PBO across trials, from per-period returns.

    Parameters
    ----------
    period_returns : DataFrame
        One row per calendar period, one column per completed trial; NaN where a
        trial had no top-bucket row in that period.
    best : column label
        The selected (best) trial's column.
    n_tried : int, optional
        Trials tried in all, pruned ones included. A pruned trial was a candidate
        that lost, so it counts in the deflated Sharpe ratio's ``N`` (counting only
        completed trials would make the DSR optimistic); its partial returns stay out
        of the Sharpe-ratio variance and of PBO. Default: the completed trials.
    metric : {"sharpe", "mean", "sortino"}, default "sharpe"
        How PBO ranks the trials in and out of sample: it should be the criterion the
        best was picked by (a mean return: ``"mean"``). Passed to
        :func:`~tr_evaluation.metrics.probability_of_backtest_overfitting`.

    Returns
    -------
    SelectionBias
    """
    complete = period_returns.dropna(axis=0, how="any")
    n_trials, n_periods = complete.shape[1], complete.shape[0]
    if n_trials < 2:
        return SelectionBias(
            math.nan, math.nan, n_trials, n_periods, 0, "fewer than 2 completed trials"
        )
    if n_periods < 4:
        return SelectionBias(
            math.nan,
            math.nan,
            n_trials,
            n_periods,
            0,
            f"{n_periods} periods with a top-bucket row in every trial (4 needed); use a "
            "shorter `period` or longer test blocks",
        )
    reasons = []
    tried = n_tried if n_tried is not None and n_tried > n_trials else None
    try:
        if tried is None:
            dsr = float(deflated_sharpe_ratio(complete[best].to_numpy(), trial_returns=complete))
        else:
            sharpes = [sharpe_ratio(complete[c], periods_per_year=None) for c in complete]
            dsr = float(
                deflated_sharpe_ratio(
                    complete[best].to_numpy(),
                    n_trials=tried,
                    sr_variance=float(np.var(sharpes, ddof=1)),
                )
            )
    except TrError as exc:
        dsr = math.nan
        reasons.append(f"DSR: {exc}")
    partitions = min(MAX_PARTITIONS, n_periods - n_periods % 2)
    try:
        pbo = float(probability_of_backtest_overfitting(complete, partitions, metric=metric).pbo)
    except TrError as exc:
        pbo, partitions = math.nan, 0
        reasons.append(f"PBO: {exc}")
    return SelectionBias(
        dsr, pbo, n_trials, n_periods, partitions, "; ".join(reasons) if reasons else "", tried
    )


def period_matrix(records: dict[Any, dict[str, float | None]]) -> pd.DataFrame:
    """Periods × trials matrix from each trial's ``{period: return}`` record."""
    frame = pd.DataFrame(
        {trial: pd.Series(values, dtype=np.float64) for trial, values in records.items()}
    )
    return frame.sort_index()
