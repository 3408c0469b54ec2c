"""From one article to its records and named graph: experts, questions, answers, claims, mentions.

The steps are general: the structure parser finds experts and answers by the shape
of the lines, the gazetteer links what the reference data knows, the entity finder
types what it does not, and the claim classifier labels each claim with the cue
that decided it. Nothing here names a particular article.

This module decides what the graph says (each question's and claim's subject, the
relations and agreements between states) as records (:mod:`cakg.graph.extract.records`);
:mod:`cakg.graph.extract.triples` writes them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from cakg import __version__
from cakg.errors import InputError
from cakg.graph import claims as claimlib
from cakg.graph.entities.finder import Entity, find_entities, suppressed
from cakg.graph.entities.gazetteer import Gazetteer, Match
from cakg.graph.extract.horizons import horizon_graph
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
    QuestionTemplate,
    Relation,
)
from cakg.graph.extract.triples import article_graph
from cakg.graph.namespaces import CAKG, Minter, slugify
from cakg.graph.text.reader import ArticleText
from cakg.graph.text.structure import (
    AnswerBlock,
    ArticleStructure,
    ExpertHeader,
    QuestionLine,
    parse_structure,
)

__all__ = ["AnswerRecord", "ClaimRecord", "Extraction", "extract_article"]


@dataclass
class Extraction:
    """The result of extracting one article: its records and the graph written from them."""

    article: ArticleText
    structure: ArticleStructure
    records: ArticleRecords
    graph: Graph
    warnings: list[str]

    @property
    def slug(self) -> str:
        return self.records.article.slug

    @property
    def iri(self) -> URIRef:
        return self.records.article.iri

    @property
    def answers(self) -> tuple[AnswerRecord, ...]:
        return self.records.answers

    @property
    def claims(self) -> tuple[ClaimRecord, ...]:
        return self.records.claims


def article_slug(article: ArticleText, title: str | None) -> str:
    """A readable, stable slug: the metadata's `slug`, else the title's words, else the file's."""
    if article.meta.get("slug"):
        return slugify(str(article.meta["slug"]))
    stem = article.name.rsplit(".", 1)[0]
    # A title with no letter or digit would slug to the same placeholder for every such
    # article, silently merging them; the file's name keeps them apart.
    slug = slugify(title) if title and re.search(r"\w", title) else ""
    slug = slug if slug and slug != "x" else slugify(stem)
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return slug


_RELATION_CUE = re.compile(
    r"\b(relations?|relationships?|ties|bilateral|between|cooperation|partnership|allian\w*|"
    r"allied|border|neighbou?r\w*|partner\w*|mutual|each other|two (?:states|countries))\b",
    re.IGNORECASE,
)
_REGION_CUE = re.compile(r"\b(region|regional|regions)\b", re.IGNORECASE)
# A state in the possessive ("Russia's position in the region", "China’s role") is what a
# question asks about: the region after it is only where that position is held.
_POSSESSIVE = re.compile(r"[’']s\b")


