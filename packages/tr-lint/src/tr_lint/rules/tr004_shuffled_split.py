"""TR004: shuffled splitting of time-ordered data.

Bad, in a module that works with a date column::

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    scores = cross_val_score(model, X, y, cv=5)
    search = GridSearchCV(model, grid, cv=KFold(5, shuffle=True))

Good::

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)
    scores = cross_val_score(model, X, y, cv=WalkForward(n_splits=5, times="date"))
    search = GridSearchCV(model, grid, cv=TimeSeriesSplit(5))

Why it costs money: a shuffled split (``train_test_split`` shuffles by default,
``KFold(shuffle=True)``, the ``ShuffleSplit`` family, stratified folds) and an integer
``cv=`` (an unshuffled ``KFold`` whose training folds lie on both sides of the test fold)
train the model on rows dated after the rows it is scored on. Returns are autocorrelated
and features overlap in time, so the model is scored on a past it has half seen: the
backtest looks better than anything it can earn live. Split by time — tr_core's
``WalkForward`` or ``PurgedKFold`` (purged and embargoed), or ``TimeSeriesSplit``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from tr_lint.context import ModuleContext, argument, keyword
from tr_lint.rule import Rule

_FIX = "split by time: tr_core's WalkForward / PurgedKFold, or TimeSeriesSplit"
# Splitters that shuffle whatever their arguments say.
_ALWAYS_SHUFFLED = frozenset(
    {
        "ShuffleSplit",
        "StratifiedShuffleSplit",
        "GroupShuffleSplit",
        "RepeatedKFold",
        "RepeatedStratifiedKFold",
    }
)
# Stratifying by class interleaves dates across folds, shuffled or not.
_STRATIFIED = frozenset({"StratifiedKFold", "StratifiedGroupKFold"})
# Functions and searches whose ``cv`` default (and integer ``cv``) is a plain k-fold; the
# value is the position ``cv`` can be passed at, for the functions that once took it there.
_CV_TAKERS: dict[str, int | None] = {
    "cross_val_score": 5,
    "cross_validate": 5,
    "cross_val_predict": 4,
    "learning_curve": None,
    "validation_curve": None,
    "permutation_test_score": None,
    "GridSearchCV": None,
    "RandomizedSearchCV": None,
    "HalvingGridSearchCV": None,
    "HalvingRandomSearchCV": None,
}


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _passes_kwargs(call: ast.Call) -> bool:
    """Whether ``**options`` may set any keyword we look for."""
    return any(kw.arg is None for kw in call.keywords)


class ShuffledSplit(Rule):
    code = "TR004"
    name = "shuffled-split"
    summary = "shuffled or k-fold splitting of time-ordered data"

    def check(self, module: ModuleContext) -> Iterator[tuple[ast.AST, str]]:
        if not module.works_with_time:
            return
        for call in module.calls():
            name = module.library_name(call, "sklearn")
            found = self._shuffled(call, name) if name else None
            if found is not None:
                yield call, found

    def _shuffled(self, call: ast.Call, name: str) -> str | None:
        if name == "train_test_split":
            shuffle = keyword(call, "shuffle")
            if (shuffle is None and not _passes_kwargs(call)) or _is_true(shuffle):
                return (
                    "train_test_split(...) shuffles rows by default, so the test rows are "
                    "dated inside the training period; pass shuffle=False on date-sorted "
                    "rows (or use tr_core.time_train_test_split), or " + _FIX
                )
            return None
        if name == "KFold" and _is_true(argument(call, 1, "shuffle")):
            return (
                "KFold(shuffle=True) mixes dates across folds, so every fold trains on rows "
                "after its test rows; " + _FIX
            )
        if name in _ALWAYS_SHUFFLED:
            return (
                f"{name}(...) always shuffles rows, so every split trains on rows after its "
                "test rows; " + _FIX
            )
        if name in _STRATIFIED:
            return (
                f"{name}(...) stratifies by class, which interleaves dates across folds, so "
                "every fold trains on rows after its test rows; " + _FIX
            )
        if name in _CV_TAKERS:
            return self._integer_cv(call, name, _CV_TAKERS[name])
        return None

    def _integer_cv(self, call: ast.Call, name: str, position: int | None) -> str | None:
        cv = keyword(call, "cv") if position is None else argument(call, position, "cv")
        if cv is None and _passes_kwargs(call):
            return None
        if cv is None or (isinstance(cv, ast.Constant) and cv.value is None):
            given = "without cv= (5-fold KFold by default)"
        elif isinstance(cv, ast.Constant) and type(cv.value) is int:
            given = f"with cv={cv.value} (a {cv.value}-fold KFold)"
        else:
            return None
        return (
            f"{name}(...) {given} trains each fold on rows dated after its test fold; pass "
            "cv=WalkForward(...) / PurgedKFold(...) from tr_core, or cv=TimeSeriesSplit(...)"
        )
