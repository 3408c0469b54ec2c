"""Canonical form of a graph for writing: blank nodes relabelled, quads and triples sorted.

Blank nodes are relabelled canonically (rdflib's hash-based canonicalization over the triples
that hold them, then short labels ``b0``, ``b1``… in the order of those hashes), so the same
graph gives the same labels in every process, whatever ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from cakg.graph.namespaces import PREFIXES, bind_prefixes
from cakg.graph.store.dataset import KnowledgeGraph

__all__ = [
    "Prepared",
    "Quad",
    "Triple",
    "canonical_quads",
    "prepare",
    "prepare_graph",
    "term_key",
    "triple_key",
]

Quad = tuple[Node, Node, Node, URIRef]
Triple = tuple[Node, Node, Node]


def term_key(term: Node) -> tuple[int, str]:
    """A total order on terms that does not depend on rdflib's cross-type comparisons."""
    if isinstance(term, URIRef):
        return (0, str(term))
    if isinstance(term, BNode):
        return (1, str(term))
    return (2, term.n3())


def triple_key(t: Sequence[Node]) -> tuple[tuple[int, str], ...]:
    return tuple(term_key(x) for x in t)


def _canonical(quads: Iterable[Quad]) -> list[Quad]:
    """Relabel blank nodes canonically, consistently across graphs; return sorted quads.

    Only triples that hold a blank node influence the labels, so they alone are
    canonicalized. Graph membership is folded into the predicate (one surrogate IRI per
    graph and predicate) so a blank node shared by two graphs keeps one label.
    """
    plain: list[Quad] = []
    holding = Graph()
    decode: dict[URIRef, tuple[URIRef, Node]] = {}
    for s, p, o, g in quads:
        if isinstance(s, BNode) or isinstance(o, BNode):
            digest = hashlib.sha256(f"{g}\n{p}".encode()).hexdigest()
            surrogate = URIRef(f"urn:x-cakg-quad:{digest}")
            decode[surrogate] = (g, p)
            holding.add((s, surrogate, o))
        else:
            plain.append((s, p, o, g))
    out = plain
    if len(holding):
        canonical = list(to_canonical_graph(holding))
        hashes = sorted({str(x) for t in canonical for x in t if isinstance(x, BNode)})
        short = {h: BNode(f"b{i}") for i, h in enumerate(hashes)}

        def relabel(x: Node) -> Node:
            return short[str(x)] if isinstance(x, BNode) else x

        for s, p, o in canonical:
            g, pred = decode[URIRef(str(p))]
            out.append((relabel(s), pred, relabel(o), g))
    out.sort(key=lambda q: (term_key(q[3]), *triple_key(q[:3])))
    return out


def canonical_quads(kg: KnowledgeGraph) -> list[Quad]:
    """All quads of the graph, blank nodes relabelled canonically, sorted by graph then triple."""
    return _canonical((s, p, o, name) for name, g in kg for s, p, o in g)


_MERGED = URIRef("urn:x-cakg:merged")


@dataclass
class Prepared:
    """A graph made ready to write: canonical blank nodes, sorted quads, and its prefixes.

    Canonicalizing is the costly step, so ``write_exports`` prepares once and writes
    every format from the same preparation.
    """

    quads: list[Quad]
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))

    @cached_property
    def triples(self) -> list[Triple]:
        """The merged graph: every distinct triple of every named graph, sorted."""
        return sorted({(s, p, o) for s, p, o, _ in self.quads}, key=triple_key)

    @cached_property
    def by_graph(self) -> dict[URIRef, list[Triple]]:
        out: dict[URIRef, list[Triple]] = {}
        for s, p, o, g in self.quads:
            out.setdefault(g, []).append((s, p, o))
        return out

    def namespaces(self) -> Graph:
        """An empty graph with the prefixes bound (rdflib's writers take them from a graph)."""
        g = Graph()
        bind_prefixes(g)
        for prefix, ns in self.prefixes.items():
            g.bind(prefix, ns, override=False)
        return g

    def graph(self, triples: Iterable[Triple] | None = None) -> Graph:
        """An rdflib graph of the merged triples (or of ``triples``), filled in sorted order."""
        g = self.namespaces()
        for t in self.triples if triples is None else triples:
            g.add(t)
        return g


def prepare(kg: KnowledgeGraph) -> Prepared:
    """Canonicalize a knowledge graph's named graphs for writing."""
    return Prepared(canonical_quads(kg))


def prepare_graph(graph: Graph) -> Prepared:
    """Canonicalize one graph, keeping the prefixes its author bound (e.g. sd: in VoID)."""
    name = graph.identifier if isinstance(graph.identifier, URIRef) else _MERGED
    prefixes = dict(PREFIXES)
    for prefix, ns in graph.namespaces():
        # Never rdflib's generated prefixes (ns1) or its defaults for namespaces that the
        # project names otherwise (rdflib binds https://schema.org/ as schema).
        if (
            prefix
            and prefix not in prefixes
            and not prefix.startswith("ns")
            and str(ns) not in PREFIXES.values()
        ):
            prefixes[prefix] = str(ns)
    return Prepared(_canonical((s, p, o, name) for s, p, o in graph), prefixes)
