"""TR003: a negative shift outside a label.

Bad::

    df["momentum"] = df.groupby("ticker")["close"].shift(-5) / df["close"] - 1
    model.fit(X, df["close"].pct_change(-1))

Good::

    df["momentum"] = df["close"] / df.groupby("ticker")["close"].shift(5) - 1
    df["fwd_ret_1d"] = df.groupby("ticker")["close"].shift(-1) / df["close"] - 1

``shift(-k)``, ``pct_change(-k)`` and ``diff(-k)`` pull row ``t + k`` into row ``t``. A
label does that on purpose (it is what the model predicts); a feature that does it knows
the future, backtests beautifully and loses money live, where that row does not exist yet.
Negative shifts are allowed in assignments to label-like names (``fwd_``, ``target``,
``label``, ``future``, ``y``), in ``y=``/``target=`` arguments, in a series renamed to such a
name (``.rename("fwd_5d")``), and in functions whose name says they make labels.
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
    is_label_name,
    is_negative,
    method,
    receiver,
    string_keys,
)
from tr_lint.rule import Rule

_SHIFTS = frozenset({"shift", "pct_change", "diff"})
# Methods that name a series by their first argument.
_NAMERS = frozenset({"rename", "to_frame", "alias"})


class NegativeShift(Rule):
    code = "TR003"
    name = "negative-shift"
    summary = "negative shift (future rows) outside a label"

    def check(self, module: ModuleContext) -> Iterator[tuple[ast.AST, str]]:
        for call in module.calls():
            if method(call) not in _SHIFTS or receiver(call) is None or along_columns(call):
                continue
            periods = argument(call, 0, "periods")
            if periods is None or not is_negative(periods):
                continue
            if module.in_label_assignment(call) or self._label_argument(module, call):
                continue
            yield (
                call,
                (
                    f"{call_text(call)} reads future rows into a feature; use a positive "
                    "period for features, or assign it to a label-named column "
                    "(fwd_*, target_*, label_*) if it is the target"
                ),
            )

    def _label_argument(self, module: ModuleContext, call: ast.Call) -> bool:
        """Whether ``call`` feeds a label keyword argument (``fit(X, y=...)``) or is
        renamed to a label (``.rename("fwd_5d")``, ``.to_frame("target")``)."""
        child: ast.AST = call
        within = takewhile(lambda a: not isinstance(a, ast.stmt), module.ancestors(call))
        for ancestor in within:
            if isinstance(ancestor, ast.keyword) and ancestor.arg is not None:
                return is_label_name(ancestor.arg)
            if (
                isinstance(ancestor, ast.Call)
                and child is ancestor.func
                and method(ancestor) in _NAMERS
                and any(is_label_name(key) for arg in ancestor.args for key in string_keys(arg))
            ):
                return True
            child = ancestor
        return False
