"""Class-balance weights (sklearn's "balanced" convention)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.class_weight import compute_sample_weight

from tr_core.errors import EmptyDataError, NonFiniteError, TrTypeError
from tr_sample_weighting import ClassBalanceWeighter, class_balance_weights


def test_hand_computed() -> None:
    # n = 6, k = 3 classes with counts 3, 2, 1: 6 / (3 * count) = 2/3, 1, 2.
    w = class_balance_weights([1, 0, 1, 2, 1, 0])
    np.testing.assert_allclose(w, [2 / 3, 1.0, 2 / 3, 2.0, 2 / 3, 1.0])
    assert w.mean() == pytest.approx(1.0)


def test_matches_sklearn_balanced() -> None:
    rng = np.random.default_rng(0)
    y = rng.choice(["a", "b", "c", "d"], size=300, p=[0.6, 0.25, 0.1, 0.05])
    np.testing.assert_allclose(
        class_balance_weights(y), compute_sample_weight("balanced", y), rtol=1e-12
    )


def test_each_class_gets_the_same_total() -> None:
    y = pd.Series([True, False, False, False, False])
    w = class_balance_weights(y)
    assert w[y.to_numpy()].sum() == pytest.approx(w[~y.to_numpy()].sum())


def test_missing_labels_raise_with_rows() -> None:
    with pytest.raises(NonFiniteError, match=r"row \['y'\]"):
        class_balance_weights(pd.Series(["up", None, "down"], index=["x", "y", "z"]))
    with pytest.raises(NonFiniteError, match=r"row \[1\]"):
        class_balance_weights([1.0, np.nan])


def test_shape_errors() -> None:
    with pytest.raises(EmptyDataError):
        class_balance_weights([])
    with pytest.raises(TrTypeError, match="one-dimensional"):
        class_balance_weights(np.zeros((2, 2)))


def test_weighter(three_labels: pd.DataFrame) -> None:
    w = ClassBalanceWeighter(column="side")
    np.testing.assert_allclose(w(three_labels), [0.75, 1.5, 0.75])
    np.testing.assert_allclose(ClassBalanceWeighter()(["a", "b", "b"]), [1.5, 0.75, 0.75])
