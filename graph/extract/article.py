"""From one article to its named graph: experts, questions, answers, claims, mentions, evidence.

The steps are general: the structure parser finds experts and answers by the shape
of the lines, the gazetteer links what the reference data knows, the entity finder
types what it does not, and the claim classifier labels each claim with the cue
that decided it. Nothing here names a particular article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from cakg import __version__
from cakg.errors import InputError
from cakg.graph import claims as claimlib
from cakg.graph.entities.finder import Entity, find_entities, suppressed
from cakg.graph.entities.gazetteer import Gazetteer, Match
from cakg.graph.namespaces import CAKG, DCT, OA, PROV, SCHEMA, Minter, bind_prefixes, slugify
from cakg.graph.text.reader import ArticleText
from cakg.graph.text.structure import ArticleStructure, parse_structure

__all__ = ["AnswerRecord", "ClaimRecord", "Extraction", "concept", "extract_article"]

_CONTEXT = 32  # characters of oa:prefix / oa:suffix (Web Annotation §4.2.4 leaves it open)


def concept(scheme: str, label: str) -> URIRef:
    """The SKOS concept IRI of a label: concept("trend", "no change") -> cakg:trend-no-change."""
    return CAKG[f"{scheme}-{slugify(label)}"]


@dataclass
class ClaimRecord:
    """One extracted claim, kept beside the RDF for evaluation and reports."""

    iri: URIRef
    answer: int
    start: int
    end: int
    classification: claimlib.Classification
    mentions: list[URIRef]
    about: URIRef | None


@dataclass
class AnswerRecord:
    """One extracted answer."""

    iri: URIRef
    expert: str
    question: str
    start: int
    end: int
    trend: str
    states: set[URIRef] = field(default_factory=set)
    organizations: set[URIRef] = field(default_factory=set)


@dataclass
class Extraction:
    """The result of extracting one article: its graph and the records behind it."""

    article: ArticleText
    structure: ArticleStructure
    slug: str
    iri: URIRef
    graph: Graph
    answers: list[AnswerRecord]
    claims: list[ClaimRecord]
    warnings: list[str]


def article_slug(article: ArticleText, title: str | None) -> str:
    """A readable, stable slug: the metadata's `slug`, else the title's words, else the file's."""
    if article.meta.get("slug"):
        return slugify(str(article.meta["slug"]))
    base = title or article.name.rsplit(".", 1)[0]
    slug = slugify(base)
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return slug


_RELATION_CUE = re.compile(
    r"\b(relations?|relationships?|ties|bilateral|between|cooperation|partnership|allian\w*|"
    r"allied|border|neighbou?r\w*|partner\w*|mutual|each other|two (?:states|countries))\b",
    re.IGNORECASE,
)
_REGION_CUE = re.compile(r"\b(region|regional|regions)\b", re.IGNORECASE)


