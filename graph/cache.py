"""A cache of what is made from files that rarely change, named by the hash of those files.

The folder is ``$CAKG_CACHE_DIR`` (``off`` turns caching off), else ``$XDG_CACHE_HOME/cakg``
or ``~/.cache/cakg``. A cache file is named after the hash of everything it was made from,
so a change to any of them makes a new name and the old file is never read again.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

__all__ = ["cache_file"]


def _folder() -> Path | None:
    folder = os.environ.get("CAKG_CACHE_DIR")
    if folder == "off":
        return None
    if folder:
        return Path(folder)
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cakg"
    except RuntimeError:  # no home folder to find
        return None


def cache_file(kind: str, key: str, sources: Sequence[tuple[str, str]], suffix: str) -> Path | None:
    """The cache file of ``kind`` made from ``key`` and the package files matching
    ``sources`` ((package, glob) pairs); None when caching is off.

    >>> path = cache_file("corpus", "x", [("cakg.ontology", "*.ttl")], ".pickle")
    >>> path is None or (path.name.startswith("corpus-") and path.suffix == ".pickle")
    True
    """
    folder = _folder()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{key}\n{sys.version}\n".encode())
    for package, pattern in sources:
        for path in sorted(Path(str(files(package))).glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return folder / f"{kind}-{digest.hexdigest()[:32]}{suffix}"
