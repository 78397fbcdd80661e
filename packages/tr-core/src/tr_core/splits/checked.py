"""The one fold check of the toolkit: validate a splitter's output once, at the boundary.

Every consumer of folds — walk-forward evaluation, feature groups, importance,
tuning, ensembles — calls :func:`checked_folds` and then trusts the result. No
consumer re-derives purge or time-order checks of its own, so the same bad fold
gets the same :class:`~tr_core.errors.FoldError` everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from tr_core.errors import FoldError, InvalidParameterError, describe_rows
from tr_core.splits._inputs import Timeline, resolve_timeline

__all__ = ["CheckedFolds", "checked_folds"]

Positions = npt.NDArray[np.intp]
Fold = tuple[Positions, Positions]


@dataclass(frozen=True, eq=False, repr=False)
class CheckedFolds:
    """Folds that passed :func:`checked_folds`, with the rows' times they were checked on.

    Iterating yields ``(train, test)`` sorted ``intp`` position arrays, like a
    splitter's ``split``; the object can be passed wherever a list of folds is.

    Attributes
    ----------
    folds : tuple of (ndarray, ndarray)
        ``(train, test)`` positions per fold; both sorted, disjoint and non-empty.
    times : ndarray of datetime64[ns]
        Decision time of every row of ``X`` (UTC, naive), in row order.
    label_ends : ndarray of datetime64[ns]
        End of every row's label window (``times`` when none was given).
    index : pandas.Index
        Row labels of ``X`` (a RangeIndex for arrays), for messages and results.
    forward : bool
        Whether every fold trains only on rows decided before its test block's first
        time: required by ``checked_folds(forward=True)``, measured otherwise (purged
        k-fold trains on later rows and reports False), so a consumer can say what its
        out-of-fold numbers mean.
    """

    folds: tuple[Fold, ...]
    times: npt.NDArray[np.datetime64]
    label_ends: npt.NDArray[np.datetime64]
    index: pd.Index
    forward: bool

    def __getitem__(self, k: int) -> Fold:
        return self.folds[k]

    def __len__(self) -> int:
        return len(self.folds)

    def __iter__(self) -> Iterator[Fold]:
        return iter(self.folds)

    @property
    def n_splits(self) -> int:
        """Number of folds."""
        return len(self.folds)

    @property
    def n_rows(self) -> int:
        """Number of rows of ``X``."""
        return int(self.times.size)

    def split(self, X: Any = None, y: Any = None, groups: Any = None) -> Iterator[Fold]:
        """The checked folds again, so the object also works as ``cv=`` on the same rows.

        Raises
        ------
        FoldError
            ``X`` has another number of rows (or other index labels) than the rows
            the folds were checked on: the positions would point at other rows.
        """
        if X is not None:
            same = len(X) == self.n_rows and (
                not isinstance(X, pd.Series | pd.DataFrame) or X.index.equals(self.index)
            )
            if not same:
                raise FoldError(
                    f"these folds were checked on {self.n_rows} rows, but `X` has {len(X)} "
                    "rows or other index labels; their positions would point at other rows. "
                    "Check the folds on this X with checked_folds(splitter, X)."
                )
        return iter(self.folds)

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """Number of folds."""
        return len(self.folds)

    def tested_rows(self) -> Positions:
        """Sorted positions of the rows that some fold tests."""
        if not self.folds:
            return np.empty(0, dtype=np.intp)
        return np.unique(np.concatenate([test for _, test in self.folds])).astype(np.intp)

    def __repr__(self) -> str:
        sizes = [(tr.size, te.size) for tr, te in self.folds]
        shown = ", ".join(f"{a}/{b}" for a, b in sizes[:4]) + (", …" if len(sizes) > 4 else "")
        return (
            f"CheckedFolds({self.n_splits} folds over {self.n_rows} rows, train/test rows "
            f"[{shown}], forward={self.forward})"
        )


def checked_folds(
    cv: Any,
    X: Any,
    *,
    times: Any = None,
    label_ends: Any = None,
    y: Any = None,
    groups: Any = None,
    forward: bool = False,
    disjoint_tests: bool = False,
) -> CheckedFolds:
    """Run a splitter (or take given folds) and check every fold once.

    Parameters
    ----------
    cv : splitter or iterable of (train, test)
        Anything with ``split(X, y, groups)`` — tr-core's splitters, scikit-learn's —
        or the folds themselves. An integer is refused: a bare k-fold over time-ordered
        events is the shuffled split this check exists to stop.
    X : DataFrame or array-like
        The rows the positions point into (given to ``cv.split``).
    times : str or array-like, optional
        Decision time of each row: a column name of ``X`` or aligned datetimes
        (a Series is matched to ``X`` by index label). Defaults to the splitter's own
        ``times`` (tr-core splitters carry one); required otherwise.
    label_ends : str or array-like, optional
        When each row's outcome window closes. Defaults to the splitter's own
        ``label_ends``; none at all means zero-length windows ``[time, time]``.
    y, groups : optional
        Passed to ``cv.split``.
    forward : bool, default False
        Also require every training row to be decided strictly before its fold's
        first test time (walk-forward: the model never trains on the future). Purged
        k-fold trains on later rows on purpose and needs ``False``.
    disjoint_tests : bool, default False
        Also require that no row is tested by two folds (out-of-sample predictions
        are then one per row).

    Returns
    -------
    CheckedFolds

    Raises
    ------
    FoldError
        No fold; positions that are not 1-D integers (or a boolean mask of ``len(X)``)
        inside ``0..len(X)-1``; repeated positions; an empty train or test side; a row
        on both sides; a training label window ``[time, label_end]`` that meets a test
        window (a shared timestamp, or an outcome overlapping the test period); with
        ``forward``, a training row at or after the first test time; with
        ``disjoint_tests``, a row tested twice. The message names the fold, the rows
        and the fix.
    InvalidParameterError
        ``cv`` is an integer, or no ``times`` can be found.
    MissingColumnError, LengthMismatchError, IndexAlignmentError, TimeTypeError,
    TimeColumnError, LabelWindowError
        From the time inputs (see :mod:`tr_core.validation`).

    Notes
    -----
    Two closed windows meet iff each starts no later than the other ends. With the
    test rows sorted by start and the running maximum of their ends, a training row
    ``i`` meets a test row iff, among the test rows starting at or before ``end_i``,
    the latest end is ``>= time_i`` — one binary search per training row, so a fold
    costs ``O(n log n)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from tr_core.splits import WalkForward, checked_folds
    >>> frame = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=6, freq="D")})
    >>> folds = checked_folds(WalkForward(2, times="t"), frame, forward=True)
    >>> [(tr.tolist(), te.tolist()) for tr, te in folds]
    [([0, 1], [2, 3]), ([0, 1, 2, 3], [4, 5])]
    """
    if isinstance(cv, int | np.integer) and not isinstance(cv, bool):
        raise InvalidParameterError(
            f"`cv`={cv!r}: an integer means an unpurged k-fold over rows, which mixes past "
            "and future events; pass a time splitter, e.g. "
            f"tr_core.splits.PurgedKFold({cv}, times=..., label_ends=...)."
        )
    if times is None:
        times = getattr(cv, "times", None)
    if label_ends is None:
        label_ends = getattr(cv, "label_ends", None)
    if times is None:
        raise InvalidParameterError(
            f"no decision times to check the folds of {cv!r} against; pass `times` (a column "
            "name of X or aligned datetimes) — without them a splitter that trains on the "
            "future or splits a timestamp cannot be detected."
        )
    timeline = resolve_timeline(X, times, label_ends)
    index = (
        X.index if isinstance(X, pd.Series | pd.DataFrame) else pd.RangeIndex(len(timeline.time))
    )
    if not hasattr(cv, "split"):
        raw = cv
    elif y is None and groups is None:
        raw = cv.split(X)  # a hand-written splitter may accept X alone
    else:
        raw = cv.split(X, y, groups)
    folds = tuple(
        _check_fold(k, fold, timeline, index, forward) for k, fold in enumerate(_iterate(raw))
    )
    if not folds:
        raise FoldError(f"{cv!r} yielded no fold; check its number of splits and the data.")
    if disjoint_tests:
        _check_disjoint_tests(folds, index)
    return CheckedFolds(
        folds=folds,
        times=timeline.time.view("datetime64[ns]"),
        label_ends=timeline.end.view("datetime64[ns]"),
        index=index,
        forward=forward or _all_forward(folds, timeline),
    )


def _all_forward(folds: tuple[Fold, ...], tl: Timeline) -> bool:
    """Whether every fold's training rows are decided before its first test time."""
    return all(tl.time[train].max() < tl.time[test].min() for train, test in folds)


