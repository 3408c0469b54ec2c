"""The HTTP application: SPARQL 1.1 Protocol at /sparql, linked data under /id/, browser pages.

Choices (see docs/queries.md):

* **Entity IRIs answer 303 See Other** to a document URL (``/doc/<path>.html``, ``.ttl``,
  ``.jsonld``, ``.nt``, ``.rdf``) chosen by the Accept header. The IRIs name states, people
  and claims, not web pages ("Cool URIs for the Semantic Web", W3C Note, §4.3); each document
  then has a URL of its own that can be bookmarked, linked and cached without ``Vary``.
* **Time limit**: every query runs in a worker process; one that runs past ``--timeout`` is
  killed and replaced, and the request gets **503** with a message.
* **Result size**: past ``--max-rows`` rows (or triples) the result is **truncated**, and the
  response says so in ``X-SPARQL-MaxRows`` (as Virtuoso does) and ``X-Cakg-Truncated: true``;
  the browser pages show a notice.
* **Read-only by default**: SPARQL Update gets 403 unless the server was started with a write
  token and the request carries ``Authorization: Bearer <token>``. ``SERVICE`` and ``LOAD``
  are refused with 400: the server makes no outbound requests.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import anyio.to_thread
from jinja2 import Environment, PackageLoader
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, VOID
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from cakg import __version__
from cakg.errors import InputError
from cakg.graph.namespaces import DEFAULT_BASE, bind_prefixes
from cakg.queries import NamedQuery, list_queries, load_query, serialize_result
from cakg.server.pages import Links, neighbourhood, result_table
from cakg.server.protocol import (
    ASK_TYPES,
    FORMAT_ALIASES,
    GRAPH_TYPES,
    MEDIA_TYPES,
    RESULT_TYPES,
    ForbiddenQuery,
    MalformedQuery,
    check_graph_iris,
    negotiate,
    vet_query,
    vet_update,
)
from cakg.server.workers import (
    DataSource,
    QueryTimeout,
    ServerBusy,
    WorkerCrashed,
    WorkerError,
    WorkerPool,
)

__all__ = ["ServerConfig", "create_app", "serve"]

log = logging.getLogger("cakg.server")

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
MAX_BODY = 1_000_000  # bytes of a query or update; larger requests get 413
CACHE_ENTRIES = 64  # dumps, VoID, counts, suggestions and drawn views kept in memory
DUMP_FORMATS = {"trig": "trig", "nq": "nq", "ttl": "ttl", "nt": "nt", "jsonld": "jsonld"}
DOC_EXTS = {"html": "html", "ttl": "ttl", "jsonld": "jsonld", "nt": "nt", "rdf": "rdfxml"}
EXT_OF = {v: k for k, v in DOC_EXTS.items()}
HTML_TYPES = (("text/html", "html"), ("application/xhtml+xml", "html"))
# The pages load nothing from elsewhere: a strict policy makes a stray external URL fail loudly.
PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'"
)


@dataclass(frozen=True)
class ServerConfig:
    """How `cakg serve` runs: what it serves, where, and its limits."""

    data: tuple[str, ...] = ("out/kg.trig",)
    store: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0
    max_rows: int = 10_000
    write_token: str | None = None
    base: str | None = None
    workers: int = 2
    views_dir: str | None = None


@dataclass
class _State:
    config: ServerConfig
    pool: WorkerPool
    env: Environment
    links: Links = field(default_factory=lambda: Links(None))
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    cache_lock: threading.Lock = field(default_factory=threading.Lock)


def _env() -> Environment:
    env = Environment(loader=PackageLoader("cakg.server", "templates"), autoescape=True)
    env.globals["version"] = __version__
    return env


# --- running tasks -------------------------------------------------------------------------------


class HTTPError(Exception):
    """An error answer: status, message, extra headers."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


async def _run(state: _State, task: tuple[Any, ...], timeout: float | None = None) -> Any:
    """Run a task on a worker under the time limit; map failures to HTTP errors."""
    limit = state.config.timeout if timeout is None else timeout
    try:
        return await anyio.to_thread.run_sync(state.pool.run, task, limit)
    except QueryTimeout as exc:
        raise HTTPError(503, exc.message + " (the server's --timeout)") from None
    except ServerBusy as exc:
        raise HTTPError(503, exc.message, {"Retry-After": "5"}) from None
    except WorkerCrashed as exc:
        raise HTTPError(500, exc.message) from None
    except WorkerError as exc:
        status = 500 if exc.kind == "internal" else 400
        raise HTTPError(status, exc.message) from None


