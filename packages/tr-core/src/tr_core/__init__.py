"""tr-core: the thin base of the trading-research toolkit.

Data contract (:mod:`tr_core.contract`), leak-free time splits
(:mod:`tr_core.splits`), the lookahead check (:mod:`tr_core.lookahead`), the NaN
audit (:mod:`tr_core.nan`), shared input checks (:mod:`tr_core.validation`), the
toolkit's exceptions (:mod:`tr_core.errors`) and a synthetic insider-trading market
with a known truth (:mod:`tr_core.synthetic`). Depends on numpy and pandas only.
"""

from tr_core.__about__ import __version__
from tr_core.contract import DataContract, ValidationReport
from tr_core.lookahead import LookaheadReport, assert_no_lookahead
from tr_core.nan import NanAudit, complete_rows, complete_rows_by_group
from tr_core.splits import (
    CheckedFolds,
    CombinatorialPurgedKFold,
    PurgedKFold,
    WalkForward,
    checked_folds,
    time_train_test_split,
)
from tr_core.synthetic import GroundTruth, SyntheticMarket, make_insider_trades

__all__ = [
    "CheckedFolds",
    "CombinatorialPurgedKFold",
    "DataContract",
    "GroundTruth",
    "LookaheadReport",
    "NanAudit",
    "PurgedKFold",
    "SyntheticMarket",
    "ValidationReport",
    "WalkForward",
    "__version__",
    "assert_no_lookahead",
    "checked_folds",
    "complete_rows",
    "complete_rows_by_group",
    "make_insider_trades",
    "time_train_test_split",
]
