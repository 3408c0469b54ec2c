"""A built knowledge graph: named graphs (ontology, reference, one per article, inferred).

The build produces a :class:`KnowledgeGraph`; exports, stores and the reasoner read it.
It is serialized canonically as TriG (`kg.trig`), which keeps the named graphs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from cakg.errors import InputError
from cakg.graph.namespaces import DEFAULT_BASE, bind_prefixes

__all__ = ["KnowledgeGraph", "load_knowledge_graph"]


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


def load_knowledge_graph(path: Path) -> KnowledgeGraph:
    """Read a TriG or N-Quads file back into named graphs (base taken from the graph names)."""
    if not path.exists():
        raise InputError("no such file (build the graph first with `cakg build`)", path=path)
    if path.is_dir():
        path = path / "kg.trig"
        if not path.exists():
            raise InputError("no kg.trig in this folder", path=path.parent)
    fmt = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads"}.get(path.suffix.lower())
    ds = Dataset()
    try:
        if fmt is None:
            ds.graph(URIRef(path.resolve().as_uri())).parse(path, format=None)
        else:
            ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise InputError(
            f"not valid RDF: {str(exc).splitlines()[0] if str(exc) else exc}", path=path
        ) from None
    kg = KnowledgeGraph()
    for g in ds.graphs():
        if not isinstance(g.identifier, URIRef) or len(g) == 0:
            continue
        target = kg.graph(g.identifier)
        for t in g:
            target.add(t)
        name = str(g.identifier)
        if "/graph/" in name:
            kg.base = name.split("/graph/")[0] + "/"
    return kg
