"""The one way to say "weight the training rows": ``sample_weight``, its protocol and check.

Every function of the toolkit that fits a model takes one parameter,
``sample_weight``, in one of four forms:

* an **array** (or list) with one weight per row of the frame, in row order;
* a **Series**, matched to the frame's rows by index label (never by position);
* a **column name** of the frame;
* a **weighter** or any **callable** ``f(train_frame) -> weights``, computed on
  each fold's *training rows only* — a weight that depends on the data (alpha
  power, uniqueness, recency) must never see the test rows. Every
  ``tr_sample_weighting.SampleWeighter`` is such a callable (:class:`Weighter`).

:func:`resolve_sample_weight` validates the form once, at the public boundary;
:meth:`TrainingWeights.for_rows` then gives the checked weights of the rows one
fold trains on. The weights themselves always pass one check,
:func:`tr_core.validation.as_weight_array` (finite, ``>= 0``, not all zero).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.alignment import align_to
from tr_core.errors import LengthMismatchError, MissingColumnError, TrTypeError
from tr_core.validation import as_weight_array

__all__ = ["SampleWeight", "TrainingWeights", "Weighter", "resolve_sample_weight"]


@runtime_checkable
class Weighter(Protocol):
    """What a weighter is: called on a frame of training rows, one weight per row.

    ``to_dict`` describes the weighter's parameters for experiment records.
    ``tr_sample_weighting.SampleWeighter`` implements it; a plain function
    ``f(train_frame) -> weights`` is accepted wherever a weighter is.
    """

    def __call__(self, data: pd.DataFrame) -> Any:
        """Weights of ``data``'s rows, in row order (a Series must keep its index)."""

    def to_dict(self) -> dict[str, Any]:
        """The weighter's class and parameters, JSON-ready."""


SampleWeight = npt.ArrayLike | pd.Series | str | Weighter | Callable[[pd.DataFrame], Any] | None
"""The accepted forms of ``sample_weight`` (see the module docstring)."""


@dataclass(frozen=True, eq=False)
class TrainingWeights:
    """``sample_weight`` resolved against one frame; weights per fold on request.

    Attributes
    ----------
    name : str
        The caller's argument name, used in messages.
    fixed : ndarray of float64 or None
        Weights of every row of the frame (array, Series or column forms), checked
        to be finite and ``>= 0``; None for a callable or no weights.
    func : callable or None
        A weighter/callable evaluated on each fold's training rows.
    """

    name: str
    fixed: npt.NDArray[np.float64] | None
    func: Callable[[pd.DataFrame], Any] | None

    def __repr__(self) -> str:
        return f"TrainingWeights(name={self.name!r}, form={self.describe()!r})"

    @property
    def active(self) -> bool:
        """Whether any weights were given."""
        return self.fixed is not None or self.func is not None

    def for_rows(
        self, frame: pd.DataFrame, rows: npt.NDArray[np.intp], *, where: str = ""
    ) -> npt.NDArray[np.float64] | None:
        """Checked weights of ``frame.iloc[rows]`` (the rows one model is fit on).

        Parameters
        ----------
        frame : DataFrame
            The frame ``sample_weight`` was resolved against.
        rows : ndarray of intp
            Positions of the training rows.
        where : str, optional
            Context for messages, e.g. ``"fold 2"`` or ``"group 'insider'"``.

        Returns
        -------
        ndarray of float64 or None
            One weight per training row, finite, ``>= 0``, not all zero; None
            when no weights were given.

        Raises
        ------
        LengthMismatchError, IndexAlignmentError
            A callable returned the wrong number of weights, or a Series indexed
            unlike the training rows.
        NonFiniteError, InvalidParameterError, ZeroWeightError
            From the weight check.
        """
        label = f"`{self.name}`" + (f" ({where})" if where else "")
        if self.fixed is not None:
            # Finite and >= 0 were checked at the boundary; this fold's rows still need a
            # positive weight. Row labels come from the index (no copy of the frame).
            return as_weight_array(self.fixed[rows], label, source=frame.index[rows])
        if self.func is None:
            return None
        # An own copy: a callable that writes to it neither changes nor warns about the caller's.
        train = frame.iloc[rows].copy()
        raw = self.func(train)
        if isinstance(raw, pd.DataFrame) and raw.shape[1] == 1:
            raw = raw.iloc[:, 0]
        if isinstance(raw, pd.Series):
            raw = align_to(train.index, raw, f"{self.name} returned by {_describe(self.func)}")
            values: Any = raw.to_numpy()
        else:
            values = np.asarray(raw)
            if values.ndim == 2 and 1 in values.shape:
                values = values.reshape(-1)
        if np.ndim(values) != 1 or len(values) != len(rows):
            raise LengthMismatchError(
                f"{label}: {_describe(self.func)} returned {np.shape(values)} weights for "
                f"{len(rows)} training rows; it must return one weight per row of the frame "
                "it is given."
            )
        return as_weight_array(values, label, source=train)

    def describe(self) -> Any:
        """A JSON-ready description for experiment records."""
        if self.func is not None:
            to_dict = getattr(self.func, "to_dict", None)
            return to_dict() if callable(to_dict) else _describe(self.func)
        return None if self.fixed is None else f"fixed weights ({self.fixed.size} rows)"


