"""Bucket analysis: realized returns of score buckets, rank IC and turnover."""

from tr_evaluation.buckets.analyzer import BucketAnalyzer
from tr_evaluation.buckets.assign import assign_buckets
from tr_evaluation.buckets.result import BucketResult

__all__ = ["BucketAnalyzer", "BucketResult", "assign_buckets"]
