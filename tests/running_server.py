"""Run `cakg serve` in a background thread on a free loopback port, for tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import uvicorn

from cakg.server import ServerConfig, create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


WRITE_TOKEN = "secret-token-for-tests"


class Canary(BaseHTTPRequestHandler):
    """A listener that must hear nothing: it notes each request's path in ``hits`` and
    answers an empty SPARQL result, as an endpoint would."""

    hits: ClassVar[list[str]] = []

    def _answer(self) -> None:
        Canary.hits.append(self.path)
        body = b'{"head":{"vars":["a"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve a plain http.server handler on a free loopback port; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def running_server(**config: Any) -> Iterator[str]:
    """Start uvicorn with a cakg app (its lifespan starts the worker pool); yield its URL."""
    port = free_port()
    app = create_app(ServerConfig(port=port, **config))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True, name="cakg-test-server")
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if not thread.is_alive():
            raise RuntimeError("the server stopped while starting")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start in 120 s")
        time.sleep(0.2)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(60)
