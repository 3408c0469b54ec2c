"""Datatypes Oxigraph folds into xsd:integer, by the property whose values they type."""

from __future__ import annotations

import functools

from rdflib import URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

__all__ = ["integer_datatypes"]


@functools.cache
def integer_datatypes() -> dict[Node, URIRef]:
    """Properties whose values have a datatype derived from xsd:integer, and that datatype:
    OWL 2's cardinalities (OWL 2 Mapping to RDF §2) and the shapes' ``sh:datatype``."""
    from rdflib.namespace import OWL, SH

    from cakg.graph.ontology import shapes_graph

    out: dict[Node, URIRef] = {
        OWL[p]: XSD.nonNegativeInteger
        for p in ("cardinality", "minCardinality", "maxCardinality", "qualifiedCardinality",
                  "minQualifiedCardinality", "maxQualifiedCardinality")
    }  # fmt: skip
    derived = {
        XSD[t]
        for t in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                  "negativeInteger", "long", "int", "short", "byte",
                  "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")
    }  # fmt: skip
    shapes = shapes_graph()
    for shape, datatype in shapes.subject_objects(SH.datatype):
        path = shapes.value(shape, SH.path)
        if datatype in derived and isinstance(path, URIRef) and isinstance(datatype, URIRef):
            out[path] = datatype
    return out
