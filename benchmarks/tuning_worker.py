"""One worker process of ``bench_tuning_workers.py``.

``python benchmarks/tuning_worker.py --storage FILE --study NAME --trials N ...`` joins
(or creates) the study on the journal file and runs trials until the study holds
``N`` finished ones — what every worker of a shared study does. All workers build
the same market and the same optimizer (:mod:`tuning_common`), so one process and
two processes do the same work.
"""

from __future__ import annotations

import argparse

from tuning_common import COLUMNS, fixed_cost_space, market

from tr_tuning import XGBoostOptimizer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--storage", required=True, help="journal file of the shared study")
    parser.add_argument("--study", required=True, help="study name")
    parser.add_argument("--trials", type=int, required=True, help="finished trials to reach")
    parser.add_argument("--rows", type=int, required=True, help="rows of the synthetic market")
    parser.add_argument("--rounds", type=int, required=True, help="boosting rounds per fit")
    args = parser.parse_args(argv)
    frame, features = market(args.rows)
    optimizer = XGBoostOptimizer(
        fixed_cost_space(),
        early_stopping_rounds=None,
        max_rounds=args.rounds,
        pruner="none",
        n_trials=args.trials,
        storage=args.storage,
        study_name=args.study,
        random_state=0,
        n_jobs=1,
        verbose=False,
    )
    optimizer.optimize(frame, features=features, **COLUMNS)


if __name__ == "__main__":
    main()
