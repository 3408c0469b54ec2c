"""SPARQL 1.1 Protocol pieces: content negotiation and the checks made before a query runs.

Queries are vetted with rdflib's parser, never with a substring test: a ``SERVICE`` inside a
string literal or a comment is just text, a ``SERVICE`` clause anywhere in the algebra (a
subquery, ``EXISTS``, ``OPTIONAL``) is refused, because the server makes no outbound requests.

>>> negotiate("text/csv;q=0.9, application/sparql-results+json", RESULT_TYPES)
'json'
>>> negotiate("*/*", GRAPH_TYPES)
'ttl'
>>> vet_query("SELECT * WHERE { ?s ?p 'SERVICE <http://x> {}' }").form
'SELECT'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cakg.errors import ForbiddenQuery, InputError, QuerySyntaxError, ServerError, WorkerError
from cakg.graph.formats import RDF_FORMATS, RESULT_FORMATS
from cakg.queries.prefixes import Predeclared, predeclare, unknown_prefix

__all__ = [
    "FORMAT_ALIASES",
    "GRAPH_TYPES",
    "MEDIA_TYPES",
    "RESULT_TYPES",
    "Dataset",
    "Shape",
    "VettedQuery",
    "check_graph_iris",
    "negotiate",
    "on_user_lines",
    "parse_accept",
    "vet_query",
    "vet_update",
]

# Result formats of SELECT/ASK (SPARQL 1.1 Query Results JSON, XML, CSV/TSV), of graphs and
# datasets, and the pages, by cakg's format names.
MEDIA_TYPES: dict[str, str] = {
    **{name: f.media_type for name, f in RESULT_FORMATS.items()},
    **{name: f.media_type for name, f in RDF_FORMATS.items()},
    "html": "text/html",
}

# Media types a client may send, mapped to our formats, in our order of preference.
RESULT_TYPES: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
)
ASK_TYPES: tuple[tuple[str, str], ...] = tuple(
    (m, f) for m, f in RESULT_TYPES if f in ("json", "xml")
)
GRAPH_TYPES: tuple[tuple[str, str], ...] = (
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdfxml"),
    ("application/x-turtle", "ttl"),
    ("application/json", "jsonld"),
    ("text/plain", "nt"),
    ("application/xml", "rdfxml"),
    ("text/xml", "rdfxml"),
)

# ?format= / ?output= overrides, as many endpoints accept them (handy in links and curl).
FORMAT_ALIASES: dict[str, str] = {
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "ttl": "ttl",
    "turtle": "ttl",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "rdf": "rdfxml",
    "rdfxml": "rdfxml",
    "rdf+xml": "rdfxml",
    "html": "html",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q-values (RFC 9110 §12.5.1), best first.

    >>> parse_accept("text/html;q=0.8, text/turtle")
    [('text/turtle', 1.0), ('text/html', 0.8)]
    """
    if not header:
        return [("*/*", 1.0)]
    out: list[tuple[str, float, int]] = []
    for i, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        out.append((media, q, i))
    out.sort(key=lambda t: (-t[1], t[2]))
    return [(m, q) for m, q, _ in out]


def _matches(media_range: str, media: str) -> int:
    """How specifically a media range matches a type: 3 exact, 2 type/*, 1 */*, 0 no."""
    if media_range == media:
        return 3
    if media_range == "*/*":
        return 1
    if media_range.endswith("/*") and media.split("/")[0] == media_range[:-2]:
        return 2
    return 0


def negotiate(
    accept: str | None, offered: Sequence[tuple[str, str]], extra: Sequence[tuple[str, str]] = ()
) -> str | None:
    """The format to answer with: the offered type the client ranks highest, ties broken by our
    order (``extra`` types, such as HTML for browsers, come last, so ``*/*`` gets RDF); None
    when the client accepts nothing we offer (the caller picks the default).

    >>> negotiate("text/html,*/*;q=0.8", GRAPH_TYPES, extra=[("text/html", "html")])
    'html'
    >>> negotiate("*/*", GRAPH_TYPES, extra=[("text/html", "html")])
    'ttl'
    """
    candidates = list(offered) + list(extra)
    best: tuple[float, int, int] | None = None
    choice: str | None = None
    for index, (media, fmt) in enumerate(candidates):
        q, spec = 0.0, 0
        for media_range, rq in parse_accept(accept):
            s = _matches(media_range, media)
            if s > spec:
                q, spec = rq, s
        if spec == 0 or q <= 0:
            continue
        key = (q, spec, -index)
        if best is None or key > best:
            best, choice = key, fmt
    return choice


