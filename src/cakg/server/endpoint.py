"""The SPARQL 1.1 Protocol endpoint at /sparql: queries, updates, the service description.

Every query runs in a worker process (see :mod:`cakg.server.workers`); one that runs past
``--timeout`` is killed and replaced, and the request gets **503** with a message. Past
``--max-rows`` rows (or triples) the result is cut, and the response says so in
``X-SPARQL-MaxRows`` (as Virtuoso does) and ``X-Cakg-Truncated: true``. SPARQL Update gets
403 unless the server was started with a write token and the request carries
``Authorization: Bearer <token>``. ``SERVICE`` and ``LOAD`` are refused with 400: the server
makes no outbound requests.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

import anyio.to_thread
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, VOID
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from cakg.errors import InputError, ServerError
from cakg.graph.namespaces import bind_prefixes
from cakg.server.protocol import (
    ASK_TYPES,
    FORMAT_ALIASES,
    GRAPH_TYPES,
    MEDIA_TYPES,
    RESULT_TYPES,
    Dataset,
    VettedQuery,
    check_graph_iris,
    negotiate,
    on_user_lines,
)
from cakg.server.state import (
    HTML_TYPES,
    MAX_BODY,
    HTTPError,
    ServerState,
    error_text,
    graph_response,
    page,
    result_headers,
    run_task,
    state_of,
    worker_failure,
)
from cakg.server.verdicts import Refused

__all__ = ["SD", "PreparedQuery", "format_override", "prepare_query", "sparql", "vetted"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")


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


def _protocol_dataset(
    params: Mapping[str, list[str]], default_key: str, named_key: str
) -> Dataset | None:
    """The dataset a request's parameters give (SPARQL 1.1 Protocol §2.1.4, §2.2.3), if any."""
    default = check_graph_iris(params.get(default_key, []))
    named = check_graph_iris(params.get(named_key, []))
    return Dataset(tuple(default), tuple(named)) if default or named else None


def _base_iri(request: Request) -> str:
    """The base IRI of relative IRIs in a query or update: this endpoint's own URL (the
    SPARQL 1.1 Protocol leaves it to the service, which MAY use the endpoint's URL)."""
    url = str(request.url_for("sparql"))
    try:
        check_graph_iris([url])
    except InputError:
        raise HTTPError(400, "the Host header does not make this endpoint's URL an IRI") from None
    return url


def format_override(request: Request, params: Mapping[str, list[str]]) -> str | None:
    """The format a ``format=`` or ``output=`` parameter asks for, overriding Accept."""
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
    state = state_of(request)
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
            return await _update(request, state, updates[0], params)
        if not queries:
            return _service_description(request, state)
        return await _query(request, state, queries[0], params)
    except HTTPError as exc:
        return error_text(exc)


@dataclass(frozen=True)
class PreparedQuery:
    """A vetted query with what it runs against: its dataset and its base IRI."""

    vetted: VettedQuery
    graphs: tuple[Sequence[str], Sequence[str]] | None  # (default, named); None: the union
    base: str

    async def run(self, state: ServerState, kind: str, *args: Any) -> Any:
        """Run it on a worker as task ``kind`` ("answer" or "rows", their arguments before
        the dataset's); a syntax error the engine finds is told on the user's lines."""
        task = (kind, self.vetted.text, *args, self.graphs, self.base)
        return await run_task(state, task, told_on=self.vetted.run)


async def vetted(state: ServerState, text: str, base: str) -> VettedQuery:
    """A query as the check vetted it, or 400 with the check's message: the kept verdict
    of this exact text and base, else the one a worker gives (:mod:`cakg.server.verdicts`)."""
    key = (text, base)
    found = state.verdicts.get(key)
    if found is None:
        found = await run_task(state, ("vet", text, base))
        state.verdicts.put(key, found)
    if isinstance(found, Refused):
        raise HTTPError(400, found.message)
    assert isinstance(found, VettedQuery)
    return found


async def prepare_query(
    request: Request, text: str, params: Mapping[str, list[str]] | None = None
) -> PreparedQuery:
    """Vet a query and settle its dataset: the one path of /sparql and the editor."""
    if len(text.encode("utf-8")) > MAX_BODY:
        raise HTTPError(413, f"the query is longer than {MAX_BODY} bytes")
    base = _base_iri(request)
    vetted_query = await vetted(state_of(request), text, base)
    try:
        # Protocol §2.1.4: a dataset given in the request overrides the query's FROM / FROM
        # NAMED; with neither, the default graph is the union of the graphs.
        dataset = _protocol_dataset(params or {}, "default-graph-uri", "named-graph-uri")
    except InputError as exc:  # a graph that is not an IRI
        raise HTTPError(400, exc.one_line()) from None
    dataset = dataset or vetted_query.dataset
    graphs = (dataset.default, dataset.named) if dataset is not None else None
    return PreparedQuery(vetted_query, graphs, base)


async def _query(
    request: Request, state: ServerState, text: str, params: Mapping[str, list[str]]
) -> Response:
    prepared = await prepare_query(request, text, params)
    vetted = prepared.vetted
    graph_form = vetted.form in ("CONSTRUCT", "DESCRIBE")
    offered = GRAPH_TYPES if graph_form else ASK_TYPES if vetted.form == "ASK" else RESULT_TYPES
    fmt = format_override(request, params)
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
    answer = await prepared.run(state, "answer", fmt, state.config.max_rows, vetted.shape)
    media = MEDIA_TYPES[fmt]
    headers = result_headers(state, answer["truncated"])
    return Response(answer["body"], media_type=f"{media}; charset=utf-8", headers=headers)


async def _update(
    request: Request, state: ServerState, text: str, params: Mapping[str, list[str]]
) -> Response:
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
        # Protocol §2.2.3: using-graph-uri / using-named-graph-uri act as USING / USING NAMED.
        using = _protocol_dataset(params, "using-graph-uri", "using-named-graph-uri")
    except InputError as exc:
        raise HTTPError(400, exc.one_line()) from None
    # Checked on a worker, as a query is (its verdict is not kept: updates are few).
    run = await run_task(state, ("vet_update", text, _base_iri(request), using))
    if isinstance(run, Refused):
        raise HTTPError(400, run.message)
    try:
        await anyio.to_thread.run_sync(state.pool.update, run.text, state.config.timeout)
    except ServerError as exc:
        raise worker_failure(on_user_lines(exc, run)) from None
    with state.cache_lock:
        state.cache.clear()  # dumps, VoID and counts describe the old data
    return Response(status_code=204)


def _service_description(request: Request, state: ServerState) -> Response:
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
        return page(
            state, "service.html", title="SPARQL endpoint", turtle=turtle, endpoint=str(endpoint)
        )
    return graph_response(g, fmt)
