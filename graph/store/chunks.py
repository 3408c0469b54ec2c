"""Triples in chunks for a remote store: requests of bounded size that keep blank nodes whole."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph
from rdflib.term import Node

__all__ = ["GSP_CHUNK", "UPDATE_CHUNK", "chunk_triples", "ntriples"]

GSP_CHUNK = 20_000  # triples per Graph Store request
# Triples per INSERT DATA request: Virtuoso 7.2 compiles an update to SQL and refuses
# more than 10,000 lines of it, which about 2,000 triples exceed; 500 leaves a margin.
UPDATE_CHUNK = 500


def chunk_triples(graph: Graph, size: int) -> list[list[tuple[Node, Node, Node]]]:
    """Split a graph into chunks of about ``size`` triples, never splitting a blank node.

    Blank node labels are scoped to one document or request (RDF 1.1 Concepts §3.4,
    SPARQL 1.1 Update §3.1.1), so all triples that reach one blank node (through other
    blank nodes too) go into the same chunk.

    >>> from rdflib import Graph, URIRef, BNode
    >>> g = Graph(); b = BNode()
    >>> _ = g.add((URIRef("urn:s"), URIRef("urn:p"), b))
    >>> _ = g.add((b, URIRef("urn:q"), URIRef("urn:o")))
    >>> [len(c) for c in chunk_triples(g, 1)]
    [2]
    """
    parent: dict[Node, Node] = {}

    def find(x: Node) -> Node:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    triples = sorted(graph, key=lambda t: tuple(x.n3() for x in t))
    for s, _, o in triples:
        if isinstance(s, BNode) and isinstance(o, BNode):
            a, b = find(s), find(o)
            if a != b:
                parent[a] = b
    groups: dict[Node, list[tuple[Node, Node, Node]]] = {}
    free: list[tuple[Node, Node, Node]] = []
    for t in triples:
        anchor = t[0] if isinstance(t[0], BNode) else t[2] if isinstance(t[2], BNode) else None
        if anchor is None:
            free.append(t)
        else:
            groups.setdefault(find(anchor), []).append(t)
    chunks: list[list[tuple[Node, Node, Node]]] = []
    # Blank-node groups and ground triples go into separate chunks: a store may need a
    # costlier request for blank nodes (an INSERT template rather than INSERT DATA).
    for part in ([*groups.values()], [[t] for t in free]):
        current: list[tuple[Node, Node, Node]] = []
        for group in part:
            if current and len(current) + len(group) > size:
                chunks.append(current)
                current = []
            current.extend(group)
        if current:
            chunks.append(current)
    return chunks


def ntriples(triples: Sequence[tuple[Node, Node, Node]]) -> bytes:
    g = Graph()
    for t in triples:
        g.add(t)
    return g.serialize(format="nt11", encoding="utf-8")