# --- vetting queries with rdflib's parser -------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """An RDF dataset by graph names (SPARQL 1.1 Query §13.2): the graphs whose RDF merge is
    the default graph, and the named graphs ``GRAPH`` sees; both empty is an empty dataset."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shape:
    """A query's form, its own LIMIT and whether a VALUES clause ends it."""

    form: str
    limit: int | None = None
    values_after: bool = False

    @property
    def takes_limit(self) -> bool:
        """Whether ``LIMIT n`` appended to its text is still one query (SPARQL 1.1 Query
        §19.8: a LIMIT may follow the solution modifiers, not a second LIMIT or VALUES).

        >>> Shape("SELECT").takes_limit, Shape("SELECT", 5).takes_limit
        (True, False)
        """
        return self.limit is None and not self.values_after


@dataclass(frozen=True)
class VettedQuery:
    """A query that parsed and needs nothing outside the server; ``text`` is what to run."""

    run: Predeclared  # the query as written, and with the well-known prefixes it uses declared
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    dataset: Dataset | None = None  # its FROM / FROM NAMED clauses, None when it has none
    limit: int | None = None  # its own LIMIT (of the query, not of a subquery), if any
    values_after: bool = False  # whether a VALUES clause follows its solution modifiers

    @property
    def shape(self) -> Shape:
        """What a worker needs to know of it to cut its answer at the row cap."""
        return Shape(self.form, self.limit, self.values_after)

    @property
    def text(self) -> str:
        """The text that runs, exactly the one vetted."""
        return self.run.text


def on_user_lines(exc: ServerError, run: Predeclared) -> ServerError:
    """A worker's error about the text that ran, told on the lines the user wrote.

    The engine that runs a query may refuse what the vetting parser accepted (Oxigraph refuses
    ``BIND`` to a variable already in scope, SPARQL 1.1 Query §18.2.1; rdflib does not), and
    it counts lines in the text with the predeclared prefix lines before the user's own.

    >>> run = predeclare("SELECT * {\\n  ?c a schema:Claim }")
    >>> on_user_lines(WorkerError("syntax", "", line=3, column=9, detail="oops"), run).message
    'SPARQL syntax error at line 2, column 9: oops'
    """
    if not isinstance(exc, WorkerError) or exc.kind != "syntax" or exc.detail is None:
        return exc
    told = run.user_error(QuerySyntaxError(exc.detail, line=exc.line, column=exc.column))
    return WorkerError(
        "syntax", told.one_line(), line=told.line, column=told.column, detail=told.detail
    )


