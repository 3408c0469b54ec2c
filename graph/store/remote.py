"""A remote SPARQL 1.1 store behind the same interface as the embedded one.

:class:`RemoteStore` implements :class:`cakg.graph.store.engines.Store` over HTTP, so every named
query runs unchanged on Virtuoso, Fuseki, GraphDB or any SPARQL 1.1 server:

* queries go through SPARQLWrapper (SPARQL 1.1 Protocol §2.1) with the dataset named in
  the request (``default-graph-uri`` / ``named-graph-uri``, Protocol §2.1.4): a store's
  own default graph may hold other data (Virtuoso's holds system triples), so cakg
  always names its graphs; results come back as rdflib terms exactly as
  :class:`~cakg.graph.store.engines.OxigraphStore` gives them (``xsd:string`` literals plain,
  booleans in canonical form), so rows compare equal across engines;
* graphs are loaded with the SPARQL 1.1 Graph Store HTTP Protocol (POST merges, §5.5;
  DELETE clears, §5.4) where the server has one, else with SPARQL Update ``INSERT DATA``
  (Update §3.1.1), in chunks that never split a blank node's triples
  (:mod:`cakg.graph.store.chunks`); ``cakg push`` is :mod:`cakg.graph.store.push`.

Endpoints of common servers are derived from the query endpoint (override them with
``gsp_endpoint`` / ``update_endpoint``):

==========  ==================================  =====================================
server      query endpoint                      update / Graph Store endpoint
==========  ==================================  =====================================
Virtuoso    ``http://host:8890/sparql``         ``/sparql-auth``, ``/sparql-graph-crud-auth``
Fuseki      ``http://host:3030/ds/sparql``      ``/ds/update``, ``/ds/data``
GraphDB     ``http://host:7200/repositories/r`` ``…/r/statements``, ``…/r/rdf-graphs/service``
Oxigraph    ``http://host:7878/query``          ``/update``, ``/store``
==========  ==================================  =====================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import httpx
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RLiteral
from rdflib.term import Node

from cakg.errors import InputError, QuerySyntaxError, RemoteError
from cakg.graph.formats import find_rdf_format, rdf_format_for_media_type
from cakg.graph.namespaces import DEFAULT_BASE, bind_prefixes
from cakg.graph.store.chunks import GSP_CHUNK, UPDATE_CHUNK, chunk_triples, ntriples
from cakg.graph.store.engines import QueryResult, query_kind, with_values
from cakg.graph.store.sparql_json import result_from_json

__all__ = [
    "Endpoints",
    "Method",
    "RemoteError",
    "RemoteStore",
    "derive_endpoints",
    "inline_values",
]

AuthScheme = Literal["basic", "digest"]
Method = Literal["auto", "gsp", "update"]

DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class Endpoints:
    """Where to send queries, updates and Graph Store requests; which server it is."""

    query: str
    update: str | None = None
    gsp: str | None = None
    server: str = "generic"
    # Virtuoso names the graph parameter `graph-uri`; the protocol (§4.2) says `graph`.
    graph_param: str = "graph"


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def derive_endpoints(
    endpoint: str,
    *,
    server: str | None = None,
    update_endpoint: str | None = None,
    gsp_endpoint: str | None = None,
    authenticated: bool = False,
) -> Endpoints:
    """The update and Graph Store endpoints of a server, from its query endpoint.

    >>> e = derive_endpoints("http://h:8890/sparql", server="Virtuoso/7", authenticated=True)
    >>> (e.server, e.update, e.gsp)
    ('virtuoso', 'http://h:8890/sparql-auth', 'http://h:8890/sparql-graph-crud-auth')
    >>> derive_endpoints("http://localhost:3030/ds/sparql").gsp
    'http://localhost:3030/ds/data'
    >>> derive_endpoints("http://localhost:7200/repositories/cakg").update
    'http://localhost:7200/repositories/cakg/statements'
    """
    if not re.match(r"^https?://", endpoint):
        raise InputError(f"the endpoint must be an http(s) URL: {endpoint!r}")
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    header = (server or "").lower()
    kind = "generic"
    update = gsp = None
    graph_param = "graph"
    repo = re.match(r"^(.*/repositories/[^/]+)$", path)
    if "virtuoso" in header:
        kind = "virtuoso"
        graph_param = "graph-uri"
        # Anonymous updates are refused on Virtuoso's /sparql; the -auth paths take
        # HTTP digest authentication.
        suffix = "-auth" if authenticated else ""
        update = _with_path(endpoint, f"/sparql{suffix}")
        gsp = _with_path(endpoint, f"/sparql-graph-crud{suffix}")
    elif repo:
        kind = "rdf4j"  # GraphDB, RDF4J server: REST API paths of a repository
        update = _with_path(endpoint, f"{repo.group(1)}/statements")
        gsp = _with_path(endpoint, f"{repo.group(1)}/rdf-graphs/service")
    elif "fuseki" in header or (re.search(r"/(sparql|query)$", path) and path.count("/") >= 2):
        kind = "fuseki"  # Fuseki: /ds/sparql (or /ds/query), /ds/update, /ds/data
        dataset = re.sub(r"/(sparql|query)$", "", path)
        update = _with_path(endpoint, f"{dataset}/update")
        gsp = _with_path(endpoint, f"{dataset}/data")
    elif path.endswith("/query"):
        kind = "oxigraph" if "oxigraph" in header else "generic"
        root = path[: -len("/query")]
        update = _with_path(endpoint, f"{root}/update")
        gsp = _with_path(endpoint, f"{root}/store") if kind == "oxigraph" else None
    else:
        update = endpoint  # the Protocol allows one URL for queries and updates
    return Endpoints(
        query=endpoint,
        update=update_endpoint or update,
        gsp=gsp_endpoint or gsp,
        server=kind,
        graph_param=graph_param,
    )


class _ChallengeAuth(httpx.Auth):
    """HTTP Basic or Digest, whichever the server's 401 challenge asks for (RFC 7235 §4.1)."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self.scheme: AuthScheme | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        if self.scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        self.scheme = "digest" if challenge.startswith("digest") else "basic"
        auth = self._digest if self.scheme == "digest" else self._basic
        yield from auth.auth_flow(request)


