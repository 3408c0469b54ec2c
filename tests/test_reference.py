"""The reference graph against known facts, the contract's standard view, and its data checks."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from cakg.errors import InputError
from cakg.graph import namespaces as ns
from cakg.graph.entities.reference import (
    DATA_FILES,
    build_reference_graph,
    load_reference_data,
    reference_graph,
)
from cakg.graph.namespaces import CAKG, DCT, ORG, OWL, RDF, RDFS, SCHEMA, SKOS, WD, Minter
from cakg.graph.vocabulary import vocabulary

BASE = "https://example.org/kg/"
M = Minter(BASE)


@pytest.fixture(scope="module")
def g() -> Graph:
    return reference_graph(M)


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def memberships(g: Graph, state: str, org: str) -> list[tuple[str, str | None, str | None]]:
    """(role, start, end) of a state's memberships in an organization, sorted by start."""
    rows = []
    for m in g.subjects(ORG.member, iri(f"state/{state}")):
        if (m, ORG.organization, iri(f"org/{org}")) not in g:
            continue
        role = g.value(m, ORG.role)
        assert isinstance(role, URIRef)
        interval = g.value(m, ORG.memberDuring)
        start = end = None
        for prop in (ns.TIME.hasBeginning, ns.TIME.hasEnd):
            instant = g.value(interval, prop)
            if instant is None:
                continue
            value = g.value(instant, ns.TIME.inXSDDate) or g.value(instant, ns.TIME.inXSDgYear)
            if prop == ns.TIME.hasBeginning:
                start = str(value)
            else:
                end = str(value)
        rows.append((role.removeprefix(str(CAKG)).removeprefix("role-"), start, end))
    return sorted(rows, key=lambda r: r[1] or "")


# --- memberships: roles and dates as their sources give them --------------------------------

MEMBERSHIP_FACTS = [
    # state, org, role, start, end
    ("uzbekistan", "csto", "member", "1994-04-20", "1999"),
    ("uzbekistan", "csto", "former-member", "1999", "2006"),
    ("uzbekistan", "csto", "member", "2006", "2012-06-28"),
    ("uzbekistan", "csto", "suspended", "2012-06-28", None),
    ("azerbaijan", "csto", "member", "1994-04-20", "1999"),
    ("georgia", "csto", "member", "1994-04-20", "1999"),
    ("russia", "csto", "member", "1994-04-20", None),
    ("belarus", "csto", "member", "1994-04-20", None),
    ("armenia", "csto", "member", "1994-04-20", None),
    ("kazakhstan", "csto", "member", "1994-04-20", None),
    ("kyrgyzstan", "csto", "member", "1994-04-20", None),
    ("tajikistan", "csto", "member", "1994-04-20", None),
    ("russia", "eaeu", "member", "2015-01-01", None),
    ("belarus", "eaeu", "member", "2015-01-01", None),
    ("kazakhstan", "eaeu", "member", "2015-01-01", None),
    ("armenia", "eaeu", "member", "2015-01-02", None),
    ("kyrgyzstan", "eaeu", "member", "2015-08-12", None),
    ("moldova", "eaeu", "observer", "2018-05-14", None),
    ("uzbekistan", "eaeu", "observer", "2020-12-11", None),
    ("cuba", "eaeu", "observer", "2020-12-11", None),
    ("china", "sco", "member", "2001-06-15", None),
    ("uzbekistan", "sco", "member", "2001-06-15", None),
    ("india", "sco", "member", "2017-06-09", None),
    ("pakistan", "sco", "member", "2017-06-09", None),
    ("iran", "sco", "member", "2023-07-04", None),
    ("afghanistan", "sco", "observer", "2012", None),
    ("mongolia", "sco", "observer", "2004", None),
    ("turkey", "sco", "dialogue-partner", "2012", None),
    ("turkey", "ots", "member", "2009-10-03", None),
    ("kazakhstan", "ots", "member", "2009-10-03", None),
    ("uzbekistan", "ots", "member", "2019-10-15", None),
    ("hungary", "ots", "observer", "2018-09-03", None),
    ("turkmenistan", "ots", "observer", "2021-11-12", None),
    ("turkmenistan", "cis", "member", "1991-12-21", "2005-08-26"),
    ("turkmenistan", "cis", "associate-member", "2005-08-26", None),
    ("georgia", "cis", "former-member", "2009-08-18", None),
    ("ukraine", "cis", "former-member", "2018", None),
    ("kazakhstan", "cahs", "member", "2018-03-15", None),
    ("turkmenistan", "cahs", "member", "2018-03-15", None),
]


