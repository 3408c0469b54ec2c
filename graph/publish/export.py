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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph.formats import RDF_FORMATS, find_rdf_format
from cakg.graph.io import atomic_write
from cakg.graph.namespaces import ONTOLOGY_IRI, OWL, PREFIXES, RDF, XSD, bind_prefixes
from cakg.graph.store.dataset import KnowledgeGraph, load_knowledge_graph

__all__ = [
    "ALL_FORMATS",
    "Prepared",
    "canonical_quads",
    "export_file_name",
    "export_files",
    "export_ontology",
    "jsonld_context",
    "ontology_graph",
    "prepare",
    "serialize",
    "serialize_graph",
    "write_exports",
]

Quad = tuple[Node, Node, Node, URIRef]
Triple = tuple[Node, Node, Node]


ALL_FORMATS: tuple[str, ...] = tuple(RDF_FORMATS)

# Extra outputs `write_exports` knows besides the data formats.
ONTOLOGY_FILES = {"ontology.ttl": "text/turtle", "ontology.rdf": "application/rdf+xml"}
VOID_FILE = "void.ttl"


def export_file_name(fmt: str) -> str:
    """The file an export format is written to: ``kg`` and the format's suffix.

    >>> export_file_name("rdfxml")
    'kg.rdf'
    """
    return "kg" + RDF_FORMATS[_format_name(fmt)].suffix


def _format_name(fmt: str) -> str:
    spec = find_rdf_format(fmt)
    if spec is None:
        known = ", ".join(ALL_FORMATS)
        raise InputError(f"unknown export format {fmt!r} (use one of {known}, all)")
    return spec.name


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


@dataclass
class Prepared:
    """A graph made ready to write: canonical blank nodes, sorted quads, and its prefixes.

    Canonicalizing is the costly step, so ``write_exports`` prepares once and writes
    every format from the same preparation.
    """

    quads: list[Quad]
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))

    @cached_property
    def triples(self) -> list[Triple]:
        """The merged graph: every distinct triple of every named graph, sorted."""
        return sorted({(s, p, o) for s, p, o, _ in self.quads}, key=_triple_key)

    @cached_property
    def by_graph(self) -> dict[URIRef, list[Triple]]:
        out: dict[URIRef, list[Triple]] = {}
        for s, p, o, g in self.quads:
            out.setdefault(g, []).append((s, p, o))
        return out

    def namespaces(self) -> Graph:
        """An empty graph with the prefixes bound (rdflib's writers take them from a graph)."""
        g = Graph()
        bind_prefixes(g)
        for prefix, ns in self.prefixes.items():
            g.bind(prefix, ns, override=False)
        return g

    def graph(self, triples: Iterable[Triple] | None = None) -> Graph:
        """An rdflib graph of the merged triples (or of ``triples``), filled in sorted order."""
        g = self.namespaces()
        for t in self.triples if triples is None else triples:
            g.add(t)
        return g


def prepare(kg: KnowledgeGraph) -> Prepared:
    """Canonicalize a knowledge graph's named graphs for writing."""
    return Prepared(canonical_quads(kg))


def _prepare_graph(graph: Graph) -> Prepared:
    """Canonicalize one graph, keeping the prefixes its author bound (e.g. sd: in VoID)."""
    name = graph.identifier if isinstance(graph.identifier, URIRef) else _MERGED
    prefixes = dict(PREFIXES)
    for prefix, ns in graph.namespaces():
        # Never rdflib's generated prefixes (ns1) or its defaults for namespaces that the
        # project names otherwise (rdflib binds https://schema.org/ as schema).
        if (
            prefix
            and prefix not in prefixes
            and not prefix.startswith("ns")
            and str(ns) not in PREFIXES.values()
        ):
            prefixes[prefix] = str(ns)
    return Prepared(_canonical((s, p, o, name) for s, p, o in graph), prefixes)


# --- writers -------------------------------------------------------------------------------------

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ECHAR_RE = re.compile(r'[\\"\n\r]')


