"""The ontology, SHACL shapes and JSON-LD context as package data, and the alignment materializer.

The build calls :func:`materialize` to add the standard-vocabulary triples (schema.org,
W3C ORG, PROV-O, Web Annotation, SKOS) that the ontology's ``rdfs:subClassOf`` and
``rdfs:subPropertyOf`` axioms imply, so a consumer who knows only those vocabularies can
query an export without a reasoner.

>>> from rdflib import Graph, URIRef
>>> from cakg.graph.namespaces import CAKG, RDF
>>> g = Graph()
>>> _ = g.add((URIRef("urn:c"), RDF.type, CAKG.Claim))
>>> sorted(str(o) for o in materialize(g).objects(URIRef("urn:c"), RDF.type))
['http://schema.org/Claim', 'http://www.w3.org/ns/prov#Entity']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from cakg.graph.namespaces import ONTOLOGY_IRI, OWL, RDF, RDFS, bind_prefixes

__all__ = [
    "Closure",
    "closure",
    "context",
    "materialize",
    "ontology_graph",
    "ontology_text",
    "ontology_version",
    "ontology_version_iri",
    "shapes_graph",
]

_PACKAGE = "cakg.ontology"


def _read(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def ontology_text() -> str:
    """The ontology exactly as shipped (Turtle), e.g. to serve it at its IRI."""
    return _read("cakg.ttl")


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    g = Graph(identifier=ONTOLOGY_IRI)
    g.parse(data=ontology_text(), format="turtle")
    bind_prefixes(g)
    return g


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    g = Graph()
    g.parse(data=_read("shapes.ttl"), format="turtle")
    bind_prefixes(g)
    g.bind("sh", "http://www.w3.org/ns/shacl#")
    return g


def _copy(src: Graph) -> Graph:
    # Callers add the ontology to their datasets and sometimes to graphs they then
    # change; a copy keeps the cached parse pristine (cheap: about a thousand triples).
    out = Graph(identifier=src.identifier)
    for prefix, ns in src.namespaces():
        out.bind(prefix, ns, override=True)
    for t in src:
        out.add(t)
    return out


def ontology_graph() -> Graph:
    """The cakg ontology (OWL 2, parsed once from package data; a fresh copy on each call)."""
    return _copy(_ontology())


def shapes_graph() -> Graph:
    """The SHACL shapes graph (parsed once from package data; a fresh copy on each call)."""
    return _copy(_shapes())


@lru_cache(maxsize=1)
def _context_text() -> str:
    return _read("context.jsonld")


def context() -> dict[str, Any]:
    """The JSON-LD 1.1 context of the exports: the mapping inside the file's ``"@context"``.

    Pass it as ``context=`` to rdflib's JSON-LD serializer, or to pyld's ``compact``.

    >>> context()["author"]
    {'@id': 'schema:author', '@type': '@id'}
    """
    doc = json.loads(_context_text())
    inner: dict[str, Any] = doc["@context"]
    return inner


def ontology_version() -> str:
    """The ontology's ``owl:versionInfo`` (e.g. ``1.0.0``).

    >>> ontology_version() != ""
    True
    """
    value = _ontology().value(ONTOLOGY_IRI, OWL.versionInfo)
    return str(value) if value is not None else ""


def ontology_version_iri() -> URIRef:
    """The dated ``owl:versionIRI`` of this release of the ontology.

    >>> str(ontology_version_iri())
    'https://cakg.example.org/ontology/2026-11-28'
    """
    value = _ontology().value(ONTOLOGY_IRI, OWL.versionIRI)
    if not isinstance(value, URIRef):  # pragma: no cover - guarded by tests/test_ontology.py
        raise ValueError("the ontology has no owl:versionIRI")
    return value


# --- materialization of the alignment axioms ------------------------------------------------


@dataclass(frozen=True)
class Closure:
    """Strict, transitive super-classes and super-properties of each named term."""

    classes: Mapping[URIRef, frozenset[URIRef]]
    properties: Mapping[URIRef, frozenset[URIRef]]


def _transitive(edges: Mapping[URIRef, set[URIRef]]) -> dict[URIRef, frozenset[URIRef]]:
    # Depth-first closure per node; the hierarchy is tiny (tens of terms) and may in
    # principle contain cycles (equivalence via mutual subsumption), which `seen` stops.
    out: dict[URIRef, frozenset[URIRef]] = {}
    for start in edges:
        seen: set[URIRef] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
        seen.discard(start)
        if seen:
            out[start] = frozenset(seen)
    return out


def _named_edges(g: Graph, predicate: URIRef) -> dict[URIRef, set[URIRef]]:
    edges: dict[URIRef, set[URIRef]] = {}
    for s, o in g.subject_objects(predicate):
        # Only named terms: a blank-node super-class is a class expression (a restriction
        # or a union), which has no name an rdf:type triple could carry (OWL 2 RDF mapping §3.2.4).
        if isinstance(s, URIRef) and isinstance(o, URIRef) and o != OWL.Thing:
            edges.setdefault(s, set()).add(o)
    return edges


def closure(ontology: Graph | None = None) -> Closure:
    """The super-class and super-property closure of an ontology (cached for the shipped one).

    >>> from cakg.graph.namespaces import CAKG
    >>> sorted(str(c) for c in closure().classes[CAKG.Expert])[:2]
    ['http://schema.org/Person', 'http://www.w3.org/ns/prov#Agent']
    """
    if ontology is None:
        return _default_closure()
    return Closure(
        classes=_transitive(_named_edges(ontology, RDFS.subClassOf)),
        properties=_transitive(_named_edges(ontology, RDFS.subPropertyOf)),
    )


@lru_cache(maxsize=1)
def _default_closure() -> Closure:
    return closure(_ontology())


def materialize(
    data: Graph | Iterable[tuple[Node, Node, Node]], ontology: Graph | None = None
) -> Graph:
    """The triples the alignment axioms imply for ``data`` that ``data`` does not already hold.

    For every ``s p o`` with ``p`` having super-properties (transitively) it adds
    ``s super o``; for every ``s rdf:type C`` it adds the super-classes of ``C``; in all
    namespaces, the project's own included (an Expert is also a cakg:Person). This is the
    RDFS entailment of rules rdfs7 and rdfs9 (RDF 1.1 Semantics §9.2.1) restricted to the
    ontology's hierarchy: one dictionary lookup per triple, so linear in the data.
    """
    c = closure(ontology)
    classes, properties = c.classes, c.properties
    triples = list(data)
    # Python sets instead of one rdflib lookup per candidate: rdflib's Graph.__contains__
    # costs tens of microseconds, which dominated at 100k triples.
    targets = {RDF.type}.union(*properties.values()) if properties else {RDF.type}
    existing = {t for t in triples if t[1] in targets}
    found: set[tuple[Node, Node, Node]] = set()
    for s, p, o in triples:
        if p == RDF.type:
            supers = classes.get(o) if isinstance(o, URIRef) else None
            if supers:
                found.update((s, RDF.type, sup) for sup in supers)
            continue
        supers = properties.get(p) if isinstance(p, URIRef) else None
        if supers:
            found.update((s, sup, o) for sup in supers)
    out = Graph()
    bind_prefixes(out)
    for t in found - existing:
        out.add(t)
    return out
