"""Atomic output: every file is written to a temporary sibling and renamed into place.

A failed build therefore never leaves a half-written file, and a reader of `out/`
sees either the old file or the new one (POSIX rename is atomic within a file system).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from cakg.errors import InputError

__all__ = ["atomic_write", "atomic_write_many", "parse_yaml", "read_yaml"]


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


def parse_yaml(text: str, where: Path | str, what: str = "YAML") -> Any:
    """Parse YAML text; a syntax error becomes an InputError naming the file and line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"invalid {what}: {getattr(exc, 'problem', exc)}",
            path=where,
            line=(mark.line + 1) if mark is not None else None,
        ) from None


def read_yaml(path: Path, what: str = "YAML") -> Any:
    """Read and parse a UTF-8 YAML file (see :func:`parse_yaml`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what} file is not UTF-8 text", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    return parse_yaml(text, path, what)
