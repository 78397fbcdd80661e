"""Speed of ``tr_core.synthetic.make_insider_trades``.

Issue target: 1M rows in under 5 s on 2 cores. Peers: scikit-learn's
``make_regression`` (the standard synthetic-data generator) drawing the same
rows x numeric columns, and the bare numpy floor of drawing as many random
numbers as the generated frame holds.
"""

from __future__ import annotations

import numpy as np
from harness import Bench
from sklearn.datasets import make_regression

from tr_core.synthetic import make_insider_trades


def run(bench: Bench) -> None:
    n = 100_000 if bench.quick else 1_000_000
    market = make_insider_trades(1_000, random_state=0)
    n_numeric = len(market.truth.feature_names) + 1  # features and alpha
    label = f"{n // 1000}k rows"

    bench.absolute(
        f"make_insider_trades {label}",
        lambda: make_insider_trades(n, random_state=0),
        limit_s=5.0,
        repeat=3,
    )
    bench.compare(
        f"make_insider_trades vs make_regression {label}",
        lambda: make_insider_trades(n, random_state=0),
        lambda: make_regression(
            n_samples=n, n_features=n_numeric - 1, n_informative=13, noise=1.0, random_state=0
        ),
        peer_name="sklearn make_regression",
        note=f"{n_numeric} numeric columns",
    )
    bench.within(
        f"make_insider_trades vs numpy draws {label}",
        lambda: make_insider_trades(n, random_state=0),
        lambda: np.random.default_rng(0).standard_normal((n_numeric, n)),
        floor_name=f"numpy standard_normal {n_numeric}x{label}",
        at_most=10.0,
    )
