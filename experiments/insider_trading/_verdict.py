"""The main job's closing verdict: did each idea beat its baseline out of sample, and
how sure are we?

One row per question (features, weights, tuning, ensemble): the candidate's and the
baseline's out-of-sample top-bucket return (mean alpha of the top score bucket), a
one-sided p-value, and the selection-bias reading of the choice that produced the
candidate — the deflated Sharpe ratio (Bailey & López de Prado 2014) of the picked
candidate and the probability of backtest overfitting (Bailey, Borwein, López de
Prado & Zhu 2015) across what was tried.

The answer is

* ``yes`` — the candidate is ahead, p < 0.05, and the selection holds up (DSR at
  least 0.95 and PBO at most 0.5, where measured);
* ``no`` — the candidate is not ahead of its baseline at all;
* ``not shown`` — ahead, but not beyond chance or the luck of picking the best.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from tr_evaluation.buckets import BucketResult
from tr_evaluation.metrics import SelectionBias, selection_bias

__all__ = ["Verdict", "pair_selection", "paired_p_value", "verdict_frame"]

ALPHA = 0.05
MIN_DSR = 0.95
MAX_PBO = 0.5


@dataclass(frozen=True)
class Verdict:
    """One question's answer, from out-of-sample numbers only."""

    question: str
    candidate_name: str
    baseline_name: str
    candidate: float
    baseline: float
    p_value: float
    p_value_of: str
    deflated_sharpe: float
    pbo: float

    @property
    def difference(self) -> float:
        return self.candidate - self.baseline

    @property
    def answer(self) -> str:
        if not self.difference > 0:
            return "no"
        doubts = [
            not self.p_value < ALPHA,
            not math.isnan(self.deflated_sharpe) and self.deflated_sharpe < MIN_DSR,
            not math.isnan(self.pbo) and self.pbo > MAX_PBO,
        ]
        return "not shown" if any(doubts) else "yes"


def verdict_frame(verdicts: list[Verdict]) -> pd.DataFrame:
    """One row per question: the numbers, the answer, then what was compared and how."""
    rows = [asdict(v) | {"difference": v.difference, "answer": v.answer} for v in verdicts]
    columns = ["question", "candidate", "baseline", "difference", "p_value"]
    columns += ["deflated_sharpe", "pbo", "answer", "candidate_name", "baseline_name"]
    columns += ["p_value_of"]
    return pd.DataFrame(rows, columns=columns).set_index("question")


def _top_by_period(result: BucketResult) -> pd.Series:
    if result.periods is None:
        return pd.Series(dtype="float64")
    return result.periods["top_return"].astype("float64")


def paired_p_value(candidate: BucketResult, baseline: BucketResult) -> float:
    """One-sided p-value that the candidate's top bucket beats the baseline's.

    A t-test of the per-period differences of the top-bucket mean return, on the
    periods both results scored (the same out-of-sample rows, bucketed by each
    model's own scores). NaN with fewer than 3 common periods or no variation.
    """
    both = pd.concat(
        [_top_by_period(candidate), _top_by_period(baseline)], axis=1, join="inner"
    ).dropna()
    diff = (both.iloc[:, 0] - both.iloc[:, 1]).to_numpy(dtype=np.float64)
    if diff.size < 3 or np.ptp(diff) == 0:
        return math.nan
    return float(stats.ttest_1samp(diff, 0.0, alternative="greater").pvalue)


def pair_selection(results: dict[str, BucketResult]) -> SelectionBias:
    """DSR and PBO of keeping the better of the candidates (per-period top-bucket returns)."""
    matrix = pd.DataFrame({name: _top_by_period(r) for name, r in results.items()})
    best = max(results, key=lambda name: results[name].top_bucket_return)
    return selection_bias(matrix, best, metric="mean")
