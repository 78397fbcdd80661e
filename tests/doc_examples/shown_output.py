"""pytest plugin for ``nox -s doc_examples``: the output a page shows is the one its code prints.

pytest-markdown-docs runs every ```python block of a page; it does not look at what the
block prints. On our pages a block's output is shown in the fence right after it (a
fence with no language, or ``text``), with no prose in between. This plugin records what
the block prints (a ``print`` in the block's globals: every print of the block, and of the
functions it defines, goes through it) and fails the block when its shown output is not
the end of what it printed — a ``continuation`` block re-runs the blocks before it, whose
prints come first. Trailing spaces of each line are ignored (editors strip them).

Loaded with ``-p shown_output`` (``tests/doc_examples`` on ``PYTHONPATH``); its own tests are
``test_shown_output.py`` beside it.
"""

from __future__ import annotations

import builtins
import functools
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from pytest_markdown_docs.plugin import MarkdownInlinePythonItem

OUTPUT_FENCES = ("", "text")
_printed = io.StringIO()


def _print(*args: Any, **kwargs: Any) -> None:
    """``print``, also recorded when it writes to standard output."""
    if kwargs.get("file") is None:
        builtins.print(*args, **{**kwargs, "file": _printed})
    builtins.print(*args, **kwargs)


@functools.cache
def shown_outputs(path: Path) -> dict[int, str]:
    """Line of each ```python fence (1-based, as the item reports it) → the output after it."""
    tokens = [
        token
        for token in MarkdownIt("commonmark").parse(path.read_text(encoding="utf-8"))
        if token.level == 0 and not token.type.endswith("_close") and token.type != "inline"
    ]
    shown = {}
    for block, after in itertools.pairwise(tokens):
        if (
            block.type == "fence"
            and block.info.split()[:1] in (["python"], ["py"])
            and after.type == "fence"
            and after.info.strip() in OUTPUT_FENCES
            and block.map is not None
        ):
            shown[block.map[0] + 1] = after.content
    return shown


def _lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def pytest_markdown_docs_globals() -> dict[str, Any]:
    _printed.seek(0)
    _printed.truncate()
    return {"print": _print}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    if isinstance(item, MarkdownInlinePythonItem):
        expected = shown_outputs(Path(item.path)).get(item.start_line)
        if expected is not None:
            printed = _lines(_printed.getvalue())
            if not printed.endswith(_lines(expected)):
                pytest.fail(
                    f"{item.path.name}, the block at line {item.start_line}: the output shown "
                    f"after it is not what it prints.\n--- shown ---\n{_lines(expected)}\n"
                    f"--- printed ---\n{printed or '(nothing)'}\nPaste the printed output into "
                    "the page (or make the block print what the page shows).",
                    pytrace=False,
                )
    return result
