"""What the views read from a store: entities with their kinds and labels, claims, memberships.

Everything is read with SPARQL over the :class:`~cakg.graph.store.engines.Store` interface,
so the views work on the embedded store, rdflib and a remote endpoint alike;
:class:`ViewData` reads it once and the four projections share it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from cakg.graph.namespaces import PREFIXES
from cakg.graph.store.engines import OxigraphStore, Store
from cakg.graph.vocabulary import key_of

__all__ = [
    "ACTOR_KINDS",
    "Catalog",
    "ClaimView",
    "NodeInfo",
    "ViewData",
    "fallback_label",
    "select",
]

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


@dataclass
class NodeInfo:
    """A thing a view draws: its node kind, a short label and a longer name."""

    iri: str
    kind: str
    label: str
    name: str


@dataclass
class ClaimView:
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


Row = dict[str, str]


def select(store: Store, body: str) -> list[Row]:
    """Rows of a SELECT as plain strings (IRIs and literal values).

    On the embedded Oxigraph store the solutions are read straight from pyoxigraph:
    converting every term to rdflib first costs more than the query itself once a
    graph holds hundreds of articles. Any other store goes through ``Store.query``.
    """
    sparql = _PREFIX + body
    if isinstance(store, OxigraphStore):
        return store.select_strings(sparql)
    return [{k: str(v) for k, v in r.items()} for r in store.query(sparql).rows]


def _label_rank(label: tuple[str, str]) -> tuple[int, str]:
    text, lang = label
    return (0 if lang in ("", "en") or lang.startswith("en-") else 1, text)


class Catalog:
    """Node kinds and labels of every entity in the store, read once for all views."""

    def __init__(self, store: Store) -> None:
        self.store = store
        types: dict[str, set[str]] = defaultdict(set)
        values = " ".join(f"cakg:{t}" for t, _ in _TYPE_KIND)
        for row in select(
            store,
            f"SELECT DISTINCT ?e ?t WHERE {{ VALUES ?t {{ {values} }} ?e a ?t FILTER(isIRI(?e)) }}",
        ):
            e, t = row.get("e"), row.get("t")
            if e and t:
                types[e].add(t[len(_CAKG) :])
        labels: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for row in select(
            store,
            """SELECT ?e ?p ?l (LANG(?l) AS ?lang) WHERE {
                 VALUES ?p { rdfs:label skos:prefLabel schema:name cakg:acronym }
                 ?e ?p ?l . FILTER(isIRI(?e) && isLiteral(?l)) }""",
        ):
            e, p = row.get("e"), row.get("p")
            if e and p and e in types:
                key = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                labels[e][key].append((row.get("l", ""), row.get("lang", "")))
        self.entities: dict[str, NodeInfo] = {}
        for iri, ts in types.items():
            kind = next(k for t, k in _TYPE_KIND if t in ts)
            ls = labels.get(iri, {})

            def best(*keys: str, ls: dict[str, list[tuple[str, str]]] = ls) -> str | None:
                for key in keys:
                    if ls.get(key):
                        return min(ls[key], key=_label_rank)[0]
                return None

            name = best("label", "prefLabel", "name") or fallback_label(iri)
            label = best("acronym") if kind == "international-organization" else None
            if kind == "relation" and name.endswith(" relations"):
                label = name.removesuffix(" relations")  # "Kazakhstan–Uzbekistan"
            self.entities[iri] = NodeInfo(iri, kind, label or name, name)

    def entity(self, iri: str) -> NodeInfo:
        """The node of an IRI; an IRI without a known type is drawn as 'other'."""
        if iri not in self.entities:
            self.entities[iri] = NodeInfo(iri, "other", fallback_label(iri), fallback_label(iri))
        return self.entities[iri]


def fallback_label(iri: str) -> str:
    """A label made from the IRI's last segment, for a node the store gives no label."""
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


