"""A /sparql answer, in the worker: written by Oxigraph itself where it can, by rdflib else.

Turning each of Oxigraph's terms into an rdflib term and writing the result with rdflib cost
several times the query's own evaluation (a 5,626-row answer: about 0.2 s of CPU on top of
0.06 s), so an ASK or SELECT answer in a SPARQL results format (JSON, XML, CSV, TSV) is
written by Oxigraph, with no per-row Python object. Graphs (CONSTRUCT, DESCRIBE) are still
written by rdflib, which holds them as a set and cuts them at the cap by triples.

The cap (``--max-rows``) is a LIMIT the engine sees: the query runs with ``LIMIT max + 1``
appended, so no more than one row past the cap is ever evaluated or written; when the
answer has that extra row (counted by reading the answer back), the query runs again with
``LIMIT max`` and the answer says it was cut. A query whose own LIMIT is within the cap is
written as it is. A query whose text cannot take a LIMIT (its own is over the cap, or a
VALUES clause ends it) takes the rdflib path, which counts rows as it reads them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import pyoxigraph as ox

from cakg.errors import QuerySyntaxError
from cakg.graph.formats import RESULT_FORMATS, result_format
from cakg.graph.store.engines import OxigraphStore
from cakg.queries.results import oxigraph_results, serialize_result
from cakg.server.protocol import Shape

__all__ = ["answer", "count_rows", "rdflib_answer", "rows"]


def count_rows(body: bytes, fmt: str) -> int:
    """The rows of a SELECT answer in json, xml, csv or tsv.

    >>> count_rows(b'?x\\n"a"\\n"b"\\n', "tsv"), count_rows(b'x\\r\\n"a\\r\\nb"\\r\\n', "csv")
    (2, 1)
    """
    if fmt == "csv":
        # Oxigraph cannot read CSV back (it is lossy); a quoted value may hold a line break.
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1
    media = ox.QueryResultsFormat.from_media_type(result_format(fmt).media_type)
    parsed = ox.parse_query_results(body, format=media)
    return sum(1 for _ in parsed) if isinstance(parsed, ox.QuerySolutions) else 0


def rows(
    store: OxigraphStore,
    text: str,
    max_rows: int,
    dataset: tuple[Sequence[str], Sequence[str]] | None,
    base_iri: str | None,
) -> dict[str, Any]:
    """A query's result (rows, boolean or graph), and whether it was cut.

    ``dataset`` is (default graphs, named graphs), None for the union default graph.
    """
    default, named = dataset if dataset is not None else (None, None)
    result, truncated = store.query_capped(
        text, max_rows, default_graphs=default, named_graphs=named, base_iri=base_iri
    )
    return {"result": result, "truncated": truncated}


def rdflib_answer(
    store: OxigraphStore,
    text: str,
    fmt: str,
    max_rows: int,
    dataset: tuple[Sequence[str], Sequence[str]] | None,
    base_iri: str | None,
) -> dict[str, Any]:
    """A query's answer written by rdflib (any form, any format): its kind, its body, and
    whether it was cut at ``max_rows`` rows (or triples), counted as they are read."""
    found = rows(store, text, max_rows, dataset, base_iri)
    result = found["result"]
    return {
        "kind": result.kind,
        "body": serialize_result(result, fmt),
        "truncated": found["truncated"],
    }


def answer(
    store: OxigraphStore,
    text: str,
    fmt: str,
    max_rows: int,
    shape: Shape,
    dataset: tuple[Sequence[str], Sequence[str]] | None,
    base_iri: str | None,
) -> dict[str, Any]:
    """A /sparql answer as :func:`rdflib_answer` gives it: written by Oxigraph when it is
    an ASK or a SELECT in a results format the cap can be a LIMIT of, else by rdflib."""
    own = shape.limit
    fits = shape.takes_limit or (not shape.values_after and own is not None and own <= max_rows)
    if fmt not in RESULT_FORMATS or not (shape.form == "ASK" or (shape.form == "SELECT" and fits)):
        return rdflib_answer(store, text, fmt, max_rows, dataset, base_iri)
    default, named = dataset if dataset is not None else (None, None)

    def write(sparql: str) -> bytes:
        return oxigraph_results(
            store, sparql, fmt, default_graphs=default, named_graphs=named, base_iri=base_iri
        )

    if shape.form == "SELECT" and shape.takes_limit:
        body, truncated = _capped(write, text, fmt, max_rows)
    else:
        body, truncated = write(text), False
    return {"kind": shape.form, "body": body, "truncated": truncated}


def _capped(
    write: Callable[[str], bytes], text: str, fmt: str, max_rows: int
) -> tuple[bytes, bool]:
    """The answer of a text that takes a LIMIT, cut at ``max_rows`` rows; whether it was."""
    try:
        body = write(f"{text}\nLIMIT {max_rows + 1}")
    except QuerySyntaxError:
        # The text's own error (one Oxigraph finds, rdflib did not): told where the text
        # has it, since with the LIMIT after it Oxigraph's parser tells a later place.
        write(text)
        raise
    # Every row takes at least one byte (a line, ``{}``, ``<result/>``): a shorter answer
    # cannot hold the extra row, and needs no counting.
    if len(body) <= max_rows or count_rows(body, fmt) <= max_rows:
        return body, False
    return write(f"{text}\nLIMIT {max_rows}"), True
