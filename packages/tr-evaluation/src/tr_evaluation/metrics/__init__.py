"""Trading metrics on return series, Sharpe-ratio inference and backtest-overfitting statistics.

Plain functions on per-period return series (see each module for conventions):

* :mod:`~tr_evaluation.metrics.returns` — Sharpe, Sortino, Calmar, annualized return,
  hit rate, profit factor;
* :mod:`~tr_evaluation.metrics.drawdown` — maximum drawdown with peak, trough,
  recovery and duration;
* :mod:`~tr_evaluation.metrics.sharpe_inference` — probabilistic and deflated Sharpe
  ratios, minimum track record length;
* :mod:`~tr_evaluation.metrics.overfitting` — probability of backtest overfitting (CSCV);
* :mod:`~tr_evaluation.metrics.selection` — DSR and PBO of picking the best of
  many candidates (tuning trials, an ensemble and its base models).
"""

from tr_evaluation.metrics.drawdown import DrawdownResult, max_drawdown
from tr_evaluation.metrics.overfitting import PBOResult, probability_of_backtest_overfitting
from tr_evaluation.metrics.returns import (
    annualized_return,
    calmar_ratio,
    hit_rate,
    profit_factor,
    sharpe_ratio,
    sortino_ratio,
)
from tr_evaluation.metrics.selection import SelectionBias, period_matrix, selection_bias
from tr_evaluation.metrics.sharpe_inference import (
    deflated_sharpe_ratio,
    expected_max_sharpe,
    min_trl_from_statistics,
    minimum_track_record_length,
    probabilistic_sharpe_ratio,
    psr_from_statistics,
)

__all__ = [
    "DrawdownResult",
    "PBOResult",
    "SelectionBias",
    "annualized_return",
    "calmar_ratio",
    "deflated_sharpe_ratio",
    "expected_max_sharpe",
    "hit_rate",
    "max_drawdown",
    "min_trl_from_statistics",
    "minimum_track_record_length",
    "period_matrix",
    "probabilistic_sharpe_ratio",
    "probability_of_backtest_overfitting",
    "profit_factor",
    "psr_from_statistics",
    "selection_bias",
    "sharpe_ratio",
    "sortino_ratio",
]
