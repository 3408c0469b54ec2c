"""One article's records as RDF: the only place that spells an article's graph in triples.

Nothing is decided here: every subject, mention and label comes settled in the records
(:mod:`cakg.graph.extract.records`). This module knows the vocabulary the contract
uses for each record (cakg, schema.org, Dublin Core, PROV-O, the Web Annotation model).
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from cakg.graph import claims as claimlib
from cakg.graph.extract.records import (
    Agreement,
    AnswerRecord,
    ArticleRecord,
    ArticleRecords,
    ClaimRecord,
    Evidence,
    ExpertRecord,
    LocalEntity,
    QuestionRecord,
    Relation,
)
from cakg.graph.namespaces import CAKG, DCT, OA, PROV, SCHEMA, bind_prefixes
from cakg.graph.vocabulary import concept_iri

__all__ = ["add_evidence", "article_graph"]


def article_graph(records: ArticleRecords) -> Graph:
    """The named graph of one article's records."""
    g = Graph()
    bind_prefixes(g)
    _article(g, records.article)
    for entity in records.entities:
        _entity(g, entity)
    for expert in records.experts:
        _expert(g, expert)
    for relation in records.relations:
        _relation(g, relation)
    for question in records.questions:
        _question(g, question)
    for agreement in records.agreements:
        _agreement(g, agreement)
    for answer in records.answers:
        _answer(g, answer)
    for claim in records.claims:
        _claim(g, claim)
    return g


def _date_literal(value: str) -> Literal:
    """A date typed as precisely as it is written (XSD date, gYearMonth, gYear)."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.match(r"\d{4}-\d{2}-\d{2}T", value):
        return Literal(value[:10], datatype=XSD.date)
    return Literal(value)


def _article(g: Graph, a: ArticleRecord) -> None:
    g.add((a.iri, RDF.type, CAKG.Article))
    g.add((a.iri, SCHEMA.headline, Literal(a.title)))
    g.add((a.iri, RDFS.label, Literal(a.title, lang="en")))
    g.add((a.iri, DCT.source, Literal(a.source)))
    if a.url is not None:
        g.add((a.iri, SCHEMA.url, URIRef(a.url)))
    if a.derived_from is not None:
        # A fetched page: where it came from and when (PROV-O §3.1, wasDerivedFrom,
        # generatedAtTime), so the graph says which copy of a changing page it read.
        g.add((a.iri, PROV.wasDerivedFrom, URIRef(a.derived_from)))
    if a.retrieved is not None:
        g.add((a.iri, PROV.generatedAtTime, Literal(a.retrieved, datatype=XSD.dateTime)))
    if a.publisher is not None:
        g.add((a.iri, CAKG.publisher, a.publisher))
    if a.published is not None:
        g.add((a.iri, SCHEMA.datePublished, _date_literal(a.published)))
    if a.language is not None:
        g.add((a.iri, SCHEMA.inLanguage, Literal(a.language)))
    if a.rights is not None:
        g.add((a.iri, DCT.rights, Literal(a.rights)))
    if a.abstract is not None:
        g.add((a.iri, SCHEMA.abstract, Literal(a.abstract)))
    g.add((a.agent, RDF.type, PROV.SoftwareAgent))
    g.add((a.agent, RDFS.label, Literal(a.agent_label, lang="en")))
    g.add((a.activity, RDF.type, PROV.Activity))
    g.add((a.activity, PROV.used, a.iri))
    g.add((a.activity, PROV.wasAssociatedWith, a.agent))
    g.add((a.graph, PROV.wasGeneratedBy, a.activity))


def _entity(g: Graph, e: LocalEntity) -> None:
    g.add((e.iri, RDF.type, e.cls))
    g.add((e.iri, RDFS.label, Literal(e.label, lang="en")))
    g.add((e.iri, SCHEMA.name, Literal(e.label)))
    if e.acronym is not None:
        g.add((e.iri, CAKG.acronym, Literal(e.acronym)))
    # cakg:linked false marks what the reference data does not know (docs/model.md).
    g.add((e.iri, CAKG.linked, Literal(False)))
    for other in e.involves:
        g.add((e.iri, CAKG.involves, other))


def _expert(g: Graph, x: ExpertRecord) -> None:
    g.add((x.iri, RDF.type, CAKG.Expert))
    g.add((x.iri, SCHEMA.name, Literal(x.name)))
    g.add((x.iri, RDFS.label, Literal(x.name, lang="en")))
    if x.job_title is not None:
        g.add((x.iri, CAKG.jobTitle, Literal(x.job_title)))
    if x.affiliation is not None:
        g.add((x.iri, CAKG.affiliation, x.affiliation))
    if x.nationality is not None:
        g.add((x.iri, CAKG.nationality, x.nationality))


def _relation(g: Graph, r: Relation) -> None:
    g.add((r.iri, RDF.type, CAKG.BilateralRelation))
    g.add((r.iri, RDFS.label, Literal(r.label, lang="en")))
    for alt in r.alt_labels:
        g.add((r.iri, SKOS.altLabel, Literal(alt, lang="en")))
    for state in r.between:
        g.add((r.iri, CAKG.relationBetween, state))


def _agreement(g: Graph, a: Agreement) -> None:
    for state in a.parties:
        g.add((a.iri, CAKG.party, state))
    if a.relation is not None:
        g.add((a.relation, CAKG.concernsAgreement, a.iri))


def add_evidence(g: Graph, subject: URIRef, e: Evidence, link: URIRef = CAKG.hasEvidence) -> None:
    """Web Annotation evidence: a SpecificResource with position and quote selectors (§4.2)."""
    ev = URIRef(f"{subject}/evidence")
    pos = URIRef(f"{ev}/position")
    quote = URIRef(f"{ev}/quote")
    g.add((subject, link, ev))
    g.add((ev, RDF.type, CAKG.Evidence))
    g.add((ev, RDF.type, OA.SpecificResource))
    g.add((ev, OA.hasSource, e.source))
    g.add((ev, OA.hasSelector, pos))
    g.add((ev, OA.hasSelector, quote))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, Literal(e.start, datatype=XSD.nonNegativeInteger)))
    g.add((pos, OA.end, Literal(e.end, datatype=XSD.nonNegativeInteger)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(e.exact)))
    g.add((quote, OA.prefix, Literal(e.prefix)))
    g.add((quote, OA.suffix, Literal(e.suffix)))


def _mentions(g: Graph, subject: URIRef, mentions: tuple[URIRef, ...]) -> None:
    for iri in mentions:
        g.add((subject, CAKG.mentions, iri))


def _question(g: Graph, q: QuestionRecord) -> None:
    g.add((q.iri, RDF.type, CAKG.Question))
    g.add((q.iri, SCHEMA.text, Literal(q.text)))
    g.add((q.iri, CAKG.inArticle, q.article))
    g.add((q.iri, CAKG.ordinal, Literal(q.ordinal)))
    add_evidence(g, q.iri, q.evidence)
    _mentions(g, q.iri, q.mentions)
    g.add((q.template.iri, RDF.type, CAKG.QuestionTemplate))
    g.add((q.template.iri, RDFS.label, Literal(q.template.label, lang="en")))
    g.add((q.iri, CAKG.instanceOfTemplate, q.template.iri))
    for state in q.parameters:
        g.add((q.iri, CAKG.templateParameter, state))
    if q.subject is not None:
        g.add((q.iri, CAKG.questionSubject, q.subject))


def _cue_text(cue: claimlib.Cue) -> str:
    """A label's reason as one string: the rule, and the words that triggered it."""
    return f"{cue.rule}: {cue.text}" if cue.text else cue.rule


