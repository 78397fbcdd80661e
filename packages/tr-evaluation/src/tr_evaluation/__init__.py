"""tr-evaluation: does a model's ranking really predict returns out of sample?

Score buckets (:mod:`tr_evaluation.buckets`), trading metrics with overfitting
statistics (:mod:`tr_evaluation.metrics`), baselines
(:mod:`tr_evaluation.baselines`), walk-forward evaluation
(:mod:`tr_evaluation.walk_forward`) and experiment records
(:mod:`tr_evaluation.experiments`).
"""

from tr_evaluation import metrics
from tr_evaluation.__about__ import __version__
from tr_evaluation.baselines import BaselineEvaluator, BaselineResult
from tr_evaluation.buckets import BucketAnalyzer, BucketResult, assign_buckets
from tr_evaluation.experiments import Experiment, ExperimentStore
from tr_evaluation.walk_forward import FoldResult, WalkForwardResult, evaluate_walk_forward

__all__ = [
    "BaselineEvaluator",
    "BaselineResult",
    "BucketAnalyzer",
    "BucketResult",
    "Experiment",
    "ExperimentStore",
    "FoldResult",
    "WalkForwardResult",
    "__version__",
    "assign_buckets",
    "evaluate_walk_forward",
    "metrics",
]
