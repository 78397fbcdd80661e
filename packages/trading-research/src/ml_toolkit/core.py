"""The toolkit's base, as ``ml_toolkit.core``: a thin re-export of :mod:`tr_core`.

Not one of the migration plan's five modules: added so that a research script can take
everything from ``ml_toolkit`` — the synthetic market, the time splits, the data contract
and the NaN audit — without a second naming scheme. Every name is the object of
``tr_core`` itself (``ml_toolkit.core.WalkForward is tr_core.WalkForward``).

Only ``tr_core``'s top-level names are re-exported. The rest lives in tr-core's public
modules: the exceptions to catch in :mod:`tr_core.errors`, the splitters in
:mod:`tr_core.splits`, the generator's truth objects in :mod:`tr_core.synthetic`, the
NaN policy in :mod:`tr_core.nan`, and the shared checks in :mod:`tr_core.validation`,
:mod:`tr_core.alignment`, :mod:`tr_core.units` and :mod:`tr_core.weights`.
"""

from tr_core import (
    CheckedFolds,
    CombinatorialPurgedKFold,
    DataContract,
    GroundTruth,
    LookaheadReport,
    NanAudit,
    PurgedKFold,
    SyntheticMarket,
    ValidationReport,
    WalkForward,
    assert_no_lookahead,
    checked_folds,
    complete_rows,
    complete_rows_by_group,
    make_insider_trades,
    time_train_test_split,
)

# tr_core.__all__ without __version__ (a test keeps the two equal).
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
    "assert_no_lookahead",
    "checked_folds",
    "complete_rows",
    "complete_rows_by_group",
    "make_insider_trades",
    "time_train_test_split",
]
