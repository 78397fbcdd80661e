"""PBO by CSCV: vectorized tr_evaluation vs the paper's per-combination loop.

Issue target: S = 16 (12,870 combinations) on a 2,000 × 50 return matrix in < 2 s.
The peer is the straightforward implementation of the CSCV pseudocode in Bailey,
Borwein, López de Prado & Zhu (2015, section 2): for every combination, stack the IS
and OOS blocks, compute each variant's Sharpe ratio, pick the IS best and rank it OOS.
"""

from __future__ import annotations

import itertools

import numpy as np
from harness import Bench
from scipy.stats import rankdata

from tr_evaluation.metrics import probability_of_backtest_overfitting


def cscv_loop(matrix: np.ndarray, S: int) -> float:
    """PBO by CSCV, one combination at a time (the paper's pseudocode)."""
    T, N = matrix.shape
    m = T // S
    blocks = [matrix[i * m : (i + 1) * m] for i in range(S)]
    logits = []
    for combo in itertools.combinations(range(S), S // 2):
        ins = np.vstack([blocks[i] for i in combo])
        oos = np.vstack([blocks[i] for i in range(S) if i not in combo])
        sr_is = ins.mean(axis=0) / ins.std(axis=0, ddof=1)
        sr_oos = oos.mean(axis=0) / oos.std(axis=0, ddof=1)
        w = rankdata(sr_oos)[int(np.argmax(sr_is))] / (N + 1)
        logits.append(np.log(w / (1 - w)))
    return float(np.mean(np.array(logits) <= 0))


def run(bench: Bench) -> None:
    rng = np.random.default_rng(0)
    T, N, S = (400, 20, 8) if bench.quick else (2000, 50, 16)
    matrix = rng.normal(0.0, 0.01, size=(T, N))
    ours = probability_of_backtest_overfitting(matrix, S).pbo
    if abs(ours - cscv_loop(matrix, S)) > 1e-12:
        raise AssertionError("vectorized PBO disagrees with the per-combination loop")
    label = f"PBO S={S} on {T}x{N}"
    bench.absolute(
        label,
        lambda: probability_of_backtest_overfitting(matrix, S),
        limit_s=None if bench.quick else 2.0,
        repeat=3,
    )
    bench.compare(
        f"{label} vs loop",
        lambda: probability_of_backtest_overfitting(matrix, S),
        lambda: cscv_loop(matrix, S),
        peer_name="CSCV per-combination loop (paper)",
        repeat=1,
    )
