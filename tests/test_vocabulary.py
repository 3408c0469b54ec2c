"""Each controlled vocabulary is listed once (the ontology); the shapes and Python agree with it."""

from __future__ import annotations

import pytest
from rdflib import URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SKOS

from cakg.graph.namespaces import CAKG, ORG
from cakg.graph.ontology import ontology_graph, shapes_graph
from cakg.graph.vocabulary import KINDS, concept_iri, lookup, require, vocabulary

SH_IN = URIRef("http://www.w3.org/ns/shacl#in")
SH_PATH = URIRef("http://www.w3.org/ns/shacl#path")

# Which vocabulary the values of each property come from.
PATH_KIND = {
    CAKG.hasTrend: "trend",
    CAKG.hasClaimType: "type",
    CAKG.hasCertainty: "certainty",
    CAKG.hasTopic: "topic",
    ORG.role: "role",
    CAKG.hasOutcome: "outcome",
}


def _sh_in_lists() -> list[tuple[URIRef, list[URIRef]]]:
    shapes = shapes_graph()
    out = []
    for node, listed in shapes.subject_objects(SH_IN):
        path = shapes.value(node, SH_PATH)
        assert isinstance(path, URIRef), f"sh:in without a plain sh:path on {node}"
        out.append((path, [i for i in Collection(shapes, listed) if isinstance(i, URIRef)]))
    return out


def test_every_sh_in_list_is_checked() -> None:
    lists = _sh_in_lists()
    assert len(lists) >= 7
    assert {path for path, _ in lists} <= set(PATH_KIND)


@pytest.mark.parametrize(("path", "values"), _sh_in_lists(), ids=lambda x: str(x)[-12:])
def test_shapes_sh_in_equals_the_vocabulary(path: URIRef, values: list[URIRef]) -> None:
    assert values == [c.iri for c in vocabulary(PATH_KIND[path])]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_vocabulary_is_the_ontology_scheme(kind: str) -> None:
    onto = ontology_graph()
    gatherer, prefix = KINDS[kind]
    concepts = vocabulary(kind)
    assert len(concepts) >= 3
    for c in concepts:
        assert str(c.iri) == f"{CAKG}{prefix}{c.key}"
        assert onto.value(c.iri, RDFS.label) is not None
        assert onto.value(c.iri, SKOS.definition) is not None
        if kind == "role":
            assert (c.iri, RDF.type, ORG.Role) in onto
        else:
            assert (c.iri, SKOS.inScheme, gatherer) in onto
            assert (gatherer, SKOS.hasTopConcept, c.iri) in onto


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_lookup_by_key_label_and_iri(kind: str) -> None:
    for c in vocabulary(kind):
        assert lookup(kind, c.key) == c
        assert lookup(kind, c.label.upper()) == c
        assert lookup(kind, str(c.iri)) == c
        assert concept_iri(kind, c.label) == c.iri


def test_unknown_value_lists_the_allowed_ones() -> None:
    with pytest.raises(KeyError, match="one of: high, medium, low"):
        require("certainty", "absolute")
    with pytest.raises(KeyError, match="no vocabulary"):
        vocabulary("colour")
