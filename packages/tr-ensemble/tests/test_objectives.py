"""The blend objectives against hand-worked values and scikit-learn's reference metrics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import log_loss as sk_log_loss
from sklearn.metrics import roc_auc_score

from tr_core.errors import InsufficientDataError
from tr_ensemble.objectives import (
    PROBABILITY_CLIP,
    log_loss,
    percentile_ranks,
    roc_auc,
    top_bucket_return,
)


def test_log_loss_by_hand() -> None:
    # -(log 0.8 + log 0.6) / 2, and weighted 3:1 -(3 log 0.8 + log 0.6) / 4
    assert log_loss([1, 0], [0.8, 0.4]) == pytest.approx(-(math.log(0.8) + math.log(0.6)) / 2)
    assert log_loss([1, 0], [0.8, 0.4], [3.0, 1.0]) == pytest.approx(
        -(3 * math.log(0.8) + math.log(0.6)) / 4
    )


def test_log_loss_clips_certain_misses() -> None:
    assert log_loss([1], [0.0]) == pytest.approx(-math.log(PROBABILITY_CLIP))
    assert log_loss([0, 1], [0.0, 1.0]) == pytest.approx(-math.log1p(-PROBABILITY_CLIP))


def test_log_loss_matches_scikit_learn() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    p = rng.uniform(0.01, 0.99, 200)
    w = rng.uniform(0.0, 2.0, 200)
    assert log_loss(y, p, w) == pytest.approx(sk_log_loss(y, p, sample_weight=w), rel=1e-12)


def test_auc_by_hand_with_a_tie() -> None:
    # positives 0.4, 0.8; negatives 0.1, 0.4: pairs (0.4>0.1) 1, (0.4=0.4) 1/2, 1, 1
    assert roc_auc([0, 1, 0, 1], [0.1, 0.4, 0.4, 0.8]) == 0.875
    # weight 3 on the tied negative: (1*1 + 1*3*0.5 + 1*1 + 1*3) / (2 * 4)
    assert roc_auc([0, 1, 0, 1], [0.1, 0.4, 0.4, 0.8], [1, 1, 3, 1]) == pytest.approx(6.5 / 8)


def test_auc_matches_scikit_learn_with_ties_and_weights() -> None:
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 300)
    s = np.round(rng.normal(size=300) + y, 1)  # rounding makes many ties
    w = rng.uniform(0.0, 2.0, 300)
    assert roc_auc(y, s, w) == pytest.approx(roc_auc_score(y, s, sample_weight=w), rel=1e-12)
    assert roc_auc(y, s) == pytest.approx(roc_auc_score(y, s), rel=1e-12)


def test_auc_needs_both_classes() -> None:
    with pytest.raises(InsufficientDataError, match="AUC"):
        roc_auc([1, 1], [0.2, 0.3])
    with pytest.raises(InsufficientDataError, match="weight"):
        roc_auc([1, 0], [0.2, 0.3], [1.0, 0.0])


def test_top_bucket_return_by_hand() -> None:
    # 4 rows, 2 buckets: the two highest scores (0.9, 0.7) are the top bucket.
    assert top_bucket_return([0.1, 0.9, 0.5, 0.7], [-1.0, 3.0, 0.0, 1.0], 2) == 2.0
    # 8 rows, 4 buckets: the top two scores (rows 6 and 3).
    scores = [0.1, 0.2, 0.3, 0.8, 0.4, 0.5, 0.9, 0.6]
    returns = [0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 2.0, 9.0]
    assert top_bucket_return(scores, returns, 4) == 3.0


def test_top_bucket_return_of_constant_scores_is_nan() -> None:
    assert math.isnan(top_bucket_return([0.5, 0.5, 0.5], [1.0, 2.0, 3.0], 2))


def test_percentile_ranks_by_hand() -> None:
    assert percentile_ranks([0.3, 0.1, 0.3, 0.9]).tolist() == [0.5, 0.125, 0.5, 0.875]
    two = percentile_ranks(np.array([[1.0, 5.0], [3.0, 4.0]]))
    assert two.tolist() == [[0.25, 0.75], [0.75, 0.25]]
