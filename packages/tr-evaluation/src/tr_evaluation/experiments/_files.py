"""Atomic file writes and JSON encoding for the experiment store.

Every file a reader may see is written to a temporary file in the same directory
(named ``.tmp-*``, which readers ignore), flushed to disk, then moved into place
with :func:`os.replace` — an atomic rename on POSIX and Windows. A process killed
mid-write therefore leaves either the previous complete file or none, never half
of one. The folder is fsynced after the rename too, so the new name itself survives
a power loss or an OS crash, not only a killed process.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

TMP_PREFIX = ".tmp-"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
"""Table and figure names (they become file names): use with ``fullmatch``."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then replace)."""
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk; a no-op off POSIX."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_json(path: Path, obj: Any) -> None:
    """Write ``obj`` as strict JSON (no NaN/inf) atomically."""
    atomic_write_bytes(path, dumps(obj).encode("utf-8"))


def dumps(obj: Any) -> str:
    """Strict JSON text; numpy scalars, dates and paths become plain values."""
    return json.dumps(obj, default=_default, allow_nan=False, indent=2, sort_keys=False)


def _default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def utc_now() -> str:
    """Current UTC time as an ISO 8601 string with microseconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