async def _cached(
    state: _State, key: tuple[Any, ...], task: tuple[Any, ...], timeout: float
) -> Any:
    with state.cache_lock:
        if key in state.cache:
            return state.cache[key]
    value = await _run(state, task, timeout)
    with state.cache_lock:
        # Bounded: ego views take any focus, so keys are not a closed set.
        while len(state.cache) >= CACHE_ENTRIES:
            state.cache.pop(next(iter(state.cache)))
        state.cache[key] = value
    return value


def _error_text(exc: HTTPError) -> Response:
    return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)


def _page(state: _State, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = state.env.get_template(template).render(links=state.links, **context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})


def _error_page(state: _State, exc: HTTPError, title: str = "Error") -> HTMLResponse:
    return _page(state, "error.html", status=exc.status, title=title, message=exc.message)


def _state(request: Request) -> _State:
    state: _State = request.app.state.cakg
    return state


# --- the SPARQL endpoint -------------------------------------------------------------------------


async def _protocol_params(request: Request) -> dict[str, list[str]]:
    """query / update / default-graph-uri / named-graph-uri from GET or POST (Protocol §2.1)."""
    params: dict[str, list[str]] = {
        k: request.query_params.getlist(k) for k in request.query_params
    }
    if request.method != "POST":
        return params
    body = await request.body()
    if len(body) > MAX_BODY:
        raise HTTPError(413, f"the request body is larger than {MAX_BODY} bytes")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPError(400, "the request body is not UTF-8") from None
    if ctype == "application/x-www-form-urlencoded":
        # §2.1.2 / §2.2.1: the parameters are in the body (and never also a query string).
        for key, values in parse_qs(text, keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    elif ctype == "application/sparql-query":
        params.setdefault("query", []).append(text)  # §2.1.3: POST directly
    elif ctype == "application/sparql-update":
        params.setdefault("update", []).append(text)  # §2.2.2
    else:
        raise HTTPError(
            415,
            "send a query as application/x-www-form-urlencoded (query=...), "
            "application/sparql-query or application/sparql-update",
        )
    return params


def _format_override(request: Request, params: Mapping[str, list[str]]) -> str | None:
    for key in ("format", "output"):
        values = params.get(key) or []
        if values and values[0]:
            fmt = FORMAT_ALIASES.get(values[0].strip().lower())
            if fmt is None:
                raise HTTPError(400, f"unknown format {values[0]!r}")
            return fmt
    return None


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol endpoint: query via GET/POST, update via POST with a token."""
    state = _state(request)
    try:
        params = await _protocol_params(request)
        queries, updates = params.get("query", []), params.get("update", [])
        if queries and updates:
            raise HTTPError(400, "give either query or update, not both")
        if len(queries) > 1 or len(updates) > 1:
            raise HTTPError(400, "give one query (or one update) per request")
        if updates:
            if request.method != "POST":
                raise HTTPError(
                    405, "an update must be POSTed (SPARQL 1.1 Protocol §2.2)", {"Allow": "POST"}
                )
            return await _update(request, state, updates[0])
        if not queries:
            return _service_description(request, state)
        return await _query(request, state, queries[0], params)
    except HTTPError as exc:
        return _error_text(exc)


async def _query(
    request: Request, state: _State, text: str, params: Mapping[str, list[str]]
) -> Response:
    if len(text.encode("utf-8")) > MAX_BODY:
        raise HTTPError(413, f"the query is longer than {MAX_BODY} bytes")
    try:
        vetted = vet_query(text)
    except (MalformedQuery, ForbiddenQuery) as exc:
        raise HTTPError(400, exc.one_line()) from None
    try:
        defaults = check_graph_iris(params.get("default-graph-uri", []))
        named = check_graph_iris(params.get("named-graph-uri", []))
    except MalformedQuery as exc:
        raise HTTPError(400, exc.one_line()) from None
    graph_form = vetted.form in ("CONSTRUCT", "DESCRIBE")
    offered = GRAPH_TYPES if graph_form else ASK_TYPES if vetted.form == "ASK" else RESULT_TYPES
    fmt = _format_override(request, params)
    accept = request.headers.get("accept")
    if fmt is None:
        fmt = negotiate(accept, offered, extra=HTML_TYPES if request.method == "GET" else ())
        if fmt == "html":
            # A browser following a link to the endpoint: show the query in the editor.
            return RedirectResponse("/editor?" + urlencode({"query": text}), status_code=303)
        fmt = fmt or ("ttl" if graph_form else "json")
    allowed = {f for _, f in offered}
    if fmt not in allowed:
        kind = "a graph" if graph_form else f"{vetted.form} results"
        raise HTTPError(406, f"{fmt} is not a format for {kind}; use {', '.join(sorted(allowed))}")
    answer = await _run(state, ("sparql", text, fmt, state.config.max_rows, defaults, named))
    headers = {"Vary": "Accept"}
    if answer["truncated"]:
        headers["X-SPARQL-MaxRows"] = str(state.config.max_rows)
        headers["X-Cakg-Truncated"] = "true"
    media = MEDIA_TYPES[fmt]
    return Response(answer["body"], media_type=f"{media}; charset=utf-8", headers=headers)


async def _update(request: Request, state: _State, text: str) -> Response:
    token = state.config.write_token
    if not token:
        raise HTTPError(
            403,
            "SPARQL Update is refused: this server is read-only "
            "(start it with --write-token or CAKG_WRITE_TOKEN to accept updates)",
        )
    auth = request.headers.get("authorization", "")
    scheme, _, given = auth.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise HTTPError(403, "SPARQL Update needs the header Authorization: Bearer <write token>")
    try:
        vet_update(text)
    except (MalformedQuery, ForbiddenQuery) as exc:
        raise HTTPError(400, exc.one_line()) from None
    try:
        await anyio.to_thread.run_sync(state.pool.update, text, state.config.timeout)
    except QueryTimeout as exc:
        raise HTTPError(503, exc.message) from None
    except ServerBusy as exc:
        raise HTTPError(503, exc.message) from None
    except WorkerError as exc:
        raise HTTPError(400 if exc.kind != "internal" else 500, exc.message) from None
    with state.cache_lock:
        state.cache.clear()  # dumps, VoID and counts describe the old data
    return Response(status_code=204)


def _service_description(request: Request, state: _State) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint (sd: vocabulary)."""
    endpoint = URIRef(str(request.url_for("sparql")))
    g = Graph()
    bind_prefixes(g)
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    if state.config.write_token:
        g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Update))
    g.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "JSON-LD",
        "N-Triples",
        "RDF_XML",
    ):
        g.add((endpoint, SD.resultFormat, FORMATS[fmt]))
    g.add((endpoint, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    dataset = URIRef(str(endpoint) + "#dataset")
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = URIRef(str(endpoint) + "#default-graph")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.inDataset, URIRef(str(request.url_for("void")))))
    for i, name in enumerate(state.pool.info.get("graphs", [])):
        ng = URIRef(f"{endpoint}#graph-{i}")
        g.add((dataset, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
    fmt = negotiate(request.headers.get("accept"), GRAPH_TYPES, extra=HTML_TYPES) or "ttl"
    if fmt == "html":
        turtle = g.serialize(format="turtle")
        return _page(
            state, "service.html", title="SPARQL endpoint", turtle=turtle, endpoint=str(endpoint)
        )
    body = g.serialize(
        format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt11", "rdfxml": "xml"}[fmt],
        encoding="utf-8",
    )
    return Response(
        body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8", headers={"Vary": "Accept"}
    )


# --- linked data ---------------------------------------------------------------------------------


async def resolve_id(request: Request) -> Response:
    """An entity IRI: 303 See Other to its description in the format the client accepts."""
    path = request.path_params["path"]
    if not path or path.endswith("/"):
        return PlainTextResponse("not an entity IRI\n", status_code=404)
    fmt = negotiate(request.headers.get("accept"), GRAPH_TYPES, extra=HTML_TYPES) or "html"
    target = f"/doc/{quote(path, safe='/-_.~')}.{EXT_OF[fmt]}"
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


async def entity_doc(request: Request) -> Response:
    """The description of an entity minted under the base, as HTML or RDF (by extension)."""
    state = _state(request)
    path = request.path_params["path"]
    stem, dot, ext = path.rpartition(".")
    if not dot or ext not in DOC_EXTS or not stem:
        return PlainTextResponse(
            "use /doc/<path>.html, .ttl, .jsonld, .nt or .rdf\n", status_code=404
        )
    base = state.links.base or DEFAULT_BASE
    return await _describe(request, state, base + stem, DOC_EXTS[ext])


async def describe_any(request: Request) -> Response:
    """What the graph says about any IRI (ontology terms, Wikidata items, ...)."""
    state = _state(request)
    iri = request.query_params.get("iri", "").strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*:\S+$", iri, re.IGNORECASE) or re.search(
        r'[<>"{}|\\^`]', iri
    ):
        return _error_page(state, HTTPError(400, "give an IRI: /describe?iri=..."))
    fmt = request.query_params.get("format")
    chosen = FORMAT_ALIASES.get(fmt, "html") if fmt else None
    if chosen is None:
        chosen = negotiate(request.headers.get("accept"), GRAPH_TYPES, extra=HTML_TYPES) or "html"
    if chosen not in DOC_EXTS.values():
        chosen = "html"
    response = await _describe(request, state, iri, chosen)
    response.headers["Vary"] = "Accept"
    return response


async def _describe(request: Request, state: _State, iri: str, fmt: str) -> Response:
    try:
        if fmt != "html":
            body = await _run(state, ("describe_rdf", iri, fmt))
            if body is None:
                return PlainTextResponse(f"nothing is known about <{iri}>\n", status_code=404)
            return Response(body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8")
        data = await _run(state, ("describe", iri))
    except HTTPError as exc:
        if fmt != "html":
            return _error_text(exc)
        return _error_page(state, exc)
    if not data["exists"]:
        return _page(
            state,
            "error.html",
            status=404,
            title="Not found",
            message=f"The graph says nothing about <{iri}>.",
        )
    edges = [
        ("out", r["p"]["value"], r["o"]["value"], r["o"].get("label") or "")
        for r in data["out"]
        if r["o"]["kind"] == "iri"
    ]
    edges += [
        ("in", r["p"]["value"], r["s"]["value"], r["s"].get("label") or "")
        for r in data["in"]
        if r["s"]["kind"] == "iri"
    ]
    label = data["label"] or _clip(data.get("text") or "", 90) or state.links.short(iri)
    alternates = {
        name: _doc_url(state, iri, ext)
        for name, ext in (
            ("Turtle", "ttl"),
            ("JSON-LD", "jsonld"),
            ("N-Triples", "nt"),
            ("RDF/XML", "rdf"),
        )
    }
    return _page(
        state,
        "entity.html",
        title=label,
        iri=iri,
        data=data,
        drawing=neighbourhood(state.links, iri, label, edges),
        alternates=alternates,
    )


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _doc_url(state: _State, iri: str, ext: str) -> str:
    rest = state.links.local_path(iri)
    if rest is not None:
        return f"/doc/{quote(rest, safe='/-_.~')}.{ext}"
    return "/describe?" + urlencode({"iri": iri, "format": ext})


# --- VoID and dumps ------------------------------------------------------------------------------


def _dump_urls(request: Request) -> dict[str, str]:
    root = str(request.base_url).rstrip("/")
    return {f"kg.{ext}": f"{root}/dumps/kg.{ext}" for ext in DUMP_FORMATS}


async def void(request: Request) -> Response:
    """The VoID description of the dataset, with this server's endpoint and dumps."""
    state = _state(request)
    base = state.links.base or DEFAULT_BASE
    endpoint = str(request.url_for("sparql"))
    try:
        nt = await _cached(
            state,
            ("void", endpoint),
            ("void", base, endpoint, _dump_urls(request)),
            max(state.config.timeout, 120),
        )
    except HTTPError as exc:
        return _error_text(exc)
    g = Graph()
    bind_prefixes(g)
    g.bind("sd", SD)
    g.bind("foaf", Namespace("http://xmlns.com/foaf/0.1/"))
    g.parse(data=nt, format="nt11")
    fmt = negotiate(request.headers.get("accept"), GRAPH_TYPES) or "ttl"
    body = g.serialize(
        format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt11", "rdfxml": "xml"}[fmt],
        encoding="utf-8",
    )
    return Response(
        body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8", headers={"Vary": "Accept"}
    )


async def dumps_index(request: Request) -> Response:
    state = _state(request)
    return _page(state, "dumps.html", title="Downloads", dumps=_dump_urls(request))


async def dump_file(request: Request) -> Response:
    """The whole dataset in one format (TriG and N-Quads keep the named graphs)."""
    state = _state(request)
    name = request.path_params["name"]
    m = re.fullmatch(r"kg\.(trig|nq|ttl|nt|jsonld)", name)
    if not m:
        return PlainTextResponse("no such dump; see /dumps/\n", status_code=404)
    fmt = m.group(1)
    try:
        body = await _cached(state, ("dump", fmt), ("dump", fmt), max(state.config.timeout, 300))
    except HTTPError as exc:
        return _error_text(exc)
    media = {"nq": "application/n-quads", "trig": "application/trig"}.get(fmt, MEDIA_TYPES[fmt])
    return Response(
        body,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- browser pages -------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    state = _state(request)
    try:
        counts = await _cached(state, ("counts",), ("counts",), state.config.timeout)
    except HTTPError:
        counts = {}
    library = [q for q in list_queries() if not q.is_violation]
    return _page(
        state,
        "index.html",
        title="cakg",
        counts=counts,
        queries=library[:8],
        graphs=state.pool.info.get("graphs", []),
    )


async def search_page(request: Request) -> Response:
    state = _state(request)
    q = request.query_params.get("q", "").strip()
    hits: list[dict[str, str]] = []
    error = None
    if q:
        try:
            hits = await _run(state, ("search", q[:200], 100))
        except HTTPError as exc:
            error = exc.message
    if "application/json" in request.headers.get(
        "accept", ""
    ) and "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"q": q, "results": hits})
    return _page(
        state, "search.html", title=f"Search: {q}" if q else "Search", q=q, hits=hits, error=error
    )


async def queries_page(request: Request) -> Response:
    state = _state(request)
    library = list_queries()
    return _page(
        state,
        "queries.html",
        title="Named queries",
        queries=[q for q in library if not q.is_violation],
        checks=[q for q in library if q.is_violation],
    )


def _named_or_404(name: str) -> NamedQuery | None:
    try:
        return load_query(name)
    except InputError:
        return None


async def query_text(request: Request) -> Response:
    nq = _named_or_404(request.path_params["name"])
    if nq is None:
        return PlainTextResponse("no such query\n", status_code=404)
    return PlainTextResponse(nq.sparql, media_type="application/sparql-query; charset=utf-8")


def _given_params(request: Request, nq: NamedQuery) -> dict[str, str]:
    return {p.name: request.query_params.get(p.name, "") for p in nq.params}


async def query_page(request: Request) -> Response:
    """A named query: its description, a form for its parameters, and its rows once run."""
    state = _state(request)
    nq = _named_or_404(request.path_params["name"])
    if nq is None:
        return _error_page(state, HTTPError(404, "no such named query"), "Not found")
    given = _given_params(request, nq)
    run = "run" in request.query_params or any(given.values())
    kinds = sorted({p.kind for p in nq.params})
    try:
        suggestions = await _cached(
            state, ("suggest", tuple(kinds)), ("suggest", kinds), state.config.timeout
        )
    except HTTPError:
        suggestions = {}
    context: dict[str, Any] = {
        "query": nq,
        "given": given,
        "suggestions": suggestions,
        "title": nq.title,
        "examples": _example_values(nq),
    }
    status = 200
    if run:
        try:
            answer = await _run(
                state,
                ("named", nq.name, {k: v for k, v in given.items() if v}, state.config.max_rows),
            )
            result = answer["result"]
            context["table"] = result_table(state.links, result.vars, result.rows)
            context["count"] = len(result.rows)
            context["truncated"] = answer["truncated"]
            context["bindings"] = {k: state.links.cell(v) for k, v in answer["bindings"].items()}
            query = urlencode({k: v for k, v in given.items() if v})
            context["downloads"] = {
                f: f"/api/queries/{nq.name}?{query}{'&' if query else ''}format={f}"
                for f in ("csv", "tsv", "json", "xml")
            }
        except HTTPError as exc:
            context["error"] = exc.message
            status = exc.status
    return _page(state, "query.html", status=status, **context)


def _example_values(nq: NamedQuery) -> dict[str, str]:
    """Parameter values shown in the example line, offered as placeholders."""
    out: dict[str, str] = {}
    for ex in nq.examples:
        for m in re.finditer(r'--param\s+(\w+)=("([^"]*)"|(\S+))', ex):
            out[m.group(1)] = m.group(3) if m.group(3) is not None else m.group(4)
    return out


async def query_api(request: Request) -> Response:
    """A named query's rows as SPARQL results (format= or Accept), for scripts and downloads."""
    state = _state(request)
    nq = _named_or_404(request.path_params["name"])
    if nq is None:
        return PlainTextResponse("no such query\n", status_code=404)
    given = {k: v for k, v in _given_params(request, nq).items() if v}
    try:
        fmt = _format_override(
            request, {k: request.query_params.getlist(k) for k in ("format", "output")}
        )
        fmt = fmt or negotiate(request.headers.get("accept"), RESULT_TYPES) or "json"
        if fmt not in {f for _, f in RESULT_TYPES}:
            raise HTTPError(406, "a named query gives rows: use json, xml, csv or tsv")
        answer = await _run(state, ("named", nq.name, given, state.config.max_rows))
    except HTTPError as exc:
        return _error_text(exc)
    headers = {"Vary": "Accept"}
    if answer["truncated"]:
        headers["X-SPARQL-MaxRows"] = str(state.config.max_rows)
        headers["X-Cakg-Truncated"] = "true"
    body = serialize_result(answer["result"], fmt)
    return Response(body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8", headers=headers)


DEFAULT_EDITOR_QUERY = """PREFIX schema: <http://schema.org/>
PREFIX cakg: <https://cakg.example.org/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

# Which trend does each expert's answer express?
SELECT ?name ?question ?trend WHERE {
  ?answer a schema:Answer ; schema:author ?expert ; schema:parentItem ?q ; cakg:hasTrend ?t .
  ?expert schema:name ?name .
  ?q schema:text ?question .
  ?t skos:prefLabel ?trend .
}
ORDER BY ?name
"""


async def editor_page(request: Request) -> Response:
    """A query editor: a textarea, a run button and the results (no external scripts)."""
    state = _state(request)
    if request.method == "POST":
        body = await request.body()
        if len(body) > MAX_BODY:
            return _error_page(state, HTTPError(413, f"the query is longer than {MAX_BODY} bytes"))
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        text = (form.get("query") or [""])[0]
    else:
        text = request.query_params.get("query", "")
    context: dict[str, Any] = {"title": "Query editor", "text": text or DEFAULT_EDITOR_QUERY}
    status = 200
    if text.strip():
        try:
            vetted = vet_query(text)
            answer = await _run(state, ("rows", text, state.config.max_rows))
            result = answer["result"]
            context["truncated"] = answer["truncated"]
            if result.kind == "ASK":
                context["boolean"] = bool(result.boolean)
            elif result.kind == "CONSTRUCT":
                g = result.graph if result.graph is not None else Graph()
                context["graph_text"] = g.serialize(format="turtle")
                context["count"] = len(g)
            else:
                context["table"] = result_table(state.links, result.vars, result.rows)
                context["count"] = len(result.rows)
            fmts = (
                ("ttl", "jsonld", "nt")
                if vetted.form in ("CONSTRUCT", "DESCRIBE")
                else (("json", "xml") if vetted.form == "ASK" else ("csv", "tsv", "json", "xml"))
            )
            context["downloads"] = {
                f: "/sparql?" + urlencode({"query": text, "format": f}) for f in fmts
            }
        except (MalformedQuery, ForbiddenQuery) as exc:
            context["error"] = exc.one_line()
            status = 400
        except HTTPError as exc:
            context["error"] = exc.message
            status = exc.status
    return _page(state, "editor.html", status=status, **context)


def _views_dir(state: _State) -> Path | None:
    if state.config.views_dir:
        return Path(state.config.views_dir)
    if state.config.data:
        return Path(state.config.data[0]).parent
    return None


def _static_views(state: _State) -> list[str]:
    folder = _views_dir(state)
    if folder is None or not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("*.html") if re.fullmatch(r"[\w.-]+\.html", p.name))


def _view_kinds() -> tuple[str, ...]:
    try:
        from cakg.viz import KINDS
    except ImportError:  # pragma: no cover - the views ship with the package
        return ()
    return tuple(KINDS)


async def views_index(request: Request) -> Response:
    state = _state(request)
    return _page(
        state, "views.html", title="Network views", kinds=_view_kinds(), files=_static_views(state)
    )


async def view_page(request: Request) -> Response:
    """An interactive network view: drawn now from the served data, or a prebuilt file."""
    state = _state(request)
    name = request.path_params["name"]
    stem = name[: -len(".html")] if name.endswith(".html") else name
    if stem in _view_kinds():
        focus = request.query_params.get("focus") or None
        try:
            depth = int(request.query_params.get("depth", "1"))
        except ValueError:
            depth = 1
        try:
            html = await _cached(
                state,
                ("view", stem, focus, depth),
                ("view", stem, focus, depth),
                max(state.config.timeout, 120),
            )
        except HTTPError as exc:
            return _error_page(state, exc, "View failed")
        return HTMLResponse(html)
    if name in _static_views(state):
        folder = _views_dir(state)
        assert folder is not None
        return FileResponse(folder / name, media_type="text/html")
    return _error_page(state, HTTPError(404, f"no view called {name!r}"), "Not found")


async def health(request: Request) -> Response:
    state = _state(request)
    return JSONResponse(
        {
            "status": "ok",
            "workers": state.pool.alive(),
            "killed": state.pool.killed,
            "base": state.links.base,
        }
    )


# --- the application -----------------------------------------------------------------------------


def _source(config: ServerConfig) -> DataSource:
    if config.store is not None:
        if not Path(config.store).is_dir():
            raise InputError("no such Oxigraph store folder", path=config.store)
        return DataSource(store_dir=str(config.store), base=config.base)
    for p in config.data:
        path = Path(p)
        if not path.exists():
            raise InputError("no such file (build the graph first with `cakg build`)", path=path)
    return DataSource(paths=tuple(str(Path(p).resolve()) for p in config.data), base=config.base)


def create_app(config: ServerConfig | None = None, **overrides: Any) -> Starlette:
    """The Starlette application; its lifespan starts the worker pool and stops it again."""
    cfg = replace(config or ServerConfig(), **overrides)
    if cfg.store is not None and cfg.write_token:
        raise InputError("--write-token needs --data: an on-disk --store is served read-only")
    if cfg.timeout <= 0 or cfg.max_rows <= 0:
        raise InputError("--timeout and --max-rows must be positive")
    source = _source(cfg)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = WorkerPool(source, cfg.workers)
        started = time.monotonic()
        await anyio.to_thread.run_sync(pool.start)
        base = cfg.base or pool.info.get("base") or DEFAULT_BASE
        app.state.cakg = _State(cfg, pool, _env(), Links(base))
        log.info("cakg serve: %d workers ready in %.1f s", cfg.workers, time.monotonic() - started)
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(pool.close)

    routes = [
        Route("/", home, name="home"),
        Route("/search", search_page, name="search"),
        Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/queries", queries_page, name="queries"),
        Route("/queries/{name}.rq", query_text, name="query_text"),
        Route("/queries/{name}", query_page, name="query"),
        Route("/api/queries/{name}", query_api, name="query_api"),
        Route("/editor", editor_page, methods=["GET", "POST"], name="editor"),
        Route("/id/{path:path}", resolve_id, name="id"),
        Route("/doc/{path:path}", entity_doc, name="doc"),
        Route("/describe", describe_any, name="describe"),
        Route("/.well-known/void", void, name="void"),
        Route("/dumps/", dumps_index, name="dumps"),
        Route("/dumps/{name}", dump_file, name="dump"),
        Route("/views/", views_index, name="views"),
        Route("/views/{name}", view_page, name="view"),
        Route("/health", health, name="health"),
    ]
    middleware = [
        # Browser clients elsewhere (YASGUI) may query the endpoint: CORS for every origin;
        # no cookies are used, so no credentials are allowed.
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["X-SPARQL-MaxRows", "X-Cakg-Truncated", "Content-Disposition"],
            max_age=600,
        )
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def serve(
    store_paths: Sequence[str | Path],
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = 30.0,
    max_rows: int = 10_000,
    write_token: str | None = None,
    base: str | None = None,
    *,
    workers: int = 2,
    store: str | None = None,
    views_dir: str | None = None,
) -> None:
    """Serve the graph until interrupted (uvicorn, one process; queries in worker processes)."""
    import uvicorn

    config = ServerConfig(
        data=tuple(str(p) for p in store_paths),
        store=store,
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        write_token=write_token,
        base=base,
        workers=workers,
        views_dir=views_dir,
    )
    app = create_app(config)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