class _Context:
    """One article while its records are decided: its text, and what it has named so far."""

    def __init__(
        self,
        article: ArticleText,
        iri: URIRef,
        title: str,
        minter: Minter,
        gazetteer: Gazetteer,
        reference: Graph,
    ) -> None:
        self.article = article
        self.iri = iri
        self.text = article.text
        self.minter = minter
        self.gaz = gazetteer
        self.ref = reference
        self.year = _year(str(article.meta.get("date_published", "")))
        # "The events in X" take the article's year only for places its title names.
        self.title_places = {m.iri for m in gazetteer.find(title)}
        self.labels: dict[URIRef, str] = {}
        self.named: dict[URIRef, str] = {iri: title}  # labels of what it mints, first one kept
        self.entities: dict[LocalEntity, None] = {}
        self.relations: dict[URIRef, Relation] = {}
        self.agreements: dict[Agreement, None] = {}

    def minted(self, iri: URIRef, label: str) -> URIRef:
        """Note the label of a node this article mints, for :meth:`label`; return the node."""
        self.named.setdefault(iri, label)
        return iri

    def label(self, iri: URIRef) -> str:
        """A node's label: the reference data's, else the one this article gave it."""
        if iri not in self.labels:
            value = self.ref.value(iri, RDFS.label) or self.named.get(iri)
            self.labels[iri] = str(value) if value is not None else iri.rsplit("/", 1)[-1]
        return self.labels[iri]

    def evidence(self, start: int, end: int) -> Evidence:
        return Evidence.quote(self.iri, self.text, start, end)

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

    def local(self, entity: LocalEntity) -> URIRef:
        """Keep the record of an entity this article mints; return its node."""
        self.entities.setdefault(entity)
        return self.minted(entity.iri, entity.label)

    def mentions(self, found: Sequence[Match], ents: Sequence[Entity]) -> list[URIRef]:
        """What a span names: linked matches first, then the entities minted for the rest."""
        return _distinct([m.iri for m in found] + [self.entity(e) for e in ents])

    def entity(self, ent: Entity) -> URIRef:
        """The node of an entity the reference data does not know."""
        mint, cls = {
            "person": (self.minter.person, CAKG.Person),
            "organization": (self.minter.org, CAKG.Organization),
            "agreement": (self.minter.agreement, CAKG.Agreement),
            "event": (self.minter.event, CAKG.Event),
        }[ent.kind]
        return self.local(LocalEntity(mint(ent.key), cls, ent.label, None, ent.involves))

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
        return self.local(LocalEntity(iri, CAKG.Organization, name, acronym))

    def state_of(self, surface: str) -> URIRef | None:
        return _state_of(self.gaz, surface)

    def relation(self, a: URIRef, b: URIRef) -> URIRef:
        """The bilateral relation between two states (same IRI whichever order they come in)."""
        sa, sb = str(a).rsplit("/", 1)[-1], str(b).rsplit("/", 1)[-1]
        iri = self.minter.relation(sa, sb)
        if iri not in self.relations:
            la, lb = sorted((self.label(a), self.label(b)))
            alt = tuple(f"{x}{dash}{y}" for x, y in ((la, lb), (lb, la)) for dash in "-–")
            label = f"{la}–{lb} relations"
            self.relations[iri] = Relation(iri, label, alt, (a, b))
            self.minted(iri, label)
        return iri

    def agreements_of(
        self, ents: Iterable[Entity], states: Sequence[URIRef], subject: URIRef | None
    ) -> None:
        """Record the agreements named beside two or more states, between the first two.

        The agreement concerns the relation of those states when that is the subject.
        """
        if subject is None or len(states) < 2:
            return
        relation = subject if subject in self.relations else None
        for e in ents:
            if e.kind == "agreement":
                parties = (states[0], states[1])
                self.agreements.setdefault(
                    Agreement(self.minter.agreement(e.key), parties, relation)
                )

    def region_of(self, states: Iterable[URIRef]) -> URIRef | None:
        """The region most of these states belong to (reference data's cakg:partOfRegion)."""
        counts: Counter[URIRef] = Counter()
        for s in states:
            for r in self.ref.objects(s, CAKG.partOfRegion):
                if isinstance(r, URIRef):
                    counts[r] += 1
        return counts.most_common(1)[0][0] if counts else None


def _state_of(gazetteer: Gazetteer, surface: str) -> URIRef | None:
    """The state a country name (as in an expert's header) stands for, or the state that
    a city named instead lies in ("an institute in Almaty")."""
    found = gazetteer.find(surface)
    for m in found:
        if m.kind == "state":
            return m.iri
    return next((m.state for m in found if m.kind == "place" and m.state is not None), None)


