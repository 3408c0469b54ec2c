"""What every route shares: the running server's state, tasks run on workers, page rendering.

Routes answer errors by raising :class:`HTTPError` (a status, a message, headers); the
route turns it into a plain-text answer for clients or an error page for browsers.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from jinja2 import Environment, PackageLoader
from rdflib import Graph
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from cakg import __version__
from cakg.errors import QueryTimeout, ServerBusy, ServerError, WorkerCrashed, WorkerError
from cakg.graph.formats import rdf_format
from cakg.queries.prefixes import Predeclared
from cakg.server.config import ServerConfig
from cakg.server.pages import Links
from cakg.server.protocol import MEDIA_TYPES, on_user_lines
from cakg.server.verdicts import Verdicts
from cakg.server.workers import ClientBusy, WorkerPool

__all__ = [
    "HTML_TYPES",
    "MAX_BODY",
    "HTTPError",
    "ServerState",
    "cached",
    "client_address",
    "error_page",
    "error_text",
    "graph_response",
    "page",
    "result_headers",
    "run_task",
    "state_of",
    "templates",
    "worker_failure",
]

MAX_BODY = 1_000_000  # bytes of a query or update; larger requests get 413
CACHE_ENTRIES = 64  # dumps, VoID, counts, suggestions and drawn views kept in memory
HTML_TYPES = (("text/html", "html"), ("application/xhtml+xml", "html"))
# The pages load nothing from elsewhere: a strict policy makes a stray external URL fail loudly.
PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# The address of the client whose request is being answered (set for each request by
# cakg.server.guard), so that one client's share of the workers is counted.
client_address: ContextVar[str | None] = ContextVar("client_address", default=None)


@dataclass
class ServerState:
    """The running server: its options, worker pool, templates, links, answer cache and
    the verdicts of the query check (:mod:`cakg.server.verdicts`)."""

    config: ServerConfig
    pool: WorkerPool
    env: Environment
    links: Links = field(default_factory=lambda: Links(None))
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    cache_lock: threading.Lock = field(default_factory=threading.Lock)
    verdicts: Verdicts = field(default_factory=Verdicts)


def templates() -> Environment:
    """The page templates, autoescaping every value."""
    env = Environment(loader=PackageLoader("cakg.server", "templates"), autoescape=True)
    env.globals["version"] = __version__
    return env


class HTTPError(Exception):
    """An error answer: status, message, extra headers.

    Not a :class:`~cakg.errors.CakgError`: it never leaves the request it answers; routes
    raise it and turn it into a response (the CakgErrors of the work become one of these).
    """

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


async def run_task(
    state: ServerState,
    task: tuple[Any, ...],
    timeout: float | None = None,
    told_on: Predeclared | None = None,
) -> Any:
    """Run a task on a worker under the time limit; map failures to HTTP errors (a syntax
    error in a user's query ``told_on`` the lines of the text as written)."""
    limit = state.config.timeout if timeout is None else timeout
    try:
        return await anyio.to_thread.run_sync(state.pool.run, task, limit, client_address.get())
    except ServerError as exc:
        raise worker_failure(exc if told_on is None else on_user_lines(exc, told_on)) from None


def worker_failure(exc: ServerError) -> HTTPError:
    """The HTTP answer to a task (query or update) a worker could not complete."""
    if isinstance(exc, QueryTimeout):
        return HTTPError(503, exc.message + " (the server's --timeout)")
    if isinstance(exc, ClientBusy):
        return HTTPError(429, exc.message, {"Retry-After": "5"})
    if isinstance(exc, ServerBusy | WorkerCrashed):  # WorkerCrashed: the memory limit, a crash
        return HTTPError(503, exc.message, {"Retry-After": "5"})
    if isinstance(exc, WorkerError):
        return HTTPError(500 if exc.kind == "internal" else 400, exc.message)
    return HTTPError(503, exc.message)


async def cached(
    state: ServerState, key: tuple[Any, ...], task: tuple[Any, ...], timeout: float
) -> Any:
    """A task's answer from the cache, else run it and keep the answer (the oldest goes)."""
    with state.cache_lock:
        if key in state.cache:
            return state.cache[key]
    value = await run_task(state, task, timeout)
    with state.cache_lock:
        # Bounded: ego views take any focus, so keys are not a closed set.
        while len(state.cache) >= CACHE_ENTRIES:
            state.cache.pop(next(iter(state.cache)))
        state.cache[key] = value
    return value


def error_text(exc: HTTPError) -> Response:
    """An error answer for clients: the message as plain text."""
    return PlainTextResponse(exc.message + "\n", status_code=exc.status, headers=exc.headers)


def page(state: ServerState, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A rendered page, under a policy that loads nothing from elsewhere."""
    html = state.env.get_template(template).render(links=state.links, **context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})


def error_page(state: ServerState, exc: HTTPError, title: str = "Error") -> HTMLResponse:
    """An error answer for browsers: a page with the message."""
    return page(state, "error.html", status=exc.status, title=title, message=exc.message)


def state_of(request: Request) -> ServerState:
    """The state of the server that received the request (set by the app's lifespan)."""
    state: ServerState = request.app.state.cakg
    return state


def graph_response(graph: Graph, fmt: str) -> Response:
    """An RDF graph in a negotiated format (ttl, jsonld, nt, rdfxml)."""
    body = graph.serialize(format=rdf_format(fmt).rdflib, encoding="utf-8")
    return Response(
        body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8", headers={"Vary": "Accept"}
    )


def result_headers(state: ServerState, truncated: bool) -> dict[str, str]:
    """Headers of a query answer; a result cut at --max-rows says so (as Virtuoso does)."""
    headers = {"Vary": "Accept"}
    if truncated:
        headers["X-SPARQL-MaxRows"] = str(state.config.max_rows)
        headers["X-Cakg-Truncated"] = "true"
    return headers
