"""networkx projections of the knowledge graph: actors, claims, stances, co-mentions, ego views.

Every projection is built from SPARQL queries over the :class:`~cakg.graph.store.engines.Store`
interface, so it works on the embedded store, rdflib and a remote endpoint alike. Node
ids are IRIs; node and edge attributes are GraphML-legal (str, int, float, bool), so a
network can be written for Gephi as it is.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
>>> sorted(ego(g, "a", 2))
['a', 'b', 'c']
>>> stats = analytics(g)
>>> round(stats["betweenness"]["b"], 3)
0.667
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

import networkx as nx  # type: ignore[import-untyped, unused-ignore]
import pyoxigraph as ox

from cakg.errors import InputError
from cakg.graph.namespaces import PREFIXES, slugify
from cakg.graph.store.engines import OxigraphStore, Store

__all__ = [
    "KINDS",
    "TRENDS",
    "Analytics",
    "ViewData",
    "ViewKind",
    "actors",
    "analytics",
    "claims",
    "comentions",
    "ego",
    "project",
    "resolve_focus",
    "stances",
]

ViewKind = Literal["actors", "claims", "stances", "comentions"]
KINDS: tuple[ViewKind, ...] = ("actors", "claims", "stances", "comentions")

# Trend keys (the local names of the cakg:trend-* concepts without the prefix) and labels.
TRENDS: dict[str, str] = {
    "strengthening": "strengthening",
    "weakening": "weakening",
    "no-change": "no change",
    "uncertain": "uncertain",
}
# Net direction of a trend, for the stance score and the heat-map.
TREND_SCORE: dict[str, float] = {
    "strengthening": 1.0,
    "weakening": -1.0,
    "no-change": 0.0,
    "uncertain": 0.0,
}
CERTAINTY_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3}

# rdf:type -> node kind, most specific first (an international organization is also an
# organization once the build materializes the alignment; an expert is also a person).
_TYPE_KIND: list[tuple[str, str]] = [
    ("Expert", "expert"),
    ("State", "state"),
    ("InternationalOrganization", "international-organization"),
    ("Organization", "organization"),
    ("BilateralRelation", "relation"),
    ("Region", "region"),
    ("Person", "person"),
    ("Agreement", "agreement"),
    ("Event", "event"),
    ("Place", "place"),
]
ACTOR_KINDS = frozenset({"state", "international-organization", "organization"})

_PREFIX = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_CAKG = PREFIXES["cakg"]


class Analytics(TypedDict):
    """Centralities and communities of one network (node id -> value)."""

    degree: dict[str, float]
    strength: dict[str, float]
    betweenness: dict[str, float]
    community: dict[str, int]
    communities: list[list[str]]
    modularity: float
    approximate: bool
    betweenness_samples: int


@dataclass
class Entity:
    """A thing a view draws: its node kind, a short label and a longer name."""

    iri: str
    kind: str
    label: str
    name: str


@dataclass
class ClaimRecord:
    """One claim with what its tooltip shows and what it names."""

    iri: str
    expert: str | None = None
    text: str = ""
    quote: str = ""
    start: int | None = None
    end: int | None = None
    trend: str | None = None
    claim_type: str | None = None
    certainty: str | None = None
    topics: list[str] = field(default_factory=list)
    ordinal: int | None = None
    question: str = ""
    article: str | None = None
    about: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)

    def named(self) -> list[str]:
        """Everything the claim is about or mentions, each once, in a stable order."""
        return list(dict.fromkeys([*self.about, *self.mentions]))


# --- reading the store ------------------------------------------------------------------------


Row = dict[str, str]


def _q(store: Store, body: str) -> list[Row]:
    """Rows of a SELECT as plain strings (IRIs and literal values).

    On the embedded Oxigraph store the solutions are read straight from pyoxigraph:
    converting every term to rdflib first costs more than the query itself once a
    graph holds hundreds of articles. Any other store goes through ``Store.query``.
    """
    sparql = _PREFIX + body
    raw = getattr(store, "_store", None)
    if isinstance(store, OxigraphStore) and isinstance(raw, ox.Store):
        try:
            res = raw.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:  # pragma: no cover - the queries here are fixed
            raise InputError(f"SPARQL syntax error: {exc}") from None
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows: list[Row] = []
            for sol in res:
                row: Row = {}
                for name in names:
                    term = sol[name]
                    if term is not None:
                        row[name] = term.value
                rows.append(row)
            return rows
    return [{k: str(v) for k, v in r.items()} for r in store.query(sparql).rows]


def _s(row: Row, key: str) -> str | None:
    return row.get(key)


def _local(iri: str, prefix: str) -> str:
    """A cakg concept's local name without its scheme prefix: 'trend-no-change' -> 'no-change'."""
    tail = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return tail[len(prefix) :] if tail.startswith(prefix) else tail


