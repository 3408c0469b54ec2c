"""The browser pages: home, search, the named-query library (and its rows for scripts), the
query editor and the network views. Every value reaches a page through an autoescaping
template (see :mod:`cakg.server.pages`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from rdflib import Graph
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
)

from cakg.errors import InputError
from cakg.queries import NamedQuery, list_queries, load_query, serialize_result
from cakg.server.endpoint import format_override, prepare_query
from cakg.server.pages import result_table
from cakg.server.protocol import (
    MEDIA_TYPES,
    RESULT_TYPES,
    negotiate,
)
from cakg.server.state import (
    MAX_BODY,
    HTTPError,
    ServerState,
    cached,
    error_page,
    error_text,
    page,
    result_headers,
    run_task,
    state_of,
)

__all__ = [
    "editor_page",
    "home",
    "queries_page",
    "query_api",
    "query_page",
    "query_text",
    "search_page",
    "view_page",
    "views_index",
]


async def home(request: Request) -> Response:
    state = state_of(request)
    try:
        counts = await cached(state, ("counts",), ("counts",), state.config.timeout)
    except HTTPError:
        counts = {}
    library = [q for q in list_queries() if not q.is_violation]
    return page(
        state,
        "index.html",
        title="cakg",
        counts=counts,
        queries=library[:8],
        graphs=state.pool.info.get("graphs", []),
    )


async def search_page(request: Request) -> Response:
    state = state_of(request)
    q = request.query_params.get("q", "").strip()
    hits: list[dict[str, str]] = []
    error = None
    if q:
        try:
            hits = await run_task(state, ("search", q[:200], 100))
        except HTTPError as exc:
            error = exc.message
    if "application/json" in request.headers.get(
        "accept", ""
    ) and "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"q": q, "results": hits})
    return page(
        state, "search.html", title=f"Search: {q}" if q else "Search", q=q, hits=hits, error=error
    )


async def queries_page(request: Request) -> Response:
    state = state_of(request)
    library = list_queries()
    return page(
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


def _page_of(request: Request) -> tuple[int | None, int | None]:
    """``?limit=&offset=``: a page of a named query's rows (a SPARQL LIMIT and OFFSET)."""
    out: list[int | None] = []
    for key in ("limit", "offset"):
        text = request.query_params.get(key, "").strip()
        if text and not text.isdigit():
            raise HTTPError(400, f"{key} takes a number of rows, 0 or more; got {text!r}")
        out.append(int(text) if text else None)
    return out[0], out[1]


async def query_page(request: Request) -> Response:
    """A named query: its description, a form for its parameters, and its rows once run."""
    state = state_of(request)
    nq = _named_or_404(request.path_params["name"])
    if nq is None:
        return error_page(state, HTTPError(404, "no such named query"), "Not found")
    given = _given_params(request, nq)
    run = "run" in request.query_params or any(given.values())
    kinds = sorted({p.kind for p in nq.params})
    try:
        suggestions = await cached(
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
            limit, offset = _page_of(request)
            answer = await run_task(
                state,
                ("named", nq.name, {k: v for k, v in given.items() if v}, state.config.max_rows,
                 limit, offset),
            )  # fmt: skip
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
            if limit is not None and len(result.rows) == limit:
                after = urlencode({"limit": limit, "offset": (offset or 0) + limit})
                context["next_page"] = f"/queries/{nq.name}?{query}{'&' if query else ''}{after}"
        except HTTPError as exc:
            context["error"] = exc.message
            status = exc.status
    return page(state, "query.html", status=status, **context)


def _example_values(nq: NamedQuery) -> dict[str, str]:
    """Parameter values shown in the example line, offered as placeholders."""
    out: dict[str, str] = {}
    for ex in nq.examples:
        for m in re.finditer(r'--param\s+(\w+)=("([^"]*)"|(\S+))', ex):
            out[m.group(1)] = m.group(3) if m.group(3) is not None else m.group(4)
    return out


async def query_api(request: Request) -> Response:
    """A named query's rows as SPARQL results (format= or Accept), for scripts and downloads."""
    state = state_of(request)
    nq = _named_or_404(request.path_params["name"])
    if nq is None:
        return PlainTextResponse("no such query\n", status_code=404)
    given = {k: v for k, v in _given_params(request, nq).items() if v}
    try:
        fmt = format_override(
            request, {k: request.query_params.getlist(k) for k in ("format", "output")}
        )
        fmt = fmt or negotiate(request.headers.get("accept"), RESULT_TYPES) or "json"
        if fmt not in {f for _, f in RESULT_TYPES}:
            raise HTTPError(406, "a named query gives rows: use json, xml, csv or tsv")
        limit, offset = _page_of(request)
        answer = await run_task(
            state, ("named", nq.name, given, state.config.max_rows, limit, offset)
        )
    except HTTPError as exc:
        return error_text(exc)
    body = serialize_result(answer["result"], fmt)
    headers = result_headers(state, answer["truncated"])
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
    state = state_of(request)
    if request.method == "POST":
        body = await request.body()
        if len(body) > MAX_BODY:
            return error_page(state, HTTPError(413, f"the query is longer than {MAX_BODY} bytes"))
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        text = (form.get("query") or [""])[0]
    else:
        text = request.query_params.get("query", "")
    context: dict[str, Any] = {"title": "Query editor", "text": text or DEFAULT_EDITOR_QUERY}
    status = 200
    if text.strip():
        try:
            # As /sparql runs it: FROM / FROM NAMED honoured, relative IRIs resolved alike.
            prepared = await prepare_query(request, text)
            vetted = prepared.vetted
            answer = await prepared.run(state, "rows", state.config.max_rows)
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
        except HTTPError as exc:  # e.g. 400: the query does not parse, or asks for SERVICE
            context["error"] = exc.message
            status = exc.status
    return page(state, "editor.html", status=status, **context)


def _views_dir(state: ServerState) -> Path | None:
    if state.config.views_dir:
        return Path(state.config.views_dir)
    if state.config.data:
        return Path(state.config.data[0]).parent
    return None


def _static_views(state: ServerState) -> list[str]:
    folder = _views_dir(state)
    if folder is None or not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("*.html") if re.fullmatch(r"[\w.-]+\.html", p.name))


def _view_kinds() -> tuple[str, ...]:
    from cakg.viz import KINDS  # networkx and pyvis load only when views are asked for

    return tuple(KINDS)


async def views_index(request: Request) -> Response:
    state = state_of(request)
    return page(
        state, "views.html", title="Network views", kinds=_view_kinds(), files=_static_views(state)
    )


async def view_page(request: Request) -> Response:
    """An interactive network view: drawn now from the served data, or a prebuilt file."""
    state = state_of(request)
    name = request.path_params["name"]
    stem = name[: -len(".html")] if name.endswith(".html") else name
    if stem in _view_kinds():
        focus = request.query_params.get("focus") or None
        try:
            depth = int(request.query_params.get("depth", "1"))
        except ValueError:
            depth = 1
        try:
            html = await cached(
                state,
                ("view", stem, focus, depth),
                ("view", stem, focus, depth),
                max(state.config.timeout, 120),
            )
        except HTTPError as exc:
            return error_page(state, exc, "View failed")
        return HTMLResponse(html)
    if name in _static_views(state):
        folder = _views_dir(state)
        assert folder is not None
        return FileResponse(folder / name, media_type="text/html")
    return error_page(state, HTTPError(404, f"no view called {name!r}"), "Not found")
