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

from cakg.graph.formats import rdf_format_for_suffix
from cakg.graph.namespaces import DEFAULT_BASE, bind_prefixes
from cakg.graph.publish.export import VOID_FILE, default_dump_base
from cakg.server.endpoint import SD
from cakg.server.pages import clip, neighbourhood
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

__all__ = [
    "describe_any",
    "dump_file",
    "dumps_index",
    "entity_doc",
    "old_dumps",
    "resolve_id",
    "void",
]

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
    label = data["label"] or " ".join((data.get("text") or "").split()) or state.links.short(iri)
    heading, heading_title = clip(label, 90)
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
        title=heading,
        heading_title=heading_title,
        iri=iri,
        data=data,
        drawing=neighbourhood(state.links, iri, label, edges),
        alternates=alternates,
    )


def _doc_url(state: ServerState, iri: str, ext: str) -> str:
    rest = state.links.local_path(iri)
    if rest is not None:
        return f"/doc/{quote(rest, safe='/-_.~')}.{ext}"
    return "/describe?" + urlencode({"iri": iri, "format": ext})


# --- VoID and dumps ------------------------------------------------------------------------------
#
# One set of files: what `cakg export --format all` writes, by the same code, served at /dump/.
# The dumps are documents, so they live beside /id/ (whose IRIs name things and answer 303),
# not under it ("Cool URIs for the Semantic Web" §4.3). The VoID description points at them
# (void:dataDump, dcat:downloadURL) and at the endpoint (VoID §6.2, §6.3), so every URL it
# announces must answer here; it is served at /.well-known/void and as /dump/void.ttl.


async def _exports(request: Request) -> dict[str, bytes]:
    """The exported files, with this server's dump URLs and endpoint in their VoID."""
    state = state_of(request)
    dumps = default_dump_base(str(request.url_for("id", path="")))
    endpoint = str(request.url_for("sparql"))
    # The built files give the exported bytes until an update changes the data (tasks.export).
    paths = () if state.pool.updated else state.pool.source.paths
    base = state.links.base or DEFAULT_BASE
    files: dict[str, bytes] = await cached(
        state,
        ("export", dumps, endpoint),
        ("export", paths, base, dumps, endpoint),
        max(state.config.timeout, 300),
    )
    return files


async def void(request: Request) -> Response:
    """The VoID description of the dataset, with this server's endpoint and dumps."""
    try:
        turtle = (await _exports(request))[VOID_FILE]
    except HTTPError as exc:
        return error_text(exc)
    fmt = negotiate(request.headers.get("accept"), GRAPH_TYPES) or "ttl"
    if fmt == "ttl":
        # The exported void.ttl as it is; other formats are the same graph, converted.
        return Response(
            turtle, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8", headers={"Vary": "Accept"}
        )
    g = Graph()
    bind_prefixes(g)
    g.bind("sd", SD)
    g.bind("foaf", Namespace("http://xmlns.com/foaf/0.1/"))
    g.parse(data=turtle, format="turtle")
    return graph_response(g, fmt)


async def dumps_index(request: Request) -> Response:
    """The downloads page: every dump with its format and size."""
    state = state_of(request)
    try:
        files = await _exports(request)
    except HTTPError as exc:
        return error_page(state, exc)
    rows = [
        {"name": name, "title": _format_title(name), "size": len(body)}
        for name, body in files.items()
    ]
    return page(state, "dumps.html", title="Downloads", dumps=rows)


async def dump_file(request: Request) -> Response:
    """One exported file, byte for byte as `cakg export` writes it."""
    name = request.path_params["name"]
    spec = rdf_format_for_suffix(name)
    if spec is None:  # not an RDF file name: no need to export to know
        return _no_such_dump()
    try:
        files = await _exports(request)
    except HTTPError as exc:
        return error_text(exc)
    if name not in files:
        return _no_such_dump()
    return Response(
        files[name],
        media_type=f"{spec.media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def old_dumps(request: Request) -> Response:
    """The dumps' former address, /dumps/…: moved for good to /dump/…."""
    name = quote(request.path_params.get("name", ""), safe="-_.~")
    return RedirectResponse(f"/dump/{name}", status_code=301)


def _no_such_dump() -> Response:
    return PlainTextResponse("no such dump; see /dump/\n", status_code=404)


def _format_title(name: str) -> str:
    spec = rdf_format_for_suffix(name)
    return spec.title if spec is not None else ""
