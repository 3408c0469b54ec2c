"""What a SPARQL results document says, read back: to compare two writers' answers."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from rdflib import BNode
from rdflib.query import Result
from rdflib.term import Node

from cakg.graph.store.engines import QueryResult


def solutions(body: bytes, fmt: str) -> tuple[Any, ...]:
    """An answer as (variables, the multiset of its rows) or ("boolean", value), blank
    nodes' labels left out (each writer may name them its own way). CSV is lossy (SPARQL
    1.1 CSV/TSV §2), so its rows stay text."""
    if fmt == "csv":
        head, *rows = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        return tuple(head), Counter(tuple(row) for row in rows)
    result = Result.parse(io.BytesIO(body), format=fmt)
    if result.type == "ASK":
        return "boolean", result.askAnswer
    names = [str(v) for v in result.vars or ()]
    return tuple(names), Counter(_unlabelled(row) for row in result)  # type: ignore[arg-type]


def solutions_of(result: QueryResult) -> tuple[Any, ...]:
    """A query's result (as the store gives it) in the form :func:`solutions` reads."""
    if result.kind == "ASK":
        return "boolean", result.boolean
    rows = Counter(_unlabelled([row.get(v) for v in result.vars]) for row in result.rows)
    return tuple(result.vars), rows


def _unlabelled(row: list[Node | None]) -> tuple[Node | str | None, ...]:
    return tuple("_:" if isinstance(t, BNode) else t for t in row)
