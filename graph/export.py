"""Linked-data exports of a built graph: Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads.

Every export is deterministic: the same graph gives the same bytes on every run, in
every process (whatever ``PYTHONHASHSEED``), so two builds of the same input can be
compared with ``cmp``. Three things make it so:

* blank nodes are relabelled canonically (rdflib's hash-based canonicalization over the
  triples that hold them, then short labels ``b0``, ``b1``… in the order of those hashes);
* line formats (N-Triples, N-Quads) are sorted; graph-shaped formats are written from
  graphs filled in sorted order, TriG graph by graph in IRI order;
* JSON-LD nodes, keys and (unordered) value arrays are sorted.

TriG and N-Quads keep the named graphs (one per article, reference data, inferred
triples); the other formats merge them (``KnowledgeGraph.merged``).

>>> from rdflib import Graph, URIRef, Literal, BNode
>>> kg = KnowledgeGraph(); g = kg.graph(URIRef("https://cakg.example.org/id/graph/x"))
>>> b = BNode(); _ = g.add((URIRef("urn:s"), URIRef("urn:p"), b))
>>> _ = g.add((b, URIRef("urn:q"), Literal(1)))
>>> print(serialize(kg, "nt").decode(), end="")
<urn:s> <urn:p> _:b0 .
_:b0 <urn:q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from cakg.graph.dataset import KnowledgeGraph, load_knowledge_graph
from cakg.graph.io import atomic_write
from cakg.graph.namespaces import ONTOLOGY_IRI, OWL, PREFIXES, RDF, bind_prefixes
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from cakg.errors import InputError

__all__ = [
    "ALL_FORMATS",
    "FORMATS",
    "ExportFormat",
    "canonical_quads",
    "export_files",
    "export_ontology",
    "jsonld_context",
    "ontology_graph",
    "serialize",
    "serialize_graph",
    "write_exports",
]

Quad = tuple[Node, Node, Node, URIRef]
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its CLI name, file name, IANA media type, and whether it keeps graphs."""

    name: str
    filename: str
    media_type: str
    keeps_graphs: bool
    title: str


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("ttl", "kg.ttl", "text/turtle", False, "Turtle"),
        ExportFormat("nt", "kg.nt", "application/n-triples", False, "N-Triples"),
        ExportFormat("jsonld", "kg.jsonld", "application/ld+json", False, "JSON-LD"),
        ExportFormat("rdfxml", "kg.rdf", "application/rdf+xml", False, "RDF/XML"),
        ExportFormat("trig", "kg.trig", "application/trig", True, "TriG"),
        ExportFormat("nq", "kg.nq", "application/n-quads", True, "N-Quads"),
    )
}
ALL_FORMATS: tuple[str, ...] = tuple(FORMATS)

# Extra outputs `write_exports` knows besides the data formats.
ONTOLOGY_FILES = {"ontology.ttl": "text/turtle", "ontology.rdf": "application/rdf+xml"}
VOID_FILE = "void.ttl"

_ALIASES = {
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "jsonld",
    "xml": "rdfxml",
    "rdf": "rdfxml",
    "nquads": "nq",
    "n-quads": "nq",
}


def _format_name(fmt: str) -> str:
    name = _ALIASES.get(fmt.lower(), fmt.lower())
    if name not in FORMATS:
        known = ", ".join(ALL_FORMATS)
        raise InputError(f"unknown export format {fmt!r} (use one of {known}, all)")
    return name


# --- canonical blank nodes and term order --------------------------------------------------------


def _term_key(term: Node) -> tuple[int, str]:
    """A total order on terms that does not depend on rdflib's cross-type comparisons."""
    if isinstance(term, URIRef):
        return (0, str(term))
    if isinstance(term, BNode):
        return (1, str(term))
    return (2, term.n3())


def _triple_key(t: Sequence[Node]) -> tuple[tuple[int, str], ...]:
    return tuple(_term_key(x) for x in t)


