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


def test_continuous_target_is_refused() -> None:
    # regression (issue 10): alpha passed as labels made every row its own class and gave
    # weights of exactly 1 — a weighting that silently did nothing.
    alpha = pd.Series(np.random.default_rng(0).normal(0, 0.05, size=200))
    with pytest.raises(TrTypeError, match=r"`labels` holds non-integer numbers.*alpha > 0"):
        class_balance_weights(alpha)
    with pytest.raises(TrTypeError, match="non-integer"):
        class_balance_weights([0.013, 0.02, 0.0])  # even a handful of rows
    with pytest.raises(TrTypeError, match=r"row \['b'\]"):
        class_balance_weights(pd.Series([1.0, 0.5, 0.0], index=["a", "b", "c"]))
    with pytest.raises(TrTypeError, match="non-integer"):
        ClassBalanceWeighter(column="alpha")(pd.DataFrame({"alpha": alpha}))
    # binarized, as the message says: accepted
    w = class_balance_weights(alpha > 0)
    assert w.mean() == pytest.approx(1.0)


def test_nearly_all_distinct_labels_are_refused() -> None:
    # 20 rows in 10 classes of 2: accepted (weights all 1 by construction).
    np.testing.assert_allclose(class_balance_weights(np.repeat(np.arange(10), 2)), 1.0)
    # 20 rows in 11 classes: fewer than two rows per class on average -> not classes.
    labels = np.concatenate([np.repeat(np.arange(9), 2), [9, 10]])
    with pytest.raises(TrTypeError, match="11 distinct values in 20 rows"):
        class_balance_weights(labels)
    with pytest.raises(TrTypeError, match=r"every\s+row is its own class"):
        class_balance_weights(np.arange(500))  # an identifier, or a rounded amount
    with pytest.raises(TrTypeError, match="distinct"):
        class_balance_weights([f"id{i}" for i in range(30)])
    # below 20 rows the count alone is not judged (a tiny multi-class sample is legitimate)
    np.testing.assert_allclose(class_balance_weights(["a", "b", "c"]), 1.0)


def test_integer_valued_and_text_class_codes_are_accepted() -> None:
    # 0.0/1.0 floats (a binarized target) and class codes written as text are classes.
    expected = [2.0, 2 / 3, 2 / 3, 2 / 3]
    np.testing.assert_allclose(class_balance_weights([1.0, 0.0, 0.0, 0.0]), expected)
    np.testing.assert_allclose(class_balance_weights(["1", "0", "0", "0"]), expected)
    np.testing.assert_allclose(
        class_balance_weights(pd.Series([-1.0, 1.0], dtype="Float64")), [1.0, 1.0]
    )


def test_numbers_with_decimals_stored_as_text_are_refused() -> None:
    with pytest.raises(TrTypeError, match=r"stored as text.*'0\.01'.*pd\.to_numeric"):
        class_balance_weights(["0.01", "0.02"])
    with pytest.raises(TrTypeError, match="stored as text"):
        class_balance_weights(np.array(["1", "0.5", "0"]))