def _answer(g: Graph, a: AnswerRecord) -> None:
    g.add((a.iri, RDF.type, CAKG.Answer))
    g.add((a.iri, CAKG.answers, a.question_iri))
    g.add((a.iri, CAKG.answeredBy, a.author))
    g.add((a.iri, CAKG.inArticle, a.article))
    g.add((a.iri, CAKG.ordinal, Literal(a.ordinal)))
    g.add((a.iri, SCHEMA.text, Literal(a.text)))
    add_evidence(g, a.iri, a.evidence)
    if a.about is not None:
        g.add((a.iri, CAKG.about, a.about))
    _mentions(g, a.iri, a.mentions)
    for topic in a.topics:
        g.add((a.iri, CAKG.hasTopic, concept_iri("topic", topic)))
    g.add((a.iri, CAKG.hasTrend, concept_iri("trend", a.trend)))
    g.add((a.iri, CAKG.trendCue, Literal(_cue_text(a.trend_cue))))


def _claim(g: Graph, c: ClaimRecord) -> None:
    g.add((c.iri, RDF.type, CAKG.Claim))
    g.add((c.iri, CAKG.inAnswer, c.answer_iri))
    g.add((c.iri, CAKG.claimedBy, c.author))
    g.add((c.iri, SCHEMA.text, Literal(c.text)))
    g.add((c.iri, CAKG.ordinal, Literal(c.ordinal)))
    add_evidence(g, c.iri, c.evidence)
    cls = c.classification
    g.add((c.iri, CAKG.hasClaimType, concept_iri("type", cls.claim_type.label)))
    g.add((c.iri, CAKG.typeCue, Literal(_cue_text(cls.claim_type))))
    g.add((c.iri, CAKG.hasTrend, concept_iri("trend", cls.trend.label)))
    g.add((c.iri, CAKG.trendCue, Literal(_cue_text(cls.trend))))
    g.add((c.iri, CAKG.hasCertainty, concept_iri("certainty", cls.certainty.label)))
    g.add((c.iri, CAKG.certaintyCue, Literal(_cue_text(cls.certainty))))
    for topic in cls.topics:
        g.add((c.iri, CAKG.hasTopic, concept_iri("topic", topic.label)))
        g.add((c.iri, CAKG.topicCue, Literal(f"{topic.label}: {topic.text}")))
    _mentions(g, c.iri, c.mentions)
    if c.about is not None:
        g.add((c.iri, CAKG.about, c.about))
