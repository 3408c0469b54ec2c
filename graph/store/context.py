"""What the store says of the nodes one article touches: the data to check an article with.

SHACL shapes look at a focus node's own triples and the types of its values; OWL axioms
(domains, ranges, disjointness, functional properties) at an individual's types and
values. So an article is checked with its own triples, the triples other graphs state
about the nodes it mentions, and the types of what those point to: never the whole
corpus, and a size that does not grow with it (a shared expert's description is the same
dozen triples whether ten articles hold it or a thousand).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rdflib import Graph, URIRef

from cakg.graph.namespaces import RDF
from cakg.graph.store.engines import OxigraphStore

__all__ = ["article_context"]


def article_context(
    store: OxigraphStore, graphs: Mapping[URIRef, Graph], *, outside: Sequence[URIRef] = ()
) -> Graph:
    """An article's graphs merged with what ``store`` says of the nodes they touch.

    ``outside``: graphs of the store that are not context, such as the article's own graphs
    when it is being rewritten (then the other named graphs are read, not the merge).

    >>> from rdflib import Literal
    >>> a, b, p = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:p")
    >>> other = Graph(); _ = other.add((b, RDF.type, URIRef("urn:C")))
    >>> _ = other.add((URIRef("urn:x"), p, Literal("elsewhere")))
    >>> s = OxigraphStore(); s.add_graph(URIRef("urn:g1"), other)
    >>> mine = Graph(); _ = mine.add((a, p, b))
    >>> sorted(str(o) for _, _, o in article_context(s, {URIRef("urn:g2"): mine}))
    ['urn:C', 'urn:b']
    """
    data = Graph()
    for g in graphs.values():
        for t in g:
            data.add(t)
    nodes = {n for s, _, o in data for n in (s, o) if isinstance(n, URIRef)}
    for node in nodes:
        for t in store.triples(node, None, None, outside=outside):
            data.add(t)
    for value in {o for _, _, o in data if isinstance(o, URIRef)} - nodes:
        for t in store.triples(value, RDF.type, None):
            data.add(t)
    return data