def _canonical(quads: Iterable[Quad]) -> list[Quad]:
    """Relabel blank nodes canonically, consistently across graphs; return sorted quads.

    Only triples that hold a blank node influence the labels, so they alone are
    canonicalized. Graph membership is folded into the predicate (one surrogate IRI per
    graph and predicate) so a blank node shared by two graphs keeps one label.
    """
    plain: list[Quad] = []
    holding = Graph()
    decode: dict[URIRef, tuple[URIRef, Node]] = {}
    for s, p, o, g in quads:
        if isinstance(s, BNode) or isinstance(o, BNode):
            digest = hashlib.sha256(f"{g}\n{p}".encode()).hexdigest()
            surrogate = URIRef(f"urn:x-cakg-quad:{digest}")
            decode[surrogate] = (g, p)
            holding.add((s, surrogate, o))
        else:
            plain.append((s, p, o, g))
    out = plain
    if len(holding):
        canonical = list(to_canonical_graph(holding))
        hashes = sorted({str(x) for t in canonical for x in t if isinstance(x, BNode)})
        short = {h: BNode(f"b{i}") for i, h in enumerate(hashes)}

        def relabel(x: Node) -> Node:
            return short[str(x)] if isinstance(x, BNode) else x

        for s, p, o in canonical:
            g, pred = decode[URIRef(str(p))]
            out.append((relabel(s), pred, relabel(o), g))
    out.sort(key=lambda q: (_term_key(q[3]), *_triple_key(q[:3])))
    return out


def canonical_quads(kg: KnowledgeGraph) -> list[Quad]:
    """All quads of the graph, blank nodes relabelled canonically, sorted by graph then triple."""
    return _canonical((s, p, o, name) for name, g in kg for s, p, o in g)


_MERGED = URIRef("urn:x-cakg:merged")


def _canonical_merged(graph: Graph) -> Graph:
    """A merged graph with canonical blank nodes, filled in sorted order, prefixes bound."""
    out = Graph()
    bind_prefixes(out)
    known = set(PREFIXES)
    for prefix, ns in graph.namespaces():
        # Keep prefixes the caller bound (e.g. sd: in the VoID description), never
        # rdflib's generated ones (ns1) or its defaults for namespaces we name otherwise.
        if (
            prefix
            and prefix not in known
            and not prefix.startswith("ns")
            and str(ns) not in PREFIXES.values()
        ):
            out.bind(prefix, ns, override=False)
    for s, p, o, _ in _canonical((s, p, o, _MERGED) for s, p, o in graph):
        out.add((s, p, o))
    return out


def _merged(kg: KnowledgeGraph) -> Graph:
    return _canonical_merged(kg.merged())


