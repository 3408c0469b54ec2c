"""`cakg info`: what a built graph holds, counted with SPARQL over the store.

>>> from rdflib import Graph, URIRef
>>> from rdflib.namespace import RDF
>>> from cakg.graph.namespaces import CAKG
>>> from cakg.graph.store.engines import OxigraphStore
>>> g = Graph(); _ = g.add((URIRef("urn:x:expert"), RDF.type, CAKG.Expert))
>>> s = OxigraphStore(); s.add_graph(URIRef("urn:x:graph"), g)
>>> store_info(s)["experts"], store_info(s)[TRIPLES]
(1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from cakg.graph.store.dataset import KnowledgeGraph
from cakg.graph.store.engines import OxigraphStore, Store, open_store

__all__ = ["TRIPLES", "graph_info", "store_info", "triple_count"]

TRIPLES = "triples (distinct, all graphs merged)"
"""The label of :func:`triple_count` wherever a command or page shows it."""

_COUNTS = {
    "articles": "cakg:Article",
    "states": "cakg:State",
    "international organizations": "cakg:InternationalOrganization",
    "organizations": "cakg:Organization",
    "experts": "cakg:Expert",
    "questions": "cakg:Question",
    "answers": "cakg:Answer",
    "claims": "cakg:Claim",
    "bilateral relations": "cakg:BilateralRelation",
    "memberships": "cakg:Membership",
}

_QUERY = """PREFIX cakg: <https://cakg.example.org/ontology#>
SELECT ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?cls {{ {classes} }}
  ?s a ?cls .
}} GROUP BY ?cls"""

# Both patterns, so that the count does not depend on whether an engine's default graph
# is the union of the named graphs (SPARQL 1.1 Service Description: sd:UnionDefaultGraph).
_DISTINCT_TRIPLES = """SELECT (COUNT(*) AS ?n) WHERE {
  SELECT DISTINCT ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }
}"""


def triple_count(data: KnowledgeGraph | Graph | Store) -> int:
    """The distinct triples of all graphs together: a triple stated in two graphs counts once.

    This is what the single-graph exports (kg.ttl, kg.nt, kg.jsonld, kg.rdf) hold, what
    SHACL validates, and what VoID means by a dataset's ``void:triples``, so every
    command reports one number for one dataset, whichever of its files it reads.

    >>> from rdflib import URIRef
    >>> kg = KnowledgeGraph()
    >>> for name in ("urn:g1", "urn:g2"):
    ...     _ = kg.graph(URIRef(name)).add((URIRef("urn:s"), URIRef("urn:p"), URIRef("urn:o")))
    >>> triple_count(kg)
    1
    """
    if isinstance(data, KnowledgeGraph):
        return len({t for _, g in data for t in g})
    if isinstance(data, Graph):
        return len(data)
    if isinstance(data, OxigraphStore):
        return data.merged_size()  # its default graph is the merge: no DISTINCT over graphs
    rows = data.query(_DISTINCT_TRIPLES).rows
    return int(str(rows[0]["n"])) if rows else 0


def store_info(store: Store) -> dict[str, int]:
    """Counts of the main kinds of things, the named graphs and the triples in a store."""
    classes = " ".join(_COUNTS.values())
    rows = store.query(_QUERY.format(classes=classes)).rows
    by_class = {str(r["cls"]).rsplit("#", 1)[-1]: int(str(r["n"])) for r in rows}
    out = {label: by_class.get(curie.split(":")[1], 0) for label, curie in _COUNTS.items()}
    out["named graphs"] = len(store.graph_names())
    out[TRIPLES] = triple_count(store)
    return out


def graph_info(paths: Sequence[Path]) -> dict[str, int]:
    """Counts for built graph files (kg.trig by default)."""
    return store_info(open_store(list(paths)))
