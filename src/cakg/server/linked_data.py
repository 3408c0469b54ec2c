"""Linked data: entity IRIs, their documents, any IRI described, VoID and whole-data dumps.

**Entity IRIs answer 303 See Other** to a document URL (``/doc/<path>.html``, ``.ttl``,
``.jsonld``, ``.nt``, ``.rdf``) chosen by the Accept header. The IRIs name states, people and
claims, not web pages ("Cool URIs for the Semantic Web", W3C Note, §4.3); each document then
has a URL of its own that can be bookmarked, linked and cached without ``Vary``.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from rdflib import Graph, Namespace
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from cakg.graph.namespaces import DEFAULT_BASE, bind_prefixes
from cakg.server.endpoint import SD
from cakg.server.pages import neighbourhood
from cakg.server.protocol import FORMAT_ALIASES, GRAPH_TYPES, MEDIA_TYPES, negotiate
from cakg.server.state import (
    HTML_TYPES,
    HTTPError,
    ServerState,
    cached,
    error_page,
    error_text,
    graph_response,
    page,
    run_task,
    state_of,
)

__all__ = ["describe_any", "dump_file", "dumps_index", "entity_doc", "resolve_id", "void"]

DUMP_FORMATS = ("trig", "nq", "ttl", "nt", "jsonld")
DOC_EXTS = {"html": "html", "ttl": "ttl", "jsonld": "jsonld", "nt": "nt", "rdf": "rdfxml"}
EXT_OF = {v: k for k, v in DOC_EXTS.items()}


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
    state = state_of(request)
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
    state = state_of(request)
    iri = request.query_params.get("iri", "").strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*:\S+$", iri, re.IGNORECASE) or re.search(
        r'[<>"{}|\\^`]', iri
    ):
        return error_page(state, HTTPError(400, "give an IRI: /describe?iri=..."))
    fmt = request.query_params.get("format")
    chosen = FORMAT_ALIASES.get(fmt, "html") if fmt else None
    if chosen is None:
        chosen = negotiate(request.headers.get("accept"), GRAPH_TYPES, extra=HTML_TYPES) or "html"
    if chosen not in DOC_EXTS.values():
        chosen = "html"
    response = await _describe(request, state, iri, chosen)
    response.headers["Vary"] = "Accept"
    return response


async def _describe(request: Request, state: ServerState, iri: str, fmt: str) -> Response:
    try:
        if fmt != "html":
            body = await run_task(state, ("describe_rdf", iri, fmt))
            if body is None:
                return PlainTextResponse(f"nothing is known about <{iri}>\n", status_code=404)
            return Response(body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8")
        data = await run_task(state, ("describe", iri))
    except HTTPError as exc:
        if fmt != "html":
            return error_text(exc)
        return error_page(state, exc)
    if not data["exists"]:
        return page(
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
    return page(
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


def _doc_url(state: ServerState, iri: str, ext: str) -> str:
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
    state = state_of(request)
    base = state.links.base or DEFAULT_BASE
    endpoint = str(request.url_for("sparql"))
    try:
        nt = await cached(
            state,
            ("void", endpoint),
            ("void", base, endpoint, _dump_urls(request)),
            max(state.config.timeout, 120),
        )
    except HTTPError as exc:
        return error_text(exc)
    g = Graph()
    bind_prefixes(g)
    g.bind("sd", SD)
    g.bind("foaf", Namespace("http://xmlns.com/foaf/0.1/"))
    g.parse(data=nt, format="nt11")
    return graph_response(g, negotiate(request.headers.get("accept"), GRAPH_TYPES) or "ttl")


async def dumps_index(request: Request) -> Response:
    state = state_of(request)
    return page(state, "dumps.html", title="Downloads", dumps=_dump_urls(request))


async def dump_file(request: Request) -> Response:
    """The whole dataset in one format (TriG and N-Quads keep the named graphs)."""
    state = state_of(request)
    name = request.path_params["name"]
    stem, _, fmt = name.partition(".")
    if stem != "kg" or fmt not in DUMP_FORMATS:
        return PlainTextResponse("no such dump; see /dumps/\n", status_code=404)
    try:
        body = await cached(state, ("dump", fmt), ("dump", fmt), max(state.config.timeout, 300))
    except HTTPError as exc:
        return error_text(exc)
    media = MEDIA_TYPES[fmt]
    return Response(
        body,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
