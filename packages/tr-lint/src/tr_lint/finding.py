"""A finding: one rule broken at one place of one file (or notebook cell)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """``code`` broken at ``line``:``col`` of ``path``; ``cell`` for a notebook.

    ``line`` is 1-based and, in a notebook, counts within the cell (``cell`` is the
    1-based number of the cell among all cells); ``col`` is 1-based.
    """

    path: str
    cell: int | None
    line: int
    col: int
    code: str
    message: str

    @property
    def location(self) -> str:
        """``file:line:col``, or ``notebook.ipynb:cell 3:line 2:col 5`` for a notebook."""
        if self.cell is None:
            return f"{self.path}:{self.line}:{self.col}"
        return f"{self.path}:cell {self.cell}:line {self.line}:col {self.col}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "cell": self.cell,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "message": self.message,
        }
