"""Atomic writes: whole files or none, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cakg.graph.io import atomic_write


def test_written_file_is_readable_by_others(tmp_path: Path) -> None:
    # Regression: files came out 0600 (mkstemp's mode), unreadable by a web server.
    old = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "kg.ttl", b"data")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_bytes() == b"data"


def test_failed_write_leaves_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "kg.ttl"
    path.write_bytes(b"old")

    with pytest.raises(TypeError):
        atomic_write(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]
