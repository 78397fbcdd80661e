"""Configuration: ``[tool.tr-lint]`` in ``pyproject.toml``, then the command line.

```toml
[tool.tr-lint]
select = ["TR001", "TR002"]      # default: every rule
ignore = ["TR005"]
exclude = ["legacy/**", "*.scratch.py"]
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tr_lint.errors import ConfigError
from tr_lint.rules import RULES

_KEYS = {"select", "ignore", "exclude"}


@dataclass(frozen=True)
class Config:
    """Which rules run and which files are skipped."""

    select: frozenset[str] = field(default_factory=lambda: frozenset(RULES))
    ignore: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()
    source: str | None = None

    @property
    def codes(self) -> frozenset[str]:
        """The rules that run: selected and not ignored."""
        return self.select - self.ignore

    def with_options(
        self,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
    ) -> Config:
        """This configuration with command-line options on top (they replace the file's
        ``select``; they add to its ``ignore`` and ``exclude``)."""
        return replace(
            self,
            select=codes(select, "--select") if select is not None else self.select,
            ignore=self.ignore | (codes(ignore, "--ignore") if ignore is not None else set()),
            exclude=self.exclude + tuple(exclude or ()),
        )


def codes(values: Iterable[str], where: str) -> frozenset[str]:
    """Rule codes, checked: ``TR`` (every rule) or ``TR00`` select by prefix."""
    chosen: set[str] = set()
    for raw in values:
        for value in str(raw).replace(",", " ").split():
            code = value.strip().upper()
            matched = {c for c in RULES if c.startswith(code)}
            if not code.startswith("TR") or not matched:
                raise ConfigError(
                    f"{where}: {value!r} is not a rule code or prefix; the rules are "
                    f"{', '.join(sorted(RULES))}"
                )
            chosen |= matched
    return frozenset(chosen)


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start``."""
    here = start.resolve()
    for folder in [here, *here.parents] if here.is_dir() else list(here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(pyproject: Path | None) -> Config:
    """The ``[tool.tr-lint]`` table of ``pyproject`` (defaults when there is none)."""
    if pyproject is None:
        return Config()
    try:
        with pyproject.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read it ({exc})") from None
    table = data.get("tool", {}).get("tr-lint")
    if table is None:
        return Config(source=str(pyproject))
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(
            f"{pyproject} [tool.tr-lint]: unknown setting(s) {sorted(unknown)}; the settings "
            f"are {sorted(_KEYS)}"
        )
    for key in _KEYS & set(table):
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                f"{pyproject} [tool.tr-lint] {key} must be a list of strings, got {value!r}"
            )
    where = f"{pyproject} [tool.tr-lint]"
    return Config(
        select=codes(table["select"], f"{where} select") if "select" in table else Config().select,
        ignore=codes(table.get("ignore", []), f"{where} ignore"),
        exclude=tuple(table.get("exclude", [])),
        source=str(pyproject),
    )
