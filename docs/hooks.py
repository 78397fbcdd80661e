"""MkDocs hooks of the documentation site (mkdocs.yml ``hooks``).

**The API reference** is generated at build time, one page per package
(``reference/<dist>.md``), from the packages in ``packages/``: a page holds one
mkdocstrings directive for the package and one for each of its public subpackages (a
folder with ``__init__.py`` whose name does not start with ``_``). mkdocstrings renders
each module's ``__all__``, so a name added to a package's public API appears in the
reference without any edit here; tests/docs/test_site.py checks that it does.

``ml_toolkit`` (the distribution ``trading-research``) is a set of thin re-exports: its
page is a table per module, each name linking to the entry of the tr-* object it is.

**Links to repository files outside docs/** (``../experiments/TEMPLATE.py``, a package's
README) work where the Markdown is read in the repository, but the site does not hold
those files: on the site such a link becomes a link to the file on the hosting service
when mkdocs.yml sets ``repo_url`` (``<repo_url>/blob/main/<path>``), and otherwise the
file's repository path, as text. Only files that exist are rewritten: a link to a missing
file is left alone, and ``mkdocs build --strict`` fails on it.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGES = ROOT / "packages"
REEXPORTS = "trading-research"


def packages() -> dict[str, str]:
    """Distribution name → import name, for every package in ``packages/``."""
    found = {}
    for pyproject in sorted(PACKAGES.glob("*/pyproject.toml")):
        dist = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["name"]
        src = pyproject.parent / "src"
        names = [p.parent.name for p in sorted(src.glob("*/__init__.py"))]
        if len(names) != 1:
            raise RuntimeError(f"{src}: expected one import package, found {names}")
        found[dist] = names[0]
    return found


def _package_dir(module: str) -> Path:
    top, *rest = module.split(".")
    return next(PACKAGES.glob(f"*/src/{top}/__init__.py")).parent.joinpath(*rest)


def public_subpackages(import_name: str) -> list[str]:
    """The dotted names of a package's public subpackages, sorted."""
    base = _package_dir(import_name)
    found = []
    for init in sorted(base.rglob("__init__.py")):
        parts = init.parent.relative_to(base).parts
        if parts and not any(part.startswith("_") for part in parts):
            found.append(".".join((import_name, *parts)))
    return found


def documented_modules() -> dict[str, list[str]]:
    """Distribution name → the modules its reference page renders (not the re-exports)."""
    return {
        dist: [name, *public_subpackages(name)]
        for dist, name in packages().items()
        if dist != REEXPORTS
    }


def shadowed(module: str) -> list[str]:
    """Names in ``module.__all__`` whose object griffe cannot see under that name.

    A function ``f`` defined in ``pkg/f.py`` and re-exported by ``pkg`` shares its name
    with the submodule ``pkg.f``; the documentation's static reading (griffe) takes
    ``pkg.f`` — and every re-export of it — for the submodule. Such an object gets an
    explicit directive of its own, under its defining path (``pkg.f.f``).
    """
    loaded = importlib.import_module(module)
    found = []
    for name in getattr(loaded, "__all__", ()):
        obj = getattr(loaded, name)
        if isinstance(obj, ModuleType) or not hasattr(obj, "__module__"):
            continue
        parent, _, last = obj.__module__.rpartition(".")
        if last == getattr(obj, "__name__", None) and parent:
            package = importlib.import_module(parent)
            if getattr(package, last, None) is obj:
                found.append(name)
    return found


