"""Synthetic insider-trade market with a known truth.

>>> from tr_core.synthetic import make_insider_trades
>>> frame, truth = make_insider_trades(n_trades=1_000, random_state=0)

The frame follows the toolkit's data contract (``market.contract``), so any
user frame with its own :class:`~tr_core.contract.DataContract` can replace it.
"""

from tr_core.synthetic.generator import make_insider_trades
from tr_core.synthetic.market import SyntheticMarket
from tr_core.synthetic.truth import FeatureTruth, GroundTruth, RegimeTruth

__all__ = [
    "FeatureTruth",
    "GroundTruth",
    "RegimeTruth",
    "SyntheticMarket",
    "make_insider_trades",
]
