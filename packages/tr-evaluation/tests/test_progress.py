"""Progress bars: drawn in a terminal or a Jupyter kernel, silent otherwise."""

from __future__ import annotations

import io
import sys
import types

import pytest

from tr_evaluation.progress import in_notebook, progress, show_progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_shows_a_bar_and_verbose_false_silences_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert show_progress(True)
    assert list(progress(range(3), desc="folds", verbose=True)) == [0, 1, 2]
    assert "folds" in terminal.getvalue()
    assert not show_progress(False)


def test_redirected_output_stays_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    log = io.StringIO()  # a file or a CI log: not a TTY
    monkeypatch.setattr(sys, "stderr", log)
    assert list(progress(range(3), desc="folds")) == [0, 1, 2]
    assert log.getvalue() == ""


def test_a_jupyter_kernel_counts_as_watching(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not in_notebook()
    ZMQInteractiveShell = type("ZMQInteractiveShell", (), {})
    TerminalInteractiveShell = type("TerminalInteractiveShell", (), {})
    fake = types.ModuleType("IPython")
    fake.get_ipython = ZMQInteractiveShell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)
    assert in_notebook()
    assert show_progress(True)
    assert not show_progress(False)
    fake.get_ipython = type("Shell", (ZMQInteractiveShell,), {})  # type: ignore[attr-defined]
    assert in_notebook()  # a subclass, as Google Colab's shell is
    fake.get_ipython = TerminalInteractiveShell  # type: ignore[attr-defined]
    assert not in_notebook()
