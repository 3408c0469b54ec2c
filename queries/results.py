"""Query results for people and programs: terms as text, table columns, W3C result formats."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph.formats import RESULT_FORMATS, find_rdf_format, result_format
from cakg.graph.namespaces import PREFIXES, graph_base
from cakg.graph.store.engines import OxigraphStore, QueryResult, Store

__all__ = [
    "data_base",
    "format_term",
    "label_columns",
    "oxigraph_results",
    "serialize_result",
    "table_columns",
]


def format_term(term: Node | None, base: str | None = None) -> str:
    """A term as a person reads it: literal text, or an IRI shortened by a prefix or the base.

    >>> from rdflib import Literal
    >>> format_term(URIRef("http://schema.org/Claim")), format_term(Literal("5", datatype=None))
    ('schema:Claim', '5')
    >>> format_term(URIRef("https://kg.example/id/state/kazakhstan"), base="https://kg.example/id/")
    'state/kazakhstan'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        if base and text.startswith(base) and len(text) > len(base):
            return text[len(base) :]
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns) and re.fullmatch(r"[\w.-]*", text[len(ns) :]):
                return f"{prefix}:{text[len(ns) :]}"
        return text
    return str(term)


# Label columns that name an IRI column without the ``...Label`` suffix.
_NAME_OF = {"name": "expert", "name1": "expert1", "name2": "expert2", "question": "template"}


def label_columns(variables: Sequence[str]) -> dict[str, str]:
    """Which column labels which IRI column: ``{"relationLabel": "relation", "name": "expert"}``.

    >>> label_columns(["relation", "relationLabel", "expert", "name", "trend"])
    {'relationLabel': 'relation', 'name': 'expert'}
    """
    names = set(variables)
    out: dict[str, str] = {}
    for v in variables:
        iri = v[: -len("Label")] if v.endswith("Label") else _NAME_OF.get(v)
        if iri and iri in names:
            out[v] = iri
    return out


def table_columns(variables: Sequence[str]) -> list[str]:
    """The columns worth showing in a terminal: ``x`` is left out where ``xLabel`` says it.

    >>> table_columns(["relation", "relationLabel", "expert", "name", "start"])
    ['relationLabel', 'name', 'start']
    """
    hidden = set(label_columns(variables).values())
    return [v for v in variables if v not in hidden]


def data_base(store: Store) -> str | None:
    """The base IRI the data was minted under, read from its graph names (``<base>graph/…``)."""
    try:
        names = store.graph_names()
    except Exception:  # a remote store may not list graphs; the display just stays longer
        return None
    return next((b for name in names if (b := graph_base(str(name)))), None)


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    r"""A result in a W3C format: json, xml, csv, tsv for rows; ttl, jsonld, nt, xml for graphs.

    An InputError says when the format does not fit the result's form. The text ends with a
    newline, so a shell prompt or the next file starts on its own line (POSIX defines a text
    file's lines as ending in one); empty output stays empty.

    >>> from rdflib import Literal
    >>> r = QueryResult("SELECT", vars=["x"], rows=[{"x": Literal("a\tb", lang="en")}])
    >>> serialize_result(r, "tsv")
    b'?x\n"a\\tb"@en\n'
    """
    if result.kind == "CONSTRUCT":
        if fmt in RESULT_FORMATS and find_rdf_format(fmt) is None:
            raise InputError(
                f"{fmt} is a format for SELECT and ASK results; "
                "a graph takes ttl, jsonld, nt or xml"
            )
        return _ends_line(result.serialize(fmt))
    results = RESULT_FORMATS.get(fmt)
    if results is None:
        raise InputError(
            f"{fmt} is a format for CONSTRUCT and DESCRIBE results; rows take csv, tsv, json or xml"
        )
    if result.kind == "ASK" and not results.has_boolean:
        raise InputError("SPARQL has no CSV/TSV form for ASK; use json or xml")
    return _ends_line(result.serialize(fmt))


def oxigraph_results(
    store: OxigraphStore,
    sparql: str,
    fmt: str,
    *,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    base_iri: str | None = None,
) -> bytes:
    """A SELECT or ASK query's results in json, xml, csv or tsv, written by Oxigraph itself:
    what :func:`serialize_result` writes of the same rows (to a parser), without making an
    rdflib term per value, which costs several times the query's own evaluation.

    >>> s = OxigraphStore()
    >>> oxigraph_results(s, "SELECT ?x { BIND (1 AS ?x) }", "csv")
    b'x\\r\\n1\\r\\n'
    """
    media_type = result_format(fmt).media_type
    written = ox.QueryResultsFormat.from_media_type(media_type)
    res = store.evaluate(sparql, default_graphs, named_graphs, base_iri)
    if written is None or isinstance(res, ox.QueryTriples):
        raise InputError(f"{fmt} is a format for SELECT and ASK results, not for a graph")
    data: bytes = res.serialize(format=written)
    return _ends_line(data)


def _ends_line(data: bytes) -> bytes:
    return data if not data or data.endswith(b"\n") else data + b"\n"
