"""What gets linted: Python files, jupytext percent-format scripts and Jupyter notebooks.

A percent-format script (``# %%`` cell markers) is plain Python and is read as such. A
notebook's code cells are joined in order into one module — a name defined in cell 2 is
known in cell 5, as when the notebook runs top to bottom — and each line of that module
remembers its cell, so a finding reads ``notebook.ipynb:cell 3:line 2``. IPython magics
and shell escapes (``%timeit``, ``!pip``, ``%%bash`` cells) are not Python: they are
blanked, keeping the line numbers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tr_lint.errors import SourceError

_MAGIC = re.compile(r"^\s*(%|!|\?)")


@dataclass(frozen=True)
class Source:
    """Python text to lint and where each of its lines came from."""

    path: str
    text: str
    # 1-based module line -> (1-based cell number, 1-based line within the cell);
    # empty for a plain file.
    cells: tuple[tuple[int, int], ...] = ()

    def place(self, line: int) -> tuple[int | None, int]:
        """The (cell, line) a module line is reported at."""
        if not self.cells:
            return None, line
        return self.cells[line - 1]


def _blank_magics(lines: list[str]) -> list[str]:
    if lines and lines[0].lstrip().startswith("%%"):
        return ["" for _ in lines]  # a cell magic: the whole cell is another language
    return ["" if _MAGIC.match(line) else line for line in lines]


def read_notebook(path: Path) -> Source:
    """The code cells of an ``.ipynb`` file (nbformat 4), joined in order."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8-sig"))
        cells = notebook["cells"]
        if not isinstance(cells, list):
            raise TypeError(f"'cells' is {type(cells).__name__}, not a list")
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise SourceError(f"{path}: not a Jupyter notebook (nbformat 4 JSON): {exc}") from None
    lines: list[str] = []
    where: list[tuple[int, int]] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        raw = cell.get("source", "")
        text = "".join(raw) if isinstance(raw, list) else str(raw)
        cell_lines = _blank_magics(text.splitlines())
        for offset, line in enumerate(cell_lines, 1):
            lines.append(line)
            where.append((number, offset))
    return Source(str(path), "\n".join(lines) + "\n", tuple(where))


def read_source(path: Path) -> Source:
    """A ``.py`` file (percent-format scripts included) or an ``.ipynb`` notebook."""
    if path.suffix == ".ipynb":
        return read_notebook(path)
    try:
        return Source(str(path), path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text ({exc.reason})") from None
