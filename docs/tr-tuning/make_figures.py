"""Draw the tuning guide's figures from a small, seeded study on the synthetic market.

    .venv/bin/python docs/tr-tuning/make_figures.py            # -> docs/tr-tuning/img/
    .venv/bin/python docs/tr-tuning/make_figures.py /tmp/figs  # another folder

The study: 10,000 trades of ``tr_core.synthetic.make_insider_trades`` (seed 0),
``XGBoostOptimizer`` with the default search space, 24 trials, the default
walk-forward CV (5 folds, purged by ``label_end``), early stopping on each fold's
purged validation slice, the median pruner, one XGBoost thread. It writes
``history.png``, ``importances.png`` and ``slices.png`` (80 dpi, small enough to
commit) and prints the study's summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; never a window

from matplotlib.ticker import NullFormatter

from tr_core.synthetic import make_insider_trades
from tr_tuning import XGBoostOptimizer

DEFAULT_OUT = Path(__file__).resolve().parent / "img"
DPI = 80


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    market = make_insider_trades(10_000, random_state=0)
    contract = market.contract
    optimizer = XGBoostOptimizer(
        n_trials=24, max_rounds=200, early_stopping_rounds=20, random_state=0, verbose=False
    )
    result = optimizer.optimize(
        market.frame,
        features=contract.features,
        target=contract.target,
        times=contract.time,
        label_ends=contract.label_end,
    )
    print(json.dumps(result.summary(), indent=2))
    figures = {
        "history.png": result.plot_history(),
        "importances.png": result.plot_importances(),
        "slices.png": result.plot_slices(),
    }
    slices = figures["slices.png"]
    slices.set_size_inches(17, 3.6)
    for ax in slices.axes:
        # log axes label their minor ticks too; at this size the labels run together
        ax.xaxis.set_minor_formatter(NullFormatter())
    for name, fig in figures.items():
        fig.savefig(out / name, dpi=DPI, bbox_inches="tight")
        print(f"wrote {out / name} ({(out / name).stat().st_size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
