"""Answers Oxigraph writes itself are the answers rdflib wrote: every named query, sent as
text to /sparql, in every results format the server offers, cut at the row cap or not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from running_server import running_server
from sparql_results import solutions, solutions_of

from cakg.graph.store.engines import query_kind
from cakg.queries import list_queries, serialize_result
from cakg.queries.prefixes import predeclare
from cakg.server.protocol import ASK_TYPES, MEDIA_TYPES, RESULT_TYPES

# Under the rows of the longest named answers, so that several are cut at the cap.
MAX_ROWS = 100
NAMED = {nq.name: nq.sparql for nq in list_queries() if query_kind(nq.sparql) != "CONSTRUCT"}
CASES = [
    (name, media, fmt)
    for name, text in NAMED.items()
    for media, fmt in (ASK_TYPES if query_kind(text) == "ASK" else RESULT_TYPES)
]


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with running_server(data=(str(built / "kg.trig"),), max_rows=MAX_ROWS, workers=2) as url:
        yield url


@pytest.mark.parametrize(("name", "media", "fmt"), CASES)
def test_answer_is_rdflibs(server: str, store: Any, name: str, media: str, fmt: str) -> None:
    text = NAMED[name]
    r = httpx.post(f"{server}/sparql", data={"query": text}, headers={"Accept": media}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(MEDIA_TYPES[fmt])
    expected, cut = store.query_capped(predeclare(text).text, MAX_ROWS)
    # CSV is lossy: the rows as rdflib writes them; otherwise the terms the store gives
    # (rdflib's XML writer leaves out a literal 0, so its text is not the reference).
    if fmt == "csv":
        assert solutions(r.content, fmt) == solutions(serialize_result(expected, fmt), fmt)
    else:
        assert solutions(r.content, fmt) == solutions_of(expected)
    assert r.headers.get("x-cakg-truncated") == ("true" if cut else None)
    assert r.content.endswith(b"\n")


def test_some_answers_are_cut(store: Any) -> None:
    """The cases above hold answers cut at the cap and answers under it."""
    cut = {store.query_capped(predeclare(t).text, MAX_ROWS)[1] for t in NAMED.values()}
    assert cut == {True, False}


@pytest.mark.parametrize(
    ("text", "rows", "cut"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 7", 7, None),
        ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 3", MAX_ROWS, "true"),
        (f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS + 5}", MAX_ROWS, "true"),
        ("SELECT ?s WHERE { ?s ?p ?o } VALUES ?p { rdf:type }", MAX_ROWS, "true"),
        ("SELECT ?s WHERE { { SELECT ?s { ?s ?p ?o } LIMIT 3 } }", 3, None),
    ],
)
def test_own_slices_and_values(server: str, text: str, rows: int, cut: str | None) -> None:
    """A query's own LIMIT, OFFSET and VALUES keep working beside the cap's LIMIT."""
    r = httpx.post(
        f"{server}/sparql", data={"query": text}, headers={"Accept": "text/csv"}, timeout=60
    )
    assert r.status_code == 200, r.text
    assert len(r.text.splitlines()) == rows + 1
    assert r.headers.get("x-cakg-truncated") == cut


def test_a_zero_keeps_its_value_in_xml(server: str) -> None:
    """Regression: rdflib's XML results writer left an integer 0 empty."""
    text = "SELECT (0 AS ?n) WHERE {}"
    r = httpx.post(
        f"{server}/sparql",
        data={"query": text},
        headers={"Accept": "application/sparql-results+xml"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    assert b'#integer">0</literal>' in r.content
