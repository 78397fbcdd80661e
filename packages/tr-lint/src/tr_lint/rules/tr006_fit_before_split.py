"""TR006: a scaler, normalizer or imputer fitted on the full frame before a time split.

Bad::

    X = StandardScaler().fit_transform(df[features])
    X_train, X_test = X[:n_train], X[n_train:]

Good::

    X_train, X_test = df[features][:n_train], df[features][n_train:]
    scaler = StandardScaler().fit(X_train)
    X_test = scaler.transform(X_test)

or a scikit-learn ``Pipeline`` (scaler and model together) fitted per fold of tr_core's
``WalkForward`` / ``PurgedKFold`` or ``TimeSeriesSplit``.

Why it costs money: the scaler's mean and spread (an imputer's fill values, a quantile
map) are computed over every row, the test period's included. Each training row is then
expressed in units of the future — a regime shift, a volatility spike, a level the
training period never saw — and the backtest is scored with information no live model
has when it trades.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from itertools import takewhile

from tr_lint.context import ModuleContext, argument, method, number, receiver
from tr_lint.rule import Rule

_FITTED = frozenset(
    {
        "StandardScaler",
        "MinMaxScaler",
        "RobustScaler",
        "MaxAbsScaler",
        "Normalizer",
        "QuantileTransformer",
        "PowerTransformer",
        "SimpleImputer",
        "KNNImputer",
        "IterativeImputer",
    }
)
# Whatever library they come from, these names split by time.
_TIME_SPLITTERS = frozenset(
    {"TimeSeriesSplit", "WalkForward", "PurgedKFold", "CombinatorialPurgedKFold", "CPCV"}
)
# Calls that split the rows they are given (the cross-validation ones split internally).
_SPLITTING_CALLS = frozenset(
    {
        "train_test_split",
        "time_train_test_split",
        "cross_val_score",
        "cross_validate",
        "cross_val_predict",
        "GridSearchCV",
        "RandomizedSearchCV",
        "HalvingGridSearchCV",
        "HalvingRandomSearchCV",
    }
)
# Data a fit may see: the training rows of a split already made.
_TRAINING = re.compile(r"train|(?:^|[^a-z0-9])tr(?:[^a-z0-9]|$)")
# Words of a time cut: a date column, a cutoff, a split point, a date literal.
_CUT_WORDS = re.compile(r"date|time|day|month|year|period|cutoff|split|train|test|\d{4}-\d\d", re.I)
_ORDER = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _words(node: ast.AST) -> Iterator[str]:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            yield inner.id
        elif isinstance(inner, ast.Attribute):
            yield inner.attr
        elif isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            yield inner.value


def _says_cut(node: ast.AST) -> bool:
    return any(_CUT_WORDS.search(word) for word in _words(node))


def _is_time_mask(node: ast.AST) -> bool:
    """An ordering comparison on time inside ``node``: ``df["date"] < cutoff``."""
    return any(
        isinstance(inner, ast.Compare)
        and any(isinstance(op, _ORDER) for op in inner.ops)
        and _says_cut(inner)
        for inner in ast.walk(node)
    )


def _is_date_cut(node: ast.AST) -> bool:
    """``df[df["date"] < cutoff]``, ``df.loc[:split_date]``, ``X.iloc[:n_train]``,
    ``X[n_train:]``, ``mask = (df["date"] < cutoff).to_numpy()`` or
    ``df.query("date < @cutoff")``."""
    if isinstance(node, ast.Subscript):
        rows = node.slice
        # ``.loc[rows, columns]``: the rows decide whether it is a cut.
        if isinstance(rows, ast.Tuple) and rows.elts:
            rows = rows.elts[0]
        if isinstance(rows, ast.Slice):
            indexer = isinstance(node.value, ast.Attribute) and node.value.attr in {"loc", "iloc"}
            return any(
                bound is not None and number(bound) is None and (indexer or _says_cut(bound))
                for bound in (rows.lower, rows.upper)
            )
        return _is_time_mask(rows)
    if isinstance(node, ast.Assign):
        return _is_time_mask(node.value)
    if method(node) == "query" and isinstance(node, ast.Call) and node.args:
        text = node.args[0]
        return (
            isinstance(text, ast.Constant)
            and isinstance(text.value, str)
            and bool(re.search(r"[<>]", text.value))
            and _says_cut(text)
        )
    return False


class FitBeforeSplit(Rule):
    code = "TR006"
    name = "fit-before-split"
    summary = "scaler or imputer fitted on the full sample before a time split"

    def check(self, module: ModuleContext) -> Iterator[tuple[ast.AST, str]]:
        instances = self._instances(module)
        for call in module.calls():
            if method(call) not in {"fit", "fit_transform"}:
                continue
            made = receiver(call)
            if made is None:
                continue
            if isinstance(made, ast.Call):
                kind = module.library_name(made, "sklearn")
                shown = f"{kind}()"
            else:
                kind = instances.get(ast.unparse(made))
                shown = ast.unparse(made)
            if kind not in _FITTED:
                continue
            data = argument(call, 0, "X")
            if data is not None and self._is_training(data):
                continue
            split = self._split_after(module, call)
            if split is None:
                continue
            fitted = f"{shown}.{method(call)}({ast.unparse(data) if data is not None else ''})"
            yield (
                call,
                (
                    f"{fitted} learns its statistics from every row before the split on line "
                    f"{split}, so the test period leaks into training; split first and fit the "
                    f"{kind} on the training rows only, or put it in a scikit-learn Pipeline "
                    "fitted per fold (tr_core's WalkForward / PurgedKFold, TimeSeriesSplit)"
                ),
            )

    def _is_training(self, data: ast.AST) -> bool:
        """Whether ``data`` names training rows (``X_train``, ``X.iloc[tr]``) or is a cut
        itself (``df[df["date"] < cutoff]``): the split has happened already."""
        return bool(_TRAINING.search(ast.unparse(data).lower())) or any(
            _is_date_cut(node) for node in ast.walk(data)
        )

    def _instances(self, module: ModuleContext) -> dict[str, str]:
        """Assignment target -> the class it holds: ``scaler`` -> ``StandardScaler``."""
        found: dict[str, str] = {}
        for node in module.nodes:
            if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call):
                kind = module.library_name(node.value, "sklearn")
                if kind in _FITTED:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    found.update((ast.unparse(t), kind) for t in targets)
        return found

    def _split_after(self, module: ModuleContext, call: ast.Call) -> int | None:
        """The line of the first split that runs after ``call`` in its scope: one that
        takes the fitted output as an argument, or one in a later statement."""
        inside = takewhile(lambda node: not isinstance(node, ast.stmt), module.ancestors(call))
        for ancestor in inside:
            if self._splits(module, ancestor):
                return getattr(ancestor, "lineno", call.lineno)
        for stmt in module.later_statements(module.statement(call)):
            for node in ast.walk(stmt):
                if self._splits(module, node):
                    return getattr(node, "lineno", stmt.lineno)
        return None

    def _splits(self, module: ModuleContext, node: ast.AST) -> bool:
        if isinstance(node, ast.Name) and node.id in _TIME_SPLITTERS:
            return True
        if isinstance(node, ast.Attribute) and node.attr in _TIME_SPLITTERS:
            return True
        if isinstance(node, ast.Call):
            name = method(node)
            if name in _SPLITTING_CALLS:
                return True
            if name == "split":
                return self._is_splitter_split(module, node)
        return _is_date_cut(node)

    def _is_splitter_split(self, module: ModuleContext, call: ast.Call) -> bool:
        """``splitter.split(X)``, not ``text.split(",")``, ``np.split(a, 3)`` or
        ``re.split(pattern, text)``."""
        root = receiver(call)
        while isinstance(root, ast.Attribute):
            root = root.value
        if root is None or isinstance(root, ast.Constant):
            return False
        if isinstance(root, ast.Name) and root.id in module.imports:
            return False
        first = argument(call, 0, "X")
        return first is not None and not isinstance(first, ast.Constant)
