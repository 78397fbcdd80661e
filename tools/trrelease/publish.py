"""Upload a released version's wheel and sdist to a package index with twine."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from packaging.version import Version

from trrelease.artifacts import build_release, run_tool, tool
from trrelease.errors import ReleaseRefusedError
from trrelease.workspace import Workspace, tag_of


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
    workspace: Workspace, name: str, index: str, out: Path, version: Version | None = None
) -> list[Path]:
    """Upload ``name`` at ``version`` (default: the tree's version) to ``index``.

    Only a released version is published — its tag must exist — and its files are the
    ones built from that tag (the release flow's, or rebuilt from the tag when this
    clone has none), so what reaches the index is what was tested and tagged.
    """
    package = workspace.package(name)
    version = version or package.version
    if version not in workspace.releases(package.name):
        raise ReleaseRefusedError(
            f"{package.name} {version} is not released (no tag {tag_of(package.name, version)}): "
            f"run nox -s release -- {package.name} first; publish never releases implicitly"
        )
    check_reachable(index)
    files = build_release(workspace, package, version, out)
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
