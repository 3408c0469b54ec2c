"""Namespaces and the minting of stable, readable IRIs.

>>> m = Minter("https://example.org/kg/")
>>> str(m.state("Kazakhstan"))
'https://example.org/kg/state/kazakhstan'
>>> str(m.relation("Uzbekistan", "Kazakhstan"))
'https://example.org/kg/relation/kazakhstan--uzbekistan'
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

# The project's own vocabulary. Stable across data bases: a user's --base changes
# where the data lives, never what the terms mean.
CAKG = Namespace("https://cakg.example.org/ontology#")
ONTOLOGY_IRI = URIRef("https://cakg.example.org/ontology")

# http, not https: docs/standard-view.md and most linked data (ClaimsKG) use http://schema.org/.
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
DCT = DCTERMS

DEFAULT_BASE = "https://cakg.example.org/id/"

PREFIXES: dict[str, str] = {
    "cakg": str(CAKG),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "skos": str(SKOS),
    "dct": str(DCT),
    "void": str(VOID),
    "dcat": str(DCAT),
    "time": str(TIME),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
}

__all__ = [
    "CAKG",
    "DCAT",
    "DCT",
    "DEFAULT_BASE",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "TIME",
    "VOID",
    "WD",
    "XSD",
    "Minter",
    "bind_prefixes",
    "graph_base",
    "slugify",
]


def slugify(text: str) -> str:
    """Lower-case ASCII slug of a name: transliterated accents, hyphens between words.

    >>> slugify("Aigerim Sultanova")
    'aigerim-sultanova'
    >>> slugify("Côte d’Ivoire")
    'cote-d-ivoire'
    """
    # Apostrophes and other marks separate words ("d’Ivoire"); accents fold to ASCII.
    decomposed = unicodedata.normalize("NFKD", re.sub(r"[^\w\s]", " ", text))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug or "x"


class Minter:
    """Mints the IRIs of one build under a base; the same input always gives the same IRIs."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+[/#]$", base):
            raise ValueError(f"base IRI must be an http(s) IRI ending in '/' or '#': {base!r}")
        self.base = base

    def iri(self, path: str) -> URIRef:
        """The IRI of a path under the base."""
        return URIRef(self.base + path)

    def state(self, name: str) -> URIRef:
        return self.iri(f"state/{slugify(name)}")

    def org(self, key: str) -> URIRef:
        return self.iri(f"org/{slugify(key)}")

    def person(self, name: str) -> URIRef:
        return self.iri(f"person/{slugify(name)}")

    def place(self, name: str) -> URIRef:
        return self.iri(f"place/{slugify(name)}")

    def agreement(self, name: str) -> URIRef:
        return self.iri(f"agreement/{slugify(name)}")

    def event(self, name: str) -> URIRef:
        return self.iri(f"event/{slugify(name)}")

    def article(self, slug: str) -> URIRef:
        return self.iri(f"article/{slugify(slug)}")

    def relation(self, a: str, b: str) -> URIRef:
        """A bilateral relation: the two states' slugs in sorted order, so it is symmetric."""
        first, second = sorted((slugify(a), slugify(b)))
        return self.iri(f"relation/{first}--{second}")

    def question_template(self, slug: str) -> URIRef:
        return self.iri(f"question-template/{slugify(slug)}")

    def membership(self, member: str, org: str, role: str, start: str | None) -> URIRef:
        tail = f"--{slugify(start)}" if start else ""
        return self.iri(f"membership/{slugify(member)}--{slugify(org)}--{slugify(role)}{tail}")

    def graph(self, name: str) -> URIRef:
        """A named graph: 'reference', 'ontology', 'inferred', 'article/<slug>', ..."""
        return self.iri(f"graph/{name}")

    def article_graph(self, slug: str) -> URIRef:
        return self.graph(f"article/{slugify(slug)}")


def graph_base(name: str) -> str | None:
    """The base IRI a named graph was minted under (``<base>graph/<name>``), else None.

    >>> graph_base("https://example.org/kg/graph/article/x"), graph_base("urn:x")
    ('https://example.org/kg/', None)
    """
    head, sep, _ = name.partition("/graph/")
    return head + "/" if sep else None


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset (override rdflib's defaults)."""
    bind = graph.bind
    for prefix, ns in PREFIXES.items():
        bind(prefix, ns, override=True, replace=True)
