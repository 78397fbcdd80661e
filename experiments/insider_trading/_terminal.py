"""What the main job prints: tables rounded for reading, lines that fit a terminal,
and each step's title and the time it took.

Returns (columns named like ``*return*``, ``spread``, ``ci_low`` ...) print as
percentages; probabilities (p-values, DSR, PBO, PSR) with three decimals, ``<0.001``
below that; other floats with four significant digits; counts with thousands
separators. Wide tables wrap into blocks of columns instead of running off the screen.
"""

from __future__ import annotations

import math
import re
import shutil
import textwrap
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import numpy as np
import pandas as pd

from tr_evaluation.experiments import percent

WIDTH = max(80, min(shutil.get_terminal_size((100, 24)).columns, 120))
"""Line width of everything printed: the terminal's, kept within 80..120."""

RETURN_COLUMN = re.compile(
    r"return|spread|ci_low|ci_high|metric|top_gap|gap_top|^overfit_gap$|^value$|^fold_\d+$"
    r"|^candidate$|^baseline$|^difference$"
)
"""Columns holding returns (mean alpha and its differences): shown as percentages."""

PROBABILITY_COLUMN = re.compile(r"p_value|^dsr$|deflated_sharpe|^pbo$|^psr$|probabilistic_sharpe")
"""Columns holding probabilities: shown with three decimals, so a column reads evenly."""


def number(value: Any, *, is_return: bool = False, is_probability: bool = False) -> str:
    """One value for reading: a percentage for a return, three decimals for a probability
    (``<0.001`` for a smaller positive one), 4 significant digits otherwise."""
    if value is None or value is pd.NA:
        return "–"
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            return "–"
        if is_return:
            return percent(float(value))
        if is_probability:
            return "<0.001" if 0 < value < 0.0005 else f"{value:.3f}"
        if float(value).is_integer() and abs(value) >= 1_000:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)


def probability(value: Any) -> str:
    """A p-value, DSR, PBO or PSR for reading (:func:`number` with ``is_probability``)."""
    return number(value, is_probability=True)


def table(frame: pd.DataFrame, *, percent_columns: Callable[[str], bool] | None = None) -> str:
    """``frame`` as text: rounded for reading, wrapped at :data:`WIDTH`."""
    is_return = percent_columns or (lambda name: bool(RETURN_COLUMN.search(name)))
    formatters = {
        column: _formatter(is_return(str(column)), bool(PROBABILITY_COLUMN.search(str(column))))
        for column in frame.columns
    }
    with pd.option_context("display.max_colwidth", 40):
        return frame.to_string(formatters=formatters, line_width=WIDTH, max_rows=60, na_rep="–")


def _formatter(is_return: bool, is_probability: bool) -> Callable[[Any], str]:
    return lambda value: number(value, is_return=is_return, is_probability=is_probability)


def banner(title: str) -> None:
    """``title`` between two rules the width of the terminal."""
    print(f"\n{'=' * WIDTH}\n{title}\n{'=' * WIDTH}", flush=True)


def say(message: str, *, indent: str = "") -> None:
    """Print ``message`` wrapped at :data:`WIDTH` (continuation lines indented)."""
    print(
        textwrap.fill(message, WIDTH, initial_indent=indent, subsequent_indent=indent + "    "),
        flush=True,
    )


def show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """``warnings.showwarning`` that prints one wrapped line, not a source excerpt."""
    say(f"note ({category.__name__}): {message}")


@contextmanager
def terminal_warnings() -> Iterator[None]:
    """Warnings printed by :func:`show_warning` inside the block."""
    with warnings.catch_warnings():
        warnings.showwarning = show_warning
        yield


class Steps:
    """Prints each step's title, times it, and keeps the times for the closing summary."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, title: str) -> Iterator[None]:
        """A step: its title as a banner before, the time it took after."""
        banner(title)
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        self.seconds[title] = elapsed
        print(f"[{title.split(':')[0]} took {elapsed:.1f} s]", flush=True)

    def to_frame(self) -> pd.DataFrame:
        """One row per step: seconds and share of the total."""
        seconds = pd.Series(self.seconds, name="seconds", dtype="float64")
        return pd.DataFrame(
            {"seconds": seconds.round(1), "share": (seconds / seconds.sum()).map(percent)}
        ).rename_axis("step")
