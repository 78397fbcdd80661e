"""Shared helpers of tr-lint's tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest


def _write_notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    """An nbformat-4 notebook of ``(cell_type, source)`` cells, sources as line lists."""
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": [
            {
                "cell_type": kind,
                "metadata": {},
                "source": source.splitlines(keepends=True),
                **({"outputs": [], "execution_count": None} if kind == "code" else {}),
            }
            for kind, source in cells
        ],
    }
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def write_notebook() -> Callable[[Path, list[tuple[str, str]]], Path]:
    """Write an nbformat-4 notebook: ``write_notebook(path, [("code", "x = 1"), ...])``."""
    return _write_notebook
