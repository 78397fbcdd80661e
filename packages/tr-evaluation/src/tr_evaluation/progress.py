"""Progress bars for long loops (folds, groups, permutations), quiet when nobody watches.

Shared by the packages built on tr-evaluation (feature selection, tuning, ensembles).

A bar is shown only when ``verbose`` is True *and* someone is watching: standard
error is a terminal, or the code runs in a Jupyter kernel (where tqdm's
notebook-aware ``tqdm.auto`` draws a widget bar). Logs of batch jobs and CI stay
clean.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm.auto import tqdm

__all__ = ["in_notebook", "progress", "show_progress"]

T = TypeVar("T")


def show_progress(verbose: bool) -> bool:
    """Whether a progress bar should be drawn.

    Parameters
    ----------
    verbose : bool
        The caller's wish.

    Returns
    -------
    bool
        True only when ``verbose`` is True and ``sys.stderr`` is a TTY or the
        code runs in a Jupyter kernel.
    """
    if not verbose:
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    return (callable(isatty) and bool(isatty())) or in_notebook()


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter (IPython kernel) session.

    Checked without importing IPython: a kernel has already imported it, and its
    shell's class is ``ZMQInteractiveShell`` (a terminal IPython is not a notebook
    and is covered by the TTY test).
    """
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    shell = get() if callable(get) else None
    # Subclasses count too (Google Colab's shell derives from the Jupyter one).
    return any(cls.__name__ == "ZMQInteractiveShell" for cls in type(shell).__mro__)


def progress(
    iterable: Iterable[T], *, desc: str, total: int | None = None, verbose: bool = True
) -> Iterator[T]:
    """Wrap ``iterable`` in a tqdm bar that is off when not a TTY or ``verbose=False``.

    Parameters
    ----------
    iterable : iterable
        What to loop over.
    desc : str
        Label shown left of the bar.
    total : int, optional
        Number of items, when ``iterable`` has no ``len``.
    verbose : bool, default True
        Set False to never draw a bar.

    Yields
    ------
    object
        The items of ``iterable``, unchanged and in order.
    """
    yield from tqdm(
        iterable, desc=desc, total=total, disable=not show_progress(verbose), leave=False
    )