def _iterate(raw: Any) -> Iterable[Any]:
    try:
        out: Iterable[Any] = iter(raw)
        return out
    except TypeError as exc:
        raise InvalidParameterError(
            f"`cv` must be a splitter with split(X) or an iterable of (train, test) folds, "
            f"got {type(raw).__name__}."
        ) from exc


def _check_fold(k: int, fold: Any, tl: Timeline, index: pd.Index, forward: bool) -> Fold:
    try:
        train_raw, test_raw = fold
    except (TypeError, ValueError) as exc:
        raise FoldError(
            f"fold {k} is not a (train, test) pair; a splitter yields two position arrays."
        ) from exc
    train = _positions(train_raw, k, "train", tl.n_rows)
    test = _positions(test_raw, k, "test", tl.n_rows)
    both = np.intersect1d(train, test, assume_unique=True)
    if both.size:
        raise FoldError(
            f"fold {k} puts {describe_rows(list(index[both]))} in both train and test: the "
            "model would be scored on rows it trained on. Use a time splitter such as "
            "tr_core.splits.WalkForward or PurgedKFold."
        )
    if forward:
        first_test = tl.time[test].min()
        late = train[tl.time[train] >= first_test]
        if late.size:
            raise FoldError(
                f"fold {k}: training {describe_rows(list(index[late]))} are decided at or after "
                f"the first test time {pd.Timestamp(int(first_test))}: the model would learn "
                "from the future (or from rows sharing the test's timestamp). Walk-forward "
                "trains on the past only; use tr_core.splits.WalkForward, which sorts by time."
            )
    meets = _meeting(train, test, tl)
    if meets.size:
        ends = not np.array_equal(tl.end, tl.time)
        what = "label windows [time, label_end]" if ends else "decision times"
        raise FoldError(
            f"fold {k}: {meets.size} training rows have {what} meeting the fold's test rows "
            f"(e.g. {describe_rows(list(index[meets]))}): "
            "the test score would be computed on information the model trained on. Split "
            "with a splitter that purges (tr_core.splits.WalkForward or PurgedKFold with "
            "times=... and label_ends=...), not a shuffled or unpurged one."
        )
    return train, test


