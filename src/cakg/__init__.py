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
    from cakg.queries import (
        KnowledgeGraphQueries,
        NamedQuery,
        list_queries,
        load_query,
        open_graph,
        run_query,
    )

__all__ = [
    "CakgError",
    "InputError",
    "InvalidDataError",
    "KnowledgeGraphQueries",
    "NamedQuery",
    "__version__",
    "list_queries",
    "load_query",
    "open_graph",
    "run_query",
]

# The query library loads rdflib and pyoxigraph: imported on first use, so that `import cakg`
# (and every `cakg` command) stays fast.
_LAZY = frozenset(
    {"KnowledgeGraphQueries", "NamedQuery", "list_queries", "load_query", "open_graph", "run_query"}
)


def __getattr__(name: str) -> Any:
    """The query library's names, imported when first used (``cakg.open_graph(...)``)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module("cakg.queries"), name)
    raise AttributeError(f"module 'cakg' has no attribute {name!r}")
