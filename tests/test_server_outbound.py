"""The endpoint makes no outbound request, however SERVICE or LOAD is spelled.

A canary HTTP server on 127.0.0.1 counts the requests it gets; every query below names it
in a SERVICE (or LOAD) disguised with SPARQL's ``\\u`` escapes, which SPARQL 1.1 §19.2
expands before parsing. Whatever the answer — refused (400), or run as the spec reads it,
where the SERVICE turns out to be string content (200) — the canary must stay silent.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from running_server import WRITE_TOKEN, Canary


@pytest.fixture(scope="module")
def endpoint(writable_endpoint: str) -> str:
    return writable_endpoint


QUERIES = [
    # The reported attack: an escaped quote that ends a string for one parser only.
    'SELECT * WHERE { BIND("A\\u0022 + " AS ?x) { SERVICE <CANARY> { ?a ?b ?c } } '
    'BIND(" + \\u0022" AS ?y) }',
    # The same with the escape escaped once more, and with the long form.
    'SELECT * WHERE { BIND("A\\u005Cu0022 + " AS ?x) { SERVICE <CANARY> { ?a ?b ?c } } '
    'BIND(" + \\u005Cu0022" AS ?y) }',
    'SELECT * WHERE { BIND("A\\U00000022 + " AS ?x) { SERVICE <CANARY> { ?a ?b ?c } } '
    'BIND(" + \\U00000022" AS ?y) }',
    # The keyword itself spelled with escapes.
    "SELECT * WHERE { \\u0053ERVICE <CANARY> { ?a ?b ?c } }",
]
UPDATES = [
    'INSERT DATA { <urn:a> <urn:b> "\\u0022 . } ; LOAD <CANARY> ; INSERT DATA { <urn:c> <urn:d> '
    '"\\u0022 }',
    "\\u004cOAD <CANARY>",
]


@pytest.mark.parametrize("query", QUERIES)
def test_disguised_service_is_refused_and_nothing_is_fetched(
    query: str, endpoint: str, canary: str
) -> None:
    Canary.hits.clear()
    r = httpx.post(endpoint, data={"query": query.replace("CANARY", canary)}, timeout=60)
    assert r.status_code in (200, 400), r.text
    assert Canary.hits == []
    if "SERVICE" not in query:  # the keyword itself is escaped: a real SERVICE, refused
        assert r.status_code == 400 and "SERVICE is not allowed" in r.text


@pytest.mark.parametrize("update", UPDATES)
def test_disguised_load_is_refused_and_nothing_is_fetched(
    update: str, endpoint: str, canary: str
) -> None:
    Canary.hits.clear()
    r = httpx.post(
        endpoint,
        data={"update": update.replace("CANARY", canary)},
        headers={"Authorization": f"Bearer {WRITE_TOKEN}"},
        timeout=60,
    )
    assert r.status_code in (200, 400), r.text
    assert Canary.hits == []


def test_escapes_in_an_ordinary_query_still_work(endpoint: str) -> None:
    r = httpx.post(
        endpoint,
        data={"query": 'SELECT ?x WHERE { BIND("caf\\u00E9" AS ?x) }'},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "café"


def test_workers_cannot_reach_the_network_even_past_the_check(built: Path, canary: str) -> None:
    """Defence in depth: a SERVICE handed to a worker directly (no vetting) fetches nothing."""
    from cakg.errors import WorkerError
    from cakg.server.workers import DataSource, WorkerPool

    pool = WorkerPool(DataSource(paths=(str(built / "kg.trig"),)), 1)
    pool.start()
    try:
        assert pool.info["network_isolated"] is True
        Canary.hits.clear()
        query = f"SELECT * WHERE {{ SERVICE <{canary}> {{ ?s ?p ?o }} }}"
        with pytest.raises(WorkerError):
            pool.run(("sparql", query, "json", 10, [], []), 60)
        assert Canary.hits == []
    finally:
        pool.close()


def test_the_canary_is_reachable_from_the_test_process(canary: str) -> None:
    """The control: outside a worker, Oxigraph's SERVICE does reach the listener."""
    import pyoxigraph as ox

    Canary.hits.clear()
    rows = list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{canary}> {{ ?s ?p ?o }} }}"))
    assert rows == []  # the canary answers an empty result
    assert Canary.hits, "Oxigraph did not call the SERVICE: the worker test would prove nothing"
