"""`cakg serve` on the bundled article, queried by real clients (SPARQLWrapper, httpx).

One server per module, on a free loopback port; its answers must equal `cakg query`'s.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, VOID
from running_server import running_server
from sparql_results import solutions
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from cakg.cli import cli
from cakg.graph import namespaces as ns
from cakg.graph.formats import rdf_format_for_suffix
from cakg.graph.publish.export import ALL_FORMATS, export_file_name

TOKEN = "test-write-token"
TIMEOUT = 4.0
MAX_ROWS = 1000
ID = "https://cakg.example.org/id/"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX cakg: <https://cakg.example.org/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
EXPERTS = (
    PREFIXES
    + """SELECT ?name ?country WHERE {
  ?a a schema:Answer ; schema:author ?e . ?e schema:name ?name ; schema:nationality ?c .
  ?c rdfs:label ?country } GROUP BY ?name ?country ORDER BY ?name"""
)
CONSTRUCT = (
    PREFIXES
    + """CONSTRUCT { ?e schema:name ?name ; schema:nationality ?c }
WHERE { ?a a schema:Answer ; schema:author ?e . ?e schema:name ?name ; schema:nationality ?c }"""
)
# Four-fold cross product of all triples: ~10^16 combinations, minutes to hours to count.
DCT_FORMAT = URIRef(f"{ns.DCT}format")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with running_server(
        data=(str(built / "kg.trig"),),
        timeout=TIMEOUT,
        max_rows=MAX_ROWS,
        write_token=TOKEN,
        workers=2,
    ) as url:
        yield url


@pytest.fixture(scope="module")
def endpoint(server: str) -> str:
    return f"{server}/sparql"


def cakg_query(built: Path, *args: str) -> bytes:
    result = CliRunner().invoke(cli, ["query", "--data", str(built / "kg.trig"), *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def media_type_of(name: str) -> str:
    spec = rdf_format_for_suffix(name)
    assert spec is not None, name
    return spec.media_type


def wrapper(endpoint: str, query: str, fmt: str, method: str = "GET") -> Any:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


# --- SPARQL 1.1 Protocol through a real client ----------------------------------------------


@pytest.mark.parametrize(("fmt", "cli_fmt"), [(JSON, "json"), (XML, "xml"), (CSV, "csv")])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_equals_cakg_query(
    endpoint: str, built: Path, fmt: str, cli_fmt: str, method: str
) -> None:
    response = wrapper(endpoint, EXPERTS, fmt, method).query()
    body = response.response.read()
    # The same solutions; the server's writer (Oxigraph's) spells them its own way.
    answer = cakg_query(built, "--sparql", EXPERTS, "--format", cli_fmt)
    assert solutions(body, cli_fmt) == solutions(answer, cli_fmt)
    if fmt == JSON:
        doc = json.loads(body)
        names = {b["name"]["value"] for b in doc["results"]["bindings"]}
        assert "Medet Tyulegenov" in names and len(names) == 5


def test_select_posted_directly(endpoint: str, built: Path) -> None:
    sw = wrapper(endpoint, EXPERTS, JSON, "POST")
    sw.setRequestMethod("postdirectly")  # application/sparql-query body (Protocol §2.1.3)
    answer = cakg_query(built, "--sparql", EXPERTS, "-f", "json")
    assert solutions(sw.query().response.read(), "json") == solutions(answer, "json")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (PREFIXES + "ASK { ?s a schema:Claim }", True),
        (PREFIXES + "ASK { ?s a schema:Claim ; schema:author ?s }", False),
    ],
)
def test_ask(endpoint: str, query: str, expected: bool) -> None:
    assert wrapper(endpoint, query, JSON).query().convert()["boolean"] is expected


def test_construct_turtle_equals_cakg_query(endpoint: str, built: Path) -> None:
    body = wrapper(endpoint, CONSTRUCT, TURTLE).query().convert()
    served = Graph().parse(data=body, format="turtle")
    local = Graph().parse(
        data=cakg_query(built, "--sparql", CONSTRUCT, "-f", "ttl"), format="turtle"
    )
    assert len(served) == 10  # five experts, a name and a nationality each
    assert isomorphic(served, local)


def test_describe(endpoint: str) -> None:
    query = f"DESCRIBE <{ID}state/kazakhstan>"
    body = wrapper(endpoint, query, TURTLE).query().convert()
    g = Graph().parse(data=body, format="turtle")
    assert (URIRef(f"{ID}state/kazakhstan"), RDFS.label, Literal("Kazakhstan", lang="en")) in g


def test_named_query_api_equals_cakg_query(server: str, built: Path) -> None:
    params = {"relation": "Kazakhstan–Kyrgyzstan", "trend": "weakening", "format": "csv"}
    r = httpx.get(f"{server}/api/queries/experts-expecting-trend", params=params)
    assert r.status_code == 200
    expected = cakg_query(
        built,
        "experts-expecting-trend",
        "-p",
        "relation=Kazakhstan–Kyrgyzstan",
        "-p",
        "trend=weakening",
        "-f",
        "csv",
    )
    assert r.content == expected
    assert "Medet Tyulegenov" in r.text


def test_named_query_pages_put_together_are_its_rows(server: str) -> None:
    api = f"{server}/api/queries/claims-by-expert"
    given = {"expert": "Medet Tyulegenov", "format": "csv"}
    everything = httpx.get(api, params=given).text.splitlines()
    header, rows = everything[0], everything[1:]
    assert len(rows) >= 3
    pages = [httpx.get(api, params={**given, "limit": 2, "offset": o}).text.splitlines()
             for o in range(0, len(rows), 2)]  # fmt: skip
    assert all(p[0] == header for p in pages)
    assert [r for p in pages for r in p[1:]] == rows
    page = httpx.get(f"{server}/queries/claims-by-expert",
                     params={"expert": "Medet Tyulegenov", "limit": 2})  # fmt: skip
    assert page.status_code == 200 and 'id="next-page"' in page.text
    assert "offset=2" in page.text
    bad = httpx.get(api, params={**given, "limit": "many"})
    assert bad.status_code == 400 and "limit" in bad.text


@pytest.mark.parametrize(("before", "rows"), [("2030-01-01", 1), ("2022-06-01", 0)])
def test_named_query_api_binds_a_date_where_the_query_compares_it(
    server: str, built: Path, before: str, rows: int
) -> None:
    """predictions-due's `before` filters on the server as it does in `cakg query`."""
    params = {"before": before, "format": "csv"}
    r = httpx.get(f"{server}/api/queries/predictions-due", params=params)
    assert r.status_code == 200
    assert r.content == cakg_query(built, "predictions-due", "-p", f"before={before}", "-f", "csv")
    assert len(r.text.strip().splitlines()) == 1 + rows