class _Builder:
    """Holds one article's graph while it is being filled."""

    def __init__(
        self, article: ArticleText, minter: Minter, gazetteer: Gazetteer, reference: Graph
    ) -> None:
        self.article = article
        self.text = article.text
        self.minter = minter
        self.gaz = gazetteer
        self.ref = reference
        self.g = Graph()
        bind_prefixes(self.g)
        self.year = _year(str(article.meta.get("date_published", "")))
        self.labels: dict[URIRef, str] = {}
        self.title_places: set[URIRef] = set()

    # -- helpers ---------------------------------------------------------------------------

    def label(self, iri: URIRef) -> str:
        if iri not in self.labels:
            value = self.ref.value(iri, RDFS.label) or self.g.value(iri, RDFS.label)
            self.labels[iri] = str(value) if value is not None else iri.rsplit("/", 1)[-1]
        return self.labels[iri]

    def evidence(self, subject: URIRef, source: URIRef, start: int, end: int) -> None:
        """Web Annotation evidence: a SpecificResource with position and quote selectors."""
        ev = URIRef(f"{subject}/evidence")
        pos = URIRef(f"{ev}/position")
        quote = URIRef(f"{ev}/quote")
        g = self.g
        g.add((subject, CAKG.hasEvidence, ev))
        g.add((ev, RDF.type, CAKG.Evidence))
        g.add((ev, RDF.type, OA.SpecificResource))
        g.add((ev, OA.hasSource, source))
        g.add((ev, OA.hasSelector, pos))
        g.add((ev, OA.hasSelector, quote))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((pos, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(self.text[start:end])))
        g.add((quote, OA.prefix, Literal(self.text[max(0, start - _CONTEXT) : start])))
        g.add((quote, OA.suffix, Literal(self.text[end : end + _CONTEXT])))

    def matches(self, start: int, end: int) -> tuple[list[Match], list[Entity]]:
        found = self.gaz.find(self.text, start, end)
        ents = find_entities(
            self.text,
            found,
            start=start,
            end=end,
            year=self.year,
            labels={m.iri: self.label(m.iri) for m in found},
            dated=self.title_places,
        )
        return list(suppressed(found, ents)), ents

    def entity_node(self, ent: Entity) -> URIRef:
        """The node of an entity the reference data does not know (marked cakg:linked false)."""
        minter, g = self.minter, self.g
        kind_cls = {
            "person": (minter.person, CAKG.Person),
            "organization": (minter.org, CAKG.Organization),
            "agreement": (minter.agreement, CAKG.Agreement),
            "event": (minter.event, CAKG.Event),
        }
        mint, cls = kind_cls[ent.kind]
        iri = mint(ent.key)
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(ent.label, lang="en")))
        g.add((iri, SCHEMA.name, Literal(ent.label)))
        g.add((iri, CAKG.linked, Literal(False)))
        for other in ent.involves:
            g.add((iri, CAKG.involves, other))
        return iri

    def organization(self, name: str) -> URIRef:
        """An organization named in a header or byline: linked when the gazetteer knows it."""
        found = [m for m in self.gaz.find(name) if m.kind == "organization"]
        if found and found[0].start == 0 and found[0].end == len(name):
            return found[0].iri
        acronym = None
        m = re.match(r"^(?P<acr>[A-Z]{2,10})\s*[-–—:]\s*(?P<name>.+)$", name)
        if m:
            acronym, name = m.group("acr"), m.group("name").strip()
        iri = self.minter.org(acronym or name)
        self.g.add((iri, RDF.type, CAKG.Organization))
        self.g.add((iri, RDFS.label, Literal(name, lang="en")))
        self.g.add((iri, SCHEMA.name, Literal(name)))
        if acronym:
            self.g.add((iri, CAKG.acronym, Literal(acronym)))
        self.g.add((iri, CAKG.linked, Literal(False)))
        return iri

    def state_of(self, surface: str) -> URIRef | None:
        for m in self.gaz.find(surface):
            if m.kind == "state":
                return m.iri
        return None

    def relation(self, a: URIRef, b: URIRef) -> URIRef:
        """The BilateralRelation between two states (same IRI whichever order they come in)."""
        sa, sb = str(a).rsplit("/", 1)[-1], str(b).rsplit("/", 1)[-1]
        iri = self.minter.relation(sa, sb)
        la, lb = sorted((self.label(a), self.label(b)))
        g = self.g
        g.add((iri, RDF.type, CAKG.BilateralRelation))
        g.add((iri, RDFS.label, Literal(f"{la}–{lb} relations", lang="en")))
        for x, y in ((la, lb), (lb, la)):
            g.add((iri, SKOS.altLabel, Literal(f"{x}-{y}", lang="en")))
            g.add((iri, SKOS.altLabel, Literal(f"{x}–{y}", lang="en")))
        g.add((iri, CAKG.relationBetween, a))
        g.add((iri, CAKG.relationBetween, b))
        return iri

    def region_of(self, states: Iterable[URIRef]) -> URIRef | None:
        """The region most of these states belong to (reference data's cakg:partOfRegion)."""
        counts: Counter[URIRef] = Counter()
        for s in states:
            for r in self.ref.objects(s, CAKG.partOfRegion):
                if isinstance(r, URIRef):
                    counts[r] += 1
        return counts.most_common(1)[0][0] if counts else None


