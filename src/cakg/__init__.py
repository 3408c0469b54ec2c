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

from typing import TYPE_CHECKING, Any

from cakg.errors import CakgError, InputError, InvalidDataError

if TYPE_CHECKING:
    from cakg.queries import Graph, NamedQuery, list_queries, load_query, run_query
    from cakg.queries import open as open_graph

__all__ = [
    "CakgError",
    "Graph",
    "InputError",
    "InvalidDataError",
    "NamedQuery",
    "__version__",
    "list_queries",
    "load_query",
    "open_graph",
    "run_query",
]

# The query library loads rdflib and pyoxigraph: imported on first use, so that `import cakg`
# (and every `cakg` command) stays fast.
_LAZY = {
    "Graph": ("cakg.queries", "Graph"),
    "NamedQuery": ("cakg.queries", "NamedQuery"),
    "list_queries": ("cakg.queries", "list_queries"),
    "load_query": ("cakg.queries", "load_query"),
    "open_graph": ("cakg.queries", "open"),
    "run_query": ("cakg.queries", "run_query"),
}


def __getattr__(name: str) -> Any:
    """The query library's names, imported when first used (``cakg.open_graph(...)``)."""
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'cakg' has no attribute {name!r}")
