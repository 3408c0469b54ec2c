"""`cakg info`: what a built graph holds, counted with SPARQL over the store.

>>> from rdflib import Graph, URIRef
>>> from rdflib.namespace import RDF
>>> from cakg.graph.namespaces import CAKG
>>> from cakg.graph.store.engines import OxigraphStore
>>> g = Graph(); _ = g.add((URIRef("urn:x:expert"), RDF.type, CAKG.Expert))
>>> s = OxigraphStore(); s.add_graph(URIRef("urn:x:graph"), g)
>>> store_info(s)["experts"], store_info(s)["triples"]
(1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cakg.graph.store.engines import Store, open_store

__all__ = ["graph_info", "store_info"]

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


def store_info(store: Store) -> dict[str, int]:
    """Counts of the main kinds of things, the named graphs and the triples in a store."""
    classes = " ".join(_COUNTS.values())
    rows = store.query(_QUERY.format(classes=classes)).rows
    by_class = {str(r["cls"]).rsplit("#", 1)[-1]: int(str(r["n"])) for r in rows}
    out = {label: by_class.get(curie.split(":")[1], 0) for label, curie in _COUNTS.items()}
    total = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    out["named graphs"] = len(store.graph_names())
    out["triples"] = int(str(total[0]["n"])) if total else 0
    return out


def graph_info(paths: Sequence[Path]) -> dict[str, int]:
    """Counts for built graph files (kg.trig by default)."""
    return store_info(open_store(list(paths)))
