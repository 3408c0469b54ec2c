"""Forecast horizons of an article's predictions: OWL-Time intervals with the words as evidence.

Every prediction claim says whether it states when (``cakg:horizonStated``). One that does
gets a ``cakg:Horizon`` (a ``time:Interval``) whose ``time:hasBeginning`` and ``time:hasEnd``
are ``time:Instant``\\ s with ``time:inXSDDate`` where the article's date resolves them
(:mod:`cakg.graph.claims.horizon` holds the rules), the words that decided it as
``cakg:horizonCue``, and their place in the article as evidence like every claim's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, TIME, XSD

from cakg.graph.claims.horizon import Horizon, find_horizon
from cakg.graph.extract.records import ArticleRecords, ClaimRecord, Evidence
from cakg.graph.extract.triples import add_evidence
from cakg.graph.namespaces import CAKG, bind_prefixes

__all__ = ["HorizonRecord", "horizon_graph", "horizons"]

# The claim type that looks ahead (its label in the ontology's claim type scheme).
_PREDICTION = "prediction"


@dataclass(frozen=True)
class HorizonRecord:
    """A prediction's stated horizon (None when it states none), with its evidence."""

    claim: ClaimRecord
    horizon: Horizon | None
    evidence: Evidence | None


def _within(claim: ClaimRecord, offset: int, length: int) -> Evidence:
    """The evidence of words of a claim, read from the claim's own quote and context (which
    reach as far either side as any evidence's context does)."""
    e = claim.evidence
    window = e.prefix + e.exact + e.suffix
    at = len(e.prefix) + offset
    part = Evidence.quote(e.source, window, at, at + length)
    start = e.start + offset
    return Evidence(e.source, start, start + length, part.exact, part.prefix, part.suffix)


def horizons(records: ArticleRecords) -> list[HorizonRecord]:
    """The horizon of every prediction of an article."""
    published = records.article.published
    out = []
    for claim in records.claims:
        if claim.classification.claim_type.label != _PREDICTION:
            continue
        found = find_horizon(claim.text, published)
        evidence = None if found is None else _within(claim, found.offset, found.length)
        out.append(HorizonRecord(claim, found, evidence))
    return out


def _instant(g: Graph, iri: URIRef, day: date) -> URIRef:
    g.add((iri, RDF.type, TIME.Instant))
    g.add((iri, TIME.inXSDDate, Literal(day.isoformat(), datatype=XSD.date)))
    return iri


def horizon_graph(records: ArticleRecords) -> Graph:
    """The horizon triples of an article's predictions."""
    g = Graph()
    bind_prefixes(g)
    for h in horizons(records):
        g.add((h.claim.iri, CAKG.horizonStated, Literal(h.horizon is not None)))
        if h.horizon is None or h.evidence is None:
            continue
        node = URIRef(f"{h.claim.iri}/horizon")
        g.add((h.claim.iri, CAKG.hasHorizon, node))
        g.add((node, RDF.type, CAKG.Horizon))
        g.add((node, RDFS.label, Literal(h.horizon.words, lang="en")))
        g.add((node, CAKG.horizonCue, Literal(h.horizon.words)))
        if h.horizon.start is not None:
            g.add((node, TIME.hasBeginning, _instant(g, URIRef(f"{node}/start"), h.horizon.start)))
        if h.horizon.end is not None:
            g.add((node, TIME.hasEnd, _instant(g, URIRef(f"{node}/end"), h.horizon.end)))
        add_evidence(g, node, h.evidence, CAKG.horizonEvidence)
    return g
