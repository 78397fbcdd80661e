"""TR005: (being written)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from tr_lint.context import ModuleContext
from tr_lint.rule import Rule


class GlobalDropna(Rule):
    code = "TR005"
    name = "todo"
    summary = "todo"

    def check(self, module: ModuleContext) -> Iterator[tuple[ast.AST, str]]:
        yield from ()
