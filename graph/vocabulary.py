"""The controlled vocabularies (trend, claim type, certainty, topic, role), read from the ontology.

The ontology (``ontology/cakg.ttl``) is the one place where each vocabulary is listed: a SKOS
concept scheme for trend, claim type, certainty and topic, and the ``org:Role`` individuals
for membership roles. Everything else in cakg — extraction, curation, query parameters,
views, the shapes' ``sh:in`` lists (checked by a test) — reads them from here, so adding a
topic means editing the ontology (and the topic lexicon that finds it in text).

A concept has a *key*, its IRI's local name without the vocabulary's prefix
(``no-change``), and a *label*, its ``skos:prefLabel`` (``no change``); either finds it.
The order of a vocabulary is that of its ``owl:AllDifferent`` list in the ontology: an RDF
list is ordered, while ``skos:hasTopConcept`` is a set (SKOS Reference §4).

>>> [c.key for c in vocabulary("trend")]
['strengthening', 'weakening', 'no-change', 'uncertain']
>>> concept_iri("trend", "no change") == concept_iri("trend", "no-change")
True
>>> str(concept_iri("role", "dialogue partner"))
'https://cakg.example.org/ontology#role-dialogue-partner'
>>> lookup("certainty", "very high") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, SKOS

from cakg.graph.namespaces import CAKG, ORG

__all__ = ["KINDS", "Concept", "concept_iri", "key_of", "lookup", "require", "vocabulary"]

#: Vocabulary name -> (the class or scheme that gathers its concepts, the IRI prefix of its
#: concepts' local names). This says where each vocabulary lives, not what it holds.
KINDS: dict[str, tuple[URIRef, str]] = {
    "trend": (CAKG.TrendScheme, "trend-"),
    "type": (CAKG.ClaimTypeScheme, "type-"),
    "certainty": (CAKG.CertaintyScheme, "certainty-"),
    "topic": (CAKG.TopicScheme, "topic-"),
    "role": (ORG.Role, "role-"),
    "outcome": (CAKG.OutcomeScheme, "outcome-"),
}


@dataclass(frozen=True)
class Concept:
    """One concept of a controlled vocabulary."""

    iri: URIRef
    key: str
    label: str


def key_of(kind: str, iri: str) -> str:
    """A concept's key: its IRI's local name without the vocabulary's prefix.

    >>> key_of("trend", "https://cakg.example.org/ontology#trend-no-change")
    'no-change'
    """
    _, prefix = KINDS[kind]
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return local.removeprefix(prefix)


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


def _members(onto: Graph, kind: str) -> list[URIRef]:
    gatherer, _ = KINDS[kind]
    if kind == "role":
        return [s for s in onto.subjects(RDF.type, gatherer) if isinstance(s, URIRef)]
    return [s for s in onto.subjects(SKOS.inScheme, gatherer) if isinstance(s, URIRef)]


def _order(onto: Graph, members: set[URIRef]) -> list[URIRef] | None:
    for node in onto.subjects(RDF.type, OWL.AllDifferent):
        listed = onto.value(node, OWL.members)
        if listed is None:
            continue
        items = [i for i in Collection(onto, listed) if isinstance(i, URIRef)]
        if set(items) == members:
            return items
    return None


@cache
def vocabulary(kind: str) -> tuple[Concept, ...]:
    """The concepts of one vocabulary (``trend``, ``type``, ``certainty``, ``topic``, ``role``)."""
    from cakg.graph.ontology import ontology_graph

    if kind not in KINDS:
        raise KeyError(f"no vocabulary {kind!r}; known: {', '.join(KINDS)}")
    onto = ontology_graph()
    members = _members(onto, kind)
    ordered = _order(onto, set(members))
    if ordered is None:  # pragma: no cover - guarded by tests/test_vocabulary.py
        raise ValueError(f"the ontology has no owl:AllDifferent list of the {kind} concepts")
    out = []
    for iri in ordered:
        label = onto.value(iri, SKOS.prefLabel)
        local = str(iri).removeprefix(str(CAKG))
        out.append(Concept(iri, key_of(kind, str(iri)), str(label) if label else local))
    return tuple(out)


@cache
def _index(kind: str) -> dict[str, Concept]:
    index: dict[str, Concept] = {}
    for c in vocabulary(kind):
        index[_norm(c.key)] = c
        index[_norm(c.label)] = c
        index[_norm(str(c.iri))] = c
    return index


def lookup(kind: str, text: str) -> Concept | None:
    """The concept of ``kind`` whose key, label or IRI is ``text`` (case and hyphens aside)."""
    return _index(kind).get(_norm(text))


def require(kind: str, text: str) -> Concept:
    """Like :func:`lookup`, but a ``KeyError`` that lists the allowed values when not found.

    >>> require("trend", "sideways")
    Traceback (most recent call last):
    ...
    KeyError: "no trend 'sideways'; one of: strengthening, weakening, no change, uncertain"
    """
    found = lookup(kind, text)
    if found is None:
        allowed = ", ".join(c.label for c in vocabulary(kind))
        raise KeyError(f"no {kind} {text!r}; one of: {allowed}")
    return found


def concept_iri(kind: str, text: str) -> URIRef:
    """The IRI of a concept named by key or label (``KeyError`` if there is none)."""
    return require(kind, text).iri
