"""Named SPARQL queries (package data) and the functions that run them.

The library of ``<name>.rq`` files and their headers is :mod:`cakg.queries.library`;
turning what a person types into RDF terms is :mod:`cakg.queries.params`; showing and
serializing results is :mod:`cakg.queries.results`; running queries on a built graph, a
store or an endpoint is :mod:`cakg.queries.run`, with the well-known prefixes predeclared
(:mod:`cakg.queries.prefixes`). The names below are the public surface.

From a notebook::

    import cakg
    kg = cakg.open_graph("out/kg.trig")   # or open_graph(endpoint="http://127.0.0.1:8000/sparql")
    kg.query("experts-expecting-trend", relation="Kazakhstan–Kyrgyzstan", trend="weakening")

>>> "experts-expecting-trend" in [nq.name for nq in list_queries()]
True
"""

from __future__ import annotations

from cakg.queries.library import (
    PARAM_KINDS,
    NamedQuery,
    Param,
    choose_query,
    list_queries,
    load_query,
    parse_header,
    query_from_file,
    query_from_text,
)
from cakg.queries.params import parse_param_items, resolve_param, resolve_params
from cakg.queries.results import (
    data_base,
    format_term,
    label_columns,
    serialize_result,
    table_columns,
)
from cakg.queries.run import (
    KnowledgeGraphQueries,
    QueryAnswer,
    open_graph,
    paged,
    query,
    run_query,
    violation_results,
)

__all__ = [
    "PARAM_KINDS",
    "KnowledgeGraphQueries",
    "NamedQuery",
    "Param",
    "QueryAnswer",
    "choose_query",
    "data_base",
    "format_term",
    "label_columns",
    "list_queries",
    "load_query",
    "open_graph",
    "paged",
    "parse_header",
    "parse_param_items",
    "query",
    "query_from_file",
    "query_from_text",
    "resolve_param",
    "resolve_params",
    "run_query",
    "serialize_result",
    "table_columns",
    "violation_results",
]
