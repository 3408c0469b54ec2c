"""The W3C SPARQL 1.1 Protocol tests, run over HTTP against `cakg serve`.

The manifest (tests/fixtures/w3c-protocol) describes each test as HTTP exchanges; this
performs them in order against a real server on 127.0.0.1, once read-only (where an update
answered 403 is the expected refusal) and once with a write token.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS
from running_server import running_server

HERE = Path(__file__).parent / "fixtures" / "w3c-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-protocol-token"
# mf:expectedFormat: the media types each kind of answer may come in.
FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "text/html"),
}

MANIFEST = Graph().parse(HERE / "manifest.ttl", format="turtle")


def _requests(test: URIRef) -> list[dict[str, Any]]:
    """One test's requests: method, path, headers, body and what the response must be."""
    action = MANIFEST.value(test, MF.action)
    out = []
    for req in Collection(MANIFEST, MANIFEST.value(action, HT.requests)):
        headers: dict[str, str] = {}
        for h in Collection(MANIFEST, MANIFEST.value(req, HT.headers) or URIRef("rdf:nil")):
            headers[str(MANIFEST.value(h, HT.fieldName))] = str(MANIFEST.value(h, HT.fieldValue))
        body = MANIFEST.value(req, HT.body)
        content = None
        if body is not None:
            encoding = str(MANIFEST.value(body, CNT.characterEncoding) or "UTF-8")
            content = str(MANIFEST.value(body, CNT.chars)).encode(encoding)
        resp = MANIFEST.value(req, HT.resp)
        boolean = MANIFEST.value(resp, MF.expectedBoolean)
        fmt = MANIFEST.value(resp, MF.expectedFormat)
        out.append(
            {
                "method": str(MANIFEST.value(req, HT.methodName)),
                "path": str(MANIFEST.value(req, HT.absolutePath)),
                "headers": headers,
                "content": content,
                "status": {
                    str(s).rsplit("StatusCode", 1)[1][0]
                    for s in MANIFEST.objects(resp, MF.expectedStatus)
                },
                "boolean": None if boolean is None else boolean.toPython(),
                "format": None if fmt is None else str(fmt),
            }
        )
    return out


TESTS = list(Collection(MANIFEST, next(MANIFEST.objects(None, MF.entries))))


def _quads() -> list[tuple[str, str]]:
    """The graphs the tests name (ut:graphData): (N-Triples line without its dot, graph)."""
    quads = set()
    for data in MANIFEST.objects(None, UT.graphData):
        name = f"<{MANIFEST.value(data, RDFS.label)}>"
        path = HERE / Path(str(MANIFEST.value(data, UT.graph))).name
        for line in path.read_text(encoding="utf-8").splitlines():
            quads.add((line.rstrip(" ."), name))
    return sorted(quads)


def _boolean(response: httpx.Response) -> bool:
    if "json" in response.headers["content-type"]:
        return bool(json.loads(response.text)["boolean"])
    ns = "{http://www.w3.org/2005/sparql-results#}"
    node = ElementTree.fromstring(response.content).find(f"{ns}boolean")
    assert node is not None
    return node.text == "true"


@pytest.fixture(scope="module", params=["read-only", "writes"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    data = tmp_path_factory.mktemp("w3c") / "protocol.nq"
    data.write_text("".join(f"{t} {g} .\n" for t, g in _quads()), encoding="utf-8")
    token = TOKEN if request.param == "writes" else None
    with running_server(data=(str(data),), workers=1, timeout=10.0, write_token=token) as url:
        yield url, request.param


def _restore(url: str) -> None:
    """Put the test data back: each test starts from the manifest's graphs."""
    quads = " ".join(f"GRAPH {g} {{ {t} }}" for t, g in _quads())
    r = httpx.post(
        f"{url}/sparql",
        content=f"DROP ALL ; INSERT DATA {{ {quads} }}",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 204, r.text


@pytest.mark.parametrize("test", TESTS, ids=lambda t: str(t).rsplit("#", 1)[1])
def test_w3c_protocol(server: tuple[str, str], test: URIRef) -> None:
    url, mode = server
    if mode == "writes":
        _restore(url)
    for req in _requests(test):
        headers = dict(req["headers"])
        if mode == "writes":
            headers["Authorization"] = f"Bearer {TOKEN}"
        # The manifest's paths start with /sparql/, to be replaced by the endpoint's.
        path = "/sparql" + req["path"].removeprefix("/sparql/")
        r = httpx.request(req["method"], url + path, headers=headers, content=req["content"])
        if mode == "read-only" and r.status_code == 403 and "update" in r.text.lower():
            return  # the expected refusal of an update by a read-only server
        assert str(r.status_code)[0] in req["status"], (r.status_code, r.text)
        if req["format"] is not None:
            assert r.headers["content-type"].split(";")[0] in FORMATS[req["format"]]
        if req["boolean"] is not None:
            assert _boolean(r) is req["boolean"]
