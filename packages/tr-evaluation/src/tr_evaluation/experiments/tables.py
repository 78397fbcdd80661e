"""Tables and numbers as an experiment's Markdown results show them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def markdown_table(
    table: pd.DataFrame, fmt: dict[str, str] | None = None, index: bool = True
) -> str:
    """A DataFrame as a GitHub Markdown table.

    Parameters
    ----------
    table : DataFrame
        The rows to show.
    fmt : dict of str to str, optional
        Column name -> format spec for its numbers (``".2%"``, ``",.0f"``); other
        cells are shown as text.
    index : bool, default True
        Whether the index is shown as the first column(s).

    Returns
    -------
    str
        The table; a missing or non-finite number is shown as a dash, and ``|`` in a
        cell is escaped.
    """
    fmt = fmt or {}
    frame = table.reset_index() if index else table
    columns = [
        [markdown_cell(v, fmt.get(str(c))) for v in frame[c].tolist()] for c in frame.columns
    ]
    lines = [
        "| " + " | ".join(markdown_cell(str(c)) for c in frame.columns) + " |",
        "|" + "---|" * frame.shape[1],
    ]
    lines += ["| " + " | ".join(cells) + " |" for cells in zip(*columns, strict=True)]
    return "\n".join(lines)


def percent(x: float, digits: int = 2) -> str:
    """A fraction as a percentage for reading: ``0.0123`` -> ``"1.23 %"``."""
    return f"{100 * x:.{digits}f} %"


def markdown_cell(value: Any, spec: str | None = None) -> str:
    """One Markdown table cell: a number formatted with ``spec``, a dash for a missing or
    non-finite number, anything else as text with ``|`` escaped."""
    if value is None or (isinstance(value, float | np.floating) and not np.isfinite(value)):
        return "–"
    if spec and isinstance(value, int | float | np.integer | np.floating):
        return format(value, spec)
    return str(value).replace("|", "\\|")
