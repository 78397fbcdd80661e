"""The :class:`SampleWeighter` protocol: frozen, composable, explicit about normalization.

A weighter is a small frozen object whose parameters are its whole state, so its
``repr`` (or :meth:`SampleWeighter.to_dict`) is enough to record an experiment.
Calling it on a frame (or on values) returns one float64 weight per input row, in
input order, without touching the input. Two weighters multiply into a
:class:`ProductWeighter`; normalization is never implicit — ``normalize`` is
``None`` (raw weights), ``"mean"`` (mean 1) or ``"sum"`` (sum 1) and applies to
the weighter's final result.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import (
    InvalidParameterError,
    LengthMismatchError,
    NonFiniteError,
    TrTypeError,
    TrValueError,
    ZeroWeightError,
    describe_rows,
)
from tr_core.validation import resolve_column

if TYPE_CHECKING:
    from tr_core.contract import DataContract

__all__ = ["Data", "Normalize", "ProductWeighter", "SampleWeighter"]

Normalize = Literal["mean", "sum"] | None
"""How a weighter rescales its result: ``None`` (raw), ``"mean"`` (mean 1), ``"sum"`` (sum 1)."""

Data = pd.DataFrame | pd.Series | np.ndarray | Sequence[Any]
"""What a weighter is called on: a frame (columns named by the weighter) or values."""

_NORMALIZE: tuple[str | None, ...] = ("mean", "sum", None)


class SampleWeighter(ABC):
    """Base class of every weighter.

    Subclasses are ``@dataclass(frozen=True, kw_only=True)`` with a ``normalize``
    field last, implement :meth:`_raw_weights` and may override :meth:`_validate`
    to check their parameters at construction.

    Calling a weighter checks what the subclass produced — one finite,
    non-negative weight per row, not all zero — so a custom weighter cannot hand
    a wrong array to a model's ``fit``.
    """

    normalize: Normalize

    def __post_init__(self) -> None:
        if self.normalize not in _NORMALIZE:
            raise InvalidParameterError(
                f"`normalize` must be one of {list(_NORMALIZE)}, got {self.normalize!r}: "
                "None keeps raw weights, 'mean' rescales to mean 1, 'sum' to sum 1."
            )
        self._validate()

    @abstractmethod
    def _validate(self) -> None:
        """Check (and canonicalize) the parameters; called once at construction."""

    @abstractmethod
    def _raw_weights(self, data: Data) -> npt.NDArray[np.float64]:
        """Weights before normalization, one per row of ``data``."""

    def __call__(self, data: Data) -> npt.NDArray[np.float64]:
        """Weights for the rows of ``data``.

        Parameters
        ----------
        data : DataFrame or array-like
            A frame holding the columns this weighter names, or (for weighters of
            a single column) the values themselves. Never modified.

        Returns
        -------
        ndarray of float64
            One weight per row, in input order, usable as ``sample_weight=``.

        Raises
        ------
        ZeroWeightError
            If every weight is zero.
        """
        weights = np.asarray(self._raw_weights(data), dtype=np.float64)
        _check_weights(weights, len(data), self)
        return _normalized(weights, self.normalize)

    def __mul__(self, other: object) -> ProductWeighter:
        """``w1 * w2``: a :class:`ProductWeighter` of both (nested products are flattened)."""
        if not isinstance(other, SampleWeighter):
            return NotImplemented
        return ProductWeighter(factors=(*_factors(self), *_factors(other)))

    def normalized(self, normalize: Normalize) -> SampleWeighter:
        """A copy of this weighter with another ``normalize`` setting."""
        return dataclasses.replace(self, normalize=normalize)  # type: ignore[type-var]

    def to_dict(self) -> dict[str, Any]:
        """The weighter's class and parameters as a plain, JSON-serializable dict."""
        out: dict[str, Any] = {"weighter": type(self).__name__}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, tuple) and value and isinstance(value[0], SampleWeighter):
                value = [v.to_dict() for v in value]
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


