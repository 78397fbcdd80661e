"""Bucket analysis, trading metrics with overfitting statistics, baselines, walk-forward evaluation and experiment records for trading research."""

from tr_evaluation.__about__ import __version__

__all__ = ["__version__"]