def defining_path(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def _package_page(dist: str, modules: list[str]) -> str:
    lines = [
        f"# {dist}: API reference",
        "",
        f"Generated from the docstrings of `{modules[0]}` and its public subpackages: "
        "every name in each module's `__all__`.",
        "",
    ]
    explicit: set[str] = set()
    for module in modules:
        lines += [f"::: {module}", ""]
        for name in shadowed(module):
            path = defining_path(getattr(importlib.import_module(module), name))
            if path not in explicit:
                explicit.add(path)
                lines += [f"::: {path}", "    options:", "      heading_level: 3", ""]
    return "\n".join(lines)


def documented_path(obj: Any, modules: dict[str, list[str]]) -> str | None:
    """Where ``obj`` has its entry: the first documented module exporting it."""
    for names in modules.values():
        for module_name in names:
            module = importlib.import_module(module_name)
            for name in getattr(module, "__all__", ()):
                if getattr(module, name, None) is obj:
                    if name in shadowed(module_name):
                        return defining_path(obj)
                    return f"{module_name}.{name}"
    return None


def _reexports_page(import_name: str, modules: dict[str, list[str]]) -> str:
    package = importlib.import_module(import_name)
    lines = [
        f"# {REEXPORTS}: API reference",
        "",
        f"`{import_name}` holds no code of its own: each module re-exports the public "
        "names of one tr-* package, and every name is the very object documented there.",
        "",
        f"::: {import_name}",
        "    options:",
        "      members: [__version__]",
        "",
    ]
    for sub in package.__all__:
        if sub.startswith("__"):
            continue
        module = importlib.import_module(f"{import_name}.{sub}")
        summary = (module.__doc__ or "").strip().splitlines()[0]
        lines += [
            f"## `{import_name}.{sub}` {{ #{import_name}.{sub} }}",
            "",
            re.sub(r":mod:`([^`]+)`", r"`\1`", summary),
            "",
            "| Name | Documented as |",
            "| --- | --- |",
        ]
        for name in module.__all__:
            target = documented_path(getattr(module, name), modules)
            if target is None:
                raise RuntimeError(f"{import_name}.{sub}.{name}: no documented tr-* entry")
            anchor = f'<span id="{import_name}.{sub}.{name}"></span>'
            lines.append(f"| {anchor}`{name}` | [`{target}`][{target}] |")
        lines.append("")
    return "\n".join(lines)


# The guides, in the order of the site's Guides section; a guide not named here comes
# after them, by file name. The section lists the guides in docs/guides/ (no more, no less).
GUIDES = (
    "ML_BEST_PRACTICES.md",
    "NAN_HANDLING.md",
    "FEATURE_SELECTION_GUIDE.md",
    "HYPERPARAMETER_TUNING.md",
    "YOUR_OWN_DATA.md",
    "YOUR_OWN_MODEL.md",
)


def on_config(config: Any) -> Any:
    """Fill the nav's Guides section with the guides in docs/guides/."""
    present = sorted(p.name for p in (DOCS / "guides").glob("*.md"))
    ordered = [g for g in GUIDES if g in present] + [g for g in present if g not in GUIDES]
    nav = []
    for entry in config["nav"]:
        if isinstance(entry, dict) and "Guides" in entry:
            if not ordered:
                continue
            entry = {"Guides": [f"guides/{name}" for name in ordered]}
        nav.append(entry)
    config["nav"] = nav
    return config


def on_files(files: Files, config: Any) -> Files:
    """Add the generated API reference pages, ``reference/<dist>.md``."""
    modules = documented_modules()
    for dist, import_name in packages().items():
        if dist == REEXPORTS:
            content = _reexports_page(import_name, modules)
        else:
            content = _package_page(dist, modules[dist])
        files.append(File.generated(config, f"reference/{dist}.md", content=content))
    return files


# [text](target) with a relative target (no scheme, no leading / or #); the text may
# span lines. Code spans and fenced blocks hold no such links in docs/.
LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>(?!\w+:|/|#)[^)\s]+)\)")


# pytest-markdown-docs runs the pages' code blocks; ```python continuation``` marks one
# that continues the previous block. The site's fences (pymdownx.superfences) take a bare
# word after the language for an invalid option and drop the fence, so it is removed here.
TEST_FENCE = re.compile(r"^(?P<fence>[ \t]*`{3,}python)[ \t]+continuation[ \t]*$", re.M)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Links to repository files outside docs/: to the hosting service, or the path.
    Code fences marked for pytest-markdown-docs: plain ``python`` fences."""
    if page.file.generated_by is not None:
        return markdown
    markdown = TEST_FENCE.sub(r"\g<fence>", markdown)
    folder = (DOCS / page.file.src_uri).parent
    repo_url = (config.get("repo_url") or "").rstrip("/")

    def rewrite(match: re.Match[str]) -> str:
        target, _, anchor = match["target"].partition("#")
        path = (folder / target).resolve()
        if path.is_relative_to(DOCS) or not path.is_relative_to(ROOT) or not path.exists():
            return match[0]
        relative = path.relative_to(ROOT).as_posix()
        text = match["text"]
        if repo_url:
            return f"[{text}]({repo_url}/blob/main/{relative}{'#' + anchor if anchor else ''})"
        if text.strip("`") == relative:
            return text
        return f"{text} (`{relative}` in the repository)"

    return LINK.sub(rewrite, markdown)
