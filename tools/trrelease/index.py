"""A real package index on loopback: pypiserver in a folder, on a free port."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from trrelease.artifacts import tool
from trrelease.errors import ReleaseRefusedError


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LocalIndex:
    """A running pypiserver: ``url`` takes uploads, ``simple`` is the PEP 503 index."""

    url: str
    folder: Path

    @property
    def simple(self) -> str:
        return f"{self.url}simple/"


@contextmanager
def local_index(folder: Path, *, start_timeout: float = 30.0) -> Iterator[LocalIndex]:
    """Serve ``folder`` with pypiserver on 127.0.0.1 until the block ends.

    Uploads need no password (``-a . -P .``) and a missing project is a 404, never a
    redirect to pypi.org (``--disable-fallback``): what installs from here was uploaded here.
    """
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = (folder.parent / f"pypiserver-{port}.log").open("w")
    server = subprocess.Popen(
        [
            tool("pypi-server"),
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--authenticate",
            ".",
            "--passwords",
            ".",
            "--disable-fallback",
            "--backend",
            "simple-dir",
            str(folder),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if server.poll() is not None:
                raise ReleaseRefusedError(
                    f"pypiserver exited ({server.returncode}); see {log.name}"
                )
            try:
                urllib.request.urlopen(f"{url}simple/", timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise ReleaseRefusedError(f"pypiserver did not answer on {url}") from None
                time.sleep(0.2)
        yield LocalIndex(url=url, folder=folder)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