def _nt_term(term: Node) -> str:
    """A term in canonical N-Triples form (RDF 1.1 N-Triples §4: only \\, ", LF, CR escaped)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = '"' + _ECHAR_RE.sub(lambda m: _ECHAR[m.group(0)], str(term)) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    raise InputError(f"cannot write the term {term!r} in N-Triples")


def _lines(lines: Iterable[str]) -> bytes:
    ordered = sorted(set(lines))
    return ("\n".join(ordered) + "\n").encode("utf-8") if ordered else b""


def _ntriples(triples: Iterable[Triple]) -> bytes:
    return _lines(f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} ." for s, p, o in triples)


def _nquads(quads: Iterable[Quad]) -> bytes:
    return _lines(
        f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} {_nt_term(g)} ." for s, p, o, g in quads
    )


# --- Turtle and TriG ---------------------------------------------------------------------------
#
# A writer of our own: rdflib's Turtle writer orders by hash in places and spends most of
# its time failing to abbreviate data IRIs; this one is linear, sorts everything, and
# writes what people expect to read (Turtle 1.1 §2): prefixed names, `a`, predicate
# and object lists, nested `[ ]` for blank nodes used once, `( )` for RDF lists.

_PN_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")
_LONG_ESCAPES = {"\\": "\\\\", '"': '\\"', "\r": "\\r"}
_LONG_RE = re.compile(r'[\\"\r]')
# Plain module constants: rdflib's namespace attribute lookups are slow in a hot loop.
_TYPE, _FIRST, _REST, _NIL = RDF.type, RDF.first, RDF.rest, RDF.nil
_XSD_INTEGER, _XSD_DECIMAL, _XSD_BOOLEAN = XSD.integer, XSD.decimal, XSD.boolean


class _TurtleWriter:
    """Writes sorted triples as Turtle, recording which prefixes it used."""

    def __init__(self, triples: Sequence[Triple], prefixes: Mapping[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.used: set[str] = set()
        self._names: dict[Node, str] = {}
        self.out: dict[Node, list[tuple[Node, Node]]] = {}
        refs: dict[Node, int] = {}
        for s, p, o in triples:
            self.out.setdefault(s, []).append((p, o))
            if isinstance(o, BNode):
                refs[o] = refs.get(o, 0) + 1
        # A blank node used exactly once as an object is written inside its user.
        self.inline = {b for b, n in refs.items() if n == 1}
        self.done: set[Node] = set()

    def iri(self, term: Node) -> str:
        name = self._names.get(term)
        if name is None:
            text = str(term)
            name = f"<{text}>"
            for prefix, ns in self.prefixes:
                if text.startswith(ns) and _PN_LOCAL.match(text[len(ns) :]):
                    name = f"{prefix}:{text[len(ns) :]}"
                    self.used.add(prefix)
                    break
            self._names[term] = name
        return name

    def literal(self, lit: Literal) -> str:
        text = str(lit)
        dt = lit.datatype
        if lit.language is None and dt is not None:
            if dt == _XSD_INTEGER and _INTEGER.match(text):
                return text
            if dt == _XSD_DECIMAL and _DECIMAL.match(text):
                return text
            if dt == _XSD_BOOLEAN and text in ("true", "false"):
                return text
        if "\n" in text:
            quoted = '"""' + _LONG_RE.sub(lambda m: _LONG_ESCAPES[m.group(0)], text) + '"""'
        else:
            quoted = '"' + _ECHAR_RE.sub(lambda m: _ECHAR[m.group(0)], text) + '"'
        if lit.language:
            return f"{quoted}@{lit.language}"
        if dt is not None:
            return f"{quoted}^^{self.iri(dt)}"
        return quoted

    def rdf_list(self, node: Node) -> list[Node] | None:
        """The items of a well-formed RDF list starting at a blank node, else None."""
        items: list[Node] = []
        seen: set[Node] = set()
        while node != _NIL:
            if not isinstance(node, BNode) or node in seen or node not in self.inline:
                return None
            props = self.out.get(node, [])
            first = [o for p, o in props if p == _FIRST]
            rest = [o for p, o in props if p == _REST]
            if len(props) != 2 or len(first) != 1 or len(rest) != 1:
                return None
            seen.add(node)
            items.append(first[0])
            node = rest[0]
        return items

    def obj(self, term: Node, depth: int) -> str:
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            return self.literal(term)
        if isinstance(term, BNode) and term in self.inline and term not in self.done:
            items = self.rdf_list(term)
            if items is not None:
                node: Node = term
                while node != _NIL:  # the list's cells are written now
                    self.done.add(node)
                    node = next(o for p, o in self.out[node] if p == _REST)
                return "( " + " ".join(self.obj(i, depth + 1) for i in items) + " )"
            self.done.add(term)
            props = self.out.get(term, [])
            if not props:
                return "[]"
            return "[ " + self.predicates(props, depth + 1) + " ]"
        return f"_:{term}"

    def predicates(self, props: Sequence[tuple[Node, Node]], depth: int) -> str:
        grouped: dict[Node, list[Node]] = {}
        for p, o in props:
            grouped.setdefault(p, []).append(o)
        order = sorted(grouped, key=lambda p: ("1" + self.iri(p)) if p != _TYPE else "0")
        pad = "    " * depth
        parts = []
        for p in order:
            verb = "a" if p == _TYPE else self.iri(p)
            objs = [self.obj(o, depth) for o in sorted(grouped[p], key=_term_key)]
            parts.append(f"{verb} " + f",\n{pad}    ".join(objs))
        return f" ;\n{pad}".join(parts)

    def body(self) -> str:
        blocks = []
        subjects = sorted(self.out, key=lambda s: (isinstance(s, BNode), _term_key(s)))
        for s in subjects:
            if isinstance(s, BNode) and s in self.inline:
                continue  # written where it is used
            if s in self.done:
                continue
            head = self.iri(s) if isinstance(s, URIRef) else f"_:{s}"
            blocks.append(f"{head} {self.predicates(self.out[s], 1)} .")
        # Inline blank nodes in a cycle of blank nodes are never reached from a root.
        for s in subjects:
            if isinstance(s, BNode) and s not in self.done and s in self.inline:
                self.inline.discard(s)
                blocks.append(f"_:{s} {self.predicates(self.out[s], 1)} .")
        return "\n\n".join(blocks)

    def header(self) -> str:
        lookup = dict(self.prefixes)
        return "".join(f"@prefix {p}: <{lookup[p]}> .\n" for p in sorted(self.used))


def _turtle_parts(triples: Sequence[Triple], prefixes: Mapping[str, str]) -> tuple[str, str]:
    """Prefix lines and body of a graph in Turtle."""
    writer = _TurtleWriter(triples, prefixes)
    body = writer.body()
    return writer.header(), body


def _turtle(prep: Prepared) -> bytes:
    header, body = _turtle_parts(prep.triples, prep.prefixes)
    return f"{header}\n{body}\n".encode()


def _trig(prep: Prepared) -> bytes:
    """TriG written graph by graph in IRI order (rdflib's writer orders graphs by hash)."""
    # Blank node labels are scoped to the document (TriG §2.4), so a blank node in two
    # graphs keeps one label; it is never inlined, which would make it two nodes.
    seen_in: dict[Node, set[URIRef]] = {}
    for s, _, o, gname in prep.quads:
        for x in (s, o):
            if isinstance(x, BNode):
                seen_in.setdefault(x, set()).add(gname)
    shared = {b for b, gs in seen_in.items() if len(gs) > 1}
    used: set[str] = set()
    blocks: list[str] = []
    for name in sorted(prep.by_graph, key=str):
        writer = _TurtleWriter(prep.by_graph[name], prep.prefixes)
        writer.inline -= shared
        body = writer.body()
        used |= writer.used
        # Not indented: a multi-line literal's continuation lines are part of its value.
        blocks.append(f"{_nt_term(name)} {{\n{body}\n}}\n")
    lookup = dict(prep.prefixes)
    header = "".join(f"@prefix {p}: <{lookup[p]}> .\n" for p in sorted(used))
    return (header + "\n" + "\n".join(blocks)).encode("utf-8")


# --- RDF/XML -------------------------------------------------------------------------------------


def _qname(graph: Graph, iri: Node) -> str:
    """An XML QName for a predicate or class (RDF 1.1 XML Syntax §2.2: NCName local part)."""
    try:
        prefix, _ns, local = graph.namespace_manager.compute_qname_strict(str(iri))
    except ValueError as exc:
        raise InputError(f"RDF/XML cannot write the IRI {iri} as an element name") from exc
    return f"{prefix}:{local}" if prefix else local


def _rdfxml(prep: Prepared) -> bytes:
    """Striped RDF/XML, subjects and properties in sorted order (rdflib's writers follow hashes).

    One node element per subject (typed with its first type that has a QName,
    RDF 1.1 XML Syntax §2.13); blank nodes by ``rdf:nodeID`` (§2.10); literals with
    ``xml:lang`` (§2.7) or ``rdf:datatype`` (§2.9).
    """
    from xml.sax.saxutils import escape, quoteattr

    triples = prep.triples
    graph = prep.namespaces()
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


def _write(prep: Prepared, name: str) -> bytes:
    if name == "trig":
        return _trig(prep)
    if name == "nq":
        return _nquads(prep.quads)
    if name == "nt":
        return _ntriples(prep.triples)
    if name == "ttl":
        return _turtle(prep)
    if name == "jsonld":
        return _jsonld(prep.graph(), jsonld_context())
    return _rdfxml(prep)


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """One graph in any format, deterministically (TriG and N-Quads name it by its identifier)."""
    return _write(_prepare_graph(graph), _format_name(fmt))


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The whole graph in one format; TriG and N-Quads keep named graphs, the rest merge them."""
    return _write(prepare(kg), _format_name(fmt))


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
    prep = prepare(kg) if data else None
    for name in data:
        filename = export_file_name(name)
        payload = _write(prep, name) if prep is not None else b""
        written.append(atomic_write(out_dir / filename, payload))
        sizes[filename] = len(payload)
    if ontology:
        for path in export_ontology(out_dir, kg):
            written.append(path)
            sizes[path.name] = path.stat().st_size
    if void:
        from cakg.graph.publish.void import describe_dataset

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
    kg = load_knowledge_graph(data)
    fmts = list(formats)
    names, ontology, void = _expand_formats(fmts)
    if out.suffix and not out.is_dir() and len(names) == 1 and not (ontology or void):
        return [atomic_write(out, serialize(kg, names[0]))]
    if out.exists() and not out.is_dir():
        raise InputError("several files to write, but this is a file, not a folder", path=out)
    return write_exports(kg, out, fmts, dump_base=dump_base, endpoint=endpoint)
