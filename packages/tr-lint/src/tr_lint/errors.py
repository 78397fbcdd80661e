"""The exceptions of tr-lint."""

from __future__ import annotations


class TrLintError(Exception):
    """Base of tr-lint's errors."""


class SourceError(TrLintError):
    """A file that cannot be read as Python or as a notebook."""


class ConfigError(TrLintError):
    """A ``[tool.tr-lint]`` setting or a command-line option that is not valid."""
