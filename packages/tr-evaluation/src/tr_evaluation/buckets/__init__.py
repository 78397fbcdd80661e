"""Bucket analysis: realized returns of score buckets, rank IC and turnover."""

from tr_evaluation.buckets.analyzer import BucketAnalyzer
from tr_evaluation.buckets.assign import MAX_BUCKETS, assign_buckets, check_n_buckets
from tr_evaluation.buckets.result import BucketResult

__all__ = ["MAX_BUCKETS", "BucketAnalyzer", "BucketResult", "assign_buckets", "check_n_buckets"]
