"""``# noqa`` suppressions: ``# noqa: TR001`` (one code), ``# noqa: TR001, TR004``, or a
bare ``# noqa`` (every code), on the line a finding is reported at. A reason may follow
the codes (``# noqa: TR001 zero means no trades here``)."""

from __future__ import annotations

import io
import re
import tokenize

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.I)
ALL = frozenset({"*"})


def suppressions(source: str) -> dict[int, frozenset[str]]:
    """Line number -> the codes its ``# noqa`` comment suppresses (``{"*"}``: all).

    Read from the comment tokens, so a ``# noqa`` inside a string is not one.
    """
    found: dict[int, frozenset[str]] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return found
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = _NOQA.search(token.string)
        if match is None:
            continue
        codes = match.group("codes")
        line = token.start[0]
        if codes is None:
            found[line] = ALL
        else:
            found[line] = frozenset(c.upper() for c in re.split(r"[\s,]+", codes) if c)
    return found


def is_suppressed(code: str, line: int, table: dict[int, frozenset[str]]) -> bool:
    codes = table.get(line)
    return codes is not None and (codes is ALL or "*" in codes or code in codes)
