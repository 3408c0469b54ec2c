"""A built knowledge graph: named graphs (ontology, reference, one per article, inferred).

The build produces a :class:`KnowledgeGraph`; exports, stores and the reasoner read it.
It is serialized canonically as TriG (`kg.trig`), which keeps the named graphs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from cakg.errors import InputError
from cakg.graph.formats import rdf_format_for_suffix
from cakg.graph.io import local_path
from cakg.graph.namespaces import DEFAULT_BASE, bind_prefixes, graph_base

__all__ = [
    "KnowledgeGraph",
    "built_graph_file",
    "built_graph_files",
    "is_store_folder",
    "load_knowledge_graph",
]


@dataclass
class KnowledgeGraph:
    """Named graphs of one build, keyed by graph IRI, plus the base the IRIs were minted under."""

    base: str = DEFAULT_BASE
    graphs: dict[URIRef, Graph] = field(default_factory=dict)

    def graph(self, name: URIRef) -> Graph:
        """The named graph `name`, created empty if missing."""
        if name not in self.graphs:
            g = Graph(identifier=name)
            bind_prefixes(g)
            self.graphs[name] = g
        return self.graphs[name]

    def __iter__(self) -> Iterator[tuple[URIRef, Graph]]:
        return iter(sorted(self.graphs.items()))

    def __len__(self) -> int:
        return sum(len(g) for g in self.graphs.values())

    def dataset(self) -> Dataset:
        """All named graphs as one rdflib Dataset (for TriG / N-Quads)."""
        ds = Dataset()
        bind_prefixes(ds)
        for name, g in self:
            target = ds.graph(name)
            for t in g:
                target.add(t)
        return ds

    def merged(self) -> Graph:
        """The union of all named graphs (for Turtle, JSON-LD, RDF/XML, N-Triples)."""
        out = Graph()
        bind_prefixes(out)
        for _, g in self:
            for t in g:
                out.add(t)
        return out


def is_store_folder(path: Path) -> bool:
    """Whether ``path`` is an on-disk Oxigraph store (`cakg build --store`): RocksDB keeps a
    CURRENT file there naming its manifest."""
    return path.is_dir() and (path / "CURRENT").is_file() and not (path / "kg.trig").exists()


def built_graph_file(path: Path | str) -> Path:
    """The file of a built graph: the path itself, the kg.trig of a build's folder, or an
    on-disk store's folder."""
    path = local_path(path)
    if not path.exists():
        raise InputError("no such file (build the graph first with `cakg build`)", path=path)
    if is_store_folder(path):
        return path
    if path.is_dir():
        if not (path / "kg.trig").exists():
            raise InputError(
                "no kg.trig in this folder (run `cakg build -o` here first)", path=path
            )
        return path / "kg.trig"
    return path


def built_graph_files(paths: Path | str | Sequence[Path | str]) -> list[Path]:
    """The files of one or more built graphs (see :func:`built_graph_file`)."""
    items = [paths] if isinstance(paths, Path | str) else list(paths)
    return [built_graph_file(p) for p in items]


def _read_file(path: Path) -> Dataset:
    """One RDF file as a Dataset: TriG and N-Quads keep their graphs, others get one named
    after the file."""
    fmt = rdf_format_for_suffix(path)
    ds = Dataset()
    try:
        if fmt is not None and fmt.keeps_graphs:
            ds.parse(path, format=fmt.rdflib)
        else:
            # Unknown suffixes are left to rdflib's own guess (it defaults to Turtle).
            ds.graph(URIRef(path.resolve().as_uri())).parse(path, format=None)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise InputError(
            f"not valid RDF: {str(exc).splitlines()[0] if str(exc) else exc}", path=path
        ) from None
    return ds


def _read_store(path: Path) -> list[Graph]:
    """The named graphs of an on-disk store (opened read-only)."""
    from cakg.graph.store.engines import OxigraphStore

    store = OxigraphStore.open_read_only(path)
    out = []
    for name in store.graph_names():
        g = Graph(identifier=name)
        for t in store.graph(name):
            g.add(t)
        out.append(g)
    return out


def load_knowledge_graph(paths: Path | str | Sequence[Path | str]) -> KnowledgeGraph:
    """Read built graph files (or build folders) into one KnowledgeGraph, merging their graphs.

    The base is read from the graph names (``<base>graph/…``), the first file's that has one.
    """
    kg = KnowledgeGraph()
    base: str | None = None
    for path in built_graph_files(paths):
        for g in _read_store(path) if path.is_dir() else _read_file(path).graphs():
            if not isinstance(g.identifier, URIRef) or len(g) == 0:
                continue
            target = kg.graph(g.identifier)
            for t in g:
                target.add(t)
            base = base or graph_base(str(g.identifier))
    kg.base = base or DEFAULT_BASE
    return kg
