"""The query check runs in a worker and its verdicts are kept; what it refuses is unchanged.

A real server on 127.0.0.1 (with a write token, so that updates are checked too) and a
canary listener that must receive nothing. Each refused text is sent twice, so that the
second answer comes from the kept verdict; each must be the 400 and the message that the
check itself (:func:`~cakg.server.protocol.vet_query`) gives in this process.
"""

from __future__ import annotations

import httpx
import pytest
from running_server import WRITE_TOKEN, Canary

from cakg.server.protocol import Dataset, vet_query, vet_update
from cakg.server.verdicts import Refused, Verdicts, verdict


@pytest.fixture(scope="module")
def endpoint(writable_endpoint: str) -> str:
    return writable_endpoint


REFUSED_QUERIES = [
    "SELECT * WHERE { ?s ?p }",  # a syntax error, told on its line and column
    "SELECT * WHERE {\n  ?s ?p ?o .\n  ?s ?p }",  # on a later line
    "SELECT * WHERE { ?s a nope:Thing }",  # an unknown prefix
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    'SELECT ("\\u005Cu0022" AS ?a) {}',  # an escape spelling another escape
]


@pytest.mark.parametrize("text", REFUSED_QUERIES)
def test_a_refused_query_gets_the_checks_own_400_every_time(endpoint: str, text: str) -> None:
    expected = verdict(vet_query, text, endpoint)
    assert isinstance(expected, Refused)
    for _ in range(2):  # the second answer is the kept verdict
        r = httpx.post(endpoint, data={"query": text}, timeout=60)
        assert (r.status_code, r.text) == (400, expected.message + "\n")


REFUSED_UPDATES = [
    "INSERT DATA { <urn:s> <urn:p> }",
    "LOAD <http://example.org/data.ttl>",
    "INSERT { <s> <p> ?o } USING <urn:g> WHERE { ?s <p> ?o }",  # USING and using-graph-uri
]


@pytest.mark.parametrize("text", REFUSED_UPDATES)
def test_a_refused_update_gets_the_checks_own_400(endpoint: str, text: str) -> None:
    using = Dataset(("urn:other",))
    expected = verdict(vet_update, text, endpoint, using)
    assert isinstance(expected, Refused)
    r = httpx.post(
        endpoint,
        data={"update": text, "using-graph-uri": "urn:other"},
        headers={"Authorization": f"Bearer {WRITE_TOKEN}"},
        timeout=60,
    )
    assert (r.status_code, r.text) == (400, expected.message + "\n")


# Two texts that differ only in one escape's code point. With \u0041 ("A") the SERVICE is
# string content and the query runs; with \u0022 (a quote) the string ends, the SERVICE is
# real and refused. A verdict kept for one must never answer the other.
TWIN = 'SELECT * WHERE { { ?s ?p "ESC } SERVICE <CANARY> { ?a ?b ?c } { ?x ?y ESC" } }'
TWINS = [("\\u0041", "\\u0022"), ("\\U00000041", "\\U00000022")]


@pytest.mark.parametrize("benign_first", [True, False], ids=["benign-first", "disguised-first"])
@pytest.mark.parametrize("twins", TWINS, ids=["u", "U"])
def test_texts_differing_by_an_escape_are_vetted_apart(
    endpoint: str, canary: str, twins: tuple[str, str], benign_first: bool
) -> None:
    benign, disguised = (TWIN.replace("ESC", e).replace("CANARY", canary) for e in twins)
    Canary.hits.clear()
    order = [benign, disguised] if benign_first else [disguised, benign]
    for _ in range(2):
        for text in order:
            r = httpx.post(endpoint, data={"query": text}, timeout=60)
            if text == benign:
                assert r.status_code == 200, r.text
            else:
                assert r.status_code == 400
                assert "SERVICE is not allowed" in r.text
    assert Canary.hits == []


def test_the_same_text_against_another_base_is_vetted_again(endpoint: str) -> None:
    """A relative FROM resolves against the endpoint's URL (from the Host header), so the
    base is part of the key: the graph exists under one base only."""
    graph = endpoint.rsplit("/", 1)[0] + "/graph/vetting"
    r = httpx.post(
        endpoint,
        data={"update": f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> <urn:c> }} }}"},
        headers={"Authorization": f"Bearer {WRITE_TOKEN}"},
        timeout=60,
    )
    assert r.status_code == 204, r.text
    text = "ASK FROM <graph/vetting> { ?s ?p ?o }"
    for host, found in ((None, True), ("kg.example", False), (None, True)):
        headers = {"Accept": "application/sparql-results+json"}
        if host is not None:
            headers["Host"] = host
        r = httpx.post(endpoint, data={"query": text}, headers=headers, timeout=60)
        assert r.status_code == 200 and r.json()["boolean"] is found, (host, r.text)


def test_kept_verdicts_are_bounded_by_their_text() -> None:
    kept = Verdicts(entries=100, chars=10)
    kept.put(("SELECT", "b"), Refused("1"))  # 7 characters
    kept.put(("ASK", "b"), Refused("2"))  # 4 more: the first goes
    assert kept.get(("SELECT", "b")) is None
    assert kept.get(("ASK", "b")) == Refused("2")
    kept.put(("x" * 11, ""), Refused("3"))  # longer than the whole bound: not kept
    assert kept.get(("x" * 11, "")) is None
    assert len(kept) == 1