def _label_rank(label: tuple[str, str]) -> tuple[int, str]:
    text, lang = label
    return (0 if lang in ("", "en") or lang.startswith("en-") else 1, text)


class Catalog:
    """Node kinds and labels of every entity in the store, read once per projection."""

    def __init__(self, store: Store) -> None:
        self.store = store
        types: dict[str, set[str]] = defaultdict(set)
        values = " ".join(f"cakg:{t}" for t, _ in _TYPE_KIND)
        for row in _q(
            store,
            f"SELECT DISTINCT ?e ?t WHERE {{ VALUES ?t {{ {values} }} ?e a ?t FILTER(isIRI(?e)) }}",
        ):
            e, t = _s(row, "e"), _s(row, "t")
            if e and t:
                types[e].add(t[len(_CAKG) :])
        labels: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for row in _q(
            store,
            """SELECT ?e ?p ?l (LANG(?l) AS ?lang) WHERE {
                 VALUES ?p { rdfs:label skos:prefLabel schema:name cakg:acronym }
                 ?e ?p ?l . FILTER(isIRI(?e) && isLiteral(?l)) }""",
        ):
            e, p = _s(row, "e"), _s(row, "p")
            if e and p and e in types:
                key = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                labels[e][key].append((row.get("l", ""), row.get("lang", "")))
        self.entities: dict[str, Entity] = {}
        for iri, ts in types.items():
            kind = next(k for t, k in _TYPE_KIND if t in ts)
            ls = labels.get(iri, {})

            def best(*keys: str, ls: dict[str, list[tuple[str, str]]] = ls) -> str | None:
                for key in keys:
                    if ls.get(key):
                        return min(ls[key], key=_label_rank)[0]
                return None

            name = best("label", "prefLabel", "name") or _fallback_label(iri)
            label = best("acronym") if kind == "international-organization" else None
            if kind == "relation" and name.endswith(" relations"):
                label = name.removesuffix(" relations")  # "Kazakhstan–Uzbekistan"
            self.entities[iri] = Entity(iri, kind, label or name, name)
        self.concepts: dict[str, str] = {}
        for row in _q(
            store,
            "SELECT ?c ?l WHERE { ?c a skos:Concept ; skos:prefLabel ?l }",
        ):
            c = _s(row, "c")
            if c:
                self.concepts[c] = str(row["l"])

    def entity(self, iri: str) -> Entity:
        """The entity of an IRI; an IRI without a known type is drawn as 'other'."""
        if iri not in self.entities:
            self.entities[iri] = Entity(iri, "other", _fallback_label(iri), _fallback_label(iri))
        return self.entities[iri]

    def concept_label(self, iri: str, prefix: str) -> str:
        """A concept's prefLabel, or its local name when the ontology is not loaded."""
        return self.concepts.get(iri) or _local(iri, prefix).replace("-", " ")


def _fallback_label(iri: str) -> str:
    tail = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return tail.replace("-", " ").strip() or iri


def _int(row: Row, key: str) -> int | None:
    v = row.get(key)
    if v is None:
        return None
    try:
        return int(v)
    except ValueError:
        return None


