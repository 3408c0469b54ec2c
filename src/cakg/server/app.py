"""The application of `cakg serve`: its routes, the worker pool's life cycle, and uvicorn.

What each route does lives beside its kind: the SPARQL 1.1 Protocol endpoint in
:mod:`cakg.server.endpoint`, linked data in :mod:`cakg.server.linked_data`, the browser
pages in :mod:`cakg.server.browse`; what every request and answer gets (limits, headers,
CORS) in :mod:`cakg.server.guard`.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cakg.errors import InputError, ServerError
from cakg.graph.io import local_path
from cakg.graph.namespaces import DEFAULT_BASE
from cakg.server.browse import (
    editor_page,
    home,
    queries_page,
    query_api,
    query_page,
    query_text,
    search_page,
    view_page,
    views_index,
)
from cakg.server.config import ServerConfig
from cakg.server.endpoint import sparql
from cakg.server.guard import Guard, public_origin
from cakg.server.linked_data import (
    describe_any,
    dump_file,
    dumps_index,
    entity_doc,
    old_dumps,
    resolve_id,
    void,
)
from cakg.server.pages import Links
from cakg.server.state import ServerState, state_of, templates
from cakg.server.workers import DataSource, WorkerPool

__all__ = ["ServerConfig", "create_app", "serve"]

log = logging.getLogger("cakg.server")


async def health(request: Request) -> Response:
    """Whether the server runs: its worker count, how many workers were killed, how many
    queries were demoted to the lowest priority and how many such run now (``slow``)."""
    state = state_of(request)
    return JSONResponse(
        {
            "status": "ok",
            "workers": state.pool.alive(),
            "killed": state.pool.killed,
            "demoted": state.pool.demoted,
            "slow": state.pool.slow(),
            "base": state.links.base,
        }
    )


def _source(config: ServerConfig) -> DataSource:
    """What the workers load, checked before any of them starts."""
    if config.store is not None:
        if not Path(config.store).is_dir():
            raise InputError("no such Oxigraph store folder", path=config.store)
        return DataSource(store_dir=str(config.store), base=config.base)
    for p in config.data:
        path = local_path(p)
        if not path.exists():
            raise InputError("no such file (build the graph first with `cakg build`)", path=path)
    return DataSource(paths=tuple(str(Path(p).resolve()) for p in config.data), base=config.base)


def _checked(cfg: ServerConfig) -> ServerConfig:
    """The configuration, refused in one line where its options contradict each other."""
    if cfg.store is not None and cfg.write_token:
        raise InputError("--write-token needs --data: an on-disk --store is served read-only")
    if cfg.timeout <= 0 or cfg.max_rows <= 0:
        raise InputError("--timeout and --max-rows must be positive")
    if cfg.public_url is not None:
        public_origin(cfg.public_url)  # refused before any worker starts
    return cfg


def start_pool(cfg: ServerConfig, source: DataSource) -> WorkerPool:
    """Start the query workers and wait until each has loaded the data (its errors, if not)."""
    pool = WorkerPool(
        source,
        cfg.workers,
        per_client=cfg.client_workers,
        memory_mb=cfg.worker_memory or None,
        demote_after=cfg.demote_after or None,
        spare=cfg.spare_workers,
    )
    started = time.monotonic()
    pool.start()
    log.info("cakg serve: %d workers ready in %.1f s", cfg.workers, time.monotonic() - started)
    if not pool.info.get("network_isolated"):
        log.warning(
            "cakg serve: the query workers could not be cut off from the network "
            "(no network namespaces here); the SERVICE/LOAD check alone keeps them in"
        )
    return pool


def create_app(
    config: ServerConfig | None = None, *, pool: WorkerPool | None = None, **overrides: Any
) -> Starlette:
    """The Starlette application; its lifespan starts the worker pool (unless one is given,
    already started) and stops it again."""
    cfg = _checked(replace(config or ServerConfig(), **overrides))
    source = _source(cfg)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        workers = (
            pool if pool is not None else await anyio.to_thread.run_sync(start_pool, cfg, source)
        )
        base = cfg.base or workers.info.get("base") or DEFAULT_BASE
        app.state.cakg = ServerState(cfg, workers, templates(), Links(base))
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(workers.close)

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
        # Where export.default_dump_base puts the dumps: ../dump/ from /id/.
        Route("/dump/", dumps_index, name="dumps"),
        Route("/dump/{name}", dump_file, name="dump"),
        Route("/dumps/", old_dumps),
        Route("/dumps/{name}", old_dumps),
        Route("/views/", views_index, name="views"),
        Route("/views/{name}", view_page, name="view"),
        Route("/health", health, name="health"),
    ]
    # Body limit, safety headers and CORS for every route (see cakg.server.guard).
    middleware = [Middleware(Guard, config=cfg)]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


def _listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port, or one line saying why not (in use, no such address)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        # As uvicorn does: a port left in TIME_WAIT by a previous run may be reused at once;
        # a port another process listens on still is refused (socket(7)).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve(config: ServerConfig, announce: Callable[[str], None] | None = None) -> None:
    """Serve the graph until interrupted (uvicorn, one process; queries in worker processes).

    The port is bound and the workers load the data before ``announce`` gets the server's
    URL, so a port in use or data that does not parse stops it with one line; the data is
    read by the workers only (a large corpus is not parsed once more in this process).
    """
    import uvicorn

    source = _source(_checked(config))
    sock = _listen(config.host, config.port)
    try:
        pool = start_pool(config, source)
    except BaseException:
        sock.close()
        raise
    app = create_app(config, pool=pool)
    host, port = sock.getsockname()[:2]
    if announce is not None:
        shown = f"[{host}]" if ":" in host else host
        announce(f"http://{shown}:{port}/")
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="info", server_header=False)
    )
    try:
        server.run(sockets=[sock])
    except SystemExit:
        # uvicorn exits when the application does not start (its log above says why).
        raise ServerError("the server did not start (its log above says why)") from None
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl-C it stopped on; stopping is what was asked
    finally:
        pool.close()  # the lifespan closes it too; closing twice is harmless
        sock.close()
