"""The synthetic market: a frame, its ground truth, and its data contract."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tr_core.contract import DataContract
from tr_core.synthetic.truth import GroundTruth

__all__ = ["SyntheticMarket"]


@dataclass(frozen=True)
class SyntheticMarket:
    """Insider-trade events with a known truth, as made by :func:`make_insider_trades`.

    Unpacks as ``frame, truth = market``.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per trade, sorted by ``trade_date``, with ``trade_date``,
        ``label_end``, ``ticker``, ``alpha`` and the feature columns.
    truth : GroundTruth
        The parameters that generated it.

    Notes
    -----
    Every tool reads column roles from :attr:`contract`, never from this class,
    so any user frame with its own :class:`~tr_core.contract.DataContract` can
    replace the synthetic one.
    """

    frame: pd.DataFrame
    truth: GroundTruth

    def __repr__(self) -> str:
        return (
            f"SyntheticMarket({len(self.frame)} trades x {self.frame.shape[1]} columns, "
            f"{self.truth!r})"
        )

    def __iter__(self) -> Iterator[Any]:
        """Yield ``frame`` then ``truth``."""
        yield self.frame
        yield self.truth

    @property
    def contract(self) -> DataContract:
        """Column roles of :attr:`frame`: time, target, features, label end, entity, groups."""
        return DataContract(
            time="trade_date",
            target="alpha",
            features=self.truth.feature_names,
            label_end="label_end",
            entity="ticker",
            groups=dict(self.truth.groups),
            target_units="fraction",
        )

    def summary(self) -> dict[str, Any]:
        """Plain, JSON-serializable summary: span of the data and the truth."""
        times = self.frame["trade_date"]
        return {
            "n_rows": len(self.frame),
            "start": pd.Timestamp(times.iloc[0]).isoformat(),
            "end": pd.Timestamp(times.iloc[-1]).isoformat(),
            "n_timestamps": int(times.nunique()),
            "truth": self.truth.summary(),
        }

    def to_frame(self) -> pd.DataFrame:
        """The per-feature truth table (see :meth:`GroundTruth.to_frame`)."""
        return self.truth.to_frame()
