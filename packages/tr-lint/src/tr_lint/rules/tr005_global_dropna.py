"""TR005: a global ``dropna()`` before feature groups are trained separately.

Bad::

    data = df.dropna()
    for group, cols in FEATURE_GROUPS.items():
        models[group] = XGBRegressor().fit(data[cols], data["label"])

Good::

    for group, cols in FEATURE_GROUPS.items():
        rows = df[cols + ["label"]].dropna()
        models[group] = XGBRegressor().fit(rows[cols], rows["label"])

or ``tr_core.complete_rows_by_group(df, FEATURE_GROUPS, always=["label"])``.

Why it costs money: ``dropna()`` over every feature keeps only the rows on which *all*
groups are present. One sparse group (fundamentals reported late, a short-history
alternative data set) throws away the rows every other group could have learned from,
and what is left is not a random sample: young firms, small caps and the early years go
first. Each group's model is trained on less data, on a biased slice of the market, and
its backtest covers a universe the strategy will not trade.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from tr_lint.context import ModuleContext, argument, keyword, method, receiver
from tr_lint.rule import Rule

# A subset name that means every feature (``features``, ``ALL_FEATURES``, ``df.columns``),
# not one group of them (``feature_groups[g]``).
_ALL_FEATURES = re.compile(r"^(?!.*group).*feat|^columns$", re.I)


# ``model.fit(X, y)``, and the native boosting APIs: ``xgb.train(params, DMatrix(X))``.
_TRAINING = frozenset({"fit", "train"})


def _names(node: ast.AST) -> set[str]:
    return {inner.id for inner in ast.walk(node) if isinstance(inner, ast.Name)}


def _loop_names(loop: ast.For | ast.AsyncFor) -> set[str]:
    """The names that change with each pass of ``loop``: its targets and what the body
    assigns from them (``cols = groups[name]``)."""
    found = _names(loop.target)
    assignments = [
        node for stmt in loop.body for node in ast.walk(stmt) if isinstance(node, ast.Assign)
    ]
    grew = True
    while grew:
        grew = False
        for node in assignments:
            targets = {n for t in node.targets for n in _names(t)}
            if _names(node.value) & found and not targets <= found:
                found |= targets
                grew = True
    return found


def _frame(node: ast.Subscript) -> str | None:
    """The frame a subscript selects from: ``df`` in ``df[cols]`` and ``df.loc[:, cols]``."""
    value = node.value
    if isinstance(value, ast.Attribute) and value.attr in {"loc", "iloc"}:
        value = value.value
    return value.id if isinstance(value, ast.Name) else None


class GlobalDropna(Rule):
    code = "TR005"
    name = "global-dropna"
    summary = "global dropna before feature groups are trained separately"

    def check(self, module: ModuleContext) -> Iterator[tuple[ast.AST, str]]:
        for call in module.calls():
            frame = receiver(call)
            if method(call) != "dropna" or frame is None:
                continue
            if not self._is_global(module, call, frame):
                continue
            dropped = self._dropped(module, call, frame)
            later = module.later_statements(module.statement(call))
            line = self._groups_trained(later, dropped)
            if line is None:
                continue
            shown = ast.unparse(call)
            yield (
                call,
                (
                    f"{shown if len(shown) <= 60 else 'dropna(...)'} drops every row with a "
                    f"NaN in any feature before feature groups are trained separately (line "
                    f"{line}), so each group loses the rows only other groups were missing; "
                    "drop per group inside the loop (df[cols + [label]].dropna()) or use "
                    "tr_core.complete_rows_by_group"
                ),
            )

    def _is_global(self, module: ModuleContext, call: ast.Call, frame: ast.expr) -> bool:
        """Whether the call drops rows over every feature, not within one group, not
        rows without a label, not columns and not only all-missing rows."""
        varying = self._varying(module, call)
        if isinstance(frame, ast.Subscript) and _names(frame.slice) & varying:
            return False
        axis, how = argument(call, 0, "axis"), keyword(call, "how")
        if isinstance(axis, ast.Constant) and axis.value in {1, "columns"}:
            return False
        if isinstance(how, ast.Constant) and how.value == "all":
            return False
        if keyword(call, "thresh") is not None:
            return False
        subset = keyword(call, "subset")
        if subset is None:
            return True
        words = [n.id for n in ast.walk(subset) if isinstance(n, ast.Name)] + [
            n.attr for n in ast.walk(subset) if isinstance(n, ast.Attribute)
        ]
        return any(_ALL_FEATURES.search(w) for w in words) and not _names(subset) & varying

    def _varying(self, module: ModuleContext, call: ast.Call) -> set[str]:
        """The names that change with each pass of the loops around ``call``."""
        return {
            name
            for ancestor in module.ancestors(call)
            if isinstance(ancestor, ast.For | ast.AsyncFor)
            for name in _loop_names(ancestor)
        }

    def _dropped(self, module: ModuleContext, call: ast.Call, frame: ast.expr) -> set[str]:
        """The names that hold the dropped frame: the assignment's, or the frame's own
        with ``inplace=True``."""
        inplace = keyword(call, "inplace")
        if isinstance(inplace, ast.Constant) and inplace.value is True:
            return {frame.id} if isinstance(frame, ast.Name) else set()
        return set(module.assigned_names(call) or ())

    def _groups_trained(self, later: list[ast.stmt], dropped: set[str]) -> int | None:
        """The line where ``dropped`` is trained on by feature group: a loop that trains
        (``fit``, ``xgb.train``) on a column list that changes with each pass, or two
        fits on different columns."""
        if not dropped:
            return None
        for stmt in later:
            for loop in ast.walk(stmt):
                if isinstance(loop, ast.For | ast.AsyncFor) and self._fits_per_pass(loop, dropped):
                    return loop.lineno
        selections: dict[str, str] = {}
        fitted: set[str] = set()
        for stmt in later:
            for node in ast.walk(stmt):
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Subscript)
                    and _frame(node.value) in dropped
                ):
                    key = ast.unparse(node.value.slice)
                    selections.update((n, key) for t in node.targets for n in _names(t))
                if method(node) == "fit" and isinstance(node, ast.Call):
                    data = argument(node, 0, "X")
                    if isinstance(data, ast.Subscript) and _frame(data) in dropped:
                        fitted.add(ast.unparse(data.slice))
                    elif isinstance(data, ast.Name) and data.id in selections:
                        fitted.add(selections[data.id])
                    if len(fitted) >= 2:
                        return node.lineno
        return None

    def _fits_per_pass(self, loop: ast.For | ast.AsyncFor, dropped: set[str]) -> bool:
        body = [node for stmt in loop.body for node in ast.walk(stmt)]
        if not any(method(node) in _TRAINING for node in body):
            return False
        varying = _loop_names(loop)
        return any(
            isinstance(node, ast.Subscript)
            and _frame(node) in dropped
            and _names(node.slice) & varying
            for node in body
        )
