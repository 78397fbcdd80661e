"""TR007: a whole-sample statistic used as a feature.

Bad::

    df["z_mom"] = (df["mom"] - df["mom"].mean()) / df["mom"].std()
    df["mom_pct"] = df["mom"].rank(pct=True)
    df["pe"] = df.groupby("ticker")["pe"].bfill()
    df["trend"] = df["close"].rolling(21, center=True).mean()

Good::

    df["z_mom"] = (df["mom"] - df["mom"].rolling(252).mean()) / df["mom"].rolling(252).std()
    df["z_mom"] = df.groupby("date")["mom"].transform(lambda s: (s - s.mean()) / s.std())
    df["mom_pct"] = df.groupby("date")["mom"].rank(pct=True)
    df["pe"] = df.groupby("ticker")["pe"].ffill()
    df["trend"] = df["close"].rolling(21).mean()

The mean, spread, range or rank of a whole column is computed from every row, the rows
after ``t`` included; so are a backward fill and a centered window. Row ``t`` then carries
information from its future: the backtest knows where the series will go (a 2008 z-score
scaled by the 2020 volatility), and live, where the future is missing, the feature has a
different distribution than the one the model learned. Trailing windows and cross-sectional
statistics (per date, across tickers) only use what was known at ``t``. The same statistic
per ticker (``groupby("ticker")``) is still a whole-history one.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from tr_lint.context import (
    ModuleContext,
    along_columns,
    argument,
    call_text,
    keyword,
    method,
    receiver,
    string_keys,
)
from tr_lint.rule import Rule

_MOMENTS = frozenset({"mean", "std", "var", "median", "max", "min"})
_SCALERS = frozenset({"sub", "subtract", "div", "divide", "truediv"})
_TRAILING = frozenset({"rolling", "expanding", "ewm", "resample"})
_BACKFILLS = frozenset({"bfill", "backfill"})
# A grouping key that says "per period" (cross-sectional), not "per entity".
_TIME_KEY = re.compile(r"date|time|day|week|month|quarter|year|period", re.I)


def _truthy(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value)


def _group_key_is_entity(group: ast.Call) -> bool | None:
    """Whether a ``groupby`` key is an entity (``"ticker"``: a whole history per group),
    ``False`` for a period (``"date"``, ``pd.Grouper(freq="M")``: cross-sectional), and
    ``None`` when the linter cannot tell (a variable, ``level=0``)."""
    key = argument(group, 0, "by") or keyword(group, "level")
    if key is None:
        return None
    strings: list[str] = []
    words: list[str] = []
    for node in ast.walk(key):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.append(node.value)
        elif isinstance(node, ast.Attribute):
            words.append(node.attr)
        elif isinstance(node, ast.keyword) and node.arg == "freq":
            return False
    if any(_TIME_KEY.search(word) for word in strings + words):
        return False
    return True if strings else None


def _time_column(node: ast.expr | None) -> bool:
    """Whether a moment's receiver is a time column (``day`` in ``day - day.min()``):
    the time elapsed since the first date leaks nothing."""
    if isinstance(node, ast.Subscript):
        return any(_TIME_KEY.search(key) for key in string_keys(node.slice))
    if isinstance(node, ast.Attribute):
        return bool(_TIME_KEY.search(node.attr))
    return isinstance(node, ast.Name) and bool(_TIME_KEY.search(node.id))


class WholeSampleStatistic(Rule):
    code = "TR007"
    name = "whole-sample-statistic"
    summary = "whole-sample statistic, backward fill or centered window as a feature"

    def check(self, module: ModuleContext) -> Iterator[tuple[ast.AST, str]]:
        scaled: dict[ast.expr, list[ast.Call]] = {}
        for node in module.nodes:
            if not isinstance(node, ast.expr):
                continue
            moments = self._whole_moments(module, node)
            if moments and self._is_feature(module, node):
                scaled[node] = moments
        # ``(x - x.mean()) / x.std()`` is one finding at the outermost operation, naming
        # every moment its inner operations used.
        outermost: dict[ast.expr, list[ast.Call]] = {}
        for node, moments in scaled.items():
            top = node
            for ancestor in module.ancestors(node):
                if ancestor in scaled:
                    top = ancestor
            outermost.setdefault(top, []).extend(moments)
        for node, moments in outermost.items():
            moments.sort(key=lambda m: (m.lineno, m.col_offset))
            named = "/".join(dict.fromkeys(call_text(m) for m in moments))
            yield (
                node,
                (
                    f"{named} over the whole column scales each row with statistics of "
                    "later rows; use trailing moments (.rolling(n) / .expanding()) or a "
                    "cross-sectional groupby(date) transform"
                ),
            )
        for call in module.calls():
            found = self._other(module, call)
            if found is not None and not module.in_label_assignment(call):
                yield call, found

    def _is_feature(self, module: ModuleContext, node: ast.expr) -> bool:
        names = module.assigned_names(node)
        return bool(names) and not module.in_label_assignment(node)

    def _whole_moments(self, module: ModuleContext, node: ast.expr) -> list[ast.Call]:
        """The whole-sample moments ``node`` centres or scales its own values with:
        ``x.mean()`` and ``x.std()`` in ``(x - x.mean()) / x.std()``, ``x.max()`` in
        ``x.div(x.max())``."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub | ast.Div):
            left, right = node.left, node.right
        elif (
            isinstance(node, ast.Call)
            and method(node) in _SCALERS
            and (base := receiver(node)) is not None
            and (other := argument(node, 0, "other")) is not None
        ):
            left, right = base, other
        else:
            return []
        if self._moment(left):
            # A ratio of statistics (a Sharpe ratio, a range) is not a scaled feature.
            return []
        moments = list(self._moments(right))
        if not moments:
            return []
        seen = {ast.dump(part) for part in self._data(left)}
        return [
            moment
            for moment in moments
            if ast.dump(receiver(moment) or moment) in seen
            and not _time_column(receiver(moment))
            and self._whole(module, moment)
        ]

    def _data(self, node: ast.AST) -> Iterator[ast.AST]:
        """The sub-expressions of ``node`` outside its moment calls: what it centres
        (``x`` in ``x - x.mean()``; not ``train`` in ``test - train.mean()``)."""
        yield node
        if not (isinstance(node, ast.expr) and self._moment(node)):
            for child in ast.iter_child_nodes(node):
                yield from self._data(child)

    def _moment(self, node: ast.expr) -> bool:
        return (
            isinstance(node, ast.Call)
            and method(node) in _MOMENTS
            and receiver(node) is not None
            and not along_columns(node)
        )

    def _moments(self, node: ast.expr) -> list[ast.Call]:
        """The moment calls of an arithmetic expression (``x.std() + 1e-9``,
        ``x.max() - x.min()``)."""
        if isinstance(node, ast.Call):
            return [node] if self._moment(node) else []
        if isinstance(node, ast.BinOp):
            return self._moments(node.left) + self._moments(node.right)
        if isinstance(node, ast.UnaryOp):
            return self._moments(node.operand)
        return []

    def _other(self, module: ModuleContext, call: ast.Call) -> str | None:
        """The message for a whole-column rank, a backward fill or a centered window."""
        name = method(call)
        if receiver(call) is None or along_columns(call):
            return None
        if name == "rank" and _truthy(keyword(call, "pct")):
            if not self._is_feature(module, call) or not self._whole(module, call):
                return None
            return (
                f"{call_text(call)} over the whole column ranks each row against later "
                "rows; rank cross-sectionally (groupby(date).rank) or in a rolling window"
            )
        fill = keyword(call, "method")
        if name in _BACKFILLS or (isinstance(fill, ast.Constant) and fill.value in _BACKFILLS):
            if self._cross_sectional(module, call):
                return None
            return (
                f"{call_text(call)} fills each gap with a later value the row could not "
                "have known; forward-fill (ffill, per ticker) or keep NaN"
            )
        if name == "rolling" and _truthy(keyword(call, "center")):
            return (
                f"{call_text(call)} centres the window on each row, so it averages later "
                "rows; use a trailing window (drop center=True)"
            )
        return None

    def _whole(self, module: ModuleContext, call: ast.Call) -> bool:
        """Whether ``call`` runs over a whole column or a whole per-entity history, not
        over a trailing window or one period's cross-section."""
        return self._scope(module, receiver(call), frozenset()) is True

    def _cross_sectional(self, module: ModuleContext, call: ast.Call) -> bool:
        return self._scope(module, receiver(call), frozenset()) is None

    def _scope(
        self, module: ModuleContext, node: ast.AST | None, seen: frozenset[ast.AST]
    ) -> bool | None:
        """Walk a receiver chain: ``True`` when it reaches its data without a trailing
        window or period grouping (whole sample) or through an entity grouping, ``False``
        for a trailing window, ``None`` for a period grouping or a grouping the linter
        cannot read."""
        while node is not None:
            if isinstance(node, ast.Call):
                name = method(node)
                if name in _TRAILING:
                    return False
                if name == "groupby":
                    entity = _group_key_is_entity(node)
                    return True if entity else None
                node = receiver(node)
            elif isinstance(node, ast.Subscript | ast.Attribute):
                node = node.value
            elif isinstance(node, ast.Name):
                return self._parameter_scope(module, node, seen)
            else:
                return True
        return True

    def _parameter_scope(
        self, module: ModuleContext, name: ast.Name, seen: frozenset[ast.AST]
    ) -> bool | None:
        """The scope of a function parameter: that of the frame the function is applied
        to (``lambda s: ...`` in ``df.groupby("date")["x"].transform(...)``, a ``def``
        passed to ``.apply``); a plain name is the whole sample."""
        for ancestor in module.ancestors(name):
            if not isinstance(ancestor, ast.Lambda | ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            arguments = ancestor.args
            parameters = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
            if name.id not in {p.arg for p in parameters}:
                continue
            if ancestor in seen:
                return True
            if isinstance(ancestor, ast.Lambda):
                holder = module.parent(ancestor)
                if isinstance(holder, ast.keyword):
                    holder = module.parent(holder)
                if not isinstance(holder, ast.Call):
                    return None
                return self._scope(module, receiver(holder), seen | {ancestor})
            for use in module.calls():
                passed = use.args + [kw.value for kw in use.keywords]
                if any(isinstance(a, ast.Name) and a.id == ancestor.name for a in passed):
                    return self._scope(module, receiver(use), seen | {ancestor})
            return True
        return True
