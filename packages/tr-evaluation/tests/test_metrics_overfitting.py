"""PBO by CSCV: hand-computed cases, a per-combination reference, planted truth, properties."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata

from tr_core.errors import (
    InsufficientDataError,
    InvalidParameterError,
    NonFiniteError,
    TrTypeError,
)
from tr_evaluation.metrics import probability_of_backtest_overfitting as pbo


def _reference_logits(matrix: np.ndarray, S: int, metric: str) -> np.ndarray:
    """CSCV exactly as the paper's pseudocode: one combination at a time."""
    T, N = matrix.shape
    m = T // S
    blocks = [matrix[i * m : (i + 1) * m] for i in range(S)]
    out = []
    for combo in itertools.combinations(range(S), S // 2):
        ins = np.vstack([blocks[i] for i in combo])
        oos = np.vstack([blocks[i] for i in range(S) if i not in combo])
        perf = []
        for part in (ins, oos):
            if metric == "mean":
                perf.append(part.mean(axis=0))
            elif metric == "sharpe":
                perf.append(part.mean(axis=0) / part.std(axis=0, ddof=1))
            else:
                dd = np.sqrt(np.mean(np.minimum(part, 0) ** 2, axis=0))
                perf.append(part.mean(axis=0) / dd)
        best = int(np.argmax(perf[0]))
        w = rankdata(perf[1])[best] / (N + 1)
        out.append(np.log(w / (1 - w)))
    return np.array(out)


def test_hand_computed_overfit_pair() -> None:
    # Blocks: A = (+1, -1), B = (0, 0). IS block 0 picks A, which is worst OOS;
    # IS block 1 picks B, also worst OOS: both logits ln(1/3 / 2/3) = -ln 2.
    returns = pd.DataFrame({"A": [1.0, 1.0, -1.0, -1.0], "B": [0.0, 0.0, 0.0, 0.0]})
    res = pbo(returns, 2, metric="mean")
    np.testing.assert_allclose(res.logits, [-np.log(2), -np.log(2)])
    assert res.pbo == 1.0
    assert res.probability_of_loss == 0.5  # OOS of the selections: -1 and 0
    assert res.degradation_slope == pytest.approx(-1.0)  # (IS, OOS) = (1, -1), (0, 0)
    assert res.degradation_intercept == pytest.approx(0.0)
    assert list(res.to_frame()["selected"]) == ["A", "B"]


def test_hand_computed_consistent_pair() -> None:
    # A beats B in both halves: it is selected and ranks first OOS both times.
    returns = np.array([[2.0, 0.0], [2.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    res = pbo(returns, 2, metric="mean")
    np.testing.assert_allclose(res.logits, [np.log(2), np.log(2)])
    assert res.pbo == 0.0
    assert res.probability_of_loss == 0.0


@pytest.mark.parametrize("metric", ["sharpe", "mean", "sortino"])
def test_matches_per_combination_reference(metric: str) -> None:
    rng = np.random.default_rng(7)
    matrix = rng.normal(0.001, 0.01, size=(63, 5))  # 3 trailing rows dropped with S=6
    res = pbo(matrix, 6, metric=metric)  # type: ignore[arg-type]
    np.testing.assert_allclose(res.logits, _reference_logits(matrix, 6, metric), rtol=1e-9)
    assert res.n_combinations == 20
    assert (res.n_periods_used, res.n_periods_dropped) == (60, 3)
    assert res.pbo == pytest.approx(np.mean(res.logits <= 0))


def test_planted_skill_is_not_overfit() -> None:
    rng = np.random.default_rng(11)
    matrix = rng.normal(0.0, 0.01, size=(1600, 20))
    matrix[:, 4] += 0.004  # one variant with real, persistent edge
    res = pbo(matrix, 16)
    assert res.pbo < 0.05
    assert np.mean(res.selected == 4) > 0.95


def test_planted_regime_flip_is_overfit() -> None:
    # Variant j earns +d_j in the first half of history and -d_j in the second: whichever
    # variant wins a combination whose IS holds more first-half blocks loses OOS.
    rng = np.random.default_rng(0)
    matrix = rng.normal(0.0, 0.01, size=(800, 10))
    drift = np.linspace(-0.003, 0.003, 10)
    matrix[:400] += drift
    matrix[400:] -= drift
    res = pbo(matrix, 8)
    first_half_in_is = np.array(
        [sum(b < 4 for b in c) for c in itertools.combinations(range(8), 4)]
    )
    assert np.all(res.logits[first_half_in_is != 2] < 0)
    assert res.pbo > 0.5
    assert res.degradation_slope < 0


def test_identical_variants_have_pbo_one() -> None:
    rng = np.random.default_rng(5)
    col = rng.normal(0.0, 0.01, size=200)
    res = pbo(np.column_stack([col] * 4), 4)
    # Documented convention: ties sit at the OOS median, logit 0, counted as overfit.
    assert np.all(res.logits == 0.0)
    assert res.pbo == 1.0


def test_result_objects(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(1)
    res = pbo(rng.normal(0.0, 0.01, size=(120, 6)), 4)
    summary = res.summary()
    assert json.loads(json.dumps(summary)) == summary
    assert summary["n_combinations"] == 6
    frame = res.to_frame()
    assert list(frame.columns) == [
        "selected",
        "is_performance",
        "oos_performance",
        "logit",
        "overfit",
    ]
    assert len(frame) == 6
    out = tmp_path / "pbo.png"
    res.plot().savefig(out)
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_constant_is_performance_gives_undefined_slope(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Mean metric, S=2, IS means equal in both halves for the selected variant.
    returns = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.5], [1.0, 0.5]])
    res = pbo(returns, 2, metric="mean")
    assert np.isnan(res.degradation_slope)
    assert res.summary()["degradation_slope"] is None
    res.plot().savefig(tmp_path / "flat.png")


def test_bad_input() -> None:
    good = np.random.default_rng(0).normal(size=(40, 3))
    with pytest.raises(InvalidParameterError, match="even"):
        pbo(good, 5)
    with pytest.raises(InvalidParameterError, match="even"):
        pbo(good, 0)
    with pytest.raises(TrTypeError, match="n_partitions"):
        pbo(good, 4.0)  # type: ignore[arg-type]
    with pytest.raises(InsufficientDataError, match=r"`returns` has 10 periods.*n_partitions"):
        pbo(good[:10], 16)
    with pytest.raises(InsufficientDataError, match="too few"):
        pbo(good[:2], 2)
    with pytest.raises(InsufficientDataError, match="at least 2 columns"):
        pbo(good[:, :1], 4)
    with pytest.raises(InvalidParameterError, match="metric"):
        pbo(good, 4, metric="calmar")  # type: ignore[arg-type]
    frame = pd.DataFrame(good, columns=["x", "y", "z"])
    frame.loc[7, "y"] = np.nan
    with pytest.raises(NonFiniteError, match=r"`returns\['y'\]` has NaN in row \[7\]"):
        pbo(frame, 4)
    flat = pd.DataFrame({"x": good[:, 0], "flat": np.r_[np.zeros(20), good[20:, 1]]})
    with pytest.raises(InsufficientDataError, match=r"\['flat'\].*undefined"):
        pbo(flat, 2)
    with pytest.raises(TrTypeError, match="two-dimensional"):
        pbo(good[:, 0], 4)
    with pytest.raises(InsufficientDataError, match="no columns"):
        pbo(pd.DataFrame(index=range(10)), 2)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=0, max_value=2**32 - 1),
    st.integers(min_value=2, max_value=8),
    st.sampled_from([2, 4, 6]),
    st.integers(min_value=0, max_value=5),
)
def test_pbo_bounded_and_column_order_free(seed: int, n_var: int, S: int, extra: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.normal(0.0, 0.01, size=(S * 4 + extra, n_var))
    res = pbo(matrix, S)
    assert 0.0 <= res.pbo <= 1.0
    assert np.all(np.isfinite(res.logits))
    perm = rng.permutation(n_var)
    shuffled = pbo(matrix[:, perm], S)
    assert shuffled.pbo == res.pbo
    np.testing.assert_allclose(shuffled.logits, res.logits)


@pytest.mark.parametrize("seed", range(6))
def test_flat_half_is_undefined_not_a_huge_sharpe(seed: int) -> None:
    # Regression: a variant constant over an IS/OOS half (e.g. parked in cash at a
    # fixed rate before it started trading) has zero dispersion there, but rounding
    # in the block moment sums left a variance of ~1e-20 and a Sharpe of ~1e8 that
    # silently won the IS selection for some seeds. It must raise, as documented.
    matrix = np.random.default_rng(seed).normal(0.001, 0.01, size=(160, 4))
    matrix[:80, 2] = 0.0137
    with pytest.raises(InsufficientDataError, match=r"columns \[2\].*undefined"):
        pbo(matrix, 4)
    # Constant blocks with *different* values are not flat: the half has dispersion.
    steps = matrix.copy()
    steps[:80, 2] = np.repeat([0.01, 0.02, 0.01, 0.03], 20)
    res = pbo(steps, 4)
    np.testing.assert_allclose(res.logits, _reference_logits(steps, 4, "sharpe"), rtol=1e-9)