def _positions(raw: Any, k: int, which: str, n_rows: int) -> Positions:
    arr = np.asarray(raw)
    if arr.dtype == np.bool_ and arr.shape == (n_rows,):
        return np.flatnonzero(arr).astype(np.intp)
    if arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
        raise FoldError(
            f"fold {k}: the {which} rows must be a 1-D array of integer positions (or a "
            f"boolean mask of {n_rows} rows), got dtype {arr.dtype} with shape {arr.shape}."
        )
    if arr.size == 0:
        raise FoldError(
            f"fold {k} has no {which} rows; use fewer splits, a smaller gap or embargo."
        )
    out = np.sort(arr.astype(np.intp))
    outside = out[(out < 0) | (out >= n_rows)]
    if outside.size:
        raise FoldError(
            f"fold {k}: {which} positions {outside[:5].tolist()} are outside 0..{n_rows - 1}; "
            "the splitter must yield positions into the X it was given."
        )
    repeated = out[1:][out[1:] == out[:-1]]
    if repeated.size:
        raise FoldError(
            f"fold {k}: {which} positions {np.unique(repeated)[:5].tolist()} appear more than "
            "once; a row is used once per side of a fold."
        )
    return out


def _meeting(train: Positions, test: Positions, tl: Timeline) -> Positions:
    """Training positions whose window ``[time, end]`` meets some test window."""
    order = np.argsort(tl.time[test], kind="stable")
    test_start = tl.time[test][order]
    latest_end = np.maximum.accumulate(tl.end[test][order])
    before = np.searchsorted(test_start, tl.end[train], side="right")
    meets = before > 0
    meets[meets] = latest_end[before[meets] - 1] >= tl.time[train][meets]
    return train[meets]


def _check_disjoint_tests(folds: tuple[Fold, ...], index: pd.Index) -> None:
    seen = np.zeros(len(index), dtype=bool)
    for k, (_, test) in enumerate(folds):
        again = test[seen[test]]
        if again.size:
            raise FoldError(
                f"fold {k} tests {describe_rows(list(index[again]))} that an earlier fold "
                "already tested; out-of-sample predictions need each row tested once "
                "(walk-forward test blocks must not overlap)."
            )
        seen[test] = True
