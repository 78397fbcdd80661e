"""Upload a released version's wheel and sdist — the ledger's files — to an index with twine."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from packaging.version import Version

from trrelease.artifacts import run_tool, tool
from trrelease.errors import ReleaseRefusedError
from trrelease.ledger import FOLDER
from trrelease.workspace import Workspace


def check_reachable(url: str, timeout: float = 10.0) -> None:
    """Refuse unless an HTTP server answers at ``url`` (any status: it is there)."""
    if not url.startswith(("http://", "https://")):
        raise ReleaseRefusedError(f"--index must be an http(s) URL, got {url!r}")
    try:
        urllib.request.urlopen(url, timeout=timeout).close()
    except urllib.error.HTTPError:
        return
    except (urllib.error.URLError, OSError) as exc:
        raise ReleaseRefusedError(
            f"cannot reach the index at {url} ({getattr(exc, 'reason', exc)}): nothing was "
            "uploaded; check the URL and that the index is running"
        ) from None


def publish(
    workspace: Workspace, name: str, index: str, version: Version | None = None
) -> list[Path]:
    """Upload ``name`` at ``version`` (default: the tree's version) to ``index``.

    Only a released version is published, and its files are the ledger's — the bytes
    the release flow built, checked and tested, verified against ``SHA256SUMS`` — so
    what reaches the index is exactly what was released.
    """
    package = workspace.package(name)
    version = version or package.version
    if version not in workspace.releases(package.name):
        raise ReleaseRefusedError(
            f"{package.name} {version} is not released (not in {FOLDER}/): run nox -s "
            f"release -- {package.name} first; publish never releases implicitly"
        )
    files = workspace.ledger.release(package.name, version).files
    check_reachable(index)
    run_tool(
        tool("twine"),
        "upload",
        "--non-interactive",
        "--disable-progress-bar",
        "--repository-url",
        index,
        *map(str, files),
    )
    return files