def test_cakg_query_against_the_endpoint(endpoint: str, built: Path) -> None:
    """`cakg query --endpoint` (RemoteStore over SPARQLWrapper) gives the local rows."""
    args = [
        "experts-expecting-trend",
        "-p",
        "relation=Kazakhstan-Kyrgyzstan",
        "-p",
        "trend=weakening",
        "-f",
        "json",
    ]
    remote = CliRunner().invoke(cli, ["query", "--endpoint", endpoint, *args])
    assert remote.exit_code == 0, remote.output
    local = json.loads(cakg_query(built, *args))
    served = json.loads(remote.stdout_bytes)

    def rows(doc: dict[str, Any]) -> list[dict[str, str]]:
        return sorted(
            ({k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]),
            key=lambda r: sorted(r.items()),
        )

    assert rows(served) == rows(local)


# --- content negotiation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "accept", "content_type"),
    [
        (EXPERTS, "application/sparql-results+json", "application/sparql-results+json"),
        (EXPERTS, "application/sparql-results+xml", "application/sparql-results+xml"),
        (EXPERTS, "text/csv", "text/csv"),
        (EXPERTS, "text/tab-separated-values", "text/tab-separated-values"),
        (EXPERTS, "application/json", "application/sparql-results+json"),
        (
            EXPERTS,
            "text/csv;q=0.5, application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        (EXPERTS, "*/*", "application/sparql-results+json"),
        (EXPERTS, "image/png", "application/sparql-results+json"),
        (
            "ASK { ?s ?p ?o }",
            "text/csv, application/sparql-results+xml;q=0.1",
            "application/sparql-results+xml",
        ),
        (CONSTRUCT, "text/turtle", "text/turtle"),
        (CONSTRUCT, "application/ld+json", "application/ld+json"),
        (CONSTRUCT, "application/n-triples", "application/n-triples"),
        (CONSTRUCT, "application/rdf+xml", "application/rdf+xml"),
        (CONSTRUCT, "*/*", "text/turtle"),
        (f"DESCRIBE <{ID}org/csto>", "application/ld+json", "application/ld+json"),
    ],
)
def test_content_negotiation(endpoint: str, query: str, accept: str, content_type: str) -> None:
    r = httpx.get(endpoint, params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == content_type
    assert "Accept" in r.headers.get("vary", "")
    if content_type == "application/sparql-results+json":
        json.loads(r.content)
    elif content_type in ("text/turtle", "application/ld+json", "application/rdf+xml"):
        fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld"}.get(content_type, "xml")
        assert len(Graph().parse(data=r.content, format=fmt)) > 0


def test_browser_following_a_query_link_lands_in_the_editor(endpoint: str) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = httpx.get(endpoint, params={"query": EXPERTS}, headers={"Accept": accept})
    assert r.status_code == 303 and r.headers["location"].startswith("/editor?query=")


def test_format_parameter_overrides_accept(endpoint: str) -> None:
    r = httpx.get(endpoint, params={"query": EXPERTS, "format": "tsv"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    r = httpx.get(endpoint, params={"query": EXPERTS, "format": "ttl"})
    assert r.status_code == 406 and "not a format for SELECT" in r.text


def test_service_description(endpoint: str) -> None:
    r = httpx.get(endpoint, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    service = URIRef(endpoint)
    assert (service, SD.endpoint, service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) in g  # started with a token
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    names = set(g.objects(None, SD.name))
    assert URIRef(f"{ID}graph/reference") in names
    # A plain client (curl: */*) gets Turtle too; a browser gets a page.
    assert httpx.get(endpoint).headers["content-type"].startswith("text/turtle")
    page = httpx.get(endpoint, headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "sd:Service" in page.text


def test_no_cors_wildcard_on_a_server_that_accepts_updates(endpoint: str) -> None:
    # Shared with any origin only on read-only servers (tests/test_server_limits.py).
    origin = {"Origin": "https://yasgui.example"}
    preflight = httpx.options(endpoint, headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    r = httpx.get(endpoint, params={"query": "ASK {}"}, headers=origin)
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers


# --- linked data -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "ext", "fmt"),
    [
        ("text/turtle", "ttl", "turtle"),
        ("application/ld+json", "jsonld", "json-ld"),
        ("application/n-triples", "nt", "nt"),
        ("application/rdf+xml", "rdf", "xml"),
    ],
)
def test_entity_iri_resolves_to_rdf(server: str, accept: str, ext: str, fmt: str) -> None:
    r = httpx.get(f"{server}/id/state/kazakhstan", headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["location"] == f"/doc/state/kazakhstan.{ext}"
    assert "Accept" in r.headers["vary"]
    doc = httpx.get(f"{server}{r.headers['location']}")
    assert doc.status_code == 200
    g = Graph().parse(data=doc.content, format=fmt)
    kz = URIRef(f"{ID}state/kazakhstan")
    assert (kz, RDFS.label, Literal("Kazakhstan", lang="en")) in g
    assert any(g.triples((None, None, kz)))  # what points at it, too


def test_entity_iri_resolves_to_a_page(server: str) -> None:
    r = httpx.get(
        f"{server}/id/person/medet-tyulegenov",
        headers={"Accept": "text/html"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert str(r.url).endswith("/doc/person/medet-tyulegenov.html")
    assert "Medet Tyulegenov" in r.text
    assert "exacerbating these relations" in r.text  # his claims, with their quotes
    assert 'id="neighbourhood"' in r.text


# Each relates to claims in more than one way (about and mentions, or said by and part of).
@pytest.mark.parametrize(
    "path", ["state/kazakhstan", "place/central-asia", "state/russia", "person/medet-tyulegenov"]
)
def test_entity_page_lists_each_claim_once(server: str, endpoint: str, path: str) -> None:
    page = httpx.get(f"{server}/doc/{path}.html")
    assert page.status_code == 200
    table = page.text.split('<table id="claims">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>.*?</tr>", table, re.DOTALL)
    claims = [h for row in rows for h in re.findall(r'href="(/id/[^"]+/claim/\d+)"', row)]
    assert len(claims) == len(set(claims))
    query = (
        PREFIXES
        + f"""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a schema:Claim ;
        schema:about|schema:mentions|schema:author|schema:isPartOf <{ID}{path}> }}"""
    )
    count = httpx.get(endpoint, params={"query": query, "format": "json"}).json()
    assert len(claims) == int(count["results"]["bindings"][0]["n"]["value"]) > 0
    if path.startswith("state/"):
        assert any("<td>about, mentions</td>" in row for row in rows)


def test_claim_page_shows_its_evidence(server: str) -> None:
    rows = httpx.get(
        f"{server}/api/queries/claims-by-expert", params={"expert": "Medet Tyulegenov"}
    ).json()["results"]["bindings"]
    claim = rows[0]["claim"]["value"]
    page = httpx.get(
        f"{server}/id/{claim[len(ID) :]}", headers={"Accept": "text/html"}, follow_redirects=True
    )
    assert page.status_code == 200
    assert "<mark>" in page.text and "Evidence" in page.text


def test_unknown_entity_is_404(server: str) -> None:
    r = httpx.get(
        f"{server}/id/state/atlantis", headers={"Accept": "text/turtle"}, follow_redirects=True
    )
    assert r.status_code == 404


def test_any_iri_can_be_described(server: str) -> None:
    r = httpx.get(
        f"{server}/describe", params={"iri": "https://cakg.example.org/ontology#trend-weakening"}
    )
    assert r.status_code == 200 and "weakening" in r.text


def test_void(server: str, endpoint: str) -> None:
    r = httpx.get(f"{server}/.well-known/void", headers={"Accept": "text/turtle"}, timeout=60)
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="turtle")
    assert URIRef(endpoint) in set(g.objects(None, VOID.sparqlEndpoint))
    assert any(g.objects(None, VOID.triples))
    other = httpx.get(f"{server}/.well-known/void", headers={"Accept": "application/ld+json"})
    assert other.headers["content-type"].startswith("application/ld+json")
    assert isomorphic(Graph().parse(data=other.content, format="json-ld"), g)


# Every file `cakg export --format all` writes.
EXPORTED = [*(export_file_name(f) for f in ALL_FORMATS), "ontology.ttl", "ontology.rdf", "void.ttl"]


@pytest.fixture(scope="module")
def exported(server: str, built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cakg export --format all` of the served data, told this server's dump URLs."""
    out = tmp_path_factory.mktemp("exported")
    args = ["export", str(built / "kg.trig"), "--format", "all", "-o", str(out)]
    args += ["--dump-base", f"{server}/dump/", "--endpoint", f"{server}/sparql"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORTED)
    return out


@pytest.mark.parametrize("name", EXPORTED)
def test_dumps_are_the_exported_files(server: str, exported: Path, name: str) -> None:
    """One set of files: the server's dumps (and VoID) are `cakg export`'s, byte for byte."""
    r = httpx.get(f"{server}/dump/{name}", timeout=300)
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{media_type_of(name)}; charset=utf-8"
    assert f'filename="{name}"' in r.headers["content-disposition"]
    assert r.content == (exported / name).read_bytes()


def dump_links(void_turtle: str) -> dict[str, str]:
    """Every download a VoID/DCAT description announces, with the media type it announces."""
    g = Graph().parse(data=void_turtle, format="turtle")
    links = {str(u): media_type_of(str(u)) for u in g.objects(None, VOID.dataDump)}
    for dist in g.subjects(ns.RDF.type, ns.DCAT.Distribution):
        links[str(g.value(dist, ns.DCAT.downloadURL))] = str(g.value(dist, DCT_FORMAT))
    return links


def test_served_void_dumps_resolve(server: str) -> None:
    void = httpx.get(f"{server}/.well-known/void", timeout=300)
    links = dump_links(void.text)
    assert {u.rsplit("/", 1)[-1] for u in links} == set(EXPORTED) - {"void.ttl"}
    for url, media in links.items():
        assert url.startswith(f"{server}/dump/")
        r = httpx.get(url, timeout=300)
        assert r.status_code == 200, url
        assert r.headers["content-type"].split(";")[0] == media


def test_exported_void_paths_are_the_servers(server: str, built: Path, tmp_path: Path) -> None:
    """Without --dump-base, void.ttl puts the dumps where a server of the base serves them."""
    assert (
        CliRunner().invoke(cli, ["export", str(built / "kg.trig"), "-o", str(tmp_path)]).exit_code
        == 0
    )
    links = dump_links((tmp_path / "void.ttl").read_text())
    assert links and all(u.startswith("https://cakg.example.org/dump/") for u in links)
    for url in links:
        # The base <https://cakg.example.org/id/> is this server's /id/, so its host is this one.
        assert httpx.get(server + urlparse(url).path, timeout=300).status_code == 200, url
    assert httpx.get(f"{server}/id/dump/kg.ttl", follow_redirects=True).status_code == 404


@pytest.mark.parametrize(("old", "new"), [("/dumps/", "/dump/"), ("/dumps/kg.nq", "/dump/kg.nq")])
def test_old_dump_urls_move_permanently(server: str, old: str, new: str) -> None:
    r = httpx.get(server + old)
    assert r.status_code == 301 and r.headers["location"] == new
    assert httpx.get(server + old, follow_redirects=True, timeout=300).status_code == 200


# --- safe by default ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o "
        "FILTER EXISTS { SERVICE SILENT <http://x.example/> { ?s ?p ?o } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { OPTIONAL { SERVICE ?where { ?s ?p ?o } } } } }",
    ],
)
def test_service_is_refused(endpoint: str, query: str) -> None:
    r = httpx.get(endpoint, params={"query": query})
    assert r.status_code == 400
    assert "SERVICE is not allowed" in r.text


def test_service_in_a_string_is_just_text(endpoint: str) -> None:
    query = 'SELECT ?x WHERE { BIND ("SERVICE <http://example.org/> { }" AS ?x) } # SERVICE <x> {}'
    r = httpx.get(endpoint, params={"query": query, "format": "json"})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"][0]["x"]["value"].startswith("SERVICE")


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("SELECT ?x WHERE {\n  ?x ?p \n}", "line 2, column 3"),
        ("SELEC ?x WHERE { ?x ?p ?o }", "line 1, column 1"),
        ("SELECT ?x (COUNT(?y) AS ?n) WHERE { ?x ?p ?y }", "SELECT contains a variable"),
    ],
)
def test_malformed_query(endpoint: str, query: str, where: str) -> None:
    r = httpx.post(endpoint, data={"query": query})
    assert r.status_code == 400
    assert where in r.text


def test_update_without_token_is_refused(endpoint: str) -> None:
    update = "INSERT DATA { GRAPH <urn:cakg:test> { <urn:a> <urn:b> <urn:c> } }"
    r = httpx.post(endpoint, data={"update": update})
    assert r.status_code == 403 and "Authorization: Bearer" in r.text
    r = httpx.post(endpoint, data={"update": update}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    r = httpx.post(endpoint, content=update, headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    r = httpx.get(endpoint, params={"update": update})
    assert r.status_code == 405


def test_update_with_token(endpoint: str) -> None:
    update = "INSERT DATA { GRAPH <urn:cakg:test> { <urn:cakg:a> <urn:cakg:b> 'added' } }"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.post(endpoint, data={"update": update}, headers=auth)
    assert r.status_code == 204, r.text
    # Every worker got it: ask several times so that both answer.
    for _ in range(4):
        r = httpx.get(
            endpoint,
            params={"query": "ASK { <urn:cakg:a> <urn:cakg:b> 'added' }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert r.json()["boolean"] is True
    r = httpx.post(endpoint, data={"update": "LOAD <http://example.org/data.ttl>"}, headers=auth)
    assert r.status_code == 400 and "LOAD is not allowed" in r.text
    cleanup = "DROP GRAPH <urn:cakg:test>"
    assert httpx.post(endpoint, data={"update": cleanup}, headers=auth).status_code == 204


def test_result_size_limit(endpoint: str) -> None:
    r = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"})
    assert r.status_code == 200
    assert r.headers["x-sparql-maxrows"] == str(MAX_ROWS)
    assert r.headers["x-cakg-truncated"] == "true"
    # Read as CSV: a literal may hold a line break (RFC 4180 quotes it).
    assert len(list(csv.reader(io.StringIO(r.text)))) == MAX_ROWS + 1  # header line
    small = httpx.get(endpoint, params={"query": EXPERTS, "format": "csv"})
    assert "x-cakg-truncated" not in small.headers


def test_runaway_query_is_stopped_while_others_are_served(server: str, endpoint: str) -> None:
    outcome: dict[str, Any] = {}

    def runaway() -> None:
        started = time.monotonic()
        r = httpx.get(endpoint, params={"query": RUNAWAY}, timeout=120)
        outcome.update(status=r.status_code, text=r.text, seconds=time.monotonic() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(1.0)  # the runaway query now occupies one worker
    started = time.monotonic()
    # Another client: one client may hold only one of the two workers at once.
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2")) as other:
        r = other.get(endpoint, params={"query": "ASK { ?s ?p ?o }", "format": "json"}, timeout=30)
    quick = time.monotonic() - started
    assert r.status_code == 200 and r.json()["boolean"] is True
    assert quick < TIMEOUT
    thread.join(120)
    assert outcome["status"] == 503
    assert "time limit" in outcome["text"]
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 10
    # The killed worker is replaced: the server keeps its full pool.
    deadline = time.monotonic() + 60
    while httpx.get(f"{server}/health").json()["workers"] < 2:
        assert time.monotonic() < deadline, "the killed worker was not replaced"
        time.sleep(0.3)
    assert httpx.get(f"{server}/health").json()["killed"] >= 1


def test_unsupported_body(endpoint: str) -> None:
    r = httpx.post(endpoint, content=b"{}", headers={"Content-Type": "application/json"})
    assert r.status_code == 415


def test_pages_escape_text(server: str) -> None:
    r = httpx.get(f"{server}/search", params={"q": "<script>alert(1)</script>"})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/queries",
        "/queries/experts",
        "/editor",
        "/views/",
        "/dump/",
        "/search?q=CSTO",
        "/queries/about-relation?relation=Kazakhstan-Uzbekistan",
    ],
)
def test_pages_load(server: str, path: str) -> None:
    r = httpx.get(f"{server}{path}", timeout=60)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_on_disk_store_served_read_only(tmp_path: Path) -> None:
    """`cakg serve --store DIR`: workers open one Oxigraph store read-only; no token, no update."""
    import pyoxigraph as ox

    sample = Path(__file__).parent / "fixtures" / "sample" / "sample.trig"
    store = ox.Store(str(tmp_path / "store"))
    store.bulk_load(sample.read_bytes(), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    with running_server(store=str(tmp_path / "store"), data=(), workers=1) as url:
        r = httpx.get(
            f"{url}/api/queries/experts", params={"country": "Kyrgyzstan", "format": "csv"}
        )
        assert r.status_code == 200 and "Bob Analyst" in r.text
        # Without built files, the dumps are what the store holds.
        dump = httpx.get(f"{url}/dump/kg.nq", timeout=300)
        assert dump.status_code == 200 and "Bob Analyst" in dump.text
        update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
        r = httpx.post(f"{url}/sparql", data={"update": update},
                       headers={"Authorization": "Bearer anything"})  # fmt: skip
        assert r.status_code == 403 and "read-only" in r.text
        sd = Graph().parse(data=httpx.get(f"{url}/sparql").text, format="turtle")
        assert (URIRef(f"{url}/sparql"), SD.supportedLanguage, SD.SPARQL11Update) not in sd


def test_serve_reports_missing_data(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path / "kg.trig")])
    assert result.exit_code == 2
    assert "build the graph first" in result.stderr


def test_protocol_dataset_parameters(endpoint: str) -> None:
    """default-graph-uri / named-graph-uri (SPARQL 1.1 Protocol §2.1.4) pick the dataset."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(**params: str) -> int:
        r = httpx.get(endpoint, params={"query": count, "format": "json", **params})
        assert r.status_code == 200, r.text
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    everything = n()
    reference = n(**{"default-graph-uri": f"{ID}graph/reference"})
    assert 0 < reference < everything
    r = httpx.get(endpoint, params={"query": count, "default-graph-uri": "not an IRI"})
    assert r.status_code == 400


def _count(endpoint: str, query: str, **params: str | list[str]) -> int:
    r = httpx.get(endpoint, params={"query": query, "format": "json", **params})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


REFERENCE = f"{ID}graph/reference"
ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
IN_GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


# SPARQL 1.1 Query §13.2: FROM makes the default graph, FROM NAMED what GRAPH sees.
FROM_CLAUSES: list[tuple[str, Any]] = [
    (f"SELECT (COUNT(*) AS ?n) FROM <{REFERENCE}> {{ ?s ?p ?o }}", "reference"),
    (f"SELECT (COUNT(*) AS ?n) FROM NAMED <{REFERENCE}> {{ ?s ?p ?o }}", 0),
    (f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM <{REFERENCE}> {{ GRAPH ?g {{}} }}", 0),
    (IN_GRAPHS.replace("WHERE", f"FROM NAMED <{REFERENCE}> WHERE"), 1),
    # No dataset anywhere: the union of the graphs, every graph named.
    (ALL, "all"),
]


def expected_count(endpoint: str, expected: Any) -> int:
    """A count named in a test case: the reference graph's, everything's, or a number."""
    everything = _count(endpoint, ALL)
    reference = _count(endpoint, ALL, **{"default-graph-uri": REFERENCE})
    assert 0 < reference < everything
    return int({"reference": reference, "all": everything}.get(expected, expected))


@pytest.mark.parametrize(
    ("query", "params", "expected"),
    [
        *((query, {}, expected) for query, expected in FROM_CLAUSES),
        # Protocol §2.1.4: the request's dataset, and it wins over the query's.
        (ALL, {"named-graph-uri": REFERENCE}, 0),
        (IN_GRAPHS, {"named-graph-uri": REFERENCE}, 1),
        (IN_GRAPHS, {"default-graph-uri": REFERENCE}, 0),
        (
            ALL.replace("WHERE", "FROM <urn:cakg:nothing> WHERE"),
            {"default-graph-uri": REFERENCE},
            "reference",
        ),
    ],
)
def test_query_dataset(endpoint: str, query: str, params: dict[str, str], expected: Any) -> None:
    """FROM / FROM NAMED and default-graph-uri / named-graph-uri make the dataset."""
    assert _count(endpoint, query, **params) == expected_count(endpoint, expected)


@pytest.mark.parametrize(("query", "expected"), FROM_CLAUSES)
def test_the_editor_honours_from_as_the_endpoint_does(
    server: str, endpoint: str, query: str, expected: Any
) -> None:
    """Regression: the editor ran every query on the union default graph, FROM or not."""
    r = httpx.get(f"{server}/editor", params={"query": query}, timeout=60)
    assert r.status_code == 200, r.text
    cells = re.findall(r"<td><span>(\d+)</span></td>", r.text)
    assert [int(c) for c in cells] == [expected_count(endpoint, expected)]


def test_an_update_may_use_the_predeclared_prefixes(endpoint: str) -> None:
    """Regression: queries had the well-known prefixes predeclared, updates did not."""
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    graph = "<urn:cakg:prefixed>"
    insert = f"INSERT DATA {{ GRAPH {graph} {{ <urn:cakg:x> a schema:Claim }} }}"
    r = httpx.post(endpoint, content=insert, headers=auth)
    assert r.status_code == 204, r.text
    claims = f"SELECT (COUNT(*) AS ?n) {{ GRAPH {graph} {{ ?c a <http://schema.org/Claim> }} }}"
    assert _count(endpoint, claims) == 1
    assert httpx.post(endpoint, content=f"DROP GRAPH {graph}", headers=auth).status_code == 204
    typo = "INSERT DATA {\n  <urn:cakg:x> a shema:Claim }"
    r = httpx.post(endpoint, content=typo, headers=auth)
    assert r.status_code == 400 and "line 2, column 18: unknown prefix shema:" in r.text


# rdflib (the check) accepts a BIND to a variable already in scope; Oxigraph (the engine)
# refuses it, as SPARQL 1.1 Query §18.2.1 says, where the group ends (line 4 here). Its error
# is told on the user's own lines, not on those of the text with the predeclared prefix
# lines (and the base IRI's, for an update) before it.
REBOUND = "SELECT * WHERE {\n  ?c a schema:Claim .\n  ?c ?p ?o BIND (1 AS ?o)\n}"


@pytest.mark.parametrize("path", ["/sparql", "/editor"])
def test_an_error_only_the_engine_finds_names_the_users_line(server: str, path: str) -> None:
    """Regression: the line was shifted by the predeclared prefix lines."""
    r = httpx.get(f"{server}{path}", params={"query": REBOUND}, timeout=60)
    assert r.status_code == 400
    assert "syntax error at line 4, column 2:" in r.text, r.text


def test_an_update_error_only_the_engine_finds_names_the_users_line(endpoint: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    update = "INSERT { <urn:cakg:x> <urn:cakg:p> ?o }\nWHERE {\n  ?c a schema:Claim .\n"
    update += "  ?c ?p ?o BIND (1 AS ?o) }"
    r = httpx.post(endpoint, content=update, headers=auth)
    assert r.status_code == 400
    assert "syntax error at line 4, column 28:" in r.text, r.text


def test_relative_iris_resolve_against_the_endpoint(endpoint: str) -> None:
    r = httpx.post(
        endpoint,
        content="CONSTRUCT { <s> <p> 1 } WHERE {}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert r.status_code == 200, r.text
    host = endpoint.rsplit("/", 1)[0]
    assert (
        r.text.strip() == f'<{host}/s> <{host}/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )


def test_update_dataset_parameters(endpoint: str) -> None:
    """using-graph-uri / using-named-graph-uri (Protocol §2.2.3) are the update's dataset."""
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    copy = "INSERT { GRAPH <urn:cakg:copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }"
    params = {"using-graph-uri": REFERENCE}
    r = httpx.post(endpoint, content=copy, params=params, headers=auth)
    assert r.status_code == 204, r.text
    copied = "SELECT (COUNT(*) AS ?n) { GRAPH <urn:cakg:copy> { ?s ?p ?o } }"
    assert _count(endpoint, copied) == _count(endpoint, ALL, **{"default-graph-uri": REFERENCE})
    conflict = "WITH <urn:cakg:copy> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    r = httpx.post(endpoint, content=conflict, params=params, headers=auth)
    assert r.status_code == 400 and "not both" in r.text
    drop = "DROP SILENT GRAPH <urn:cakg:copy>"
    assert httpx.post(endpoint, content=drop, headers=auth).status_code == 204


def test_an_update_that_fails_as_asked_is_a_client_error(endpoint: str) -> None:
    """Regression: DROP of a graph that does not exist (SPARQL 1.1 Update §3.2) gave 500."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.post(endpoint, data={"update": "DROP GRAPH <urn:cakg:never>"}, headers=auth)
    assert r.status_code == 400, r.text
    assert "does not exist" in r.text and "Error" not in r.text
    r = httpx.post(endpoint, data={"update": "DROP SILENT GRAPH <urn:cakg:never>"}, headers=auth)
    assert r.status_code == 204, r.text
