"""The engine-independent result of a query, and its serializations (SPARQL results, RDF)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, cast

from rdflib import Graph, URIRef
from rdflib import Literal as RLiteral
from rdflib.query import Result
from rdflib.term import Identifier, Node

from cakg.errors import InputError
from cakg.graph.formats import find_rdf_format
from cakg.graph.namespaces import XSD, bind_prefixes

__all__ = ["QueryKind", "QueryResult"]

QueryKind = Literal["SELECT", "ASK", "CONSTRUCT"]


@dataclass
class QueryResult:
    """The engine-independent result of a query: rows of rdflib terms, a boolean, or a graph."""

    kind: QueryKind
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def to_rdflib(self) -> Result:
        """The same result as an rdflib Result, to reuse rdflib's W3C result serializers."""
        if self.kind == "ASK":
            r = Result("ASK")
            r.askAnswer = bool(self.boolean)
            return r
        if self.kind == "CONSTRUCT":
            r = Result("CONSTRUCT")
            r.graph = self.graph if self.graph is not None else Graph()
            return r
        r = Result("SELECT")
        from rdflib.term import Variable

        r.vars = [Variable(v) for v in self.vars]
        r.bindings = [
            {Variable(k): cast(Identifier, v) for k, v in row.items()} for row in self.rows
        ]
        return r

    def serialize(self, fmt: str) -> bytes:
        """Serialize as SPARQL results (json, xml, csv, tsv) or, for graphs, an RDF format."""
        if self.kind == "CONSTRUCT":
            g = self.graph if self.graph is not None else Graph()
            bind_prefixes(g)
            spec = find_rdf_format(fmt)
            return g.serialize(format=spec.rdflib if spec else fmt, encoding="utf-8")
        if fmt == "tsv" and self.kind == "SELECT":
            # rdflib has no TSV writer; SPARQL 1.1 CSV/TSV §3: a header of ?vars, then
            # one row per solution with each term in Turtle syntax.
            lines = ["\t".join(f"?{v}" for v in self.vars)]
            lines += ["\t".join(_tsv_term(row.get(v)) for v in self.vars) for row in self.rows]
            return ("\n".join(lines) + "\n").encode("utf-8")
        out = self.to_rdflib().serialize(format=fmt, encoding="utf-8")
        return out if isinstance(out, bytes) else b""

    def to_dataframe(self) -> Any:
        """Rows as a pandas DataFrame of Python values (needs the optional ``pandas`` extra)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise InputError("pandas is not installed: pip install 'cakg[pandas]'") from exc
        data = [{v: _python_value(row.get(v)) for v in self.vars} for row in self.rows]
        return pd.DataFrame(data, columns=self.vars)


def _tsv_term(term: Node | None) -> str:
    """A term in the TSV results format: Turtle syntax on one line (SPARQL 1.1 CSV/TSV §3.1)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, RLiteral):
        text = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return f"_:{term}"


def _python_value(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, RLiteral):
        return term.toPython()
    return str(term)