def _year(date: str) -> str | None:
    m = re.match(r"^(\d{4})", date.strip())
    return m.group(1) if m else None


def _date_literal(value: str) -> Literal:
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


def _distinct(items: Iterable[URIRef]) -> list[URIRef]:
    seen: dict[URIRef, None] = {}
    for i in items:
        seen.setdefault(i, None)
    return list(seen)


def _template(text: str, offset: int, state_matches: Sequence[Match]) -> str:
    """The question (starting at `offset` in the article) with each state replaced by ‹state›."""
    out, last = [], 0
    for m in sorted(state_matches, key=lambda x: x.start):
        out.append(text[last : m.start - offset])
        out.append("‹state›")
        last = m.end - offset
    out.append(text[last:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def extract_article(
    article: ArticleText,
    minter: Minter,
    gazetteer: Gazetteer,
    reference: Graph,
    *,
    slug: str | None = None,
) -> Extraction:
    """Extract one article into its own graph; InputError when no expert or answer is found."""
    b = _Builder(article, minter, gazetteer, reference)
    text, g = article.text, b.g

    def is_state(surface: str) -> bool:
        return b.state_of(surface) is not None

    st = parse_structure(text, is_state)
    where = article.path or article.name
    if not st.experts:
        raise InputError(
            "no expert found (expected a header line such as 'Name, role, affiliation (Country):')",
            path=where,
        )
    if not st.answers:
        line = st.experts[0].line
        raise InputError(
            "experts found but no answer (expected question lines ending in '?' "
            "followed by answer paragraphs)",
            path=where,
            line=line,
        )

    title = st.title or str(article.meta.get("title") or article.name)
    b.title_places = {m.iri for m in gazetteer.find(title)}
    slug = slug or article_slug(article, st.title or article.meta.get("title"))
    art = minter.article(slug)

    # -- the article --------------------------------------------------------------------------
    g.add((art, RDF.type, CAKG.Article))
    g.add((art, SCHEMA.headline, Literal(title)))
    g.add((art, RDFS.label, Literal(title, lang="en")))
    g.add((art, DCT.source, Literal(article.name)))
    if article.meta.get("url"):
        g.add((art, SCHEMA.url, URIRef(str(article.meta["url"]).strip())))
    publisher = article.meta.get("publisher") or st.publisher
    if publisher:
        g.add((art, CAKG.publisher, b.organization(str(publisher))))
    if article.meta.get("date_published"):
        g.add((art, SCHEMA.datePublished, _date_literal(str(article.meta["date_published"]))))
    if article.meta.get("language"):
        g.add((art, SCHEMA.inLanguage, Literal(str(article.meta["language"]))))
    if article.meta.get("rights"):
        g.add((art, DCT.rights, Literal(str(article.meta["rights"]))))
    if st.lead:
        lead_start, lead_end = st.lead[0][0], st.lead[-1][1]
        g.add((art, SCHEMA.abstract, Literal(text[lead_start:lead_end])))
    agent = minter.iri("software/cakg")
    activity = URIRef(f"{art}/extraction")
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"cakg {__version__}", lang="en")))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.used, art))
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((minter.article_graph(slug), PROV.wasGeneratedBy, activity))

    # -- experts ------------------------------------------------------------------------------
    experts: dict[str, URIRef] = {}
    nationality: dict[str, URIRef] = {}
    for h in st.experts:
        p = minter.person(h.name)
        experts[h.name] = p
        g.add((p, RDF.type, CAKG.Expert))
        g.add((p, SCHEMA.name, Literal(h.name)))
        g.add((p, RDFS.label, Literal(h.name, lang="en")))
        if h.role:
            g.add((p, CAKG.jobTitle, Literal(h.role)))
        if h.affiliation:
            g.add((p, CAKG.affiliation, b.organization(h.affiliation)))
        state = b.state_of(h.country)
        if state is not None:
            g.add((p, CAKG.nationality, state))
            nationality[h.name] = state
    article_region = b.region_of(nationality.values())

    # -- questions ----------------------------------------------------------------------------
    q_iris: list[URIRef] = []
    q_subject: dict[int, URIRef | None] = {}
    q_states: dict[int, list[URIRef]] = {}
    askers = {a.question: a.expert for a in st.answers}
    for q in st.questions:
        qi = URIRef(f"{art}/question/{q.index + 1}")
        q_iris.append(qi)
        g.add((qi, RDF.type, CAKG.Question))
        g.add((qi, SCHEMA.text, Literal(q.text)))
        g.add((qi, CAKG.inArticle, art))
        g.add((qi, CAKG.ordinal, Literal(q.index + 1)))
        b.evidence(qi, art, q.start, q.end)
        found, ents = b.matches(q.start, q.end)
        state_matches = [m for m in found if m.kind == "state"]
        states = _distinct(m.iri for m in state_matches)
        q_states[q.index] = states
        for iri in _distinct([m.iri for m in found] + [b.entity_node(e) for e in ents]):
            g.add((qi, CAKG.mentions, iri))
        # Every question has a template, so answers to the same question line up across
        # experts; questions differing only by the states they name share one.
        template = _template(q.text, q.start, state_matches)
        tmpl = minter.question_template(template.replace("‹state›", "state"))
        g.add((tmpl, RDF.type, CAKG.QuestionTemplate))
        g.add((tmpl, RDFS.label, Literal(template, lang="en")))
        g.add((qi, CAKG.instanceOfTemplate, tmpl))
        for s in states:
            g.add((qi, CAKG.templateParameter, s))
        orgs = _distinct(m.iri for m in found if m.kind == "organization")
        subject: URIRef | None
        expert_state = nationality.get(askers.get(q.index, ""))
        if len(states) >= 2:
            subject = b.relation(states[0], states[1])
        elif (
            len(states) == 1
            and expert_state is not None
            and expert_state != states[0]
            and _RELATION_CUE.search(q.text)
        ):
            subject = b.relation(states[0], expert_state)
        elif orgs:
            subject = orgs[0]
        elif _REGION_CUE.search(q.text) or not states:
            subject = article_region
        else:
            subject = states[0]
        q_subject[q.index] = subject
        if subject is not None:
            g.add((qi, CAKG.questionSubject, subject))
        for e in ents:
            if e.kind == "agreement" and subject is not None and len(states) >= 2:
                ag = minter.agreement(e.key)
                g.add((subject, CAKG.concernsAgreement, ag))
                for s in states[:2]:
                    g.add((ag, CAKG.party, s))

    # -- answers and claims -------------------------------------------------------------------
    answers: list[AnswerRecord] = []
    claim_records: list[ClaimRecord] = []
    n_claim = 0
    for n_answer, a in enumerate(st.answers, start=1):
        ai = URIRef(f"{art}/answer/{n_answer}")
        author = experts[a.expert]
        question = st.questions[a.question]
        subject = q_subject.get(a.question)
        g.add((ai, RDF.type, CAKG.Answer))
        g.add((ai, CAKG.answers, q_iris[a.question]))
        g.add((ai, CAKG.answeredBy, author))
        g.add((ai, CAKG.inArticle, art))
        g.add((ai, CAKG.ordinal, Literal(n_answer)))
        g.add((ai, SCHEMA.text, Literal(text[a.start : a.end])))
        b.evidence(ai, art, a.start, a.end)
        if subject is not None:
            g.add((ai, CAKG.about, subject))
        record = AnswerRecord(ai, a.expert, question.text, a.start, a.end, "uncertain")
        classifications: list[claimlib.Classification] = []
        for p_start, p_end in a.paragraphs:
            for c_start, c_end in claimlib.split_claims(text, p_start, p_end):
                n_claim += 1
                ci = URIRef(f"{art}/claim/{n_claim}")
                sentence = text[c_start:c_end]
                cls = claimlib.classify(sentence)
                classifications.append(cls)
                found, ents = b.matches(c_start, c_end)
                mentioned = _distinct([m.iri for m in found] + [b.entity_node(e) for e in ents])
                states = _distinct(m.iri for m in found if m.kind == "state")
                orgs = _distinct(m.iri for m in found if m.kind == "organization")
                record.states.update(states)
                record.organizations.update(orgs)
                about = _claim_subject(b, sentence, states, orgs, subject, q_states[a.question])
                g.add((ci, RDF.type, CAKG.Claim))
                g.add((ci, CAKG.inAnswer, ai))
                g.add((ci, CAKG.claimedBy, author))
                g.add((ci, SCHEMA.text, Literal(sentence)))
                g.add((ci, CAKG.ordinal, Literal(n_claim)))
                b.evidence(ci, art, c_start, c_end)
                _classification_triples(g, ci, cls)
                for iri in mentioned:
                    g.add((ci, CAKG.mentions, iri))
                    g.add((ai, CAKG.mentions, iri))
                if about is not None:
                    g.add((ci, CAKG.about, about))
                for e in ents:
                    if e.kind == "agreement" and about is not None and len(states) >= 2:
                        ag = minter.agreement(e.key)
                        for s in states[:2]:
                            g.add((ag, CAKG.party, s))
                        if (about, RDF.type, CAKG.BilateralRelation) in g:
                            g.add((about, CAKG.concernsAgreement, ag))
                for topic in cls.topics:
                    g.add((ai, CAKG.hasTopic, concept("topic", topic.label)))
                claim_records.append(
                    ClaimRecord(ci, n_answer, c_start, c_end, cls, mentioned, about)
                )
        trend = claimlib.answer_trend(classifications, question.text)
        record.trend = trend.label
        g.add((ai, CAKG.hasTrend, concept("trend", trend.label)))
        g.add((ai, CAKG.trendCue, Literal(_cue_text(trend))))
        answers.append(record)

    warnings = [f"{article.name}: {w}" for w in st.warnings]
    return Extraction(article, st, slug, art, g, answers, claim_records, warnings)


