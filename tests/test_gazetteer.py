"""The gazetteer: the cases in fixtures/gazetteer/cases.yaml, the API's guarantees, the article."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, Literal, URIRef

from cakg.graph.entities.gazetteer import Gazetteer, Match, normalize
from cakg.graph.namespaces import CAKG, RDF, RDFS, SCHEMA, SKOS, Minter

BASE = "https://example.org/kg/"
CASES_FILE = Path(__file__).parent / "fixtures" / "gazetteer" / "cases.yaml"
ARTICLE = (
    Path(__file__).parents[1]
    / "graph"
    / "data"
    / "articles"
    / "cabar-2022-01-crisis-in-kazakhstan-regional-cooperation.txt"
)


def _cases() -> list[Any]:
    data = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    return [pytest.param(c["text"], c["matches"], id=c["id"]) for c in data["cases"]]


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.default(Minter(BASE))


def _row(m: Match) -> list[str]:
    row = [m.surface, m.kind, m.iri.removeprefix(BASE), m.via]
    if m.state is not None:
        row.append(m.state.removeprefix(BASE))
    return row


@pytest.mark.parametrize(("text", "expected"), _cases())
def test_cases(gz: Gazetteer, text: str, expected: list[list[str]]) -> None:
    found = gz.find(text)
    assert [_row(m) for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.surface


def test_matches_are_sorted_and_do_not_overlap(gz: Gazetteer) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    found = gz.find(text)
    assert found
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    for m in found:
        assert text[m.start : m.end] == m.surface
        assert m.kind in ("state", "organization", "person", "place", "region")
        assert m.via in (
            "name",
            "alt",
            "acronym",
            "adjective",
            "demonym",
            "capital",
            "leader",
            "variant",
        )


def test_window_offsets_are_into_the_whole_text(gz: Gazetteer) -> None:
    text = "Kazakhstan and Uzbekistan; Tajikistan"
    found = gz.find(text, 15, 25)
    assert [(m.start, m.end, m.surface) for m in found] == [(15, 25, "Uzbekistan")]


def test_window_edge_is_not_a_word_boundary(gz: Gazetteer) -> None:
    # "Kazakh" ends the window but the word goes on: not a match.
    assert gz.find("Kazakhstan", 0, 6) == []


def test_empty_and_inverted_windows(gz: Gazetteer) -> None:
    assert gz.find("") == []
    assert gz.find("Kazakhstan", 5, 2) == []


def test_default_is_cached_per_base() -> None:
    a = Gazetteer.default(Minter(BASE))
    assert Gazetteer.default(Minter(BASE)) is a
    other = Gazetteer.default(Minter("https://other.example/"))
    assert other is not a
    (m,) = other.find("Kazakhstan")
    assert m.iri == URIRef("https://other.example/state/kazakhstan")


def test_normalize_keeps_offsets() -> None:
    text = "Russia’s “CSTO” – 2022\u00a0now"
    assert len(normalize(text)) == len(text)
    assert normalize(text) == 'Russia\'s "CSTO" - 2022 now'


def test_unusual_dashes_and_line_breaks(gz: Gazetteer) -> None:
    text = "Uzbek\u2013Kazakh and Kassym-Jomart\nTokayev"
    rows = [(m.surface, m.via) for m in gz.find(text)]
    assert rows == [
        ("Uzbek", "adjective"),
        ("Kazakh", "adjective"),
        ("Kassym-Jomart\nTokayev", "name"),
    ]


def test_from_a_small_graph() -> None:
    g = Graph()
    state = URIRef("urn:x:state/ruritania")
    org = URIRef("urn:x:org/ru")
    person = URIRef("urn:x:person/rudolf-rassendyll")
    g.add((state, RDF.type, CAKG.State))
    g.add((state, RDFS.label, Literal("Ruritania", lang="en")))
    g.add((state, CAKG.adjective, Literal("Ruritanian", lang="en")))
    g.add((org, RDF.type, CAKG.InternationalOrganization))
    g.add((org, RDFS.label, Literal("Ruritanian Union", lang="en")))
    g.add((org, CAKG.acronym, Literal("RU")))
    g.add((org, SKOS.altLabel, Literal("RU", lang="en")))
    g.add((person, RDF.type, CAKG.Person))
    g.add((person, RDFS.label, Literal("Rudolf Rassendyll", lang="en")))
    g.add((person, SCHEMA.givenName, Literal("Rudolf", lang="en")))
    g.add((person, SCHEMA.familyName, Literal("Rassendyll", lang="en")))
    g.add((person, SCHEMA.jobTitle, Literal("King of Ruritania", lang="en")))
    g.add((person, CAKG.headOfState, state))
    gz = Gazetteer.from_graph(g)
    rows = [
        (m.surface, m.kind, m.via, m.state)
        for m in gz.find(
            "King Rassendyll of Ruritania joined the Ruritanian Union (RU); Ruritanian wine, ru"
        )
    ]
    assert rows == [
        ("King Rassendyll", "person", "leader", state),
        ("Ruritania", "state", "name", None),
        ("Ruritanian Union", "organization", "name", None),
        ("RU", "organization", "acronym", None),
        ("Ruritanian", "state", "adjective", None),
    ]


def test_ambiguous_forms_of_different_entities_are_left_out() -> None:
    g = Graph()
    for slug in ("a", "b"):
        s = URIRef(f"urn:x:state/{slug}")
        g.add((s, RDF.type, CAKG.State))
        g.add((s, RDFS.label, Literal(f"State {slug.upper()}", lang="en")))
        g.add((s, SKOS.altLabel, Literal("Shared Name", lang="en")))
    gz = Gazetteer.from_graph(g)
    assert gz.find("Shared Name") == []
    assert [m.surface for m in gz.find("State A and State B")] == ["State A", "State B"]


def test_article_mentions(gz: Gazetteer) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    found = gz.find(text)
    iris = {m.iri.removeprefix(BASE) for m in found}
    for expected in (
        "state/kazakhstan",
        "state/uzbekistan",
        "state/kyrgyzstan",
        "state/tajikistan",
        "state/turkmenistan",
        "state/russia",
        "state/china",
        "state/belarus",
        "state/iran",
        "state/afghanistan",
        "org/csto",
        "org/eaeu",
        "org/sco",
        "org/ecu",
        "org/ots",
        "org/cahs",
        "place/central-asia",
        "place/south-caucasus",
        "person/shavkat-mirziyoyev",
        "person/nursultan-nazarbayev",
        "person/kassym-jomart-tokayev",
        "person/alexander-lukashenko",
        "person/gurbanguly-berdimuhamedov",
    ):
        assert expected in iris, expected
    # "Turkic" (in "Organization of Turkic States") never stands for Turkey
    assert "state/turkey" not in iris
    # the count of CSTO mentions is stable
    assert sum(m.iri.endswith("/org/csto") for m in found) == 13


def test_forms_listing(gz: Gazetteer) -> None:
    forms = gz.forms()
    assert len(forms) == len(gz) > 1000
    assert forms["CSTO"][1:] == ("organization", "acronym")
    assert "CAHS" not in forms
    assert "Turkic" not in forms