@pytest.mark.parametrize(("state", "org", "role", "start", "end"), MEMBERSHIP_FACTS)
def test_membership_facts(
    g: Graph, state: str, org: str, role: str, start: str, end: str | None
) -> None:
    assert (role, start, end) in memberships(g, state, org)


def test_uzbekistan_csto_history_in_order(g: Graph) -> None:
    assert memberships(g, "uzbekistan", "csto") == [
        ("member", "1994-04-20", "1999"),
        ("former-member", "1999", "2006"),
        ("member", "2006", "2012-06-28"),
        ("suspended", "2012-06-28", None),
    ]


def test_membership_iri_follows_the_model(g: Graph) -> None:
    m = iri("membership/uzbekistan--csto--suspended--2012")
    assert (m, RDF.type, ORG.Membership) in g
    assert (m, ORG.role, CAKG["role-suspended"]) in g
    instant = g.value(g.value(m, ORG.memberDuring), ns.TIME.hasBeginning)
    assert g.value(instant, ns.TIME.inXSDDate) == Literal("2012-06-28", datatype=ns.XSD.date)


@pytest.mark.parametrize("org", ["csto", "eaeu", "sco"])
def test_turkmenistan_is_in_no_csto_eaeu_sco(g: Graph, org: str) -> None:
    assert memberships(g, "turkmenistan", org) == []
    assert (iri("state/turkmenistan"), ORG.memberOf, iri(f"org/{org}")) not in g


@pytest.mark.parametrize(
    ("state", "org", "expected"),
    [
        ("kazakhstan", "csto", True),
        ("uzbekistan", "csto", False),  # suspended
        ("azerbaijan", "csto", False),  # left in 1999
        ("uzbekistan", "eaeu", False),  # observer
        ("uzbekistan", "ots", True),
        ("turkmenistan", "ots", False),  # observer
        ("turkmenistan", "cis", False),  # associate member
        ("georgia", "cis", False),  # left
        ("india", "sco", True),
        ("uzbekistan", "cahs", True),
    ],
)
def test_member_of_only_for_current_full_membership(
    g: Graph, state: str, org: str, expected: bool
) -> None:
    assert ((iri(f"state/{state}"), ORG.memberOf, iri(f"org/{org}")) in g) is expected


def test_every_membership_has_the_contract_shape(g: Graph) -> None:
    ms = list(g.subjects(RDF.type, ORG.Membership))
    assert len(ms) > 150
    roles = {c.iri for c in vocabulary("role")}
    for m in ms:
        assert (m, RDF.type, CAKG.Membership) in g
        source = g.value(m, DCT.source)
        assert isinstance(source, URIRef) and str(source).startswith(("https://", "http://")), m
        member, organization = g.value(m, ORG.member), g.value(m, ORG.organization)
        assert (member, RDF.type, SCHEMA.Country) in g, m
        assert (organization, RDF.type, SCHEMA.Organization) in g, m
        assert g.value(m, ORG.role) in roles, m
        interval = g.value(m, ORG.memberDuring)
        assert (interval, RDF.type, ns.TIME.Interval) in g, m
        beginning = g.value(interval, ns.TIME.hasBeginning)
        assert (beginning, RDF.type, ns.TIME.Instant) in g, m
        value = g.value(beginning, ns.TIME.inXSDDate) or g.value(beginning, ns.TIME.inXSDgYear)
        assert isinstance(value, Literal) and value.datatype in (ns.XSD.date, ns.XSD.gYear), m
    for role in roles:
        assert (role, RDF.type, ORG.Role) in g


# --- states --------------------------------------------------------------------------------


def test_all_iso_countries(g: Graph) -> None:
    states = set(g.subjects(RDF.type, CAKG.State))
    assert len(states) == 249
    codes = set()
    for s in states:
        assert (s, RDF.type, SCHEMA.Country) in g
        labels = [o for o in g.objects(s, RDFS.label) if isinstance(o, Literal)]
        assert len(labels) == 1 and labels[0].language == "en", s
        a2, a3 = g.value(s, CAKG.isoAlpha2), g.value(s, CAKG.isoAlpha3)
        assert a2 is not None and len(str(a2)) == 2
        assert a3 is not None and len(str(a3)) == 3
        assert g.value(s, CAKG.isoNumeric) is not None
        assert g.value(s, DCT.source) is not None
        codes.add(str(a2))
    assert len(codes) == 249


