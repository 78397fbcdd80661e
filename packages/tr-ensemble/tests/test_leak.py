"""The leak test: deep trees on pure noise, stacked in sample and out of fold."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

from tr_ensemble.stacking import TimeSeriesStackingClassifier


def test_noise_trees_get_no_weight_out_of_fold_but_large_weights_in_sample() -> None:
    rng = np.random.default_rng(42)
    n_train, n_test = 3_000, 3_000
    X = rng.normal(size=(n_train + n_test, 8))
    y = rng.integers(0, 2, size=n_train + n_test)  # independent of X: nothing to learn
    X_train, y_train, X_test, y_test = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
    trees = [
        ("deep_a", DecisionTreeClassifier(random_state=0)),
        ("deep_b", DecisionTreeClassifier(max_features=4, random_state=1)),
    ]

    # The in-sample way: the meta-learner sees the trees' predictions on rows they memorized.
    fitted = [DecisionTreeClassifier(**t.get_params()).fit(X_train, y_train) for _, t in trees]
    in_sample = np.column_stack([m.predict_proba(X_train)[:, 1] for m in fitted])
    naive_meta = LogisticRegression().fit(in_sample, y_train)
    naive_in_sample_auc = roc_auc_score(y_train, naive_meta.predict_proba(in_sample)[:, 1])
    naive_test_inputs = np.column_stack([m.predict_proba(X_test)[:, 1] for m in fitted])
    naive_test_auc = roc_auc_score(y_test, naive_meta.predict_proba(naive_test_inputs)[:, 1])

    # This package: the meta-learner sees only out-of-fold (walk-forward) predictions.
    stack = TimeSeriesStackingClassifier(trees, verbose=False).fit(X_train, y_train)
    weights = stack.meta_learner_weights()["weight"]
    test_auc = roc_auc_score(y_test, stack.predict_proba(X_test)[:, 1])
    oof_auc = roc_auc_score(y_train[stack.meta_rows_], stack.oof_predictions_["deep_a"])

    # In sample, stacking noise looks perfect and trusts both trees heavily ...
    assert naive_in_sample_auc > 0.99
    assert (np.abs(naive_meta.coef_[0]) > 3.0).all()
    # ... and is worthless out of sample.
    assert abs(naive_test_auc - 0.5) < 0.04
    # Out of fold, the trees are seen for what they are: the meta-learner gives them ~0.
    assert (weights.abs() < 0.25).all()
    assert abs(oof_auc - 0.5) < 0.04
    # 3,000 test rows: the AUC's standard error under no skill is ~0.011.
    assert abs(test_auc - 0.5) < 0.04
