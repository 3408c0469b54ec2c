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
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib import Literal as RLiteral
from rdflib.term import Node

from cakg.errors import InputError, QuerySyntaxError, syntax_error_position
from cakg.graph.formats import find_rdf_format, rdf_format, rdf_format_for_suffix
from cakg.graph.namespaces import XSD, bind_prefixes
from cakg.graph.store.dataset import built_graph_files
from cakg.graph.store.datatypes import integer_datatypes
from cakg.graph.store.results import QueryResult
from cakg.graph.store.sparql_text import query_kind, with_values

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


@runtime_checkable
class Store(Protocol):
    """What every engine offers: add a named graph, query (with bound parameters), serialize."""

    def add_graph(self, name: URIRef, graph: Graph) -> None: ...

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult: ...

    def serialize(self, fmt: str = "nquads") -> bytes: ...

    def graph_names(self) -> list[URIRef]: ...


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


# The graph a query sees by default is the RDF merge of the named graphs, each triple once
# (RDF 1.1 Semantics §4.1; the reference rdflib union is a set). Oxigraph's own union default
# graph repeats a triple once per graph holding it, so a description shared by many articles
# (an expert, a state) multiplies every join through it: at 64 articles `organizations-ranked`
# gave 56 rows instead of 11 and `experts` ran over 9 minutes instead of 0.39 s. So the store
# keeps the merge itself, in Oxigraph's real default graph: adding a graph inserts its triples
# there too (a set: a triple already there is not added twice), removing one deletes from it
# only the triples no other named graph holds, a cost proportional to the graph. It doubles
# the quads stored (26k → 52k for the 5 test articles; filling it takes 0.14 s where loading
# them takes 0.15 s), which buys queries on the merged graph at the speed of one graph.
_DEFAULT = ox.DefaultGraph()

_DISTINCT_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT * WHERE { ?s ?p ?o } }"

_DATASET_COUNT = """SELECT (SUM(?k) AS ?n) WHERE {
  { SELECT (COUNT(*) AS ?k) WHERE { GRAPH ?g { ?s ?p ?o } } }
  UNION
  { SELECT (COUNT(*) AS ?k) WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } }
}"""

_FILL_DEFAULT = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def _iri(name: URIRef | str) -> str:
    if re.search(r'[\s<>"{}|\\^`]', str(name)):
        raise InputError(f"invalid graph IRI: {str(name)!r}")
    return f"<{name}>"


def _forget_graph(name: URIRef | str) -> str:
    """SPARQL Update that drops a named graph and its merged triples no other graph holds."""
    g = _iri(name)
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER (?other != {g}) }} }} ;\n"
        f"DROP SILENT GRAPH {g}"
    )


def _ntriples(graph: Graph) -> str:
    out = graph.serialize(format="nt11", encoding="utf-8")
    return out.decode("utf-8") if isinstance(out, bytes) else str(out)