@pytest.mark.parametrize(
    ("code", "slug", "label"),
    [
        ("RU", "russia", "Russia"),
        ("IR", "iran", "Iran"),
        ("KR", "south-korea", "South Korea"),
        ("KP", "north-korea", "North Korea"),
        ("SY", "syria", "Syria"),
        ("MD", "moldova", "Moldova"),
        ("VN", "vietnam", "Vietnam"),
        ("LA", "laos", "Laos"),
        ("BO", "bolivia", "Bolivia"),
        ("VE", "venezuela", "Venezuela"),
        ("TZ", "tanzania", "Tanzania"),
        ("TW", "taiwan", "Taiwan"),
        ("BN", "brunei", "Brunei"),
        ("CZ", "czechia", "Czechia"),
        ("TR", "turkey", "Turkey"),
        ("US", "united-states", "United States"),
        ("GB", "united-kingdom", "United Kingdom"),
        ("PS", "palestine", "Palestine"),
        ("VA", "vatican-city", "Vatican City"),
        ("KZ", "kazakhstan", "Kazakhstan"),
        ("KG", "kyrgyzstan", "Kyrgyzstan"),
    ],
)
def test_customary_short_names(g: Graph, code: str, slug: str, label: str) -> None:
    s = iri(f"state/{slug}")
    assert g.value(s, RDFS.label) == Literal(label, lang="en")
    assert g.value(s, CAKG.isoAlpha2) == Literal(code)


@pytest.mark.parametrize(
    ("slug", "alt"),
    [
        ("kazakhstan", "Republic of Kazakhstan"),
        ("kazakhstan", "RK"),
        ("kyrgyzstan", "Kyrgyz Republic"),
        ("kyrgyzstan", "Kirghizia"),
        ("tajikistan", "Republic of Tajikistan"),
        ("uzbekistan", "Republic of Uzbekistan"),
        ("russia", "Russian Federation"),
        ("china", "PRC"),
        ("china", "People's Republic of China"),
        ("united-states", "USA"),
        ("united-states", "US"),
        ("turkey", "Türkiye"),
        ("iran", "Islamic Republic of Iran"),
    ],
)
def test_alternative_names(g: Graph, slug: str, alt: str) -> None:
    assert (iri(f"state/{slug}"), SKOS.altLabel, Literal(alt, lang="en")) in g


@pytest.mark.parametrize(
    ("slug", "prop", "value"),
    [
        ("kazakhstan", CAKG.adjective, "Kazakh"),
        ("kazakhstan", CAKG.adjective, "Kazakhstani"),
        ("kazakhstan", CAKG.demonym, "Kazakhs"),
        ("uzbekistan", CAKG.adjective, "Uzbek"),
        ("uzbekistan", CAKG.demonym, "Uzbeks"),
        ("kyrgyzstan", CAKG.adjective, "Kyrgyz"),
        ("tajikistan", CAKG.demonym, "Tajiks"),
        ("turkmenistan", CAKG.adjective, "Turkmen"),
        ("russia", CAKG.demonym, "Russians"),
        ("china", CAKG.adjective, "Chinese"),
        ("afghanistan", CAKG.adjective, "Afghan"),
        ("iran", CAKG.adjective, "Iranian"),
        ("turkey", CAKG.adjective, "Turkish"),
    ],
)
def test_adjectives_and_demonyms(g: Graph, slug: str, prop: URIRef, value: str) -> None:
    assert (iri(f"state/{slug}"), prop, Literal(value, lang="en")) in g


QIDS = [
    ("state/kazakhstan", "Q232"),
    ("state/uzbekistan", "Q265"),
    ("state/kyrgyzstan", "Q813"),
    ("state/tajikistan", "Q863"),
    ("state/turkmenistan", "Q874"),
    ("state/russia", "Q159"),
    ("state/china", "Q148"),
    ("state/belarus", "Q184"),
    ("state/afghanistan", "Q889"),
    ("state/iran", "Q794"),
    ("state/armenia", "Q399"),
    ("org/csto", "Q318693"),
    ("org/eaeu", "Q4173083"),
    ("org/sco", "Q485207"),
    ("org/ots", "Q596850"),
    ("org/cis", "Q7779"),
    ("person/vladimir-putin", "Q7747"),
    ("person/xi-jinping", "Q15031"),
]


@pytest.mark.parametrize(("path", "qid"), QIDS)
def test_wikidata_links_with_their_source(g: Graph, path: str, qid: str) -> None:
    assert (iri(path), OWL.sameAs, WD[qid]) in g
    assert (iri(path), DCT.source, URIRef(f"https://www.wikidata.org/wiki/{qid}")) in g


def test_every_same_as_is_sourced(g: Graph) -> None:
    for s, o in g.subject_objects(OWL.sameAs):
        qid = str(o).rsplit("/", 1)[-1]
        assert (s, DCT.source, URIRef(f"https://www.wikidata.org/wiki/{qid}")) in g


