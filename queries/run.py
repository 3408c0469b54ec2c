"""Running queries: a named query, a file or a text, on a built graph, a store or an endpoint.

From a notebook (``rows`` is a :class:`~cakg.graph.store.engines.QueryResult`)::

    import cakg
    kg = cakg.open_graph("out/kg.trig")
    rows = kg.query("experts-expecting-trend", relation="Kazakhstan–Kyrgyzstan", trend="weakening")
    sorted({str(r["name"]) for r in rows.rows})   # ['Medet Tyulegenov']
    df = rows.to_dataframe()
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib.term import Node

from cakg.errors import InputError, QuerySyntaxError
from cakg.graph.store.engines import QueryResult, Store, open_store
from cakg.queries.library import (
    NamedQuery,
    choose_query,
    list_queries,
    load_query,
    query_from_text,
)
from cakg.queries.params import inline_params, resolve_param, resolve_params
from cakg.queries.prefixes import Predeclared, predeclare
from cakg.queries.results import data_base

__all__ = [
    "KnowledgeGraphQueries",
    "QueryAnswer",
    "open_graph",
    "paged",
    "query",
    "run_query",
    "violation_results",
]

Source = str | Path | Sequence[str | Path] | Store | None


def _located(exc: QuerySyntaxError, query: NamedQuery, run: Predeclared) -> QuerySyntaxError:
    """The error named by the query's origin, on its own lines, with its text for context;
    where Oxigraph can only point at the end of the text, rdflib's parser names the construct
    that failed."""
    line, column = exc.line, exc.column
    if line is None or line > len(run.text.splitlines()):
        from rdflib.plugins.sparql.parser import parseQuery

        try:
            parseQuery(run.text)
        except Exception as other:  # pyparsing's ParseException carries lineno and col
            line, column = getattr(other, "lineno", line), getattr(other, "col", column)
    found = QuerySyntaxError(exc.detail, line=line, column=column)
    return run.user_error(found, source=query.origin or None)


# What ends a query that already slices its rows or binds values at the end: a page is then
# not a matter of appending modifiers (SPARQL 1.1 Query §19.8: SolutionModifier, ValuesClause).
_OWN_SLICE_RE = re.compile(
    r"\b(?:LIMIT|OFFSET)\s+\d+\s*$|\bVALUES\b[^{}]*\{[^{}]*\}\s*$", re.IGNORECASE
)


def paged(sparql: str, limit: int | None = None, offset: int | None = None) -> str:
    r"""The query with a LIMIT and OFFSET: one page of its rows, in its own ORDER BY.

    >>> paged("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", limit=10, offset=20)
    'SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\nLIMIT 10\nOFFSET 20'
    >>> paged("SELECT ?s WHERE { ?s ?p ?o }")
    'SELECT ?s WHERE { ?s ?p ?o }'
    """
    if limit is None and offset is None:
        return sparql
    if (limit is not None and limit < 0) or (offset is not None and offset < 0):
        raise InputError("--limit and --offset take a number of rows, 0 or more")
    if _OWN_SLICE_RE.search(sparql.rstrip()):
        raise InputError(
            "the query ends with its own LIMIT, OFFSET or VALUES; page it in its text "
            "instead of with --limit/--offset"
        )
    tail = ([f"LIMIT {limit}"] if limit is not None else []) + (
        [f"OFFSET {offset}"] if offset is not None else []
    )
    return "\n".join([sparql.rstrip(), *tail])


def run_query(store: Store, name: str | NamedQuery, **params: object) -> QueryResult:
    """Run a named query with keyword parameters (labels, acronyms or IRIs); the well-known
    prefixes need no declaration (:mod:`cakg.queries.prefixes`)."""
    query = name if isinstance(name, NamedQuery) else load_query(name)
    text, bindings = inline_params(query, resolve_params(store, query, params))
    run = predeclare(text)
    try:
        return store.query(run.text, bindings)
    except QuerySyntaxError as exc:
        raise _located(exc, query, run) from None


def violation_results(store: Store) -> list[tuple[NamedQuery, QueryResult]]:
    """Every ``*-violation`` query of the library with its rows (none when consistent)."""
    return [(nq, run_query(store, nq)) for nq in list_queries() if nq.is_violation]


@dataclass
class QueryAnswer:
    """A query and its result, with the store it ran on (for showing IRIs briefly)."""

    query: NamedQuery
    result: QueryResult
    store: Store

    @cached_property
    def base(self) -> str | None:
        """The base IRI of the data, which a display may leave out of IRIs."""
        return data_base(self.store)

    @property
    def violations(self) -> int:
        """Rows of a ``*-violation`` query (each one a problem); 0 for other queries."""
        if self.query.is_violation and self.result.kind == "SELECT":
            return len(self.result.rows)
        return 0


def query(
    name: str | None = None,
    *,
    file: Path | None = None,
    sparql: str | None = None,
    params: Mapping[str, object] | None = None,
    data: Source = None,
    endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> QueryAnswer:
    """The library function behind ``cakg query``: one query (by name, file or text) on a graph.

    ``limit`` and ``offset`` page its rows in the store (:func:`paged`). A query that does not
    parse raises a QuerySyntaxError with its line, column and context.
    """
    nq = choose_query(name, file=file, sparql=sparql)
    if limit is not None or offset is not None:
        nq = replace(nq, sparql=paged(nq.sparql, limit, offset))
    store = open_graph(data, endpoint=endpoint, user=user, password=password).store
    return QueryAnswer(nq, run_query(store, nq, **(params or {})), store)


@dataclass
class KnowledgeGraphQueries:
    """A built graph (or any store) to run named queries on, from Python or a notebook."""

    store: Store
    _resolved: dict[tuple[str, str], Node] = field(default_factory=dict, repr=False)

    def query(self, name: str, **params: object) -> QueryResult:
        """Run the named query ``name`` with keyword parameters; ``.rows`` / ``.to_dataframe()``."""
        return run_query(self.store, name, **params)

    def dataframe(self, name: str, **params: object) -> Any:
        """The rows of a named query as a pandas DataFrame."""
        return self.query(name, **params).to_dataframe()

    def sparql(self, text: str, **bindings: object) -> QueryResult:
        """Run any SPARQL text; keyword values (terms, IRIs or labels) are bound as VALUES."""
        return run_query(self.store, query_from_text(text), **bindings)

    def resolve(self, name: str, value: str) -> Node:
        """The term a value stands for: ``resolve("relation", "Kazakhstan-Kyrgyzstan")``."""
        key = (name, value)
        if key not in self._resolved:
            self._resolved[key] = resolve_param(self.store, None, name, value)
        return self._resolved[key]

    @staticmethod
    def queries() -> list[NamedQuery]:
        """The named queries of the library."""
        return list_queries()

    def violations(self) -> dict[str, QueryResult]:
        """Every ``*-violation`` query that returns rows, by name (empty when consistent)."""
        return {nq.name: r for nq, r in violation_results(self.store) if r.rows}


def open_graph(
    source: Source = None,
    *,
    endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> KnowledgeGraphQueries:
    """Open a built graph (default ``out/kg.trig``), a store, or a remote SPARQL endpoint."""
    if endpoint:
        from cakg.graph.store.remote import RemoteStore

        return KnowledgeGraphQueries(RemoteStore(endpoint, user=user, password=password))
    if isinstance(source, Store):
        return KnowledgeGraphQueries(source)
    if source is None:
        source = Path("out") / "kg.trig"
    paths: Iterable[str | Path] = [source] if isinstance(source, str | Path) else source
    return KnowledgeGraphQueries(open_store(list(paths)))
