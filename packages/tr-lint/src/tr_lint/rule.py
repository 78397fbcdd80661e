"""What a rule is: a code, a one-line message, a docs page and a check over a module."""

from __future__ import annotations

import ast
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from tr_lint.context import ModuleContext

DOCS = "docs/tr-lint/rules"


class Rule(ABC):
    """One rule. Subclasses set ``code``, ``name`` and ``summary`` and yield
    ``(node, message)`` for each place the module breaks it."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]

    @property
    def docs(self) -> str:
        """The rule's page (the bad form, the good form, and why it costs money)."""
        return f"{DOCS}/{self.code}.md"

    @abstractmethod
    def check(self, module: ModuleContext) -> Iterator[tuple[ast.AST, str]]:
        """The places in ``module`` that break the rule, each with its message."""