@pytest.mark.parametrize(
    ("state", "capital", "alt"),
    [
        ("kazakhstan", "astana", "Nur-Sultan"),
        ("turkmenistan", "ashgabat", "Ashkhabad"),
        ("kyrgyzstan", "bishkek", None),
        ("uzbekistan", "tashkent", None),
        ("tajikistan", "dushanbe", None),
        ("russia", "moscow", None),
        ("china", "beijing", None),
    ],
)
def test_capitals(g: Graph, state: str, capital: str, alt: str | None) -> None:
    place = iri(f"place/{capital}")
    assert (iri(f"state/{state}"), CAKG.capital, place) in g
    assert (place, RDF.type, CAKG.Place) in g
    if alt:
        assert (place, SKOS.altLabel, Literal(alt, lang="en")) in g


def test_central_asia(g: Graph) -> None:
    region = iri("place/central-asia")
    assert (region, RDF.type, CAKG.Region) in g
    assert g.value(region, RDFS.label) == Literal("Central Asia", lang="en")
    members = {str(s).removeprefix(BASE) for s in g.subjects(CAKG.partOfRegion, region)}
    assert members == {
        "state/kazakhstan",
        "state/kyrgyzstan",
        "state/tajikistan",
        "state/turkmenistan",
        "state/uzbekistan",
    }


# --- organizations and leaders -------------------------------------------------------------

ORG_KEYS = [
    "csto", "eaeu", "ecu", "sco", "ots", "cis", "cahs", "eu", "un", "nato", "osce", "cica",
    "eco", "brics", "asean", "wto", "imf", "carec",
]  # fmt: skip


@pytest.mark.parametrize("key", ORG_KEYS)
def test_organizations_carry_the_contract_view(g: Graph, key: str) -> None:
    o = iri(f"org/{key}")
    for cls in (CAKG.InternationalOrganization, SCHEMA.Organization, ORG.FormalOrganization):
        assert (o, RDF.type, cls) in g
    label = g.value(o, RDFS.label)
    assert isinstance(label, Literal) and label.language == "en"
    acronym = g.value(o, CAKG.acronym)
    if acronym is not None:
        assert (o, SKOS.altLabel, Literal(str(acronym), lang="en")) in g
    assert g.value(o, DCT.source) is not None


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("ots", "Turkic Council"),
        ("ots", "Cooperation Council of Turkic Speaking States"),
        ("ecu", "Customs Union"),
        ("cahs", "Consultative Meeting"),
        ("cahs", "Consultative Meeting of the Presidents"),
    ],
)
def test_organization_other_names(g: Graph, key: str, name: str) -> None:
    assert (iri(f"org/{key}"), SKOS.altLabel, Literal(name, lang="en")) in g


def test_cahs_is_a_key_not_a_name(g: Graph) -> None:
    for _, _, o in g.triples((iri("org/cahs"), None, None)):
        assert "CAHS" not in str(o).upper().split()


@pytest.mark.parametrize(
    ("slug", "state", "variant"),
    [
        ("kassym-jomart-tokayev", "kazakhstan", "Qasym-Jomart Toqaev"),
        ("kassym-jomart-tokayev", "kazakhstan", "Tokaev"),
        ("nursultan-nazarbayev", "kazakhstan", "Nazarbaev"),
        ("shavkat-mirziyoyev", "uzbekistan", "Mirziyoev"),
        ("sadyr-japarov", "kyrgyzstan", "Zhaparov"),
        ("sooronbay-jeenbekov", "kyrgyzstan", None),
        ("emomali-rahmon", "tajikistan", "Rakhmon"),
        ("gurbanguly-berdimuhamedov", "turkmenistan", "Berdymukhamedov"),
        ("gurbanguly-berdimuhamedov", "turkmenistan", "Berdimuhammedov"),
        ("serdar-berdimuhamedov", "turkmenistan", None),
        ("vladimir-putin", "russia", None),
        ("xi-jinping", "china", None),
        ("alexander-lukashenko", "belarus", "Aleksandr Lukashenko"),
        ("ilham-aliyev", "azerbaijan", None),
        ("nikol-pashinyan", "armenia", None),
        ("recep-tayyip-erdogan", "turkey", "Erdogan"),
        ("ebrahim-raisi", "iran", None),
        ("joe-biden", "united-states", None),
        ("narendra-modi", "india", None),
    ],
)
def test_leaders(g: Graph, slug: str, state: str, variant: str | None) -> None:
    p = iri(f"person/{slug}")
    assert (p, RDF.type, CAKG.Person) in g
    assert (p, RDF.type, SCHEMA.Person) in g
    assert g.value(p, SCHEMA.name) == g.value(p, RDFS.label)
    assert g.value(p, SCHEMA.jobTitle) is not None
    assert (p, CAKG.headOfState, iri(f"state/{state}")) in g
    assert g.value(p, DCT.source) is not None
    if variant:
        assert (p, SKOS.hiddenLabel, Literal(variant, lang="en")) in g


