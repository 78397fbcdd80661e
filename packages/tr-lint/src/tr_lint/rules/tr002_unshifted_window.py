"""TR002: a rolling, ``pct_change`` or ``diff`` feature without a following shift.

Bad::

    df["ma_20"] = df.groupby("ticker")["close"].transform(lambda s: s.rolling(20).mean())
    df["ret_1d"] = df["close"].pct_change()

Good::

    df["ma_20"] = df.groupby("ticker")["close"].transform(
        lambda s: s.rolling(20).mean().shift(1)
    )
    df["ret_1d"] = df.groupby("ticker")["close"].pct_change().shift(1)

A window that ends at row ``t`` includes the close of row ``t``. When the model trades
on row ``t`` at that same close (or earlier), the feature has seen the price it is
supposed to predict from: the backtest fills at a price that was not known when the
signal was formed, and the edge disappears live. Shifting by one bar (per ticker)
makes the feature use only what was known before the decision. A shift before the
window (``s.shift(1).rolling(20).mean()``), ``closed="left"``, or a later shift of the
same name or column (``df["ma"] = ma.shift(1)``) count as the fix.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from itertools import takewhile

from tr_lint.context import (
    ModuleContext,
    along_columns,
    argument,
    call_text,
    is_negative,
    keyword,
    method,
    number,
    receiver,
)
from tr_lint.rule import Rule

_WINDOWS = frozenset({"rolling", "expanding", "ewm"})
_AGGREGATIONS = frozenset(
    {
        "mean",
        "std",
        "var",
        "sum",
        "min",
        "max",
        "median",
        "count",
        "skew",
        "kurt",
        "quantile",
        "sem",
        "rank",
        "corr",
        "cov",
        "apply",
        "agg",
        "aggregate",
    }
)
_CHANGES = frozenset({"pct_change", "diff"})


def is_lag(call: ast.Call) -> bool:
    """Whether ``call`` is a shift that moves data back by at least one row. A period the
    linter cannot read (``shift(lag)``) counts: a finding should be sure."""
    if method(call) != "shift":
        return False
    periods = argument(call, 0, "periods")
    if periods is None:
        return True
    value = number(periods)
    if value is not None:
        return value >= 1
    return not is_negative(periods)


def window_text(module: ModuleContext, call: ast.Call) -> str | None:
    """How ``call`` names an aggregation over the current bar (``rolling(20).mean()``,
    ``pct_change()``), or ``None`` when it is not one."""
    name = method(call)
    found = receiver(call)
    if found is None:
        return None
    if name in _CHANGES:
        if (isinstance(found, ast.Name) and found.id in module.imports) or along_columns(call):
            return None
        return call_text(call)
    if name not in _AGGREGATIONS:
        return None
    while isinstance(found, ast.Subscript):
        found = found.value
    if not isinstance(found, ast.Call) or method(found) not in _WINDOWS:
        return None
    closed = keyword(found, "closed")
    if isinstance(closed, ast.Constant) and closed.value in {"left", "neither"}:
        return None
    return f"{call_text(found)}.{call_text(call)}"


class UnshiftedWindow(Rule):
    code = "TR002"
    name = "unshifted-window"
    summary = "rolling/pct_change/diff feature without a following shift"

    def check(self, module: ModuleContext) -> Iterator[tuple[ast.AST, str]]:
        lagged = self._lagged_words(module)
        first: dict[tuple[ast.stmt, tuple[str, ...]], tuple[ast.Call, str]] = {}
        for call in module.calls():
            text = window_text(module, call)
            if text is None:
                continue
            names = module.assigned_names(call)
            if not names or module.in_label_assignment(call) or set(names) & lagged:
                continue
            if self._shifted(module, call):
                continue
            key = (module.statement(call), tuple(names))
            if key not in first or _position(call) < _position(first[key][0]):
                first[key] = (call, text)
        for call, text in first.values():
            yield (
                call,
                (
                    f"{text} is a feature that includes the current bar and is not shifted; "
                    "add .shift(1) after it (per ticker: inside the groupby transform) so "
                    "each row only uses data known before it"
                ),
            )

    def _shifted(self, module: ModuleContext, call: ast.Call) -> bool:
        """Whether a lag shift sits between ``call`` and its assignment, or before the
        window in its receiver chain (``s.shift(1).rolling(5).mean()``)."""
        before = receiver(call)
        if before is not None and any(
            isinstance(node, ast.Call) and is_lag(node) for node in ast.walk(before)
        ):
            return True
        child: ast.AST = call
        for ancestor in _within_statement(module, call):
            if isinstance(ancestor, ast.Call) and child is ancestor.func and is_lag(ancestor):
                return True
            child = ancestor
        return False

    def _lagged_words(self, module: ModuleContext) -> set[str]:
        """The names, attributes and column strings that some lag shift is applied to
        (``ma`` in ``ma.shift(1)``, ``"ma"`` in ``df["ma"].shift(1)``): a feature assigned
        to one of them is shifted later."""
        words: set[str] = set()
        for call in module.calls():
            before = receiver(call)
            if before is None or not is_lag(call):
                continue
            for node in ast.walk(before):
                if isinstance(node, ast.Name):
                    words.add(node.id)
                elif isinstance(node, ast.Attribute):
                    holder = module.parent(node)
                    # ``mean`` in ``s.rolling(5).mean().shift(1)`` is a method, not a column.
                    if not (isinstance(holder, ast.Call) and holder.func is node):
                        words.add(node.attr)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    words.add(node.value)
        return words


def _within_statement(module: ModuleContext, node: ast.AST) -> Iterator[ast.AST]:
    return takewhile(lambda a: not isinstance(a, ast.stmt), module.ancestors(node))


def _position(node: ast.expr) -> tuple[int, int, int, int]:
    """Source order, outermost first among nodes that start at the same place."""
    return (node.lineno, node.col_offset, -(node.end_lineno or 0), -(node.end_col_offset or 0))