@dataclass(frozen=True, kw_only=True)
class ProductWeighter(SampleWeighter):
    """Row-wise product of several weighters, e.g. ``alpha_power * uniqueness``.

    Each factor computes its weights as configured (its own ``normalize``
    included); the product is then normalized by this object's ``normalize``.

    Parameters
    ----------
    factors : tuple of SampleWeighter
        At least two weighters, all called on the same input.
    normalize : {None, "mean", "sum"}, default None
        Applied to the product.

    Examples
    --------
    >>> import numpy as np
    >>> from tr_sample_weighting import AlphaPowerWeighter, MagnitudeWeighter
    >>> w = AlphaPowerWeighter(scale="percent") * MagnitudeWeighter(scale="percent")
    >>> w(np.array([1.0, 4.0])).tolist()
    [1.0, 32.0]
    >>> w.normalized("mean")(np.array([1.0, 4.0])).round(4).tolist()
    [0.0606, 1.9394]
    """

    factors: tuple[SampleWeighter, ...]
    normalize: Normalize = None

    def _validate(self) -> None:
        factors = tuple(self.factors)
        bad = [f for f in factors if not isinstance(f, SampleWeighter)]
        if bad:
            raise TrTypeError(
                f"`factors` must all be SampleWeighter objects, got {bad!r}; "
                "wrap plain arrays in a weighter or multiply arrays yourself."
            )
        if len(factors) < 2:
            raise InvalidParameterError(
                f"`factors` needs at least two weighters, got {len(factors)}; "
                "use the weighter itself instead of a product of one."
            )
        object.__setattr__(self, "factors", factors)

    def _raw_weights(self, data: Data) -> npt.NDArray[np.float64]:
        weights = self.factors[0](data)
        for factor in self.factors[1:]:
            weights = weights * factor(data)
        return weights


def _factors(weighter: SampleWeighter) -> tuple[SampleWeighter, ...]:
    """Flatten an un-normalized product so ``a * b * c`` has three factors."""
    if isinstance(weighter, ProductWeighter) and weighter.normalize is None:
        return weighter.factors
    return (weighter,)


def _check_weights(weights: npt.NDArray[np.float64], n_rows: int, source: object) -> None:
    """Raise unless ``weights`` is one finite, non-negative, not-all-zero value per row."""
    if weights.shape != (n_rows,):
        raise LengthMismatchError(
            f"{source!r} returned weights of shape {weights.shape} for {n_rows} rows; "
            "a weighter must return exactly one weight per input row."
        )
    bad = np.flatnonzero(~np.isfinite(weights))
    if bad.size:
        raise NonFiniteError(
            f"{source!r} returned NaN/inf weights in {describe_rows(bad.tolist())}; "
            "check the inputs of those rows."
        )
    bad = np.flatnonzero(weights < 0)
    if bad.size:
        raise TrValueError(
            f"{source!r} returned negative weights in {describe_rows(bad.tolist())}; "
            "sample weights must be >= 0."
        )
    if n_rows and not (weights > 0).any():
        raise ZeroWeightError(
            f"{source!r} gave weight 0 to every one of the {n_rows} rows; a model fit on "
            "these weights would learn nothing — check the inputs and parameters."
        )


def _normalized(weights: npt.NDArray[np.float64], normalize: Normalize) -> npt.NDArray[np.float64]:
    """Rescale to mean 1 or sum 1 (weights are known to have a positive total)."""
    if normalize is None:
        return weights
    total: float = weights.mean() if normalize == "mean" else weights.sum()
    out: npt.NDArray[np.float64] = weights / total
    return out


def column_values(data: Data, column: str | None, owner: str) -> Any:
    """The values a single-column weighter reads: ``data[column]`` for a frame, else ``data``."""
    if isinstance(data, pd.DataFrame):
        if column is None:
            raise InvalidParameterError(
                f"{owner} was called on a DataFrame but its `column` is None; "
                f"set column='<name>' or pass the values themselves."
            )
        return resolve_column(data, column, "column")
    return data


def frame_column(data: Data, column: str, arg: str, owner: str) -> pd.Series:
    """Column ``column`` of a frame, for weighters that need several columns."""
    if not isinstance(data, pd.DataFrame):
        raise TrTypeError(
            f"{owner} reads the columns it names from a DataFrame, got {type(data).__name__}; "
            "call it on the frame."
        )
    out: pd.Series = resolve_column(data, column, arg)
    return out


def check_column_name(column: object, arg: str) -> None:
    """Raise unless ``column`` is a column name (a string)."""
    if not isinstance(column, str):
        raise InvalidParameterError(f"`{arg}` must be a column name (str), got {column!r}.")


def contract_label_end(contract: DataContract) -> str:
    """The contract's ``label_end`` column; raise when it declares none."""
    if contract.label_end is None:
        raise InvalidParameterError(
            "the contract declares no `label_end` column; label uniqueness needs each "
            "event's window end — declare DataContract(..., label_end='<column>')."
        )
    return contract.label_end