def _read_claims(store: Store) -> dict[str, ClaimRecord]:
    """Every claim with its expert, text, evidence, classification, question and what it names."""
    out: dict[str, ClaimRecord] = {}
    for row in _q(
        store,
        """SELECT ?c ?expert ?text ?ord ?question ?qtext ?article WHERE {
             ?c a cakg:Claim .
             OPTIONAL { ?c cakg:claimedBy ?expert }
             OPTIONAL { ?c schema:text ?text }
             OPTIONAL { ?c cakg:ordinal ?ord }
             OPTIONAL { ?c cakg:inAnswer ?a .
                        OPTIONAL { ?a cakg:inArticle ?article }
                        OPTIONAL { ?a cakg:answers ?question .
                                   OPTIONAL { ?question schema:text ?qtext } } } }""",
    ):
        iri = _s(row, "c")
        if iri is None:
            continue
        rec = out.setdefault(iri, ClaimRecord(iri))
        rec.expert = rec.expert or _s(row, "expert")
        rec.text = rec.text or (_s(row, "text") or "")
        rec.ordinal = rec.ordinal if rec.ordinal is not None else _int(row, "ord")
        rec.question = rec.question or (_s(row, "qtext") or "")
        rec.article = rec.article or _s(row, "article")
    # Single-valued facets: a curation overlay's value wins over the extracted one.
    facets: dict[tuple[str, str], tuple[bool, str]] = {}
    topics: dict[str, set[str]] = defaultdict(set)
    for row in _q(
        store,
        """SELECT ?c ?p ?v ?g WHERE {
             VALUES ?p { cakg:hasTrend cakg:hasClaimType cakg:hasCertainty cakg:hasTopic }
             ?c a cakg:Claim . GRAPH ?g { ?c ?p ?v } }""",
    ):
        c, p, v, g = _s(row, "c"), _s(row, "p"), _s(row, "v"), _s(row, "g") or ""
        if not (c and p and v) or c not in out:
            continue
        prop = p[len(_CAKG) :]
        if prop == "hasTopic":
            topics[c].add(v)
            continue
        curated = g.endswith("/curation")
        key = (c, prop)
        if (
            key not in facets
            or (curated and not facets[key][0])
            or (curated == facets[key][0] and v < facets[key][1])
        ):
            facets[key] = (curated, v)
    for (c, prop), (_, v) in facets.items():
        rec = out[c]
        if prop == "hasTrend":
            rec.trend = _local(v, "trend-")
        elif prop == "hasClaimType":
            rec.claim_type = _local(v, "type-")
        elif prop == "hasCertainty":
            rec.certainty = _local(v, "certainty-")
    for c, ts in topics.items():
        out[c].topics = sorted(_local(t, "topic-").replace("-", " ") for t in ts)
    for row in _q(
        store,
        """SELECT ?c ?exact ?start ?end WHERE {
             ?c a cakg:Claim ; cakg:hasEvidence ?ev .
             OPTIONAL { ?ev oa:hasSelector ?qs . ?qs oa:exact ?exact }
             OPTIONAL { ?ev oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end } }""",
    ):
        c = _s(row, "c")
        if c is None or c not in out:
            continue
        rec = out[c]
        rec.quote = rec.quote or (_s(row, "exact") or "")
        if rec.start is None:
            rec.start, rec.end = _int(row, "start"), _int(row, "end")
    about: dict[str, set[str]] = defaultdict(set)
    mentions: dict[str, set[str]] = defaultdict(set)
    for row in _q(
        store,
        """SELECT DISTINCT ?c ?p ?x WHERE {
             VALUES ?p { cakg:about cakg:mentions }
             ?c a cakg:Claim ; ?p ?x . FILTER(isIRI(?x)) }""",
    ):
        c, p, x = _s(row, "c"), _s(row, "p"), _s(row, "x")
        if c and p and x and c in out:
            (about if p.endswith("about") else mentions)[c].add(x)
    for c, rec in out.items():
        rec.about = sorted(about.get(c, set()))
        rec.mentions = sorted(mentions.get(c, set()) - about.get(c, set()))
    return out


def _relation_states(store: Store) -> dict[str, list[str]]:
    """The two states of every bilateral relation."""
    out: dict[str, set[str]] = defaultdict(set)
    for row in _q(store, "SELECT ?r ?s WHERE { ?r cakg:relationBetween ?s }"):
        r, s = _s(row, "r"), _s(row, "s")
        if r and s:
            out[r].add(s)
    return {r: sorted(s) for r, s in out.items()}


