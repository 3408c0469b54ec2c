"""One small store interface (add a named graph, query, serialize) over interchangeable engines.

The embedded Oxigraph store is the default; rdflib's own engine is the reference
implementation (and the baseline in benchmarks); a remote SPARQL 1.1 endpoint
implements the same interface in :mod:`cakg.graph.store.remote`. Every named query runs
unchanged on all of them, because parameters are bound the same way everywhere:
as a trailing ``VALUES`` clause built from typed RDF terms (SPARQL 1.1 §18.2.4.3:
the clause is joined with the query's solutions after grouping, before projection —
so a named query binds each parameter to a projected variable).

>>> from rdflib import Graph, URIRef, Literal
>>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
>>> s = OxigraphStore(); s.add_graph(URIRef("urn:g"), g)
>>> [str(r["o"]) for r in s.query("SELECT ?o WHERE { ?s ?p ?o }", {"s": URIRef("urn:a")}).rows]
['x']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, cast, runtime_checkable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RLiteral
from rdflib.query import Result
from rdflib.term import Identifier, Node

from cakg.errors import InputError, QuerySyntaxError, syntax_error_position
from cakg.graph.formats import find_rdf_format, rdf_format, rdf_format_for_suffix
from cakg.graph.namespaces import XSD, bind_prefixes
from cakg.graph.store.dataset import built_graph_files

QueryKind = Literal["SELECT", "ASK", "CONSTRUCT"]

__all__ = [
    "OxigraphStore",
    "QueryResult",
    "QuerySyntaxError",
    "RdflibStore",
    "Store",
    "open_store",
    "query_kind",
    "to_rdflib",
    "with_values",
]


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


@runtime_checkable
class Store(Protocol):
    """What every engine offers: add a named graph, query (with bound parameters), serialize."""

    def add_graph(self, name: URIRef, graph: Graph) -> None: ...

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult: ...

    def serialize(self, fmt: str = "nquads") -> bytes: ...

    def graph_names(self) -> list[URIRef]: ...


_KIND_RE = re.compile(
    r"^\s*(?:(?:BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)


def _strip_comments(sparql: str) -> str:
    # Comments start with '#' outside IRIs and strings (SPARQL 1.1 §19.4); for
    # classifying the query form, removing whole comment lines is enough.
    return "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))


def query_kind(sparql: str) -> QueryKind:
    """The result form of a query: SELECT, ASK, or CONSTRUCT (DESCRIBE gives a graph too)."""
    m = _KIND_RE.match(_strip_comments(sparql))
    if not m:
        return "SELECT"
    word = m.group(1).upper()
    if word in ("CONSTRUCT", "DESCRIBE"):
        return "CONSTRUCT"
    return "ASK" if word == "ASK" else "SELECT"


def with_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Append a trailing VALUES clause binding parameters to typed RDF terms.

    The terms are serialized by rdflib (``Node.n3()``), which escapes literals and
    checks IRIs, so a parameter can never change the query's structure.

    >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": URIRef("urn:a")})
    'SELECT ?x WHERE { ?x ?p ?o }\\nVALUES (?x) { (<urn:a>) }'
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InputError(f"invalid parameter name: {name!r}")
    terms = []
    for name in names:
        term = bindings[name]
        if isinstance(term, URIRef) and re.search(r'[\s<>"{}|\\^`]', str(term)):
            raise InputError(f"invalid IRI for parameter {name}: {str(term)!r}")
        if not isinstance(term, URIRef | RLiteral):
            raise InputError(f"parameter {name} must be an IRI or a literal")
        terms.append(term.n3())
    head = " ".join(f"?{n}" for n in names)
    return f"{sparql.rstrip()}\nVALUES ({head}) {{ ({' '.join(terms)}) }}"


# --- term conversion between pyoxigraph and rdflib ------------------------------------------


def to_rdflib(term: Any) -> Node:
    """The rdflib term of a pyoxigraph term (xsd:string literals become plain, as rdflib parses)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RLiteral(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == str(XSD.string):
            return RLiteral(term.value)
        return RLiteral(term.value, datatype=URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


def _to_ox(term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


class OxigraphStore:
    """The embedded store (pyoxigraph), in memory or on disk; queries see the union of graphs."""

    def __init__(self, path: Path | str | None = None) -> None:
        self._store = ox.Store(str(path)) if path is not None else ox.Store()

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        data = graph.serialize(format="nt11", encoding="utf-8")
        self._store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))

    def load_dataset(self, data: bytes, fmt: str = "trig") -> None:
        """Load a serialized dataset (TriG or N-Quads), keeping its named graphs."""
        self._store.load(data, format=rdf_format(fmt).oxigraph)

    def load_graph_file(self, data: bytes, fmt: ox.RdfFormat, name: URIRef | None) -> None:
        target = ox.NamedNode(str(name)) if name is not None else ox.DefaultGraph()
        self._store.load(data, format=fmt, to_graph=target)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        return self.query_capped(sparql, None, bindings)[0]

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError.from_message(str(exc)) from None
        except RuntimeError as exc:
            # Oxigraph's evaluation errors, e.g. DROP of a graph that does not exist: an
            # error the update asked for (SPARQL 1.1 Update §3.2, unless SILENT), not a fault.
            raise InputError(f"the update failed: {exc}") from None

    def serialize(self, fmt: str = "nquads") -> bytes:
        out = self._store.dump(format=rdf_format(fmt).oxigraph)
        return out if isinstance(out, bytes) else b""

    def graph_names(self) -> list[URIRef]:
        return sorted(
            URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def graph(self, name: URIRef) -> Graph:
        """One named graph as an rdflib Graph."""
        g = Graph()
        bind_prefixes(g)
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return g

    def __len__(self) -> int:
        return len(self._store)

    @classmethod
    def open_read_only(cls, path: Path | str) -> OxigraphStore:
        """An on-disk store opened read-only, so that several processes can serve one folder."""
        store = cls.__new__(cls)
        store._store = ox.Store.read_only(str(path))
        return store

    def query_capped(
        self,
        sparql: str,
        max_rows: int | None,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> tuple[QueryResult, bool]:
        """Run a query keeping at most ``max_rows`` rows (or triples); also say if it was cut.

        ``default_graphs`` and ``named_graphs`` are the RDF dataset of the query (SPARQL 1.1
        Query §13.2, Protocol §2.1.4): when either is given, the default graph is the merge of
        the default graphs and ``GRAPH`` sees only the named graphs (none given, none seen).
        Without either, the default graph is the union of the named graphs
        (sd:UnionDefaultGraph) and every named graph is there. ``base_iri`` resolves relative
        IRIs.

        >>> from rdflib import Graph, URIRef, Literal
        >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
        >>> _ = g.add((URIRef("urn:b"), URIRef("urn:p"), Literal("y")))
        >>> s = OxigraphStore(); s.add_graph(URIRef("urn:g"), g)
        >>> result, cut = s.query_capped("SELECT ?o WHERE { ?s ?p ?o }", 1)
        >>> len(result.rows), cut
        (1, True)
        >>> len(s.query_capped("SELECT * { ?s ?p ?o }", None, named_graphs=["urn:g"])[0].rows)
        0
        """
        dataset: dict[str, Any] = {"base_iri": base_iri}
        if default_graphs is None and named_graphs is None:
            dataset["use_default_graph_as_union"] = True
        else:
            dataset["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
            dataset["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        try:
            res = self._store.query(with_values(sparql, bindings), **dataset)
        except SyntaxError as exc:
            raise QuerySyntaxError.from_message(str(exc)) from None
        if isinstance(res, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(res)), False
        # Results are read lazily, so a capped query stops evaluating at the cap.
        truncated = False
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows: list[dict[str, Node]] = []
            for sol in res:
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append({n: to_rdflib(sol[n]) for n in names if sol[n] is not None})
            return QueryResult("SELECT", vars=names, rows=rows), truncated
        g = Graph()
        bind_prefixes(g)
        for count, t in enumerate(res):
            if max_rows is not None and count >= max_rows:
                truncated = True
                break
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return QueryResult("CONSTRUCT", graph=g), truncated

    def triples(
        self,
        subject: Node | None,
        predicate: Node | None,
        obj: Node | None,
        limit: int | None = None,
    ) -> list[tuple[Node, Node, Node]]:
        """Distinct triples matching a pattern in any graph (a triple in two graphs comes once).

        >>> from rdflib import Graph, URIRef, Literal
        >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
        >>> s = OxigraphStore(); s.add_graph(URIRef("urn:g"), g); s.add_graph(URIRef("urn:h"), g)
        >>> s.triples(URIRef("urn:a"), None, None)
        [(rdflib.term.URIRef('urn:a'), rdflib.term.URIRef('urn:p'), rdflib.term.Literal('x'))]
        """
        s, p, o = (None if t is None else _to_ox(t) for t in (subject, predicate, obj))
        seen: dict[tuple[Node, Node, Node], None] = {}
        for q in self._store.quads_for_pattern(s, p, o, None):
            seen.setdefault((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
            if limit is not None and len(seen) >= limit:
                break
        return list(seen)

    def dump(self, fmt: str, prefixes: Mapping[str, str] | None = None) -> bytes:
        """The whole store in one RDF format, written by Oxigraph's own serializers.

        TriG and N-Quads keep the named graphs; the triple formats (ttl, nt, jsonld,
        rdfxml) get the union of the graphs, each triple once. ``prefixes`` are declared where the
        format has them (TriG, Turtle).
        """
        spec = rdf_format(fmt)
        names = dict(prefixes) if prefixes else None
        if spec.keeps_graphs:
            out = self._store.dump(format=spec.oxigraph, prefixes=names)
        else:
            quads = self._store.quads_for_pattern(None, None, None, None)
            triples = list(dict.fromkeys(q.triple for q in quads))
            out = ox.serialize(triples, format=spec.oxigraph, prefixes=names)
        return out if isinstance(out, bytes) else b""


class RdflibStore:
    """rdflib's own SPARQL engine over a Dataset: the reference implementation and the baseline."""

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)
        bind_prefixes(self.dataset)

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        target = self.dataset.graph(name)
        for t in graph:
            target.add(t)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        from pyparsing import ParseException

        text = with_values(sparql, bindings)
        try:
            res = self.dataset.query(text)
        except ParseException as exc:
            raise QuerySyntaxError(exc.msg, line=exc.lineno, column=exc.col) from None
        if res.type == "ASK":
            return QueryResult("ASK", boolean=bool(res.askAnswer))
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            g = Graph()
            bind_prefixes(g)
            for t in res:
                g.add(t)  # type: ignore[arg-type]
            return QueryResult("CONSTRUCT", graph=g)
        names = [str(v) for v in (res.vars or [])]
        rows: list[dict[str, Node]] = []
        for b in res.bindings:
            rows.append({str(k): v for k, v in b.items() if v is not None})
        return QueryResult("SELECT", vars=names, rows=rows)

    def serialize(self, fmt: str = "nquads") -> bytes:
        spec = find_rdf_format(fmt)
        out = self.dataset.serialize(format=spec.rdflib if spec else fmt, encoding="utf-8")
        return out if isinstance(out, bytes) else b""

    def graph_names(self) -> list[URIRef]:
        return sorted(
            g.identifier
            for g in self.dataset.graphs()
            if isinstance(g.identifier, URIRef) and g.identifier != URIRef("urn:x-rdflib:default")
        )


def _load_into(store: OxigraphStore, path: Path) -> None:
    fmt = rdf_format_for_suffix(path)
    if fmt is None:
        raise InputError(
            "unknown RDF file type (use .trig, .nq, .ttl, .nt, .rdf, .jsonld)", path=path
        )
    try:
        if fmt.keeps_graphs:
            store.load_dataset(path.read_bytes(), fmt.name)
        else:
            store.load_graph_file(path.read_bytes(), fmt.oxigraph, URIRef(path.resolve().as_uri()))
    except SyntaxError as exc:
        line, _ = syntax_error_position(str(exc))
        raise InputError(
            f"not valid RDF: {str(exc).splitlines()[0]}", path=path, line=line
        ) from None


def open_store(paths: Path | str | Sequence[Path | str]) -> OxigraphStore:
    """Open built graph files or folders (TriG/N-Quads keep named graphs) in an in-memory store."""
    store = OxigraphStore()
    for path in built_graph_files(paths):
        _load_into(store, path)
    return store