def _cue_text(cue: claimlib.Cue) -> str:
    return f"{cue.rule}: {cue.text}" if cue.text else cue.rule


def _classification_triples(g: Graph, ci: URIRef, cls: claimlib.Classification) -> None:
    g.add((ci, CAKG.hasClaimType, concept("type", cls.claim_type.label)))
    g.add((ci, CAKG.typeCue, Literal(_cue_text(cls.claim_type))))
    g.add((ci, CAKG.hasTrend, concept("trend", cls.trend.label)))
    g.add((ci, CAKG.trendCue, Literal(_cue_text(cls.trend))))
    g.add((ci, CAKG.hasCertainty, concept("certainty", cls.certainty.label)))
    g.add((ci, CAKG.certaintyCue, Literal(_cue_text(cls.certainty))))
    for t in cls.topics:
        g.add((ci, CAKG.hasTopic, concept("topic", t.label)))
        g.add((ci, CAKG.topicCue, Literal(f"{t.label}: {t.text}")))


def _claim_subject(
    b: _Builder,
    sentence: str,
    states: list[URIRef],
    orgs: list[URIRef],
    question_subject: URIRef | None,
    question_states: list[URIRef],
) -> URIRef | None:
    """What a claim is mainly about: a relation it names, else its question's subject."""
    if len(states) >= 2 and _RELATION_CUE.search(sentence):
        pair = [s for s in question_states if s in states][:2]
        if len(pair) < 2:
            pair = states[:2]
        return b.relation(pair[0], pair[1])
    if question_subject is not None and (
        (not states and not orgs) or set(states) <= set(question_states)
    ):
        return question_subject
    if orgs and not states:
        return orgs[0]
    if len(states) == 1:
        return states[0]
    return question_subject
