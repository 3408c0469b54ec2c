"""cakg: a linked-data knowledge graph of regional relations in Central Asia.

>>> import cakg
>>> cakg.__version__
'0.1.0'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cakg")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

from cakg.errors import CakgError, InputError, InvalidDataError

__all__ = ["CakgError", "InputError", "InvalidDataError", "__version__"]