def _read_claims(store: Store) -> dict[str, ClaimView]:
    """Every claim with its expert, text, evidence, classification, question and what it names."""
    out: dict[str, ClaimView] = {}
    for row in select(
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
        iri = row.get("c")
        if iri is None:
            continue
        rec = out.setdefault(iri, ClaimView(iri))
        rec.expert = rec.expert or row.get("expert")
        rec.text = rec.text or (row.get("text") or "")
        rec.ordinal = rec.ordinal if rec.ordinal is not None else _int(row, "ord")
        rec.question = rec.question or (row.get("qtext") or "")
        rec.article = rec.article or row.get("article")
    # Single-valued facets: a curation overlay's value wins over the extracted one.
    facets: dict[tuple[str, str], tuple[bool, str]] = {}
    topics: dict[str, set[str]] = defaultdict(set)
    for row in select(
        store,
        """SELECT ?c ?p ?v ?g WHERE {
             VALUES ?p { cakg:hasTrend cakg:hasClaimType cakg:hasCertainty cakg:hasTopic }
             ?c a cakg:Claim . GRAPH ?g { ?c ?p ?v } }""",
    ):
        c, p, v, g = row.get("c"), row.get("p"), row.get("v"), row.get("g") or ""
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
            rec.trend = key_of("trend", v)
        elif prop == "hasClaimType":
            rec.claim_type = key_of("type", v)
        elif prop == "hasCertainty":
            rec.certainty = key_of("certainty", v)
    for c, ts in topics.items():
        out[c].topics = sorted(key_of("topic", t).replace("-", " ") for t in ts)
    for row in select(
        store,
        """SELECT ?c ?exact ?start ?end WHERE {
             ?c a cakg:Claim ; cakg:hasEvidence ?ev .
             OPTIONAL { ?ev oa:hasSelector ?qs . ?qs oa:exact ?exact }
             OPTIONAL { ?ev oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end } }""",
    ):
        c = row.get("c")
        if c is None or c not in out:
            continue
        rec = out[c]
        rec.quote = rec.quote or (row.get("exact") or "")
        if rec.start is None:
            rec.start, rec.end = _int(row, "start"), _int(row, "end")
    about: dict[str, set[str]] = defaultdict(set)
    mentions: dict[str, set[str]] = defaultdict(set)
    for row in select(
        store,
        """SELECT DISTINCT ?c ?p ?x WHERE {
             VALUES ?p { cakg:about cakg:mentions }
             ?c a cakg:Claim ; ?p ?x . FILTER(isIRI(?x)) }""",
    ):
        c, p, x = row.get("c"), row.get("p"), row.get("x")
        if c and p and x and c in out:
            (about if p.endswith("about") else mentions)[c].add(x)
    for c, rec in out.items():
        rec.about = sorted(about.get(c, set()))
        rec.mentions = sorted(mentions.get(c, set()) - about.get(c, set()))
    return out


def _relation_states(store: Store) -> dict[str, list[str]]:
    """The two states of every bilateral relation."""
    out: dict[str, set[str]] = defaultdict(set)
    for row in select(store, "SELECT ?r ?s WHERE { ?r cakg:relationBetween ?s }"):
        r, s = row.get("r"), row.get("s")
        if r and s:
            out[r].add(s)
    return {r: sorted(s) for r, s in out.items()}


def _article_titles(store: Store) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in select(
        store, "SELECT ?a ?h WHERE { ?a a cakg:Article . OPTIONAL { ?a schema:headline ?h } }"
    ):
        a = row.get("a")
        if a:
            out[a] = out.get(a) or row.get("h") or fallback_label(a)
    return out


def _memberships(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """One record per (member, organization): the current role and the history of roles."""
    rows: dict[tuple[str, str], list[tuple[str, str, str, str]]] = defaultdict(list)
    for row in select(
        store,
        """SELECT DISTINCT ?m ?member ?org ?role ?start ?end WHERE {
             ?m a cakg:Membership ; org:member ?member ; org:organization ?org .
             OPTIONAL { ?m org:role ?role }
             OPTIONAL { ?m org:memberDuring ?i .
               OPTIONAL { ?i time:hasBeginning ?b . ?b time:inXSDDate|time:inXSDgYear ?start }
               OPTIONAL { ?i time:hasEnd ?e . ?e time:inXSDDate|time:inXSDgYear ?end } } }""",
    ):
        member, org = row.get("member"), row.get("org")
        if member and org:
            # org:role is optional on an org:Membership: without one it is a plain membership.
            role = key_of("role", row["role"]) if row.get("role") else "member"
            rows[(member, org)].append(
                (row.get("start") or "", row.get("end") or "", role, row.get("m") or "")
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
        """(member, organization) -> role, since, history; read on first use (actors only)."""
        if self._memberships is None:
            self._memberships = _memberships(self.store)
        return self._memberships
