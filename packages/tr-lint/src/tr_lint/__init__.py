"""tr-lint: the toolkit's data-quality and lookahead rules as a checker.

Standard library only. ``tr-lint PATH...`` on the command line; from Python,
:func:`lint_source` on text and :func:`lint_paths` on files and folders.
"""

from tr_lint.__about__ import __version__
from tr_lint.checker import Report, lint_paths, lint_source
from tr_lint.config import Config, load_config
from tr_lint.errors import ConfigError, SourceError, TrLintError
from tr_lint.finding import Finding
from tr_lint.rules import RULES, Rule
from tr_lint.sources import Source, read_source

__all__ = [
    "RULES",
    "Config",
    "ConfigError",
    "Finding",
    "Report",
    "Rule",
    "Source",
    "SourceError",
    "TrLintError",
    "__version__",
    "lint_paths",
    "lint_source",
    "load_config",
    "read_source",
]
