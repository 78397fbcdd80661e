"""The scikit-learn splitter protocol shared by the time splitters.

Implemented here rather than inherited from ``sklearn.model_selection.BaseCrossValidator``
so that tr-core depends only on numpy and pandas; any object with ``split`` and
``get_n_splits`` works as ``cv=`` in ``cross_val_score`` and ``GridSearchCV``.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import InsufficientDataError

__all__ = ["TimeSplitter"]

Positions = npt.NDArray[np.intp]


class TimeSplitter(ABC):
    """Base of the time splitters: ``split``, ``get_n_splits`` and a parameter ``repr``."""

    @abstractmethod
    def _iter_splits(self, X: Any) -> Iterator[tuple[Positions, Positions]]:
        """Yield ``(train, test)`` sorted positions; ``train`` may be empty."""

    @abstractmethod
    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of ``(train, test)`` pairs that :meth:`split` yields."""

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[Positions, Positions]]:
        """Yield ``(train, test)`` integer positions into ``X``, one pair per split.

        Parameters
        ----------
        X : DataFrame or array-like
            The data; its length must match the times given at construction, or
            it holds the columns they name.
        y, groups : ignored
            Present for scikit-learn compatibility.

        Yields
        ------
        train, test : ndarray of intp
            Sorted positions (use ``X.iloc[train]``); never empty.

        Raises
        ------
        InsufficientDataError
            If purging and embargo leave a split without training rows.
        """
        for i, (train, test) in enumerate(self._iter_splits(X)):
            if train.size == 0:
                raise InsufficientDataError(
                    f"split {i} of {self!r} has no training rows left after the gap, purge "
                    f"and embargo ({test.size} test rows); use fewer splits, a smaller "
                    "embargo or gap, or check that the label ends are not too far out."
                )
            yield train, test

    def __repr__(self) -> str:
        names = [
            p.name
            for p in inspect.signature(type(self).__init__).parameters.values()
            if p.name != "self"
        ]
        shown = ", ".join(f"{n}={_show(getattr(self, n))}" for n in names)
        return f"{type(self).__name__}({shown})"


def _show(value: Any) -> str:
    """Short text for a parameter: arrays are summarised, not printed."""
    if isinstance(value, pd.Series | pd.Index | np.ndarray | list | tuple):
        return f"<{type(value).__name__} of {len(value)}>"
    return repr(value)