def resolve_sample_weight(
    sample_weight: Any, frame: pd.DataFrame, *, name: str = "sample_weight"
) -> TrainingWeights:
    """Validate ``sample_weight`` once against ``frame``.

    Parameters
    ----------
    sample_weight : array-like, Series, str, callable or None
        See the module docstring.
    frame : DataFrame
        The rows the weights belong to.
    name : str, default "sample_weight"
        The caller's argument name, used in messages.

    Returns
    -------
    TrainingWeights

    Raises
    ------
    MissingColumnError
        A column name that is not in ``frame``.
    LengthMismatchError, IndexAlignmentError
        Fixed weights that do not describe the frame's rows.
    NonFiniteError, InvalidParameterError
        Fixed weights that are NaN/inf or negative.
    TrTypeError
        Anything else (e.g. a dict, or text).
    """
    if sample_weight is None:
        return TrainingWeights(name, None, None)
    if isinstance(sample_weight, type):
        raise TrTypeError(
            f"`{name}` is the class {sample_weight.__name__}, not a weighter; pass an instance "
            f"with its parameters, e.g. {sample_weight.__name__}(...)."
        )
    if callable(sample_weight):
        return TrainingWeights(name, None, sample_weight)
    if isinstance(sample_weight, str):
        if sample_weight not in frame.columns:
            raise MissingColumnError(
                f"`{name}`={sample_weight!r} is not a column of the frame; pass a column name, "
                "one weight per row, or a weighter computed on the training rows."
            )
        values: Any = frame[sample_weight]
    elif isinstance(sample_weight, pd.Series | np.ndarray | list | tuple):
        values = sample_weight
    elif hasattr(sample_weight, "__array__"):  # another array-like (xarray, a wrapped array)
        values = np.asarray(sample_weight)
    else:
        raise TrTypeError(
            f"`{name}` must be an array, a Series, a column name or a callable of the training "
            f"rows, got {type(sample_weight).__name__}."
        )
    if np.ndim(values) != 1:
        raise LengthMismatchError(
            f"`{name}` has shape {np.shape(values)}; pass one weight per row (a 1-D array or "
            "a Series indexed like the frame)."
        )
    if isinstance(values, pd.Series):
        values = align_to(frame.index, values, name)
    elif len(values) != len(frame):
        raise LengthMismatchError(
            f"`{name}` has {len(values)} weights but the frame has {len(frame)} rows; pass one "
            "weight per row (or a Series indexed like the frame)."
        )
    checked = as_weight_array(values, f"`{name}`", source=frame)
    return TrainingWeights(name, checked, None)


def _describe(func: Callable[..., Any]) -> str:
    return getattr(func, "__qualname__", None) or repr(func)
