"""TR001: a constant fill of missing feature values.

``fillna(0)`` says "missing" and "zero" are the same number. For a feature they are not:
a missing insider-ownership change is not "no change", and the model learns the fill
value as if it were data (on the insider strategy it cost a third of the top-bucket
return). Keep NaN — XGBoost routes it at each split — or fill per group, with a flag.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from tr_lint.context import ModuleContext, argument, keyword, method, number, receiver
from tr_lint.rule import Rule


class ConstantFill(Rule):
    code = "TR001"
    name = "constant-fill"
    summary = "constant fill of missing feature values"

    def check(self, module: ModuleContext) -> Iterator[tuple[ast.AST, str]]:
        for call in module.calls():
            found = self._constant(module, call)
            if found is None or module.in_label_assignment(call):
                continue
            yield (
                call,
                (
                    f"{found} fills missing values with a constant the model reads as data; keep "
                    "NaN (XGBoost handles it) or fill per group with a missing-flag column"
                ),
            )

    def _constant(self, module: ModuleContext, call: ast.Call) -> str | None:
        name = method(call)
        if name == "fillna" and receiver(call) is not None:
            value = argument(call, 0, "value")
            if value is None or keyword(call, "method") is not None:
                return None
            if number(value) is not None:
                return f"fillna({ast.unparse(value)})"
            if isinstance(value, ast.Dict) and any(number(v) is not None for v in value.values):
                return "fillna({column: constant})"
            return None
        if name == "replace" and receiver(call) is not None:
            old, new = argument(call, 0, "to_replace"), argument(call, 1, "value")
            if (
                old is not None
                and new is not None
                and module.is_nan(old)
                and number(new) is not None
            ):
                return f"replace({ast.unparse(old)}, {ast.unparse(new)})"
            return None
        if module.callee(call) in {"numpy.nan_to_num", "nan_to_num"} or (
            name == "nan_to_num" and receiver(call) is not None
        ):
            return "nan_to_num(...)"
        return None