class OxigraphStore:
    """The embedded store (pyoxigraph), in memory or on disk.

    Its default graph is the merge of its named graphs (see above), so queries without a
    dataset see each triple once; ``FROM`` and ``GRAPH`` see the graphs themselves.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self._store = ox.Store(str(path)) if path is not None else ox.Store()
        self._union = False
        if path is not None and self._without_merge():
            self.merge_graphs()  # a store another program wrote: the merge is made once

    def _without_merge(self) -> bool:
        """Named graphs, and an empty default graph: a store that no OxigraphStore wrote."""
        no_default = next(self._store.quads_for_pattern(None, None, None, _DEFAULT), None) is None
        return no_default and next(iter(self._store.named_graphs()), None) is not None

    def add_graph(self, name: URIRef, graph: Graph) -> None:
        """Add the triples of ``graph`` to the named graph ``name`` (and to the merge)."""
        self.put_graphs({name: graph}, replace=False)

    def put_graphs(self, graphs: Mapping[URIRef, Graph], *, replace: bool = True) -> None:
        """Set (or, with ``replace=False``, add to) named graphs, all in one transaction.

        The default graph stays the merge: a replaced graph's triples leave it unless
        another named graph holds them; the new ones join it. Either all of it is
        written or nothing (Oxigraph applies one update in one transaction), so a process
        killed here leaves the store as it was or as it will be.

        >>> from rdflib import Graph, URIRef, Literal
        >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
        >>> s = OxigraphStore(); s.put_graphs({URIRef("urn:g"): g, URIRef("urn:h"): g})
        >>> len(s.query("SELECT * { ?s ?p ?o }").rows)
        1
        >>> s.put_graphs({URIRef("urn:g"): Graph()}); len(s.query("SELECT * { ?s ?p ?o }").rows)
        1
        >>> s.remove_graphs([URIRef("urn:h")]), len(s.query("SELECT * { ?s ?p ?o }").rows)
        ([rdflib.term.URIRef('urn:h')], 0)
        """
        steps = [_forget_graph(name) for name in graphs] if replace else []
        for name, graph in graphs.items():
            triples = _ntriples(graph)
            if triples.strip():
                # Both copies in one INSERT DATA, so that a blank node is one node in both.
                steps.append(f"INSERT DATA {{ GRAPH {_iri(name)} {{\n{triples}}}\n{triples}}}")
        if steps:
            self._store.update(" ;\n".join(steps))

    def remove_graphs(self, names: Sequence[URIRef]) -> list[URIRef]:
        """Remove named graphs in one transaction (their triples leave the merge unless
        another graph holds them); the ones that were there."""
        there = [n for n in names if self.has_graph(n)]
        if there:
            self._store.update(" ;\n".join(_forget_graph(n) for n in there))
        return there

    def flush(self) -> None:
        """Write what the store holds in memory to its files (a no-op in memory).

        RocksDB keeps recent writes in its write-ahead log until a flush; the next process
        to open the store replays that log first, a cost proportional to everything written
        since (10 s for a fresh 100-article store, where opening a flushed one takes 0.1 s).
        """
        self._store.flush()

    def has_graph(self, name: URIRef) -> bool:
        """Whether the store has the named graph ``name``."""
        return bool(self._store.contains_named_graph(ox.NamedNode(str(name))))

    def merge_graphs(self) -> None:
        """Put every named graph's triples into the default graph (after loading files)."""
        self._store.update(_FILL_DEFAULT)

    def load_dataset(self, data: bytes, fmt: str = "trig") -> None:
        """Load a serialized dataset (TriG or N-Quads), keeping its named graphs."""
        self._store.load(data, format=rdf_format(fmt).oxigraph)
        self.merge_graphs()

    def load_graph_file(self, data: bytes, fmt: ox.RdfFormat, name: URIRef | None) -> None:
        target = ox.NamedNode(str(name)) if name is not None else _DEFAULT
        self._store.load(data, format=fmt, to_graph=target)
        self.merge_graphs()

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        return self.query_capped(sparql, None, bindings)[0]

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update, then make the default graph the merge of the graphs again.

        An update may write any graph; afterwards the default graph holds every named graph's
        triples, no triple a named graph lost (unless written to the default graph itself),
        and whatever the default graph held on its own. Reading the graphs before and after
        costs time proportional to the store: updates come from `cakg serve --write-token`,
        which serves data files loaded in memory, never a corpus store.

        >>> s = OxigraphStore()
        >>> s.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> 1 } <urn:b> <urn:p> 2 }")
        >>> s.update("DELETE DATA { GRAPH <urn:g> { <urn:a> <urn:p> 1 } }")
        >>> [str(r["s"]) for r in s.query("SELECT ?s { ?s ?p ?o }").rows]
        ['urn:b']
        """
        before = self._named_triples()
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError.from_message(str(exc)) from None
        except RuntimeError as exc:
            # Oxigraph's evaluation errors, e.g. DROP of a graph that does not exist: an
            # error the update asked for (SPARQL 1.1 Update §3.2, unless SILENT), not a fault.
            raise InputError(f"the update failed: {exc}") from None
        after = self._named_triples()
        merged = {q.triple for q in self._store.quads_for_pattern(None, None, None, _DEFAULT)}
        stale = (merged & before) - after
        missing = after - merged
        for t in stale:
            self._store.remove(ox.Quad(t.subject, t.predicate, t.object, _DEFAULT))
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, _DEFAULT) for t in missing)

    def _named_triples(self) -> set[Any]:
        return {
            q.triple
            for q in self._store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        }

    def _dataset_quads(self) -> list[Any]:
        """The quads of the dataset as loaded: the named graphs, and the default graph's own
        triples (those no named graph holds), without the merge's copies."""
        quads = self._store.quads_for_pattern(None, None, None, None)
        named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
        held = {q.triple for q in named}
        own = [
            q
            for q in self._store.quads_for_pattern(None, None, None, _DEFAULT)
            if q.triple not in held
        ]
        return own + named

    def serialize(self, fmt: str = "nquads") -> bytes:
        return self.dump(fmt)

    def graph_names(self) -> list[URIRef]:
        return sorted(
            URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def graph(self, name: URIRef) -> Graph:
        """One named graph as an rdflib Graph, with the datatypes Oxigraph folds given back.

        Oxigraph stores every integer as an ``xsd:integer``, so a value written as
        ``xsd:nonNegativeInteger`` reads back as ``xsd:integer``. Where the datatype is fixed
        by the property (OWL 2 cardinalities, the shapes' ``sh:datatype``), it is restored,
        so that a graph read from a store validates and exports as it was written.
        """
        g = Graph()
        bind_prefixes(g)
        typed = integer_datatypes()
        for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            p, o = to_rdflib(q.predicate), to_rdflib(q.object)
            if isinstance(o, RLiteral) and o.datatype == XSD.integer and p in typed:
                o = RLiteral(str(o), datatype=typed[p])
            g.add((to_rdflib(q.subject), p, o))
        return g

    def __len__(self) -> int:
        """The quads of the dataset as loaded: the named graphs' and the default graph's own
        (the merge's copies left out), as many as rdflib holds of the same files."""
        return self._count(_DATASET_COUNT, False)

    def merged_size(self) -> int:
        """The triples of the merged graph (each once), counted by Oxigraph."""
        if self._union:
            return self._count(_DISTINCT_COUNT, True)
        return self._count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", False)

    def _count(self, sparql: str, union: bool) -> int:
        count = self._store.query(sparql, use_default_graph_as_union=union)
        rows = list(count) if isinstance(count, ox.QuerySolutions) else []
        return int(rows[0]["n"].value) if rows else 0

    @classmethod
    def open_read_only(cls, path: Path | str) -> OxigraphStore:
        """An on-disk store opened read-only, so that several processes can serve one folder."""
        store = cls.__new__(cls)
        store._store = ox.Store.read_only(str(path))
        # A store another program wrote has no merge, and this opening cannot write one: its
        # queries see Oxigraph's union of the graphs (a triple once per graph holding it).
        store._union = store._without_merge()
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
        Without either, the default graph is the merge of the named graphs (each triple
        once, see the class) and every named graph is there. ``base_iri`` resolves relative
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
        res = self.evaluate(with_values(sparql, bindings), default_graphs, named_graphs, base_iri)
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

    def evaluate(
        self,
        sparql: str,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        base_iri: str | None,
    ) -> Any:
        """Oxigraph's own result of a query (no rdflib term made), over the dataset
        ``query_capped`` describes."""
        dataset: dict[str, Any] = {"base_iri": base_iri}
        if default_graphs is None and named_graphs is None:
            dataset["use_default_graph_as_union"] = self._union
        else:
            dataset["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
            dataset["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        try:
            return self._store.query(sparql, **dataset)
        except SyntaxError as exc:
            raise QuerySyntaxError.from_message(str(exc)) from None

    def triples(
        self,
        subject: Node | None,
        predicate: Node | None,
        obj: Node | None,
        limit: int | None = None,
        *,
        outside: Sequence[URIRef] = (),
    ) -> list[tuple[Node, Node, Node]]:
        """Distinct triples matching a pattern in any graph (a triple in two graphs comes once).

        >>> from rdflib import Graph, URIRef, Literal
        >>> g = Graph(); _ = g.add((URIRef("urn:a"), URIRef("urn:p"), Literal("x")))
        >>> s = OxigraphStore(); s.add_graph(URIRef("urn:g"), g); s.add_graph(URIRef("urn:h"), g)
        >>> s.triples(URIRef("urn:a"), None, None)
        [(rdflib.term.URIRef('urn:a'), rdflib.term.URIRef('urn:p'), rdflib.term.Literal('x'))]
        """
        s, p, o = (None if t is None else _to_ox(t) for t in (subject, predicate, obj))
        out: list[tuple[Node, Node, Node]] = []
        if outside:
            # Only what graphs other than ``outside`` state: read the named graphs themselves.
            skip = {ox.NamedNode(str(n)) for n in outside}
            quads = [
                q
                for q in self._store.quads_for_pattern(s, p, o, None)
                if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name not in skip
            ]
            found = dict.fromkeys((q.subject, q.predicate, q.object) for q in quads)
            return [(to_rdflib(a), to_rdflib(b), to_rdflib(c)) for a, b, c in found][:limit]
        for q in self._store.quads_for_pattern(s, p, o, None if self._union else _DEFAULT):
            t = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            if limit is not None and len(out) >= limit:
                break
            if not self._union or t not in out:
                out.append(t)
        return out

    def select_strings(self, sparql: str) -> list[dict[str, str]]:
        """Rows of a SELECT as plain strings (IRIs and literal values), read straight from
        Oxigraph: converting every term to rdflib first costs more than the query itself
        once a graph holds hundreds of articles."""
        try:
            res = self._store.query(sparql, use_default_graph_as_union=self._union)
        except SyntaxError as exc:
            raise QuerySyntaxError.from_message(str(exc)) from None
        if not isinstance(res, ox.QuerySolutions):
            raise InputError("not a SELECT query")
        names = [v.value for v in res.variables]
        rows: list[dict[str, str]] = []
        for sol in res:
            rows.append({n: sol[n].value for n in names if sol[n] is not None})
        return rows

    def dump(self, fmt: str, prefixes: Mapping[str, str] | None = None) -> bytes:
        """The whole store in one RDF format, written by Oxigraph's own serializers.

        TriG and N-Quads keep the named graphs; the triple formats (ttl, nt, jsonld,
        rdfxml) get the union of the graphs, each triple once. ``prefixes`` are declared where the
        format has them (TriG, Turtle).
        """
        spec = rdf_format(fmt)
        names = dict(prefixes) if prefixes else None
        if spec.keeps_graphs:
            out = ox.serialize(self._dataset_quads(), format=spec.oxigraph, prefixes=names)
        else:
            graph = None if self._union else _DEFAULT
            merged = dict.fromkeys(
                q.triple for q in self._store.quads_for_pattern(None, None, None, graph)
            )
            out = ox.serialize(list(merged), format=spec.oxigraph, prefixes=names)
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
    """Open built graph files or folders (TriG/N-Quads keep named graphs) in an in-memory store.

    An on-disk store's folder alone is opened in place, read-only; with other files, its
    graphs are copied into the in-memory store.
    """
    files = built_graph_files(paths)
    if len(files) == 1 and files[0].is_dir():
        return OxigraphStore.open_read_only(files[0])
    store = OxigraphStore()
    for path in files:
        if path.is_dir():
            store.load_dataset(OxigraphStore.open_read_only(path).serialize("nquads"), "nquads")
        else:
            _load_into(store, path)
    return store
