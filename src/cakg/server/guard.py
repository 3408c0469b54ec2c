"""What every answer of `cakg serve` gets, whatever its route: a body limit, safety headers, CORS.

* A request body larger than :data:`~cakg.server.state.MAX_BODY` is refused with **413** as
  soon as its declared ``Content-Length`` or the bytes streamed so far pass the limit; the
  rest is never read.
* Every answer carries ``X-Content-Type-Options: nosniff``; an HTML answer without a policy
  of its own gets ``Content-Security-Policy: frame-ancestors 'none'`` (no framing, hence no
  clickjacking of the editor's forms).
* CORS: web pages elsewhere (YASGUI) may read the answers of read-only queries
  (``Access-Control-Allow-Origin: *``), but only from a server without a write token, and
  never for a request that carries credentials (``Authorization``, cookies) or an update.
* With ``--public-url``, every request reads as addressed to that origin, so no link the
  server writes comes from a forged ``Host`` header.
* The client's address is set for :func:`~cakg.server.state.run_task`, which counts each
  client's share of the query workers.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cakg.errors import InputError
from cakg.server.config import ServerConfig
from cakg.server.state import MAX_BODY, client_address

__all__ = ["Guard", "public_origin"]

# The read-only query answers that any origin may read.
SHARED_PATHS = ("/sparql", "/api/queries/")
SHARED_METHODS = ("GET", "POST")
# Request headers that carry credentials (Fetch standard, "credentials"): never shared with '*'.
CREDENTIAL_HEADERS = ("authorization", "cookie")
EXPOSED_HEADERS = "X-SPARQL-MaxRows, X-Cakg-Truncated, Content-Disposition"


def public_origin(url: str) -> tuple[str, str]:
    """The scheme and host[:port] of a ``--public-url``, which must be an origin.

    >>> public_origin("https://kg.example.org/")
    ('https', 'kg.example.org')
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise InputError(
            f"--public-url {url!r}: give an origin, http(s)://host[:port] "
            "(the server answers at its root)"
        )
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise InputError(f"--public-url {url!r}: give an origin, http(s)://host[:port]")
    return parts.scheme, parts.netloc


class _TooLarge(Exception):
    """The request body passed the limit while it streamed in."""


def _too_large() -> Response:
    return PlainTextResponse(
        f"the request body is larger than {MAX_BODY} bytes\n",
        status_code=413,
        headers={"Connection": "close"},
    )


class Guard:
    """ASGI middleware: the limits and headers of every request and answer (module docstring)."""

    def __init__(self, app: ASGIApp, config: ServerConfig) -> None:
        self.app = app
        self.config = config
        self.origin = public_origin(config.public_url) if config.public_url else None

    def _shared(self, scope: Scope, headers: Headers, method: str, asked: str) -> bool:
        """Whether any origin may read this request's answer (``asked``: headers it sends)."""
        path = scope["path"]
        if self.config.write_token or method not in SHARED_METHODS:
            return False
        if not (path == SHARED_PATHS[0] or path.startswith(SHARED_PATHS[1:])):
            return False
        if any(h in headers or h in asked for h in CREDENTIAL_HEADERS):
            return False
        is_update = headers.get("content-type", "").startswith("application/sparql-update")
        return not is_update and "update" not in parse_qs(scope.get("query_string", b"").decode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.origin is not None:
            scheme, host = self.origin
            headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
            scope = {**scope, "scheme": scheme, "headers": [*headers, (b"host", host.encode())]}
        client = scope.get("client")
        token = client_address.set(client[0] if client else None)
        try:
            await self._answer(scope, receive, send)
        finally:
            client_address.reset(token)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        preflight = scope["method"] == "OPTIONS" and "access-control-request-method" in headers
        method = headers["access-control-request-method"] if preflight else scope["method"]
        asked = headers.get("access-control-request-headers", "").lower() if preflight else ""
        shared = "origin" in headers and self._shared(scope, headers, method, asked)
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = MutableHeaders(scope=message)
                out["X-Content-Type-Options"] = "nosniff"
                html = out.get("content-type", "").startswith("text/html")
                if html and "content-security-policy" not in out:
                    out["Content-Security-Policy"] = "frame-ancestors 'none'"
                # 403: an update refused by a read-only server is no query answer.
                if shared and message["status"] != 403:
                    out["Access-Control-Allow-Origin"] = "*"
                    out["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            await send(message)

        if preflight:
            await self._preflight(shared)(scope, receive, send_guarded)
            return
        declared = headers.get("content-length", "0")
        if declared.isdigit() and int(declared) > MAX_BODY:
            await _too_large()(scope, receive, send_guarded)
            return
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY:
                raise _TooLarge
            return message

        try:
            await self.app(scope, receive_limited, send_guarded)
        except _TooLarge:
            if started:
                raise
            await _too_large()(scope, receive, send_guarded)

    @staticmethod
    def _preflight(shared: bool) -> Response:
        """The answer to a CORS preflight (the middleware adds Allow-Origin when shared)."""
        if not shared:
            return PlainTextResponse(
                "cross-origin requests are not allowed here\n", status_code=403
            )
        allow = {
            "Access-Control-Allow-Methods": ", ".join(SHARED_METHODS),
            "Access-Control-Allow-Headers": "Accept, Content-Type",
            "Access-Control-Max-Age": "600",
        }
        return Response(status_code=204, headers=allow)