def _article_titles(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in _q(
        store, "SELECT ?a ?h WHERE { ?a a cakg:Article . OPTIONAL { ?a schema:headline ?h } }"
    ):
        a = _s(row, "a")
        if a:
            out[a] = out.get(a) or _s(row, "h") or _fallback_label(a)
    return out


class ViewData:
    """What the projections read from a store: read once, shared by the four views."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.catalog = Catalog(store)
        self.claims = _read_claims(store)
        self.relation_states = _relation_states(store)
        self.titles = _article_titles(store)
        self._memberships: dict[tuple[str, str], dict[str, Any]] | None = None

    @property
    def memberships(self) -> dict[tuple[str, str], dict[str, Any]]:
        if self._memberships is None:
            self._memberships = _memberships(self.store)
        return self._memberships


# --- common node attributes -------------------------------------------------------------------


def _add_entity(g: nx.Graph, ent: Entity, **extra: Any) -> None:
    if ent.iri not in g:
        g.add_node(ent.iri, label=ent.label, name=ent.name, kind=ent.kind, iri=ent.iri)
    if extra:
        g.nodes[ent.iri].update({k: v for k, v in extra.items() if v is not None})


def _trend_counts(trends: Iterable[str | None]) -> dict[str, int]:
    """Claims per trend as GraphML-legal attributes (n_strengthening, ..., n_none).

    >>> _trend_counts(["weakening", None, "weakening"])["n_weakening"]
    2
    """
    c = Counter(t or "none" for t in trends)
    return {f"n_{t.replace('-', '_')}": c.get(t, 0) for t in [*TRENDS, "none"]}


def _dominant(counts: Counter[str]) -> str:
    """The most frequent trend; 'mixed' on a tie between directions.

    >>> _dominant(Counter({"weakening": 2, "no-change": 1}))
    'weakening'
    >>> _dominant(Counter({"weakening": 1, "strengthening": 1}))
    'mixed'
    """
    if not counts:
        return "none"
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return "mixed"
    return ranked[0][0]


# --- projections ------------------------------------------------------------------------------


def actors(store: Store, data: ViewData | None = None) -> nx.MultiDiGraph:
    """States, international organizations, experts and other organizations, and how they link.

    Edges (keyed by relation): ``membership`` state -> organization with its current
    ``role`` (member, observer, suspended, ...), ``nationality`` expert -> state,
    ``affiliation`` expert -> organization, ``mentions`` expert -> state/organization
    weighted by the number of the expert's claims that name it. The states and
    organizations drawn are those the articles involve (named by claims, experts'
    states and affiliations); memberships are drawn among them.
    """
    data = data or ViewData(store)
    cat = data.catalog
    g = nx.MultiDiGraph(kind="actors", title="Actors: states, organizations and experts")
    recs = data.claims
    rel_states = data.relation_states
    for row in _q(
        store,
        """SELECT ?p ?nat ?aff ?job WHERE { ?p a cakg:Expert .
             OPTIONAL { ?p cakg:nationality ?nat } OPTIONAL { ?p cakg:affiliation ?aff }
             OPTIONAL { ?p cakg:jobTitle ?job } }""",
    ):
        p = _s(row, "p")
        if p is None:
            continue
        _add_entity(g, cat.entity(p), job_title=_s(row, "job"))
        for key, rel in (("nat", "nationality"), ("aff", "affiliation")):
            target = _s(row, key)
            if target is None:
                continue
            ent = cat.entity(target)
            if rel == "affiliation" and ent.kind not in ACTOR_KINDS:
                ent.kind = "organization"
            _add_entity(g, ent)
            g.add_edge(p, target, key=rel, relation=rel, weight=1)
    named: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    for rec in recs.values():
        if rec.expert is None:
            continue
        targets: set[str] = set()
        for x in rec.named():
            targets.update(rel_states.get(x, [x]))
        for x in targets:
            if cat.entity(x).kind in ACTOR_KINDS:
                named[(rec.expert, x)].append(rec.trend)
    for (expert, x), trends in sorted(named.items()):
        _add_entity(g, cat.entity(expert))
        _add_entity(g, cat.entity(x))
        g.add_edge(
            expert,
            x,
            key="mentions",
            relation="mentions",
            weight=len(trends),
            **_trend_counts(trends),
        )
    for (member, organization), m in sorted(data.memberships.items()):
        if member in g and organization in g:
            g.add_edge(member, organization, key="membership", relation="membership", weight=1, **m)
    by_expert = Counter(r.expert for r in recs.values() if r.expert)
    by_entity: Counter[str] = Counter()
    for (_, x), trends in named.items():
        by_entity[x] += len(trends)
    for n, d in g.nodes(data=True):
        d["claims"] = by_expert[n] if d["kind"] == "expert" else by_entity[n]
    return g


def _memberships(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """One record per (member, organization): the current role and the history of roles."""
    rows: dict[tuple[str, str], list[tuple[str, str, str, str]]] = defaultdict(list)
    for row in _q(
        store,
        """SELECT DISTINCT ?m ?member ?org ?role ?start ?end WHERE {
             ?m a cakg:Membership ; org:member ?member ; org:organization ?org .
             OPTIONAL { ?m org:role ?role }
             OPTIONAL { ?m org:memberDuring ?i .
               OPTIONAL { ?i time:hasBeginning ?b . ?b time:inXSDDate|time:inXSDgYear ?start }
               OPTIONAL { ?i time:hasEnd ?e . ?e time:inXSDDate|time:inXSDgYear ?end } } }""",
    ):
        member, org = _s(row, "member"), _s(row, "org")
        if member and org:
            role = _local(_s(row, "role") or "role-member", "role-")
            rows[(member, org)].append(
                (_s(row, "start") or "", _s(row, "end") or "", role, _s(row, "m") or "")
            )
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key, spans in rows.items():
        spans = sorted(set(spans))
        # Current: a span without an end, the latest start first; else the latest ended one.
        open_spans = [s for s in spans if not s[1]]
        current = max(open_spans or spans, key=lambda s: (s[0], s[1]))
        history = "; ".join(_span(role, start, end) for start, end, role, _ in spans)
        out[key] = {
            "role": current[2],
            "since": current[0][:10],
            "history": history,
            "membership": current[3],
        }
    return out


def _span(role: str, start: str, end: str) -> str:
    """A role with its years: 'suspended since 2012', 'member 1994–1999'.

    >>> _span("former-member", "1999-04-02", "2006-08-16")
    'former member 1999–2006'
    """
    text = role.replace("-", " ")
    if start and end:
        return f"{text} {start[:4]}–{end[:4]}"
    if start:
        return f"{text} since {start[:4]}"
    return f"{text} until {end[:4]}" if end else text


def claims(store: Store, data: ViewData | None = None) -> nx.DiGraph:
    """Experts -> claims -> subjects; a claim node carries its quote, question, offsets, trend.

    Edges: ``claimed`` expert -> claim, ``about`` and ``mentions`` claim -> subject.
    """
    data = data or ViewData(store)
    cat = data.catalog
    titles = data.titles
    g = nx.DiGraph(kind="claims", title="Claims: experts, their claims and what they are about")
    for iri, rec in sorted(data.claims.items(), key=lambda kv: _claim_order(kv[1])):
        attrs: dict[str, Any] = {
            "label": _claim_label(rec),
            "name": rec.text or rec.quote,
            "kind": "claim",
            "iri": iri,
            "text": rec.text,
            "quote": rec.quote or rec.text,
            "question": rec.question,
            "trend": rec.trend or "none",
            "trend_label": TRENDS.get(rec.trend or "", "not classified"),
            "claim_type": rec.claim_type or "",
            "certainty": rec.certainty or "",
            "certainty_rank": CERTAINTY_RANK.get(rec.certainty or "", 0),
            "topics": "; ".join(rec.topics),
            "article": rec.article or "",
            "article_title": titles.get(rec.article or "", ""),
        }
        if rec.start is not None and rec.end is not None:
            attrs["start"], attrs["end"] = rec.start, rec.end
        if rec.ordinal is not None:
            attrs["ordinal"] = rec.ordinal
        if rec.expert:
            ent = cat.entity(rec.expert)
            attrs["expert"] = rec.expert
            attrs["expert_label"] = ent.label
        g.add_node(iri, **attrs)
        if rec.expert:
            _add_entity(g, cat.entity(rec.expert))
            g.add_edge(rec.expert, iri, relation="claimed", weight=1, trend=rec.trend or "none")
        for rel, targets in (("about", rec.about), ("mentions", rec.mentions)):
            for x in targets:
                _add_entity(g, cat.entity(x))
                g.add_edge(iri, x, relation=rel, weight=1, trend=rec.trend or "none")
    for n, d in g.nodes(data=True):
        if d["kind"] != "claim":
            d["claims"] = sum(
                1 for _ in (g.successors(n) if d["kind"] == "expert" else g.predecessors(n))
            )
    return g


def _claim_order(rec: ClaimRecord) -> tuple[str, int, str]:
    return (rec.article or "", rec.ordinal if rec.ordinal is not None else 1 << 30, rec.iri)


def _claim_label(rec: ClaimRecord) -> str:
    """A short label: 'claim 12'."""
    return f"claim {rec.ordinal}" if rec.ordinal is not None else _fallback_label(rec.iri)


def stances(store: Store, data: ViewData | None = None) -> nx.Graph:
    """The expert x subject matrix as a bipartite network; edges carry claim counts per trend.

    A claim's subjects are what it is about (``cakg:about``), or, for a claim about
    nothing in particular, what it mentions. An edge's ``trend`` is the most frequent
    trend of the expert's claims on the subject ('mixed' on a tie), its ``score`` the
    mean direction (strengthening +1, weakening -1, no change and uncertain 0).
    """
    data = data or ViewData(store)
    cat = data.catalog
    g = nx.Graph(kind="stances", title="Stances: experts x subjects, by trend")
    cells: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    for rec in data.claims.values():
        if rec.expert is None:
            continue
        for x in rec.about or rec.mentions:
            cells[(rec.expert, x)].append(rec.trend)
    for (expert, x), trends in sorted(cells.items()):
        _add_entity(g, cat.entity(expert), bipartite=0)
        _add_entity(g, cat.entity(x), bipartite=1)
        counts = Counter(t for t in trends if t)
        scored = [TREND_SCORE[t] for t in trends if t in TREND_SCORE]
        g.add_edge(
            expert,
            x,
            relation="stance",
            weight=len(trends),
            trend=_dominant(counts),
            score=round(sum(scored) / len(scored), 3) if scored else 0.0,
            **_trend_counts(trends),
        )
    for n in g:
        g.nodes[n]["claims"] = sum(d["weight"] for _, _, d in g.edges(n, data=True))
    return g


def comentions(store: Store, data: ViewData | None = None) -> nx.Graph:
    """States and organizations linked by how many claims name them together.

    A claim names what it is about and what it mentions; a bilateral relation names
    its two states. Node ``claims`` counts the claims naming the node, edge ``weight``
    the claims naming both ends.
    """
    data = data or ViewData(store)
    cat = data.catalog
    rel_states = data.relation_states
    g = nx.Graph(kind="comentions", title="Co-mentions: states and organizations named together")
    pairs: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    single: dict[str, list[str | None]] = defaultdict(list)
    experts: dict[str, set[str]] = defaultdict(set)
    for rec in data.claims.values():
        named: set[str] = set()
        for x in rec.named():
            named.update(rel_states.get(x, [x]))
        actors_named = sorted(x for x in named if cat.entity(x).kind in ACTOR_KINDS)
        for i, a in enumerate(actors_named):
            single[a].append(rec.trend)
            if rec.expert:
                experts[a].add(rec.expert)
            for b in actors_named[i + 1 :]:
                pairs[(a, b)].append(rec.trend)
    for x, trends in sorted(single.items()):
        _add_entity(g, cat.entity(x), claims=len(trends), experts="; ".join(sorted(experts[x])))
    for (a, b), trends in sorted(pairs.items()):
        g.add_edge(a, b, relation="co-mentioned", weight=len(trends), **_trend_counts(trends))
    # Not a GraphML attribute (exports keep scalar graph attributes only): the page's expert filter.
    g.graph["expert_labels"] = {e: cat.entity(e).label for es in experts.values() for e in es}
    return g


_PROJECTIONS = {"actors": actors, "claims": claims, "stances": stances, "comentions": comentions}


def project(store: Store, kind: str, data: ViewData | None = None) -> nx.Graph:
    """The projection named `kind` (actors, claims, stances, comentions)."""
    if kind not in _PROJECTIONS:
        raise InputError(f"unknown view {kind!r}; choose one of {', '.join(KINDS)}")
    result: nx.Graph = _PROJECTIONS[kind](store, data)
    return result


# --- ego views and focus ----------------------------------------------------------------------


def ego(network: nx.Graph, focus_iri: str, depth: int = 1) -> nx.Graph:
    """The neighbourhood of a node up to `depth` hops, edges followed in both directions."""
    if focus_iri not in network:
        raise InputError(f"{focus_iri} is not in the {network.graph.get('kind', '')} network")
    if depth < 0:
        raise InputError("--depth must be 0 or more")
    sub: nx.Graph = nx.ego_graph(network, focus_iri, radius=depth, undirected=True)
    sub.graph = dict(network.graph, focus=focus_iri, depth=depth)
    return sub


def resolve_focus(network: nx.Graph, text: str) -> str:
    """A node of the network named by an IRI, a label, an acronym or a slug.

    >>> g = nx.Graph()
    >>> g.add_node("https://x.org/id/org/csto", label="CSTO", name="Collective Security")
    >>> resolve_focus(g, "csto")
    'https://x.org/id/org/csto'
    """
    if text in network:
        return text
    want = text.strip().casefold()
    slug = slugify(text)
    hits: list[str] = []
    for n, d in network.nodes(data=True):
        names = {str(d.get("label", "")).casefold(), str(d.get("name", "")).casefold()}
        tail = str(n).rstrip("/").rsplit("/", 1)[-1]
        if want in names or tail == slug or str(n).endswith("/" + text.strip("/")):
            hits.append(str(n))
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise InputError(
            f"no node {text!r} in the {network.graph.get('kind', '')} network "
            "(give an IRI, a label such as 'Kazakhstan' or 'CSTO', or a slug)"
        )
    raise InputError(f"{text!r} is ambiguous: {', '.join(sorted(hits)[:5])}")


# --- analytics --------------------------------------------------------------------------------


def simple_undirected(g: nx.Graph) -> nx.Graph:
    """The network as a simple undirected graph whose edge weights add up parallel edges."""
    out = nx.Graph()
    out.add_nodes_from(g.nodes)
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        w = float(d.get("weight", 1) or 1)
        if out.has_edge(u, v):
            out[u][v]["weight"] += w
        else:
            out.add_edge(u, v, weight=w)
    return out


# Betweenness costs one breadth-first search per source node; past this many visited
# adjacency entries in total, it is estimated from a sample of sources (seeded, so stable).
BETWEENNESS_BUDGET = 1_500_000
BETWEENNESS_MIN_SAMPLES = 8


def betweenness_samples(n: int, m: int, budget: int = BETWEENNESS_BUDGET) -> int:
    """How many source nodes betweenness uses: all of them (exact) when the budget allows.

    >>> betweenness_samples(150, 300)
    150
    >>> betweenness_samples(100_000, 300_000)
    8
    """
    per_source = n + 2 * m
    return max(min(n, BETWEENNESS_MIN_SAMPLES), min(n, budget // max(per_source, 1)))


def analytics(g: nx.Graph, seed: int = 42) -> Analytics:
    """Degree and betweenness centrality and Louvain communities (fixed seed, so stable).

    Betweenness is exact up to ``BETWEENNESS_BUDGET``, estimated from a seeded sample of
    source nodes beyond (``approximate`` true, ``betweenness_samples`` says how many).
    """
    s = simple_undirected(g)
    n = s.number_of_nodes()
    if n == 0:
        return Analytics(
            degree={},
            strength={},
            betweenness={},
            community={},
            communities=[],
            modularity=0.0,
            approximate=False,
            betweenness_samples=0,
        )
    degree = (
        {str(k): float(v) for k, v in nx.degree_centrality(s).items()}
        if n > 1
        else {str(k): 0.0 for k in s}
    )
    strength = {str(k): float(v) for k, v in s.degree(weight="weight")}
    samples = betweenness_samples(n, s.number_of_edges())
    approximate = samples < n
    bc = nx.betweenness_centrality(s, k=samples if approximate else None, seed=seed)
    betweenness = {str(k): float(v) for k, v in bc.items()}
    if s.number_of_edges():
        parts = nx.community.louvain_communities(s, weight="weight", seed=seed)
        modularity = float(nx.community.modularity(s, parts, weight="weight"))
    else:
        parts = [{x} for x in s]
        modularity = 0.0
    communities = sorted((sorted(str(x) for x in p) for p in parts), key=lambda p: (-len(p), p[0]))
    community = {x: i for i, p in enumerate(communities) for x in p}
    return Analytics(
        degree=degree,
        strength=strength,
        betweenness=betweenness,
        community=community,
        communities=communities,
        modularity=0.0 if math.isnan(modularity) else modularity,
        approximate=approximate,
        betweenness_samples=samples,
    )


def top_nodes(g: nx.Graph, stats: Analytics, n: int = 10) -> list[str]:
    """The n most central nodes: by degree centrality, then betweenness, then label."""
    return sorted(
        g.nodes,
        key=lambda x: (
            -stats["degree"].get(x, 0.0),
            -stats["betweenness"].get(x, 0.0),
            str(g.nodes[x].get("label", x)),
        ),
    )[:n]