def _names_a_state(gazetteer: Gazetteer, surface: str) -> bool:
    """True when the whole of `surface` is a state's name ("Kazakhstan", "the USA"), not a
    phrase that contains one ("Termez Centre for Afghan Studies")."""
    surface = re.sub(r"^the\s+", "", surface.strip(), flags=re.IGNORECASE)
    return any(
        m.kind == "state" and m.start == 0 and m.end == len(surface)
        for m in gazetteer.find(surface)
    )


def _states_and_people(
    gazetteer: Gazetteer, paragraph: str
) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Where a paragraph places people (a state by name, demonym or capital, or a city the
    reference data locates in a state) and the known people in it."""
    found = gazetteer.find(paragraph)
    states = [
        (m.start, m.end, m.surface)
        for m in found
        if m.kind == "state" or (m.kind == "place" and m.state is not None)
    ]
    return states, [m.surface for m in found if m.kind == "person"]


def _year(date: str) -> str | None:
    m = re.match(r"^(\d{4})", date.strip())
    return m.group(1) if m else None


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


# The layouts structure recognition reads (graph/text/headers.py, structure.py), named in
# the refusal so that a researcher sees what to look for; the README shows each.
LAYOUTS = (
    "expert headers such as 'Name, role, Institution (Country):', a name line with "
    "'role, Institution (Country)' under it, an interview guest introduced before the "
    "first question, 'Name (Country): answer' under topic headings (see the README, "
    "'What an article must look like')"
)


def _check_structure(st: ArticleStructure, article: ArticleText) -> None:
    """InputError unless the article has an expert and an answer, each of sure attribution."""
    where = article.path or article.name
    if not st.experts:
        if st.near_misses:
            # A line with a role or a country on it is closer to a header than a bare name.
            line, text, lacked = min(
                st.near_misses, key=lambda m: (m[2].startswith("is a bare"), m[0])
            )
            shown = text if len(text) <= 80 else text[:77] + "..."
            closest = f'closest: line {line}: "{shown}" {lacked}'
        else:
            closest = "no line names a person with a country"
        raise InputError(f"no expert found ({closest}); layouts read: {LAYOUTS}", path=where)
    if st.ambiguous:
        line, why = st.ambiguous[0]
        raise InputError(why, path=where, line=line)
    if not st.answers:
        raise InputError(
            "experts found but no answer (expected question lines ending in '?' "
            "followed by answer paragraphs)",
            path=where,
            line=st.experts[0].line,
        )


def _article_record(ctx: _Context, st: ArticleStructure, slug: str, title: str) -> ArticleRecord:
    art, meta = ctx.iri, ctx.article.meta
    publisher = meta.get("publisher") or st.publisher
    abstract = ctx.text[st.lead[0][0] : st.lead[-1][1]] if st.lead else None
    return ArticleRecord(
        iri=art,
        slug=slug,
        title=title,
        source=ctx.article.name,
        url=str(meta["url"]).strip() if meta.get("url") else None,
        publisher=ctx.organization(str(publisher)) if publisher else None,
        published=str(meta["date_published"]) if meta.get("date_published") else None,
        language=str(meta["language"]) if meta.get("language") else None,
        rights=str(meta["rights"]) if meta.get("rights") else None,
        abstract=abstract,
        graph=ctx.minter.article_graph(slug),
        activity=URIRef(f"{art}/extraction"),
        agent=ctx.minter.iri("software/cakg"),
        agent_label=f"cakg {__version__}",
        derived_from=str(meta["derived_from"]) if meta.get("derived_from") else None,
        retrieved=str(meta["retrieved"]) if meta.get("retrieved") else None,
    )


def _expert(ctx: _Context, h: ExpertHeader) -> ExpertRecord:
    iri = ctx.minted(ctx.minter.person(h.name), h.name)
    affiliation = ctx.organization(h.affiliation) if h.affiliation else None
    nationality = ctx.state_of(h.country) if h.country is not None else None
    return ExpertRecord(iri, h.name, h.role or None, affiliation, nationality)


def _question_subject(
    ctx: _Context,
    text: str,
    states: list[URIRef],
    orgs: list[URIRef],
    asker_state: URIRef | None,
    article_region: URIRef | None,
    possessive: Sequence[URIRef] = (),
) -> URIRef | None:
    """What a question asks about: a relation, an organization, a region or a state.

    ``possessive`` are the states named in the possessive: one of them, in a question that
    does not ask about relations ("How has the war in Ukraine changed Russia's position in
    the region?"), is the subject; the other places only say where or why.
    """
    owners = _distinct(possessive)
    if len(owners) == 1 and not _RELATION_CUE.search(text):
        return owners[0]
    if len(states) >= 2:
        return ctx.relation(states[0], states[1])
    if (
        len(states) == 1
        and asker_state is not None
        and asker_state != states[0]
        and _RELATION_CUE.search(text)
    ):
        return ctx.relation(states[0], asker_state)
    if orgs:
        return orgs[0]
    if _REGION_CUE.search(text) or not states:
        return article_region
    return states[0]


def _question(
    ctx: _Context,
    q: QuestionLine,
    art: URIRef,
    asker_state: URIRef | None,
    article_region: URIRef | None,
) -> QuestionRecord:
    found, ents = ctx.matches(q.start, q.end)
    state_matches = [m for m in found if m.kind == "state"]
    states = _distinct(m.iri for m in state_matches)
    mentions = ctx.mentions(found, ents)
    # Every question has a template, so answers to the same question line up across
    # experts; questions differing only by the states they name share one.
    template = _template(q.text, q.start, state_matches)
    tmpl = QuestionTemplate(
        ctx.minter.question_template(template.replace("‹state›", "state")), template
    )
    orgs = _distinct(m.iri for m in found if m.kind == "organization")
    possessive = [m.iri for m in state_matches if _POSSESSIVE.match(ctx.text, m.end)]
    subject = _question_subject(ctx, q.text, states, orgs, asker_state, article_region, possessive)
    ctx.agreements_of(ents, states, subject)
    return QuestionRecord(
        iri=URIRef(f"{art}/question/{q.index + 1}"),
        article=art,
        ordinal=q.index + 1,
        text=q.text,
        evidence=ctx.evidence(q.start, q.end),
        mentions=tuple(mentions),
        template=tmpl,
        parameters=tuple(states),
        subject=subject,
    )


def _claim_subject(
    ctx: _Context,
    sentence: str,
    states: list[URIRef],
    orgs: list[URIRef],
    question: QuestionRecord,
) -> URIRef | None:
    """What a claim is mainly about: a relation it names, else its question's subject."""
    question_states = list(question.parameters)
    if len(states) >= 2 and _RELATION_CUE.search(sentence):
        pair = [s for s in question_states if s in states][:2]
        if len(pair) < 2:
            pair = states[:2]
        return ctx.relation(pair[0], pair[1])
    subject = question.subject
    if subject is not None and ((not states and not orgs) or set(states) <= set(question_states)):
        return subject
    if orgs and not states:
        return orgs[0]
    if len(states) == 1:
        return states[0]
    return subject


def _claim(
    ctx: _Context,
    iri: URIRef,
    ordinal: int,
    span: tuple[int, int],
    answer: int,
    answer_iri: URIRef,
    author: URIRef,
    question: QuestionRecord,
) -> ClaimRecord:
    start, end = span
    sentence = ctx.text[start:end]
    found, ents = ctx.matches(start, end)
    mentions = ctx.mentions(found, ents)
    states = _distinct(m.iri for m in found if m.kind == "state")
    orgs = _distinct(m.iri for m in found if m.kind == "organization")
    about = _claim_subject(ctx, sentence, states, orgs, question)
    ctx.agreements_of(ents, states, about)
    return ClaimRecord(
        iri=iri,
        answer=answer,
        answer_iri=answer_iri,
        author=author,
        ordinal=ordinal,
        evidence=ctx.evidence(start, end),
        classification=claimlib.classify(sentence),
        mentions=tuple(mentions),
        states=tuple(states),
        organizations=tuple(orgs),
        about=about,
    )


def _answers(
    ctx: _Context,
    blocks: Sequence[AnswerBlock],
    art: URIRef,
    experts: dict[str, URIRef],
    questions: Sequence[QuestionRecord],
) -> tuple[list[AnswerRecord], list[ClaimRecord]]:
    """Every answer with its claims (numbered through the article), and its trend."""
    answers: list[AnswerRecord] = []
    claims: list[ClaimRecord] = []
    for n_answer, a in enumerate(blocks, start=1):
        ai = URIRef(f"{art}/answer/{n_answer}")
        author = experts[a.expert]
        question = questions[a.question]
        own: list[ClaimRecord] = []
        for p_start, p_end in a.paragraphs:
            for span in claimlib.split_claims(ctx.text, p_start, p_end):
                n = len(claims) + len(own) + 1
                ci = URIRef(f"{art}/claim/{n}")
                own.append(_claim(ctx, ci, n, span, n_answer, ai, author, question))
        classifications = [c.classification for c in own]
        answers.append(
            AnswerRecord(
                iri=ai,
                ordinal=n_answer,
                expert=a.expert,
                author=author,
                question=question.text,
                question_iri=question.iri,
                article=art,
                evidence=ctx.evidence(a.start, a.end),
                about=question.subject,
                mentions=tuple(_distinct(m for c in own for m in c.mentions)),
                states=frozenset(s for c in own for s in c.states),
                organizations=frozenset(o for c in own for o in c.organizations),
                topics=tuple(dict.fromkeys(t.label for cls in classifications for t in cls.topics)),
                trend_cue=claimlib.answer_trend(classifications, question.text),
            )
        )
        claims.extend(own)
    return answers, claims


def extract_article(
    article: ArticleText,
    minter: Minter,
    gazetteer: Gazetteer,
    reference: Graph,
    *,
    slug: str | None = None,
) -> Extraction:
    """Extract one article into its own graph; InputError when no expert or answer is found."""
    st = parse_structure(
        article.text,
        lambda surface: _names_a_state(gazetteer, surface),
        lambda paragraph: _states_and_people(gazetteer, paragraph),
    )
    _check_structure(st, article)
    title = st.title or str(article.meta.get("title") or article.name)
    slug = slug or article_slug(article, st.title or article.meta.get("title"))
    art = minter.article(slug)
    ctx = _Context(article, art, title, minter, gazetteer, reference)
    record = _article_record(ctx, st, slug, title)

    experts = [_expert(ctx, h) for h in st.experts]
    by_name = {x.name: x.iri for x in experts}
    # A name whose later header gives no known country keeps the earlier one's.
    nationality = {x.name: x.nationality for x in experts if x.nationality is not None}
    article_region = ctx.region_of(nationality.values())
    askers = {a.question: a.expert for a in st.answers}
    questions = [
        _question(ctx, q, art, nationality.get(askers.get(q.index, "")), article_region)
        for q in st.questions
    ]
    answers, claims = _answers(ctx, st.answers, art, by_name, questions)

    records = ArticleRecords(
        article=record,
        entities=tuple(ctx.entities),
        experts=tuple(experts),
        relations=tuple(ctx.relations.values()),
        questions=tuple(questions),
        agreements=tuple(ctx.agreements),
        answers=tuple(answers),
        claims=tuple(claims),
    )
    warnings = [f"{article.name}: {w}" for w in st.warnings]
    if record.published is None:
        warnings.append(f"{article.name}: no publication date found; the article has no date")
    graph = article_graph(records)
    graph += horizon_graph(records)
    return Extraction(article, st, records, graph, warnings)
