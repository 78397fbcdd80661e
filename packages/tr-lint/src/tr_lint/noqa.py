"""``# noqa`` suppressions: ``# noqa: TR001`` (one code), ``# noqa: TR001, TR004``, or a
bare ``# noqa`` (every code), on the line a finding is reported at. A reason may follow
the codes (``# noqa: TR001 zero means no trades here``)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
ALL = frozenset({"*"})

# A position in the source: (line, UTF-8 byte column), as the ast reports them.
Position = tuple[int, int]


def string_spans(nodes: Iterable[ast.AST]) -> list[tuple[Position, Position]]:
    """Where the module's string literals (f-strings included) start and end."""
    spans = []
    for node in nodes:
        if isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)
        ):
            end = (node.end_lineno or node.lineno, node.end_col_offset or 0)
            spans.append(((node.lineno, node.col_offset), end))
    return spans


def suppressions(source: str, nodes: Iterable[ast.AST]) -> dict[int, frozenset[str]]:
    """Line number -> the codes its ``# noqa`` comment suppresses (``{"*"}``: all).

    A ``# noqa`` inside a string literal of the module (``nodes``, its parsed nodes) is
    not a comment. Found by a text search of the few lines that mention noqa, not by
    tokenizing the file: tokenizing cost more than all the rules together.
    """
    found: dict[int, frozenset[str]] = {}
    if "noqa" not in source.lower():
        return found
    strings = string_spans(nodes)
    for number, line in enumerate(source.splitlines(), 1):
        if "noqa" not in line.lower():
            continue
        for match in _NOQA.finditer(line):
            at = (number, len(line[: match.start()].encode("utf-8")))
            if any(start <= at < end for start, end in strings):
                continue
            codes = match.group("codes")
            if codes is None:
                found[number] = ALL
            else:
                found[number] = frozenset(c.upper() for c in re.split(r"[\s,]+", codes) if c)
            break
    return found


def is_suppressed(code: str, line: int, table: dict[int, frozenset[str]]) -> bool:
    codes = table.get(line)
    return codes is not None and (codes is ALL or "*" in codes or code in codes)