def _walk(node: Any) -> Iterator[Any]:
    """Every node of an rdflib parse tree or algebra (CompValue, ParseResults, lists, dicts)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, str):
            continue
        if hasattr(item, "asList"):
            # pyparsing's ParseResults: positional tokens, and named results too (it registers
            # as a MutableMapping, whose values() alone would skip the positional tokens).
            stack.extend(list(item))
            stack.extend(item.values())
        elif isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def _name(node: Any) -> str | None:
    name = getattr(node, "name", None)
    return name if isinstance(name, str) else None


def _parse_error(exc: Exception, text: str) -> QuerySyntaxError:
    """rdflib's parse error (pyparsing's, with line and column where it knows them)."""
    message = getattr(exc, "msg", None) or str(exc).splitlines()[0]
    line, column = getattr(exc, "lineno", None), getattr(exc, "col", None)
    return QuerySyntaxError(message, line=line, column=column, query=text)


_FORM_NAMES = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


_ESCAPE_RE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


def expand_escapes(text: str) -> str:
    r"""The query as its parser sees it: ``\uXXXX`` and ``\UXXXXXXXX`` escapes replaced.

    SPARQL 1.1 §19.2 processes these escapes *before* parsing, anywhere in the text; rdflib
    does so, while Oxigraph expands them only inside strings and IRIs. A query vetted with
    one parser and run by the other could therefore be two different queries (an escaped
    quote that ends a string for rdflib is a character inside it for Oxigraph, so a SERVICE
    one sees as string content the other runs). The server vets and runs the expanded text,
    which holds no escape left to read two ways; an escape whose expansion spells another
    escape is refused, since the two engines would read that differently again.

    >>> expand_escapes(r'SELECT ("\u0041" AS ?a) {}')
    'SELECT ("A" AS ?a) {}'
    >>> expand_escapes(r'SELECT ("\u005Cu0022" AS ?a) {}')
    Traceback (most recent call last):
    ...
    cakg.errors.ForbiddenQuery: an escape (\uXXXX) whose expansion is another escape is refused
    """
    expanded = _ESCAPE_RE.sub(lambda m: chr(int(m.group()[2:], 16)), text)
    if _ESCAPE_RE.search(expanded):
        raise ForbiddenQuery(r"an escape (\uXXXX) whose expansion is another escape is refused")
    return expanded


def vet_query(text: str, base: str | None = None) -> VettedQuery:
    """Parse a query, the well-known prefixes predeclared; refuse SERVICE (SPARQL 1.1
    Federated Query) anywhere in it; read its FROM / FROM NAMED, relative IRIs resolved
    against ``base``. Errors name the lines of ``text``.

    >>> vet_query("SELECT * FROM <g1> FROM NAMED <g2> {}", "http://x/sparql").dataset
    Dataset(default=('http://x/g1',), named=('http://x/g2',))
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    # The text that runs is the text vetted: escapes expanded, prefix lines and all.
    text = expand_escapes(text)
    run = predeclare(text)
    try:
        tree = parseQuery(run.text)
    except Exception as exc:  # pyparsing's ParseException and friends
        raise run.user_error(_parse_error(exc, run.text)) from None
    form = "SELECT"
    for node in _walk(tree):
        name = _name(node)
        if name == "ServiceGraphPattern":
            raise ForbiddenQuery(
                "SERVICE is not allowed: this endpoint makes no outbound requests "
                "(federated queries are refused)"
            )
        if name in _FORM_NAMES:
            form = _FORM_NAMES[name]
    try:
        algebra = translateQuery(tree, base=base).algebra
    except Exception as exc:  # e.g. a variable projected outside GROUP BY
        raise unknown_prefix(text) or InputError(f"invalid SPARQL query: {exc}") from None
    clauses = algebra.get("datasetClause") or []
    dataset = None
    if clauses:
        dataset = Dataset(
            tuple(str(c["default"]) for c in clauses if "default" in c),
            tuple(str(c["named"]) for c in clauses if "named" in c),
        )
    query = tree[1]
    # dict's own get: rdflib's CompValue.get(key) answers a missing key with its name.
    slice_ = dict.get(query, "limitoffset")
    limit = int(slice_["limit"]) if slice_ is not None and "limit" in slice_ else None
    return VettedQuery(run, form, dataset, limit, "valuesClause" in query)


