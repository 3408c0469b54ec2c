"""The reference graph's triples, written from the validated reference records.

The graph holds the cakg classes and, directly, the standard view of docs/standard-view.md
(schema:Country, org:Membership, ...). It depends on the records and the minter's base
only, so it is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from cakg.graph.entities.reference_records import (
    MembershipRow,
    OrgInfo,
    PersonInfo,
    PlaceInfo,
    ReferenceData,
    StateInfo,
)
from cakg.graph.namespaces import (
    CAKG,
    DCT,
    ORG,
    OWL,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    TIME,
    WD,
    Minter,
    bind_prefixes,
)
from cakg.graph.vocabulary import Concept, vocabulary

__all__ = ["Triple", "build_reference_graph", "reference_triples"]

Triple = tuple[Node, Node, Node]
_Add = Callable[[Triple], None]


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _wikidata_page(qid: str) -> URIRef:
    return URIRef(f"https://www.wikidata.org/wiki/{qid}")


def build_reference_graph(minter: Minter, data: ReferenceData) -> Graph:
    """The reference graph of `data` under the minter's base (deterministic: IRIs only)."""
    g = Graph()
    bind_prefixes(g)
    for t in reference_triples(minter, data):
        g.add(t)
    return g


def reference_triples(minter: Minter, data: ReferenceData) -> list[Triple]:
    """Every triple of the reference graph of `data` under the minter's base."""
    out: list[Triple] = []
    add = out.append
    state_iri = {s.alpha2: minter.state(s.label) for s in data.states}
    place_iri = {p.key: minter.place(p.key) for p in data.places}
    org_iri = {o.key: minter.org(o.key) for o in data.organizations}
    iso_source = URIRef(data.iso_source)
    for s in data.states:
        _state(add, state_iri[s.alpha2], s, iso_source, place_iri)
    for p in data.places:
        _place(add, place_iri[p.key], p, state_iri)
    for o in data.organizations:
        _organization(add, org_iri[o.key], o)
    for person in data.persons:
        _person(add, minter.person(person.name), person, state_iri)
    roles = {c.key: c for c in vocabulary("role")}
    for role in roles.values():
        add((role.iri, RDF.type, ORG.Role))
    by_key = {o.key: o for o in data.organizations}
    for m in data.memberships:
        state = data.by_alpha2[m.member]
        iri = minter.membership(state.label, m.org, m.role, m.start.year if m.start else None)
        org = by_key[m.org]
        _membership(add, iri, m, state_iri[m.member], org_iri[m.org], roles[m.role])
        org_name = org.acronym or org.label
        span = f"{m.start.value if m.start else '?'}–{m.end.value if m.end else ''}"
        add((iri, RDFS.label, _en(f"{state.label} in {org_name}: {roles[m.role].label} ({span})")))
    return out


def _names(
    add: _Add, iri: URIRef, label: str, alt: Iterable[str] = (), hidden: Iterable[str] = ()
) -> None:
    """A node's names: the preferred one, the others shown, and those only matched in text."""
    add((iri, RDFS.label, _en(label)))
    add((iri, SCHEMA.name, _en(label)))
    for a in alt:
        add((iri, SKOS.altLabel, _en(a)))
    for h in hidden:
        add((iri, SKOS.hiddenLabel, _en(h)))


def _state(
    add: _Add, iri: URIRef, s: StateInfo, iso_source: URIRef, place_iri: Mapping[str, URIRef]
) -> None:
    add((iri, RDF.type, CAKG.State))
    add((iri, RDF.type, SCHEMA.Country))
    _names(add, iri, s.label, s.alt, s.variants)
    add((iri, CAKG.isoAlpha2, Literal(s.alpha2)))
    add((iri, CAKG.isoAlpha3, Literal(s.alpha3)))
    add((iri, CAKG.isoNumeric, Literal(s.numeric)))
    add((iri, DCT.source, iso_source))
    for a in s.adjectives:
        add((iri, CAKG.adjective, _en(a)))
    for d in s.demonyms:
        add((iri, CAKG.demonym, _en(d)))
    _same_as(add, iri, s.qid)
    for src in s.sources:
        add((iri, DCT.source, URIRef(src)))
    if s.capital:
        add((iri, CAKG.capital, place_iri[s.capital]))
    for region in s.regions:
        add((iri, CAKG.partOfRegion, place_iri[region]))