# --- writers -------------------------------------------------------------------------------------


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted({line for line in data.decode("utf-8").splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def _split_turtle(text: str) -> tuple[list[str], str]:
    """The @prefix lines and the body of rdflib's Turtle output."""
    prefixes: list[str] = []
    body: list[str] = []
    for line in text.splitlines():
        if not body and line.startswith("@prefix "):
            prefixes.append(line)
        elif body or line.strip():
            body.append(line)
    return prefixes, "\n".join(body).rstrip()


def _nt_line(s: Node, p: Node, o: Node) -> str:
    return f"{s.n3()} {p.n3()} {o.n3()} ."


def _trig(quads: list[Quad]) -> bytes:
    """TriG written graph by graph in IRI order (rdflib's writer orders graphs by hash)."""
    by_graph: dict[URIRef, list[Triple]] = {}
    for s, p, o, g in quads:
        by_graph.setdefault(g, []).append((s, p, o))
    # A blank node that occurs in two graphs must keep its label in both; Turtle's
    # `[ ... ]` abbreviation would make it two nodes, so such graphs are written as
    # plain triple lines (valid TriG, §2.2: a graph block holds Turtle triples).
    seen_in: dict[Node, set[URIRef]] = {}
    for s, _, o, gname in quads:
        for x in (s, o):
            if isinstance(x, BNode):
                seen_in.setdefault(x, set()).add(gname)
    shared = {b for b, gs in seen_in.items() if len(gs) > 1}
    prefixes: set[str] = set()
    blocks: list[str] = []
    for name in sorted(by_graph, key=str):
        triples = by_graph[name]
        if any(isinstance(x, BNode) and x in shared for t in triples for x in (t[0], t[2])):
            body = "\n".join(_nt_line(*t) for t in triples)
        else:
            block = Graph()
            bind_prefixes(block)
            for t in triples:
                block.add(t)
            head, body = _split_turtle(_turtle(block).decode("utf-8"))
            prefixes.update(head)
        # Not indented: a multi-line literal's continuation lines are part of its value.
        blocks.append(f"{URIRef(name).n3()} {{\n{body}\n}}\n")
    header = "\n".join(sorted(prefixes))
    return (header + "\n\n" + "\n".join(blocks)).encode("utf-8")


def _nquads(quads: list[Quad]) -> bytes:
    ds = Dataset()
    for s, p, o, g in quads:
        ds.graph(g).add((s, p, o))
    # rdflib's writer escapes literals as N-Quads needs (§4: no raw line breaks).
    return _sorted_lines(ds.serialize(format="nquads", encoding="utf-8"))


def _ntriples(graph: Graph) -> bytes:
    return _sorted_lines(graph.serialize(format="nt11", encoding="utf-8"))


# --- RDF/XML -------------------------------------------------------------------------------------


def _qname(graph: Graph, iri: Node) -> str:
    """An XML QName for a predicate or class (RDF 1.1 XML Syntax §2.2: NCName local part)."""
    try:
        prefix, _ns, local = graph.namespace_manager.compute_qname_strict(str(iri))
    except ValueError as exc:
        raise InputError(f"RDF/XML cannot write the IRI {iri} as an element name") from exc
    return f"{prefix}:{local}" if prefix else local


def _rdfxml(graph: Graph) -> bytes:
    """Striped RDF/XML, subjects and properties in sorted order (rdflib's writers follow hashes).

    One node element per subject (typed with its first type that has a QName,
    RDF 1.1 XML Syntax §2.13); blank nodes by ``rdf:nodeID`` (§2.10); literals with
    ``xml:lang`` (§2.7) or ``rdf:datatype`` (§2.9).
    """
    from xml.sax.saxutils import escape, quoteattr

    triples = sorted(graph, key=_triple_key)
    # Element names must be computed in a fixed order: unknown namespaces get
    # generated prefixes (ns1, ns2, ...) in the order they are first met.
    names: dict[Node, str] = {}
    for _s, p, o in triples:
        if p not in names:
            names[p] = _qname(graph, p)
        if p == RDF.type and isinstance(o, URIRef) and o not in names:
            # A class without a QName is written as an rdf:type property instead.
            with contextlib.suppress(InputError):
                names[o] = _qname(graph, o)
    used = {name.split(":", 1)[0] for name in names.values() if ":" in name} | {"rdf"}
    spaces = dict(graph.namespace_manager.namespaces())
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"  xmlns:{prefix}={quoteattr(str(spaces[prefix]))}" for prefix in sorted(used)]
    lines[-1] += ">"

    def node_attr(node: Node) -> str:
        if isinstance(node, BNode):
            return f"rdf:nodeID={quoteattr(str(node))}"
        return f"rdf:about={quoteattr(str(node))}"

    by_subject: dict[Node, list[tuple[Node, Node]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
    for subject, props in by_subject.items():
        types = [o for p, o in props if p == RDF.type and o in names]
        element = names[types[0]] if types else "rdf:Description"
        lines.append(f"  <{element} {node_attr(subject)}>")
        for p, o in props:
            if types and p == RDF.type and o == types[0]:
                continue
            tag = names[p]
            if isinstance(o, URIRef):
                lines.append(f"    <{tag} rdf:resource={quoteattr(str(o))}/>")
            elif isinstance(o, BNode):
                lines.append(f"    <{tag} rdf:nodeID={quoteattr(str(o))}/>")
            elif isinstance(o, Literal):
                attr = ""
                if o.language:
                    attr = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype is not None:
                    attr = f" rdf:datatype={quoteattr(str(o.datatype))}"
                text = escape(str(o), {"\r": "&#13;"})
                lines.append(f"    <{tag}{attr}>{text}</{tag}>")
        lines.append(f"  </{element}>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- JSON-LD -------------------------------------------------------------------------------------


def _fallback_context() -> dict[str, Any]:
    """Prefixes only: used until the ontology's own context.jsonld exists."""
    return dict(sorted(PREFIXES.items()))


def jsonld_context() -> dict[str, Any]:
    """The project's JSON-LD context (ontology/context.jsonld), as the value of ``@context``."""
    try:
        from cakg.graph import ontology as onto  # written by the ontology helper

        ctx = onto.context()
    except (ImportError, AttributeError, FileNotFoundError):
        try:
            text = resources.files("cakg.ontology").joinpath("context.jsonld").read_text("utf-8")
        except (FileNotFoundError, ModuleNotFoundError):
            return _fallback_context()
        ctx = json.loads(text)
    if isinstance(ctx, dict) and "@context" in ctx:
        ctx = ctx["@context"]
    if not isinstance(ctx, dict):
        raise InputError("the JSON-LD context must be a JSON object")
    return ctx


def _list_terms(ctx: Mapping[str, Any]) -> set[str]:
    """Terms whose values are ordered lists (``@container: @list``), which must not be sorted."""
    out = set()
    for term, definition in ctx.items():
        if isinstance(definition, dict) and definition.get("@container") in ("@list", ["@list"]):
            out.add(term)
    return out


def _json_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _keyword_aliases(ctx: Mapping[str, Any]) -> dict[str, str]:
    """Terms that alias keywords (``"id": "@id"``), so the id and type can be written first."""
    return {t: d for t, d in ctx.items() if isinstance(d, str) and d.startswith("@")}


_KEY_RANK = {"@context": 0, "@id": 1, "@type": 2, "@value": 3, "@language": 4}


def _key_order(key: str, aliases: Mapping[str, str]) -> tuple[int, str]:
    return (_KEY_RANK.get(aliases.get(key, key), 9), key)


def _sort_json(
    value: Any, ordered: set[str], aliases: Mapping[str, str], key: str | None = None
) -> Any:
    # JSON-LD arrays are unordered sets of values (JSON-LD 1.1 §4.3) except lists;
    # object keys: the node's id and type first (as people read them), then by name.
    if isinstance(value, dict):
        return {
            k: value[k] if k == "@context" else _sort_json(value[k], ordered, aliases, k)
            for k in sorted(value, key=lambda k: _key_order(k, aliases))
        }
    if isinstance(value, list):
        items = [_sort_json(v, ordered, aliases) for v in value]
        if key == "@list" or key in ordered:
            return items
        return sorted(items, key=_json_key)
    return value


def _jsonld(graph: Graph, context: Mapping[str, Any]) -> bytes:
    raw = graph.serialize(format="json-ld", context=dict(context), auto_compact=False)
    doc = json.loads(raw)
    if isinstance(doc, list):
        doc = {"@graph": doc}
    nodes = doc.get("@graph")
    if nodes is None:
        nodes = [{k: v for k, v in doc.items() if k != "@context"}] if len(doc) > 1 else []
    ordered = _list_terms(context)
    aliases = _keyword_aliases(context)
    id_keys = [k for k, v in aliases.items() if v == "@id"] + ["@id"]

    def node_id(node: Mapping[str, Any]) -> str:
        return next((str(node[k]) for k in id_keys if k in node), "")

    nodes = sorted(
        (_sort_json(n, ordered, aliases) for n in nodes), key=lambda n: (node_id(n), _json_key(n))
    )
    out = {"@context": dict(context), "@graph": nodes}
    return (json.dumps(out, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --- public API ----------------------------------------------------------------------------------


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """One (merged) graph in a triple format, deterministically: ttl, nt, jsonld or rdfxml."""
    name = _format_name(fmt)
    if name in ("trig", "nq"):
        kg = KnowledgeGraph()
        target = kg.graph(
            URIRef(str(graph.identifier)) if isinstance(graph.identifier, URIRef) else _MERGED
        )
        for t in graph:
            target.add(t)
        return serialize(kg, name)
    canonical = _canonical_merged(graph)
    if name == "ttl":
        return _turtle(canonical)
    if name == "nt":
        return _ntriples(canonical)
    if name == "jsonld":
        return _jsonld(canonical, jsonld_context())
    return _rdfxml(canonical)


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The whole graph in one format; TriG and N-Quads keep named graphs, the rest merge them."""
    name = _format_name(fmt)
    if name == "trig":
        return _trig(canonical_quads(kg))
    if name == "nq":
        return _nquads(canonical_quads(kg))
    return serialize_graph(kg.merged(), name)


def _expand_formats(formats: Iterable[str]) -> tuple[list[str], bool, bool]:
    """Data formats, and whether the ontology and the VoID description are wanted."""
    data: list[str] = []
    ontology = void = False
    for fmt in formats:
        low = fmt.lower()
        if low == "all":
            data.extend(ALL_FORMATS)
            ontology = void = True
        elif low == "ontology":
            ontology = True
        elif low == "void":
            void = True
        else:
            data.append(_format_name(low))
    return list(dict.fromkeys(data)), ontology, void


def write_exports(
    kg: KnowledgeGraph,
    out_dir: Path,
    formats: Iterable[str],
    *,
    dump_base: str | None = None,
    endpoint: str | None = None,
) -> list[Path]:
    """Write kg.<ext> per format (``all``: every format, the ontology and void.ttl), atomically.

    ``dump_base`` is the URL under which the files will be published (for the VoID /
    DCAT description's download URLs); default ``<base>dump/``.
    """
    data, ontology, void = _expand_formats(formats)
    written: list[Path] = []
    sizes: dict[str, int] = {}
    for name in data:
        spec = FORMATS[name]
        payload = serialize(kg, name)
        written.append(atomic_write(out_dir / spec.filename, payload))
        sizes[spec.filename] = len(payload)
    if ontology:
        for path in export_ontology(out_dir, kg):
            written.append(path)
            sizes[path.name] = path.stat().st_size
    if void:
        from cakg.graph.void import describe_dataset

        base = dump_base if dump_base is not None else f"{kg.base}dump/"
        dumps = {fname: base + fname for fname in sizes}
        description = describe_dataset(kg, dumps=dumps, endpoint=endpoint, sizes=sizes)
        written.append(atomic_write(out_dir / VOID_FILE, serialize_graph(description, "ttl")))
    return written


def ontology_graph(kg: KnowledgeGraph | None = None) -> Graph:
    """The ontology: the build's ontology graph if it has one, else the packaged cakg.ttl."""
    if kg is not None:
        for name, g in kg:
            if str(name).endswith("/graph/ontology") and len(g):
                out = Graph()
                bind_prefixes(out)
                for t in g:
                    out.add(t)
                return out
    try:
        from cakg.graph import ontology as onto  # written by the ontology helper

        loaded = onto.ontology_graph()
        if isinstance(loaded, Graph):
            return loaded
    except (ImportError, AttributeError):
        pass
    g = Graph()
    bind_prefixes(g)
    try:
        data = resources.files("cakg.ontology").joinpath("cakg.ttl").read_bytes()
    except FileNotFoundError as exc:
        raise InputError("the ontology (ontology/cakg.ttl) is missing from the package") from exc
    g.parse(data=data, format="turtle")
    return g


def export_ontology(out_dir: Path, kg: KnowledgeGraph | None = None) -> list[Path]:
    """Write the ontology as ontology.ttl and ontology.rdf (RDF/XML; Protégé opens both)."""
    g = ontology_graph(kg)
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in g:
        raise InputError(f"the ontology graph has no owl:Ontology header <{ONTOLOGY_IRI}>")
    return [
        atomic_write(out_dir / "ontology.ttl", serialize_graph(g, "ttl")),
        atomic_write(out_dir / "ontology.rdf", serialize_graph(g, "rdfxml")),
    ]


def export_files(
    data: Sequence[Path],
    out: Path,
    formats: Iterable[str],
    *,
    dump_base: str | None = None,
    endpoint: str | None = None,
) -> list[Path]:
    """The library function behind ``cakg export``: read built graph(s), write exports.

    ``out`` is a folder, or a file name when exactly one data format is asked for.
    """
    kg = KnowledgeGraph()
    for path in data:
        part = load_knowledge_graph(path)
        kg.base = part.base
        for name, g in part:
            target = kg.graph(name)
            for t in g:
                target.add(t)
    fmts = list(formats)
    names, ontology, void = _expand_formats(fmts)
    if out.suffix and not out.is_dir() and len(names) == 1 and not (ontology or void):
        return [atomic_write(out, serialize(kg, names[0]))]
    return write_exports(kg, out, fmts, dump_base=dump_base, endpoint=endpoint)
