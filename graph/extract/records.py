"""What one article says, as typed records: extraction decides them, the writer spells them.

Every subject, relation and mention is settled when a record is made
(:mod:`cakg.graph.extract.article`); :mod:`cakg.graph.extract.triples` turns the records
into RDF without deciding anything, so what the graph says can be read, tested and
compared here, apart from how RDF spells it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from cakg.graph import claims as claimlib

__all__ = [
    "Agreement",
    "AnswerRecord",
    "ArticleRecord",
    "ArticleRecords",
    "ClaimRecord",
    "Evidence",
    "ExpertRecord",
    "LocalEntity",
    "QuestionRecord",
    "QuestionTemplate",
    "Relation",
]

CONTEXT = 32  # characters of oa:prefix / oa:suffix (Web Annotation §4.2.4 leaves it open)


@dataclass(frozen=True)
class Evidence:
    """Where a statement stands in its source: the span, its exact text and a little context.

    >>> e = Evidence.quote(URIRef("urn:a"), "Trade grew. Ties held.", 12, 22)
    >>> (e.exact, e.prefix, e.suffix)
    ('Ties held.', 'Trade grew. ', '')
    """

    source: URIRef
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    @classmethod
    def quote(cls, source: URIRef, text: str, start: int, end: int) -> Evidence:
        """The evidence of ``text[start:end]``, with up to CONTEXT characters either side."""
        return cls(
            source,
            start,
            end,
            text[start:end],
            text[max(0, start - CONTEXT) : start],
            text[end : end + CONTEXT],
        )


class _Quoted:
    """A record whose text is its evidence's quote: its span and text read from there."""

    evidence: Evidence

    @property
    def start(self) -> int:
        return self.evidence.start

    @property
    def end(self) -> int:
        return self.evidence.end

    @property
    def text(self) -> str:
        return self.evidence.exact


@dataclass(frozen=True)
class LocalEntity:
    """An entity the reference data does not know, minted in the article's graph."""

    iri: URIRef
    cls: URIRef
    label: str
    acronym: str | None = None
    involves: tuple[URIRef, ...] = ()


@dataclass(frozen=True)
class Relation:
    """The bilateral relation between two states (one IRI whichever order they come in)."""

    iri: URIRef
    label: str
    alt_labels: tuple[str, ...]
    between: tuple[URIRef, URIRef]


@dataclass(frozen=True)
class Agreement:
    """An agreement named beside two states: its parties, and the relation it concerns."""

    iri: URIRef
    parties: tuple[URIRef, URIRef]
    relation: URIRef | None


@dataclass(frozen=True)
class ArticleRecord:
    """The article itself, and the extraction activity that made its named graph."""

    iri: URIRef
    slug: str
    title: str
    source: str  # the input file's name
    url: str | None
    publisher: URIRef | None
    published: str | None  # as the metadata gives it: a date, a month or a year
    language: str | None
    rights: str | None
    abstract: str | None
    graph: URIRef
    activity: URIRef
    agent: URIRef
    agent_label: str
    derived_from: str | None = None  # the address a fetched page was asked for
    retrieved: str | None = None  # when it was fetched (ISO 8601 date-time, UTC)


@dataclass(frozen=True)
class ExpertRecord:
    """An expert as the header introduces them."""

    iri: URIRef
    name: str
    job_title: str | None
    affiliation: URIRef | None
    nationality: URIRef | None


@dataclass(frozen=True)
class QuestionTemplate:
    """What questions differing only by the states they name have in common."""

    iri: URIRef
    label: str


@dataclass(frozen=True)
class QuestionRecord:
    """One question: its text, what it names and what it is about."""

    iri: URIRef
    article: URIRef
    ordinal: int
    text: str
    evidence: Evidence
    mentions: tuple[URIRef, ...]
    template: QuestionTemplate
    parameters: tuple[URIRef, ...]  # the states the template's ‹state› places stand for
    subject: URIRef | None


@dataclass(frozen=True)
class ClaimRecord(_Quoted):
    """One claim: a sentence of an answer, classified, with what it names and is about."""

    iri: URIRef
    answer: int  # the answer's ordinal in the article
    answer_iri: URIRef
    author: URIRef
    ordinal: int
    evidence: Evidence
    classification: claimlib.Classification
    mentions: tuple[URIRef, ...]
    states: tuple[URIRef, ...]
    organizations: tuple[URIRef, ...]
    about: URIRef | None


@dataclass(frozen=True)
class AnswerRecord(_Quoted):
    """One expert's answer to one question: what it is about and names, and its trend."""

    iri: URIRef
    ordinal: int
    expert: str  # the expert's name as the header gives it
    author: URIRef
    question: str  # the question's text
    question_iri: URIRef
    article: URIRef
    evidence: Evidence
    about: URIRef | None
    mentions: tuple[URIRef, ...]
    states: frozenset[URIRef]
    organizations: frozenset[URIRef]
    topics: tuple[str, ...]
    trend_cue: claimlib.Cue

    @property
    def trend(self) -> str:
        return self.trend_cue.label


@dataclass(frozen=True)
class ArticleRecords:
    """Everything one article's named graph says."""

    article: ArticleRecord
    entities: tuple[LocalEntity, ...]
    experts: tuple[ExpertRecord, ...]
    relations: tuple[Relation, ...]
    questions: tuple[QuestionRecord, ...]
    agreements: tuple[Agreement, ...]
    answers: tuple[AnswerRecord, ...]
    claims: tuple[ClaimRecord, ...]
