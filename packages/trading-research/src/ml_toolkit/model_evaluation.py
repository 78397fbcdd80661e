"""The plan's ``ml_toolkit.model_evaluation``: a thin re-export of :mod:`tr_evaluation`.

Every name is the object of ``tr_evaluation`` itself
(``ml_toolkit.model_evaluation.BucketAnalyzer is tr_evaluation.BucketAnalyzer``),
including the :mod:`tr_evaluation.metrics` module (``metrics.sharpe_ratio``,
``metrics.deflated_sharpe_ratio``, ``metrics.probability_of_backtest_overfitting``, ...).

Only the top-level names are re-exported. The rest lives in tr-evaluation's public
subpackages and modules: :mod:`tr_evaluation.buckets` (``check_n_buckets``, ...),
:mod:`tr_evaluation.experiments` (``Run``, ``LoadedRun``, the HTML reports),
:mod:`tr_evaluation.models` (``make_labels``, ``predict_scores``, ...),
:mod:`tr_evaluation.baselines` and :mod:`tr_evaluation.walk_forward`.
"""

from tr_evaluation import (
    BaselineEvaluator,
    BaselineResult,
    BucketAnalyzer,
    BucketResult,
    Experiment,
    ExperimentStore,
    FoldResult,
    WalkForwardResult,
    assign_buckets,
    evaluate_walk_forward,
    metrics,
)

# tr_evaluation.__all__ without __version__ (a test keeps the two equal).
__all__ = [
    "BaselineEvaluator",
    "BaselineResult",
    "BucketAnalyzer",
    "BucketResult",
    "Experiment",
    "ExperimentStore",
    "FoldResult",
    "WalkForwardResult",
    "assign_buckets",
    "evaluate_walk_forward",
    "metrics",
]