def _rdf_format(content_type: str | None) -> str:
    """rdflib's parser for a response's media type (Turtle when the server does not say)."""
    fmt = rdf_format_for_media_type(content_type or "text/turtle")
    return fmt.rdflib if fmt is not None else "turtle"


# --- parameters inside the WHERE clause, for servers that join a trailing VALUES late -------------


def _where_group_end(sparql: str) -> int | None:
    """Offset of the `}` closing the query's outermost WHERE group (None if not found).

    Skips strings, IRIs and comments. The WHERE group is the first top-level group
    after the WHERE keyword; without that keyword, the first top-level group (SELECT,
    ASK) or the second (CONSTRUCT's template comes first).
    """
    depth = 0
    i = 0
    n = len(sparql)
    groups: list[tuple[int, int]] = []
    start = -1
    where_at: int | None = None
    while i < n:
        c = sparql[i]
        if c == "#":
            j = sparql.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            quote = sparql[i : i + 3] if sparql[i : i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and sparql[j : j + len(quote)] != quote:
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<":
            m = re.match(r"<[^<>\"{}|^`\\\s]*>", sparql[i:])
            if m:
                i += m.end()
                continue
        if depth == 0 and where_at is None and re.match(r"(?i)WHERE\b", sparql[i : i + 6]):
            where_at = len(groups)
        if c == "{":
            if depth == 0:
                start = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                groups.append((start, i))
        i += 1
    if where_at is not None and where_at < len(groups):
        return groups[where_at][1]
    if not groups:
        return None
    kind = query_kind(sparql)
    return groups[1][1] if kind == "CONSTRUCT" and len(groups) > 1 else groups[0][1]


def inline_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Bind parameters with a VALUES block at the end of the WHERE group, not after the query.

    SPARQL 1.1 §18.2.4.3 joins a trailing VALUES before projection, so it may bind
    variables the query does not project; Virtuoso joins it after projection and
    fails ("No column cls"). Inside the WHERE group the join happens before grouping,
    which gives the same rows for the parameters cakg binds (projected variables or
    variables of the pattern).

    >>> inline_values("SELECT ?x WHERE { ?x a ?c } ORDER BY ?x", {"c": URIRef("urn:C")})
    'SELECT ?x WHERE { ?x a ?c \\nVALUES (?c) { (<urn:C>) }\\n} ORDER BY ?x'
    """
    if not bindings:
        return sparql
    trailing = with_values("", bindings).strip()  # validates names and terms
    end = _where_group_end(sparql)
    if end is None:
        return with_values(sparql, bindings)
    return f"{sparql[:end]}\n{trailing}\n{sparql[end:]}"


# --- the store -----------------------------------------------------------------------------------


class RemoteStore:
    """A SPARQL 1.1 server as a :class:`~cakg.graph.store.engines.Store` (query, add, serialize).

    ``graphs`` names the graphs that form the dataset of every query; by default the
    server's graphs under ``<base>graph/`` (found on first use), else its default graph.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        gsp_endpoint: str | None = None,
        user: str | None = None,
        password: str | None = None,
        graphs: Iterable[URIRef | str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        base: str = DEFAULT_BASE,
        method: Method = "auto",
        token: str | None = None,
    ) -> None:
        if (user is None) != (password is None):
            raise InputError("give both --user and --password, or neither")
        if token and user is not None:
            raise InputError("give --token or --user and --password, not both")
        self.endpoint = endpoint
        self.user = user
        self.password = password
        self.timeout = timeout
        self.base = base
        self.method: Method = method
        self._graphs = sorted({URIRef(str(g)) for g in graphs}) if graphs is not None else None
        self._auth = _ChallengeAuth(user, password) if user and password else None
        # A bearer token (RFC 6750 §2.1), as `cakg serve --write-token` asks of updates.
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(
            timeout=timeout, auth=self._auth, headers=self._headers, follow_redirects=True
        )
        self._given = (update_endpoint, gsp_endpoint)
        self._endpoints: Endpoints | None = None

    # -- endpoints ---------------------------------------------------------------------------------

    @property
    def endpoints(self) -> Endpoints:
        """The server's endpoints, derived once from its ``Server`` header and the URL."""
        if self._endpoints is None:
            server = None
            try:
                r = self._client.get(self.endpoint, params={"query": "ASK {}"})
                server = r.headers.get("server")
            except httpx.HTTPError as exc:
                raise RemoteError(f"cannot reach {self.endpoint}: {exc}") from None
            self._endpoints = derive_endpoints(
                self.endpoint,
                server=server,
                update_endpoint=self._given[0],
                gsp_endpoint=self._given[1],
                authenticated=self._auth is not None,
            )
        return self._endpoints

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries -----------------------------------------------------------------------------------

    def graph_names(self) -> list[URIRef]:
        """The graphs queries run over: the given ones, else the server's under ``<base>graph/``."""
        if self._graphs is None:
            sparql = (
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(STRSTARTS(STR(?g), {RLiteral(self.base + 'graph/').n3()})) }}"
            )
            res = self._select(sparql, dataset=False)
            self._graphs = sorted(g for row in res.rows if isinstance(g := row.get("g"), URIRef))
        return list(self._graphs)

    def _wrapper(self, sparql: str, accept: str, dataset: bool) -> Any:
        from SPARQLWrapper import DIGEST, POST, SPARQLWrapper

        sw = SPARQLWrapper(self.endpoint)
        sw.setOnlyConneg(True)  # standard content negotiation, no format= parameters
        sw.setMethod(POST)  # long queries and many graph names do not fit in a URL
        sw.setTimeout(int(self.timeout))
        sw.addCustomHttpHeader("Accept", accept)
        for header, value in self._headers.items():
            sw.addCustomHttpHeader(header, value)
        if self.user and self.password:
            sw.setCredentials(self.user, self.password)
            if self._auth is not None and self._auth.scheme == "digest":
                sw.setHTTPAuth(DIGEST)
        if dataset:
            for g in self.graph_names():
                # SPARQL 1.1 Protocol §2.1.4: the request's dataset overrides the query's.
                sw.addDefaultGraph(str(g))
                sw.addNamedGraph(str(g))
        sw.setQuery(sparql)
        return sw

    def _send(self, sparql: str, accept: str, dataset: bool) -> tuple[bytes, str | None]:
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        sw = self._wrapper(sparql, accept, dataset)
        try:
            response = sw.query().response
            capped = response.headers.get("X-SPARQL-MaxRows")
            if capped:
                # Virtuoso cuts results at ResultSetMaxRows and says so only in this header.
                raise RemoteError(
                    f"{self.endpoint} cut the result at {capped} rows: raise ResultSetMaxRows "
                    "in the [SPARQL] section of its virtuoso.ini"
                )
            return response.read(), response.headers.get("Content-Type")
        except QueryBadFormed as exc:
            raise QuerySyntaxError(_first_line(str(exc))) from None
        except SPARQLWrapperException as exc:
            message = _server_message(str(exc))
            if "estimated execution time" in message:
                message += (
                    " (Virtuoso refuses by its cost estimate: set MaxQueryCostEstimationTime"
                    " = 0 in the [SPARQL] section of its virtuoso.ini)"
                )
            raise RemoteError(f"{self.endpoint}: {message}") from None
        except OSError as exc:  # urllib's URLError, timeouts, refused connections
            raise RemoteError(f"cannot query {self.endpoint}: {exc}") from None

    def _select(self, sparql: str, dataset: bool = True) -> QueryResult:
        body, _ = self._send(sparql, "application/sparql-results+json", dataset)
        try:
            doc = json.loads(body)
        except ValueError as exc:
            raise RemoteError(f"{self.endpoint}: not SPARQL JSON results: {exc}") from None
        return result_from_json(doc)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a query over the cakg graphs; parameters bound as in every other store."""
        if bindings and self.endpoints.server == "virtuoso":
            text = inline_values(sparql, bindings)
        else:
            text = with_values(sparql, bindings)
        if query_kind(text) != "CONSTRUCT":
            return self._select(text)
        body, ctype = self._send(text, "application/n-triples, text/turtle;q=0.9", True)
        g = Graph()
        bind_prefixes(g)
        g.parse(data=body, format=_rdf_format(ctype))
        return QueryResult("CONSTRUCT", graph=g)

    # -- updates -----------------------------------------------------------------------------------

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            r = self._client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise RemoteError(f"{method} {url}: {exc}") from None
        anonymous = self._auth is None and not self._headers
        if r.status_code == 401:
            who = "no credentials given (--user, --password or --token)" if anonymous else "refused"
            raise RemoteError(f"{method} {url}: HTTP 401 unauthorized: {who}")
        if r.status_code == 403 and anonymous:
            raise RemoteError(
                f"{method} {url}: HTTP 403 forbidden: the store refuses anonymous writes; "
                "give --user and --password, or --token for `cakg serve --write-token`"
            )
        if r.status_code >= 400:
            raise RemoteError(f"{method} {url}: HTTP {r.status_code}: {_first_line(r.text)}")
        return r

    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update (Protocol §2.2.2: POST, application/sparql-update body)."""
        url = self.endpoints.update
        if url is None:
            raise RemoteError(f"no update endpoint known for {self.endpoint} (--update-endpoint)")
        self._request("POST", url, data={"update": sparql})

    def uses_graph_store(self) -> bool:
        """Whether loads go through the Graph Store Protocol (else SPARQL Update)."""
        if self.method == "update":
            return False
        if self.method == "gsp" and self.endpoints.gsp is None:
            raise RemoteError(f"no Graph Store endpoint known for {self.endpoint} (--gsp-endpoint)")
        return self.endpoints.gsp is not None

    def clear_graph(self, name: URIRef) -> None:
        """Empty a graph (Update §3.2.2 DROP SILENT; or Graph Store §5.4 DELETE, 404 if absent)."""
        if self.endpoints.update is not None and self.method != "gsp":
            self.update(f"DROP SILENT GRAPH {name.n3()}")
            return
        url = self.endpoints.gsp
        if url is None:
            raise RemoteError(f"no way to clear graphs on {self.endpoint}")
        try:
            self._request("DELETE", url, params={self.endpoints.graph_param: str(name)})
        except RemoteError as exc:
            if "HTTP 404" not in str(exc):
                raise

    def add_triples(self, name: URIRef, triples: Sequence[tuple[Node, Node, Node]]) -> None:
        """Add one chunk of triples to a graph (merging with what it holds)."""
        if not triples:
            return
        data = ntriples(triples)
        if self.uses_graph_store():
            # Graph Store §5.5: POST merges into the graph. N-Triples is Turtle, and
            # every server reads text/turtle.
            self._request(
                "POST",
                self.endpoints.gsp or "",
                params={self.endpoints.graph_param: str(name)},
                content=data,
                headers={"Content-Type": "text/turtle; charset=utf-8"},
            )
            return
        body = data.decode("utf-8")
        if any(isinstance(x, BNode) for t in triples for x in (t[0], t[2])):
            # Update §3.1.3: blank nodes of an INSERT template are fresh per solution, and
            # `WHERE {}` has one; Virtuoso refuses blank nodes in INSERT DATA.
            self.update(f"INSERT {{ GRAPH {name.n3()} {{\n{body}}} }} WHERE {{}}")
        else:
            self.update(f"INSERT DATA {{ GRAPH {name.n3()} {{\n{body}}} }}")

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        """Store protocol: load a graph into the named graph ``name`` (merging)."""
        size = GSP_CHUNK if self.uses_graph_store() else UPDATE_CHUNK
        for chunk in chunk_triples(graph, size):
            self.add_triples(name, chunk)
        if self._graphs is not None and name not in self._graphs:
            self._graphs = sorted([*self._graphs, name])

    def graph(self, name: URIRef) -> Graph:
        """One graph's triples (Graph Store §5.2 GET, else a CONSTRUCT)."""
        g = Graph()
        bind_prefixes(g)
        if self.endpoints.gsp is not None:
            r = self._request(
                "GET",
                self.endpoints.gsp,
                params={self.endpoints.graph_param: str(name)},
                headers={"Accept": "application/n-triples, text/turtle;q=0.9"},
            )
            g.parse(data=r.content, format=_rdf_format(r.headers.get("content-type")))
            return g
        res = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {name.n3()} {{ ?s ?p ?o }} }}")
        return res.graph if res.graph is not None else g

    def serialize(self, fmt: str = "nquads") -> bytes:
        """The cakg graphs of the server as N-Quads or TriG."""
        ds = Dataset()
        bind_prefixes(ds)
        for name in self.graph_names():
            target = ds.graph(name)
            for t in self.graph(name):
                target.add(t)
        spec = find_rdf_format(fmt)
        out = ds.serialize(format=spec.rdflib if spec else fmt, encoding="utf-8")
        return out if isinstance(out, bytes) else b""


def _server_message(text: str) -> str:
    """SPARQLWrapper's message with the server's own explanation (the response body) in it."""
    head, _, body = text.partition("Response:")
    body = body.strip().removeprefix("b'").removeprefix('b"').replace("\\n", "\n")
    detail = next((line for line in body.splitlines() if "rror" in line), "")
    return _first_line(head) + (f": {' '.join(detail.split())[:300]}" if detail else "")


def _first_line(text: str) -> str:
    """The first line of a server's message, HTML tags removed (servers answer errors in HTML)."""
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title and title.group(1).strip():
        text = title.group(1)
    text = re.sub(r"<!DOCTYPE[^>]*>|<[^>]+>", " ", text)
    lines = [" ".join(line.split()) for line in text.strip().splitlines() if line.strip()]
    return lines[0][:300] if lines else "no message"
