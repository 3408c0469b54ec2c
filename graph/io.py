"""Atomic output: every file is written to a temporary sibling and renamed into place.

A failed build therefore never leaves a half-written file, and a reader of `out/`
sees either the old file or the new one (POSIX rename is atomic within a file system).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["atomic_write", "atomic_write_many"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> Path:
    """Write bytes to path atomically (temporary file in the same folder, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600 files; outputs are published data, so give them the
        # permissions an ordinary open() would (0666 less the umask).
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_many(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several files: all are serialized first by the caller, then renamed one by one."""
    return [atomic_write(path, data) for path, data in files.items()]
