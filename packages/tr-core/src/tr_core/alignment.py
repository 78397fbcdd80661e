"""One alignment rule for the whole toolkit: pandas inputs pair by index label.

NumPy turns a Series into its values in *storage* order, so two Series that hold
the same rows in different orders (one was sorted, the other not) would be paired
row by row with the wrong partner — a silently wrong number (an IC of 0.007
instead of 0.084). Every public function that takes several per-row inputs runs
them through :func:`align_inputs` (or :func:`align_to` when the rows are fixed by
a frame), which

* keeps inputs that already share the reference index, untouched;
* reorders a Series/DataFrame whose labels are the same set as the reference's
  (unique labels): pairing by label is then unambiguous;
* refuses labels that differ, or repeat in a different order, with
  :class:`~tr_core.errors.IndexAlignmentError` naming the argument, the labels
  that do not match and the fix;
* takes plain arrays and lists by position (they have no labels), after a length
  check.

Results that belong to rows come back on the reference index, i.e. the caller's.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tr_core.errors import IndexAlignmentError
from tr_core.validation import check_same_length

__all__ = ["align_inputs", "align_to", "reference_index", "with_index"]


def _labelled(values: Any) -> bool:
    return isinstance(values, pd.Series | pd.DataFrame)


def align_to(index: pd.Index, values: Any, name: str, *, allow_subset: bool = False) -> Any:
    """``values`` in the row order of ``index``: reordered by label, or refused.

    Parameters
    ----------
    index : pandas.Index
        The rows the values must describe, in their order.
    values : Series, DataFrame or array-like
        Per-row values. A pandas object is matched by label; anything else by
        position (its length must equal ``len(index)``).
    name : str
        The argument's name, used in messages.
    allow_subset : bool, default False
        Accept a pandas object that holds *more* rows than ``index`` and take the
        labels of ``index`` from it — what a splitter bound to a whole frame needs
        when it is handed a subset of its rows (nested cross-validation).

    Returns
    -------
    Series, DataFrame or array-like
        ``values`` itself when it already has ``index`` (or is not a pandas
        object); otherwise a reordered copy whose index equals ``index``.

    Raises
    ------
    IndexAlignmentError
        Labels of ``values`` missing from ``index`` or the other way round, or
        duplicate labels that make pairing by label ambiguous.
    LengthMismatchError
        A plain array whose length differs from ``len(index)``.
    """
    if not _labelled(values):
        check_same_length(rows=index, **{name: values})
        return values
    if values.index.equals(index):
        return values
    if not values.index.is_unique or not index.is_unique:
        which = f"`{name}` has" if not values.index.is_unique else "the rows have"
        raise IndexAlignmentError(
            f"`{name}` is indexed in another order than the rows it belongs to, and {which} "
            "duplicate index labels, so rows cannot be paired by label; give the inputs "
            "one unique index (e.g. reset_index on the frame they come from) or pass "
            "arrays that are already in row order."
        )
    missing = index.difference(values.index, sort=False)
    extra = values.index.difference(index, sort=False)
    if len(missing) or (len(extra) and not allow_subset):
        parts = []
        if len(missing):
            parts.append(f"{len(missing)} row labels missing from `{name}` (e.g. {_few(missing)})")
        if len(extra) and not allow_subset:
            parts.append(f"{len(extra)} labels of `{name}` not among the rows (e.g. {_few(extra)})")
        raise IndexAlignmentError(
            f"`{name}` does not describe the same rows: {'; '.join(parts)}. Inputs are paired "
            "by index label, never by position — select the same rows in each input (e.g. "
            "both from one frame after the same filter)."
        )
    return values.loc[index] if isinstance(values, pd.Series) else values.loc[index, :]


def reference_index(**inputs: Any) -> pd.Index | None:
    """The index of the first pandas input (in argument order), or None if there is none."""
    for values in inputs.values():
        if _labelled(values):
            index: pd.Index = values.index
            return index
    return None


def align_inputs(**inputs: Any) -> tuple[dict[str, Any], pd.Index | None]:
    """Align several per-row inputs by label to the first pandas input's index.

    Parameters
    ----------
    **inputs
        Argument name to values (``None`` values are passed through).

    Returns
    -------
    aligned : dict
        The same names; pandas inputs reordered to the reference index, arrays
        unchanged (checked for length).
    index : pandas.Index or None
        The reference (the caller's) index, on which per-row results are to be
        returned; None when no input carries an index.

    Raises
    ------
    IndexAlignmentError, LengthMismatchError
        See :func:`align_to`.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.Series([0.1, 0.9], index=["a", "b"])
    >>> returns = pd.Series([0.02, -0.01], index=["b", "a"])
    >>> aligned, index = align_inputs(scores=scores, returns=returns)
    >>> aligned["returns"].tolist(), list(index)
    ([-0.01, 0.02], ['a', 'b'])
    """
    index = reference_index(**inputs)
    present = {k: v for k, v in inputs.items() if v is not None}
    if index is None:
        check_same_length(**present)
        return dict(inputs), None
    aligned = {k: (None if v is None else align_to(index, v, k)) for k, v in inputs.items()}
    return aligned, index


def with_index(values: Any, index: pd.Index | None, name: str | None = None) -> Any:
    """Per-row results as a Series on ``index`` (the caller's), or unchanged when None."""
    if index is None:
        return values
    return pd.Series(values, index=index, name=name)


def _few(labels: pd.Index) -> list[Any]:
    return [x.item() if hasattr(x, "item") else x for x in list(labels[:3])]