def test_prime_ministers_have_their_title(g: Graph) -> None:
    title = g.value(iri("person/nikol-pashinyan"), SCHEMA.jobTitle)
    assert title == Literal("Prime Minister of Armenia", lang="en")


# --- building: determinism, bases, caching, errors ------------------------------------------


def test_two_builds_are_isomorphic() -> None:
    first = build_reference_graph(M, load_reference_data({}))
    second = build_reference_graph(M, load_reference_data({}))
    assert isomorphic(first, second)
    assert set(first) == set(second)  # no blank nodes: the very same triples
    assert isomorphic(first, reference_graph(M))


def test_base_is_respected() -> None:
    other = reference_graph(Minter("https://other.example/id/"))
    assert (URIRef("https://other.example/id/state/kazakhstan"), RDF.type, CAKG.State) in other
    assert not any(str(s).startswith(BASE) for s in other.subjects())


def test_reference_graph_returns_a_fresh_graph() -> None:
    a = reference_graph(M)
    a.remove((None, None, None))
    assert len(reference_graph(M)) > 5000


def _texts_with(name: str, replace: tuple[str, str]) -> dict[str, str]:
    from importlib import resources

    text = resources.files("cakg.graph.data").joinpath(name).read_text(encoding="utf-8")
    assert replace[0] in text
    return {name: text.replace(replace[0], replace[1], 1)}


def _line_of(name: str, needle: str) -> int:
    from importlib import resources

    text = resources.files("cakg.graph.data").joinpath(name).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("name", "replace", "message"),
    [
        (
            "memberships.yaml",
            ("member: KZ, role: member, start: 1994", "member: XX, role: member, start: 1994"),
            "ISO 3166-1",
        ),
        ("memberships.yaml", ("role: suspended", "role: expelled"), "unknown role"),
        ("memberships.yaml", ("start: 2012-06-28}", "start: 2012-13-45}"), "YYYY-MM-DD"),
        ("organizations.yaml", ("qid: Q318693", "qid: P318693"), "Wikidata"),
        ("states.yaml", ("capital: astana", "capital: atlantis"), "capital"),
        ("places.yaml", ("capital_of: KZ", "capital_of: ZZ"), "ISO 3166-1"),
    ],
)
def test_invalid_data_names_file_and_line(
    name: str, replace: tuple[str, str], message: str
) -> None:
    with pytest.raises(InputError) as info:
        load_reference_data(_texts_with(name, replace))
    err = info.value
    assert err.path == f"graph/data/{name}"
    assert err.line == _line_of(name, replace[0])
    assert message in err.message


def test_membership_without_a_source_is_refused() -> None:
    texts = _texts_with(
        "memberships.yaml",
        ("    source: https://en.wikipedia.org/wiki/Collective_Security_Treaty_Organization\n", ""),
    )
    with pytest.raises(InputError, match="no source"):
        load_reference_data(texts)


def test_broken_yaml_reports_the_line() -> None:
    with pytest.raises(InputError) as info:
        load_reference_data({"organizations.yaml": "organizations:\n  - key: [unclosed\n"})
    assert info.value.path == "graph/data/organizations.yaml"
    assert info.value.line is not None
    assert "not valid YAML" in info.value.message


def test_data_files_are_package_data() -> None:
    from importlib import resources

    for name in DATA_FILES:
        assert resources.files("cakg.graph.data").joinpath(name).is_file()


def test_counts() -> None:
    data = load_reference_data()
    counts: dict[str, Any] = {
        "states": len(data.states),
        "organizations": len(data.organizations),
        "leaders": len(data.persons),
    }
    assert counts == {"states": 249, "organizations": 18, "leaders": len(data.persons)}
    assert len(data.persons) >= 25
    assert len(data.memberships) >= 200


def test_conforms_to_the_shapes(g: Graph) -> None:
    from importlib import resources

    from pyshacl import validate

    shapes_text = resources.files("cakg.ontology").joinpath("shapes.ttl").read_text("utf-8")
    shapes = Graph().parse(data=shapes_text, format="turtle")
    conforms, _, report = validate(g, shacl_graph=shapes, inference="none")
    assert conforms, report
