"""A parsed module and the questions every rule asks of it.

Names are resolved through the module's imports (``np.nan_to_num`` is
``numpy.nan_to_num`` after ``import numpy as np``), the parent of every node is known
(a rule walks up from a call to the assignment it feeds), and the names an expression is
assigned to are read the ways research code assigns columns: ``df["x"] = ...``,
``df.loc[:, "x"] = ...``, ``x = ...``, ``df.assign(x=...)``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

# A name that says the value is a label, not a feature: looking ahead is what a label does.
# A horizon may follow the word directly (``fwd5``, ``target21``).
_LABEL = re.compile(r"(^|_|\b)(y|labels?|targets?|forward|fwd|future|outcomes?)($|_|\b|\d)", re.I)
# A name or string that says "a time column".
_TIME = re.compile(r"(date|time|timestamp|datetime|period|month|day)", re.I)


def is_label_name(name: str) -> bool:
    """Whether ``name`` says it holds a label or target (``fwd_ret_3m``, ``y_train``)."""
    return bool(_LABEL.search(name))


def number(node: ast.AST) -> float | None:
    """The value of a numeric literal (``0``, ``0.0``, ``-1``), else ``None``."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = number(node.operand)
        if inner is None:
            return None
        return -inner if isinstance(node.op, ast.USub) else inner
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument ``name`` of ``call``, if given."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    """An argument given by position or by keyword."""
    if len(call.args) > position and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    return keyword(call, name)


def method(call: ast.AST | None) -> str | None:
    """The method or function a call calls, by its last name (``fillna``, ``KFold``)."""
    if not isinstance(call, ast.Call):
        return None
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def receiver(call: ast.Call) -> ast.expr | None:
    """What a method is called on (``df["x"]`` in ``df["x"].fillna(0)``)."""
    return call.func.value if isinstance(call.func, ast.Attribute) else None


def call_text(call: ast.Call) -> str:
    """A method call as a message names it, without its receiver: ``shift(-5)``,
    ``rolling(20, center=True)``."""
    parts = [ast.unparse(a) for a in call.args] + [
        f"{kw.arg}={ast.unparse(kw.value)}" if kw.arg else f"**{ast.unparse(kw.value)}"
        for kw in call.keywords
    ]
    return f"{method(call)}({', '.join(parts)})"


def is_negative(periods: ast.expr) -> bool:
    """Whether a ``periods`` argument is negative: a negative literal, or a minus sign on
    a name or expression (``-horizon``) whose value the linter cannot see."""
    value = number(periods)
    if value is not None:
        return value < 0
    return isinstance(periods, ast.UnaryOp) and isinstance(periods.op, ast.USub)


def along_columns(call: ast.Call) -> bool:
    """Whether a call works across columns (``axis=1``), not along time."""
    axis = keyword(call, "axis")
    return axis is not None and (
        number(axis) == 1 or (isinstance(axis, ast.Constant) and axis.value == "columns")
    )


def string_keys(node: ast.AST) -> list[str]:
    """The string constants of a subscript key: ``"x"``, ``["a", "b"]``, ``(:, "x")``; an
    f-string gives its literal text with ``{}`` for each field (``f"fwd_ret_{h}d"`` ->
    ``fwd_ret_{}d``): a column name built in a loop still says what it holds."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(
                str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
        ]
    if isinstance(node, ast.List | ast.Tuple):
        return [key for element in node.elts for key in string_keys(element)]
    return []


