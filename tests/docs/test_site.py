"""The built documentation site (``nox -s docs`` builds it, then runs these tests).

1. Every public name of every package has an entry in the API reference: each name in
   the ``__all__`` of each package and of each of its public subpackages is the ``id`` of
   an element of the package's reference page (mkdocstrings' id: the dotted path), and
   each name ``ml_toolkit`` re-exports links to the entry of the tr-* object it is.
2. Every page renders in headless Chromium (Debian's ``chromium``, driven by Playwright;
   no browser is downloaded): no console error, no failed request, every image loads.
"""

from __future__ import annotations

import functools
import http.server
import importlib
import os
import shutil
import threading
import tomllib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import urldefrag, urljoin

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("DOCS_SITE_DIR", ROOT / "site"))
REEXPORTS = "ml_toolkit"


class _Page(HTMLParser):
    """The ids and the link targets of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))


@functools.cache
def parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def packages() -> dict[str, str]:
    """Distribution → import name, read from packages/*/pyproject.toml and src/."""
    found = {}
    for pyproject in sorted((ROOT / "packages").glob("*/pyproject.toml")):
        dist = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["name"]
        (init,) = (pyproject.parent / "src").glob("*/__init__.py")
        found[dist] = init.parent.name
    return found


def public_modules(import_name: str) -> list[str]:
    """The package and its public subpackages (and, for ml_toolkit, its modules)."""
    package = importlib.import_module(import_name)
    base = Path(package.__file__).parent
    names = [import_name]
    for init in sorted(base.rglob("__init__.py")):
        parts = init.parent.relative_to(base).parts
        if parts and not any(p.startswith("_") for p in parts):
            names.append(".".join((import_name, *parts)))
    if import_name == REEXPORTS:
        names += [f"{import_name}.{n}" for n in package.__all__ if not n.startswith("__")]
    return names


def reference_page(dist: str) -> Path:
    page = SITE / "reference" / dist / "index.html"
    assert page.is_file(), f"{page} was not built (run: python3 -m nox -s docs)"
    return page


def anchors_for(module: ModuleType, name: str) -> list[str]:
    """The ids that may hold ``module.name``'s entry: its dotted path, and — for a
    function that shares its name with the submodule defining it, which the static
    reading takes for the submodule — its defining path (docs/hooks.py, ``shadowed``)."""
    ids = [f"{module.__name__}.{name}"]
    obj = getattr(module, name)
    if (
        not isinstance(obj, ModuleType)
        and hasattr(obj, "__qualname__")
        and obj.__module__.rpartition(".")[2] == obj.__name__
    ):
        ids.append(f"{obj.__module__}.{obj.__qualname__}")
    return ids


PACKAGES = packages()


@pytest.mark.parametrize("dist", sorted(PACKAGES))
def test_every_public_name_has_an_entry(dist: str) -> None:
    page = parsed(reference_page(dist))
    checked, missing = 0, []
    for module_name in public_modules(PACKAGES[dist]):
        module = importlib.import_module(module_name)
        for name in module.__all__:
            checked += 1
            if not any(anchor in page.ids for anchor in anchors_for(module, name)):
                missing.append(f"{module_name}.{name}")
    print(f"{dist}: {checked} public names, each with an entry")
    assert checked, f"{dist}: no public name found"
    assert not missing, f"{dist}: public names without an entry in the API reference: {missing}"


def test_reexports_link_to_their_entries() -> None:
    """Each ``ml_toolkit`` name links to the entry (an existing id) of the same object."""
    dist = next(d for d, name in PACKAGES.items() if name == REEXPORTS)
    source = reference_page(dist)
    links = [link for link in parsed(source).links if "#" in link and "://" not in link]
    targets = set()
    for link in links:
        url, fragment = urldefrag(urljoin(source.as_uri(), link))
        path = Path(url.removeprefix("file://"))
        path = path / "index.html" if path.is_dir() else path
        assert fragment in parsed(path).ids, f"{link}: no such entry"
        targets.add(fragment)
    for module_name in public_modules(REEXPORTS)[1:]:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            here = {t for t in targets if _resolve(t) is obj}
            assert here, f"{module_name}.{name}: no link to the entry of the object it is"


def _resolve(dotted: str) -> object:
    """The object at a dotted path (the longest importable module, then attributes)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part, None)
        return obj
    return None


def test_cross_references_between_packages() -> None:
    """A tr_core type in a tr_evaluation signature links to its tr_core entry."""
    page = parsed(reference_page("tr-evaluation"))
    assert any(link.startswith("../tr-core/#tr_core.") for link in page.links), (
        "no link from the tr-evaluation reference to a tr-core entry"
    )


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The built site on a loopback port, as a reader's browser gets it."""
    assert (SITE / "index.html").is_file(), f"{SITE} was not built (python3 -m nox -s docs)"
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_every_page_renders_in_chromium(server: str) -> None:
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser_path is None:
        message = "Debian's chromium is not installed (.ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    pages = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html"))
    assert len(pages) > 10, pages
    problems: list[str] = []
    here: list[str] = []  # what the page being visited reported
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on(
                "console",
                lambda msg: here.append(f"console: {msg.text}") if msg.type == "error" else None,
            )
            page.on("pageerror", lambda exc: here.append(f"error: {exc}"))
            page.on("requestfailed", lambda req: here.append(f"failed: {req.url} {req.failure}"))
            page.on(
                "response",
                lambda res: (
                    here.append(f"HTTP {res.status}: {res.url}") if res.status >= 400 else None
                ),
            )
            for relative in pages:
                # Every page waits until its network is idle: a request still in flight
                # (the favicon, the search index) would be aborted by the next navigation
                # and read as a failure of the page that started it.
                page.goto(server + relative, wait_until="networkidle")
                images = page.eval_on_selector_all(
                    "img", "els => els.map(e => [e.complete, e.naturalWidth, e.src])"
                )
                here += [f"image: {src}" for done, width, src in images if not done or not width]
                problems += [f"{relative}: {problem}" for problem in here]
                here.clear()
        finally:
            browser.close()
    print(f"{len(pages)} pages rendered in Chromium")
    assert not problems, "\n".join(problems)
