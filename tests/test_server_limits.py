"""`cakg serve` under load and misuse: memory and per-client limits, body limits, headers, CORS.

A real read-only server on 127.0.0.1 with a small worker memory limit; a second client speaks
from 127.0.0.2 (the loopback network holds all of 127/8).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from running_server import running_server

from cakg.errors import InputError, WorkerError
from cakg.server import ServerConfig, create_app
from cakg.server.state import MAX_BODY
from cakg.server.workers import DataSource, WorkerPool

TIMEOUT = 8.0
MEMORY_MB = 300
SMALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Every pair of triples of the bundled article, sorted: the whole product is held in memory
# (about 10^8 rows), far past the small memory limit long before the time limit.
SORTED_CROSS_JOIN = "SELECT ?a ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
# A four-fold cross product counted: much time, little memory.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PYTHON_TEXT = ("Traceback", "Error:", "Exception", 'File "')


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with running_server(
        data=(str(built / "kg.trig"),), timeout=TIMEOUT, workers=2, worker_memory=MEMORY_MB
    ) as url:
        yield url


def wait_for_full_pool(url: str) -> None:
    deadline = time.monotonic() + 60
    while httpx.get(f"{url}/health").json()["workers"] < 2:
        assert time.monotonic() < deadline, "a stopped worker was not replaced"
        time.sleep(0.2)


def query(url: str, text: str, **client: Any) -> httpx.Response:
    with httpx.Client(timeout=120, **client) as c:
        return c.get(f"{url}/sparql", params={"query": text})


def test_a_query_past_the_memory_limit_gets_503_and_its_worker_is_replaced(server: str) -> None:
    started = time.monotonic()
    r = query(server, SORTED_CROSS_JOIN)
    assert time.monotonic() - started < TIMEOUT  # stopped by the memory limit, not the clock
    assert r.status_code == 503
    assert f"memory limit of a worker ({MEMORY_MB} MB" in r.text
    assert not any(word in r.text for word in PYTHON_TEXT)
    wait_for_full_pool(server)
    assert query(server, SMALL).status_code == 200


def test_one_client_cannot_take_every_worker(server: str) -> None:
    wait_for_full_pool(server)
    answers: list[httpx.Response] = []
    runaways = [
        threading.Thread(target=lambda: answers.append(query(server, RUNAWAY))) for _ in range(2)
    ]
    for t in runaways:
        t.start()
        time.sleep(0.5)
    # The second runaway of the same client is refused at once, not queued.
    deadline = time.monotonic() + 3
    while not answers:
        assert time.monotonic() < deadline, "the client's second query was not refused at once"
        time.sleep(0.05)
    assert answers[0].status_code == 429 and "Retry-After" in answers[0].headers
    other = httpx.HTTPTransport(local_address="127.0.0.2")
    started = time.monotonic()
    r = query(server, SMALL, transport=other)
    assert r.status_code == 200 and time.monotonic() - started < 3
    for t in runaways:
        t.join()
    assert answers[1].status_code == 503  # the first runaway ran into the time limit
    wait_for_full_pool(server)


def raw_request(url: str, head: str, body: bytes) -> bytes:
    """Send a request's head and part of its body, then read the answer without sending more."""
    parts = urlparse(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as s:
        s.sendall(head.encode() + b"\r\n" + body)
        return s.recv(4096)


@pytest.mark.parametrize(
    ("framing", "body"),
    [
        # The declared size alone is refused; nothing of the body is waited for.
        (f"Content-Length: {10 * MAX_BODY}\r\n", b"query=ASK"),
        # A chunked body is refused once what came in passes the limit (no last chunk sent).
        ("Transfer-Encoding: chunked\r\n", (b"10000\r\n" + b"x" * 0x10000 + b"\r\n") * 20),
    ],
)
def test_a_large_body_is_refused_without_reading_it_all(
    server: str, framing: str, body: bytes
) -> None:
    head = (
        "POST /sparql HTTP/1.1\r\nHost: localhost\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\n{framing}"
    )
    answer = raw_request(server, head, body)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


@pytest.mark.parametrize("path", ["/", "/sparql", "/health", "/queries", "/no-such-page"])
def test_every_answer_says_nosniff(server: str, path: str) -> None:
    r = httpx.get(f"{server}{path}", headers={"Accept": "text/html"})
    assert r.headers["x-content-type-options"] == "nosniff"
    if r.headers.get("content-type", "").startswith("text/html"):
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


ORIGIN = {"Origin": "https://yasgui.example"}


def test_queries_are_shared_with_any_origin(server: str) -> None:
    r = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers=ORIGIN)
    assert r.headers["access-control-allow-origin"] == "*"
    assert "X-SPARQL-MaxRows" in r.headers["access-control-expose-headers"]
    preflight = httpx.options(
        f"{server}/sparql",
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]


@pytest.mark.parametrize(
    "request_args",
    [
        # An update (refused here: the server is read-only) is never a shared answer.
        {
            "method": "POST",
            "content": "CLEAR ALL",
            "headers": {**ORIGIN, "Content-Type": "application/sparql-update"},
        },
        {"method": "POST", "data": {"update": "CLEAR ALL"}, "headers": ORIGIN},
        # Anything with credentials.
        {
            "method": "GET",
            "params": {"query": "ASK {}"},
            "headers": {**ORIGIN, "Authorization": "Bearer x"},
        },
        {
            "method": "OPTIONS",
            "headers": {
                **ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            },
        },
        # Pages other than query answers.
        {"method": "GET", "params": {}, "headers": ORIGIN, "url": "/health"},
    ],
)
def test_no_wildcard_for_updates_credentials_or_other_pages(
    server: str, request_args: dict[str, Any]
) -> None:
    args = dict(request_args)
    r = httpx.request(url=server + args.pop("url", "/sparql"), **args)
    assert "access-control-allow-origin" not in r.headers


def test_an_internal_error_reaches_the_client_as_a_request_id(
    built: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pool = WorkerPool(DataSource(paths=(str(built / "kg.trig"),)), 1)
    pool.start()
    try:
        with pytest.raises(WorkerError) as caught:
            pool.run(("sparql",), TIMEOUT)  # arguments missing: a TypeError in the worker
    finally:
        pool.close()
    assert caught.value.kind == "internal"
    assert "request id" in caught.value.message
    assert not any(word in caught.value.message for word in (*PYTHON_TEXT, "TypeError"))
    request_id = caught.value.message.split("request id ")[1].split(",")[0]
    assert any(request_id in r.message and "TypeError" in r.message for r in caplog.records)


PUBLIC = "https://kg.example.org"


@pytest.fixture(scope="module")
def public_server(built: Path) -> Iterator[str]:
    with running_server(data=(str(built / "kg.trig"),), workers=1, public_url=PUBLIC) as url:
        yield url


@pytest.mark.parametrize("path", ["/sparql", "/.well-known/void", "/dump/void.ttl"])
def test_links_come_from_the_public_url_never_from_a_forged_host(
    public_server: str, path: str
) -> None:
    forged = {"Host": "evil.example", "Accept": "text/turtle"}
    r = httpx.get(public_server + path, headers=forged, timeout=60)
    assert r.status_code == 200
    assert f"{PUBLIC}/" in r.text and "evil.example" not in r.text


@pytest.mark.parametrize("public", ["kg.example.org", "ftp://kg.example.org", f"{PUBLIC}/kg/"])
def test_the_public_url_is_an_origin(built: Path, public: str) -> None:
    with pytest.raises(InputError, match="--public-url"):
        create_app(ServerConfig(data=(str(built / "kg.trig"),), public_url=public))