def vet_update(text: str, base: str | None = None, using: Dataset | None = None) -> Predeclared:
    """Parse an update, the well-known prefixes predeclared as for a query; refuse LOAD (it
    fetches a URL) and SERVICE; the text to run (``.text``): relative IRIs resolved against
    ``base``, and the protocol's using-graph-uri / using-named-graph-uri (``using``) applied
    to each DELETE/INSERT ... WHERE. Errors name the lines of ``text``.

    >>> u = "INSERT { <s> <p> ?o } WHERE { ?x <p> ?o }"
    >>> print(vet_update(u, "http://x/", Dataset(("http://g",))).text)
    BASE <http://x/>
    INSERT { <s> <p> ?o } USING <http://g> WHERE { ?x <p> ?o }
    >>> print(vet_update("INSERT DATA { <s> a schema:Claim }").text)
    PREFIX schema: <http://schema.org/>
    INSERT DATA { <s> a schema:Claim }
    """
    from rdflib.plugins.sparql.parser import parseUpdate

    user = expand_escapes(text)
    run = predeclare(user)
    text = run.text
    try:
        tree = parseUpdate(text)
    except Exception as exc:
        raise run.user_error(_parse_error(exc, text)) from None
    modify = 0
    for node in _walk(tree):
        name = _name(node)
        if name == "ServiceGraphPattern":
            raise ForbiddenQuery("SERVICE is not allowed: this endpoint makes no outbound requests")
        if name == "Load":
            raise ForbiddenQuery("LOAD is not allowed: this endpoint makes no outbound requests")
        if name == "Modify":
            modify += 1
            # (CompValue.get answers a missing key with the key itself, so ask with ``in``.)
            if using is not None and ("withClause" in node or "using" in node):
                # SPARQL 1.1 Protocol §2.2.3: such a request is refused.
                raise InputError(
                    "give the dataset either as using-graph-uri / using-named-graph-uri "
                    "or as USING / USING NAMED / WITH in the update, not both"
                )
    if using is not None:
        clauses = "".join(f"USING <{g}> " for g in using.default)
        clauses += "".join(f"USING NAMED <{g}> " for g in using.named)
        cuts = _modify_where_offsets(text)
        if len(cuts) != modify:  # pragma: no cover - the lexer and rdflib disagree
            raise InputError("could not apply using-graph-uri to this update")
        for cut in reversed(cuts):
            text = text[:cut] + clauses + text[cut:]
    if base:
        # A line of its own, counted with the prefix lines: errors name the user's lines.
        return Predeclared(user, f"BASE <{base}>\n{text}", run.added + 1)
    return Predeclared(user, text, run.added)


# Tokens of SPARQL that can hold a brace, a semicolon or a keyword as mere text: strings,
# IRIs, comments, variables, prefixed names and language tags (SPARQL 1.1 Query §19.8).
_UPDATE_TOKEN_RE = re.compile(
    "|".join(
        (
            r"(?P<skip>'''(?:[^'\\]|\\.|'(?!''))*'''",
            r'"""(?:[^"\\]|\\.|"(?!""))*"""',
            r"'(?:[^'\\\n]|\\.)*'",
            r'"(?:[^"\\\n]|\\.)*"',
            r'<[^<>"{}|^`\\\s]*>',
            r"#[^\n]*",
            r"[?$]\w+",
            r"@[A-Za-z][\w-]*",
            r"[\w.-]*:[\w.:%-]*)",
            r"(?P<word>[A-Za-z]\w*)",
            r"(?P<mark>[{};])",
        )
    )
)


def _modify_where_offsets(text: str) -> list[int]:
    """Where the WHERE of each DELETE/INSERT ... WHERE operation (SPARQL 1.1 Update §3.1.3)
    begins in an update, the place its USING clauses go."""
    offsets: list[int] = []
    depth, first, previous = 0, "", ""
    for m in _UPDATE_TOKEN_RE.finditer(text):
        token = m.group()
        if m.lastgroup == "mark":
            depth += {"{": 1, "}": -1}.get(token, 0)
            if token == ";" and depth == 0:
                first = ""
            previous = token
            continue
        word = token.upper() if m.lastgroup == "word" else ""
        if depth == 0 and word and word not in ("BASE", "PREFIX") and not first:
            first = word
        modify = first in ("WITH", "DELETE", "INSERT")
        # DELETE WHERE (§3.1.3.3) is the short form, which takes no USING.
        if depth == 0 and word == "WHERE" and modify and previous.upper() != "DELETE":
            offsets.append(m.start())
        previous = token
    return offsets


_IRI_RE = re.compile(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", re.IGNORECASE)


def check_graph_iris(iris: Sequence[str]) -> list[str]:
    """default-graph-uri / named-graph-uri values (SPARQL 1.1 Protocol §2.1.4), checked."""
    for iri in iris:
        if not _IRI_RE.match(iri):
            raise InputError(f"not an IRI: {iri!r}")
    return list(iris)