def target_names(target: ast.AST) -> list[str]:
    """The names an assignment target gives: ``x``, ``df["x"]``, ``df.loc[:, "x"]``,
    ``self.x``, ``a, b``."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Attribute):
        return [target.attr]
    if isinstance(target, ast.Subscript):
        keys = string_keys(target.slice)
        if keys:
            return keys
        if isinstance(target.slice, ast.Name):
            return [target.slice.id]
        return target_names(target.value)
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in target_names(element)]
    if isinstance(target, ast.Starred):
        return target_names(target.value)
    return []


_TIME_ATTRIBUTES = frozenset(
    {"dt", "to_datetime", "DatetimeIndex", "Timestamp", "date_range", "TimeSeriesSplit"}
)


def _says_time(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        return len(text) < 40 and " " not in text and bool(_TIME.search(text))
    if isinstance(node, ast.keyword):
        return node.arg in {"parse_dates", "index_col"}
    if isinstance(node, ast.Attribute):
        return node.attr in _TIME_ATTRIBUTES
    return isinstance(node, ast.Name) and node.id in {"to_datetime", "TimeSeriesSplit"}


_TOKENS = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)


@dataclass
class ModuleContext:
    """One parsed source file (or the code cells of one notebook)."""

    tree: ast.Module
    source: str
    path: str = "<string>"
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict, repr=False)
    imports: dict[str, str] = field(default_factory=dict, repr=False)
    # Every node, in ast.walk's order, and every call: walked once here, because the
    # rules ask for them again and again (walking is most of a lint's time).
    nodes: list[ast.AST] = field(default_factory=list, repr=False)
    all_calls: list[ast.Call] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # One breadth-first pass, in ast.walk's order, recording each node's parent on the
        # way. Operators and load/store contexts are shared singletons, not places in the
        # code: they are left out (and this pass is most of a lint's time).
        self.nodes = [self.tree]
        for node in self.nodes:
            for name in node._fields:
                value = getattr(node, name, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, ast.AST) and not isinstance(item, _TOKENS):
                            self.parents[item] = node
                            self.nodes.append(item)
                elif isinstance(value, ast.AST) and not isinstance(value, _TOKENS):
                    self.parents[value] = node
                    self.nodes.append(value)
            if isinstance(node, ast.Call):
                self.all_calls.append(node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.imports[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    @classmethod
    def parse(cls, source: str, path: str = "<string>") -> ModuleContext:
        return cls(ast.parse(source, filename=path), source, path)

    # ---------------------------------------------------------------- names

    def qualified(self, node: ast.AST) -> str | None:
        """The dotted name of a name or attribute chain, through the imports:
        ``np.nan_to_num`` -> ``numpy.nan_to_num``; ``df.close`` -> ``df.close``."""
        if isinstance(node, ast.Name):
            return self.imports.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualified(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def callee(self, call: ast.AST) -> str | None:
        """The dotted name of what ``call`` calls (``sklearn.model_selection.KFold``)."""
        return self.qualified(call.func) if isinstance(call, ast.Call) else None

    def calls(self) -> Iterator[ast.Call]:
        """Every call of the module (walked once, when the module was read)."""
        yield from self.all_calls

    # ---------------------------------------------------------------- structure

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def statement(self, node: ast.AST) -> ast.stmt:
        """The statement that holds ``node``."""
        if isinstance(node, ast.stmt):
            return node
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, ast.stmt):
                return ancestor
        raise ValueError("node outside any statement")

    def later_statements(self, stmt: ast.stmt) -> list[ast.stmt]:
        """The statements after ``stmt`` in its block and, outwards, in the blocks
        that hold it (what runs after it, read top to bottom)."""
        after: list[ast.stmt] = []
        current: ast.AST = stmt
        while True:
            parent = self.parents.get(current)
            if parent is None:
                break
            for name in ("body", "orelse", "finalbody", "handlers"):
                block = getattr(parent, name, None)
                if isinstance(block, list) and current in block:
                    after += [
                        s for s in block[block.index(current) + 1 :] if isinstance(s, ast.stmt)
                    ]
            if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                break
            current = parent
        return after

    def assigned_names(self, node: ast.AST) -> list[str] | None:
        """The names the value holding ``node`` is assigned to, or ``None`` when it is
        not assigned (an argument, a bare expression, a return, ...).

        Walks up through calls, operators, lambdas and subscripts to the nearest
        assignment, ``.assign(name=...)`` keyword or ``{"name": ...}`` of an
        ``assign(**{...})``/``DataFrame({...})``.
        """
        child: ast.AST = node
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, ast.Assign) and child is ancestor.value:
                return [n for t in ancestor.targets for n in target_names(t)]
            if isinstance(ancestor, ast.AnnAssign | ast.AugAssign) and child is ancestor.value:
                return target_names(ancestor.target)
            if isinstance(ancestor, ast.NamedExpr) and child is ancestor.value:
                return target_names(ancestor.target)
            if isinstance(ancestor, ast.keyword) and ancestor.arg is not None:
                call = self.parents.get(ancestor)
                if method(call) == "assign":
                    return [ancestor.arg]
            if isinstance(ancestor, ast.Dict) and child in ancestor.values:
                key = ancestor.keys[ancestor.values.index(child)]
                if key is not None and string_keys(key):
                    return string_keys(key)
            if isinstance(ancestor, ast.stmt):
                return None
            child = ancestor
        return None

    def in_label_assignment(self, node: ast.AST) -> bool:
        """Whether ``node`` feeds an assignment to a label-like name, or sits in a
        function whose name says it makes labels (``def forward_returns(...)``)."""
        names = self.assigned_names(node)
        if names and all(is_label_name(n) for n in names):
            return True
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef):
                return is_label_name(ancestor.name)
        return False

    # ---------------------------------------------------------------- data

    def is_nan(self, node: ast.AST) -> bool:
        """``np.nan``, ``numpy.NaN``, ``math.nan``, ``float("nan")``, ``pd.NA``, ``None``."""
        if isinstance(node, ast.Constant) and node.value is None:
            return True
        name = self.qualified(node)
        if name in {"numpy.nan", "numpy.NaN", "numpy.NAN", "math.nan", "pandas.NA", "pandas.NaT"}:
            return True
        return (
            isinstance(node, ast.Call)
            and self.callee(node) == "float"
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).lower() == "nan"
        )

    @cached_property
    def works_with_time(self) -> bool:
        """Whether the module handles time-ordered data: a time-like column name
        (``"date"``, ``"filing_time"``), ``pd.to_datetime``, ``parse_dates=``,
        ``.dt.`` accessors, ``DatetimeIndex``/``Timestamp``, or a time-series splitter."""
        return any(_says_time(node) for node in self.nodes)

    def library_name(self, node: ast.AST, package: str) -> str | None:
        """The last name of what ``node`` calls or names when it comes from ``package``
        through the imports, or is a bare name no import explains (a star import, a
        snippet): ``KFold`` for ``ms.KFold(...)`` after
        ``from sklearn import model_selection as ms`` and for a bare ``KFold(...)``;
        ``None`` for ``mylib.KFold(...)``."""
        name = self.callee(node) if isinstance(node, ast.Call) else self.qualified(node)
        if name is None:
            return None
        if "." not in name or name.startswith(f"{package}."):
            return name.rsplit(".", 1)[-1]
        return None