def _same_as(add: _Add, iri: URIRef, qid: str | None) -> None:
    """The Wikidata item a node is, and its page as a source."""
    if qid:
        add((iri, OWL.sameAs, WD[qid]))
        add((iri, DCT.source, _wikidata_page(qid)))


def _place(add: _Add, iri: URIRef, p: PlaceInfo, state_iri: Mapping[str, URIRef]) -> None:
    if p.is_region:
        add((iri, RDF.type, CAKG.Region))
    add((iri, RDF.type, CAKG.Place))
    add((iri, RDF.type, SCHEMA.Place))
    _names(add, iri, p.label, p.alt, p.hidden)
    if p.source:
        add((iri, DCT.source, URIRef(p.source)))
    if p.capital_of:
        add((state_iri[p.capital_of], CAKG.capital, iri))
        add((iri, SCHEMA.containedInPlace, state_iri[p.capital_of]))
    if p.located_in:
        add((iri, SCHEMA.containedInPlace, state_iri[p.located_in]))


def _organization(add: _Add, iri: URIRef, o: OrgInfo) -> None:
    for cls in (
        CAKG.InternationalOrganization,
        CAKG.Organization,
        SCHEMA.Organization,
        ORG.FormalOrganization,
        ORG.Organization,
    ):
        add((iri, RDF.type, cls))
    acronym = (o.acronym,) if o.acronym else ()
    _names(add, iri, o.label, acronym + o.alt, o.variants)
    for a in acronym:
        add((iri, CAKG.acronym, Literal(a)))
    if o.founded:
        add((iri, SCHEMA.foundingDate, o.founded.literal()))
    _same_as(add, iri, o.qid)
    for src in o.sources:
        add((iri, DCT.source, URIRef(src)))


def _person(add: _Add, iri: URIRef, p: PersonInfo, state_iri: Mapping[str, URIRef]) -> None:
    add((iri, RDF.type, CAKG.Person))
    add((iri, RDF.type, SCHEMA.Person))
    _names(add, iri, p.name, (), p.variants)
    add((iri, SCHEMA.givenName, _en(p.given)))
    add((iri, SCHEMA.familyName, _en(p.family)))
    add((iri, SCHEMA.jobTitle, _en(p.title)))
    add((iri, CAKG.jobTitle, _en(p.title)))
    add((iri, CAKG.headOfState, state_iri[p.state]))
    if p.term:
        add((iri, RDFS.comment, _en(p.term)))
    _same_as(add, iri, p.qid)
    if p.source:
        add((iri, DCT.source, URIRef(p.source)))


def _membership(
    add: _Add, iri: URIRef, m: MembershipRow, member: URIRef, organization: URIRef, role: Concept
) -> None:
    """An org:Membership over a time:Interval (W3C ORG §5.3, OWL-Time)."""
    add((iri, RDF.type, CAKG.Membership))
    add((iri, RDF.type, ORG.Membership))
    add((iri, ORG.member, member))
    add((iri, ORG.organization, organization))
    add((iri, ORG.role, role.iri))
    add((iri, DCT.source, URIRef(m.source)))
    interval = URIRef(f"{iri}/interval")
    add((iri, ORG.memberDuring, interval))
    add((interval, RDF.type, TIME.Interval))
    for prop, when, tail in (
        (TIME.hasBeginning, m.start, "beginning"),
        (TIME.hasEnd, m.end, "end"),
    ):
        if when is None:
            continue
        instant = URIRef(f"{interval}/{tail}")
        add((interval, prop, instant))
        add((instant, RDF.type, TIME.Instant))
        add((instant, TIME.inXSDgYear if when.is_year else TIME.inXSDDate, when.literal()))
    # The shortcut org:memberOf carries no dates or role, so it is kept for what holds
    # now, and only for full members.
    if m.role == "member" and m.end is None:
        add((member, ORG.memberOf, organization))
