"""Writers of the line formats (N-Triples, N-Quads) and of Turtle and TriG, in sorted order.

>>> from rdflib import Literal, URIRef
>>> nt_term(Literal("x", lang="en")), nt_term(URIRef("urn:a"))
('"x"@en', '<urn:a>')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph.namespaces import RDF, XSD
from cakg.graph.publish.canonical import Prepared, Quad, Triple, term_key

__all__ = ["nquads", "nt_term", "ntriples", "trig", "turtle"]

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ECHAR_RE = re.compile(r'[\\"\n\r]')


def nt_term(term: Node) -> str:
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


def ntriples(triples: Iterable[Triple]) -> bytes:
    return _lines(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ." for s, p, o in triples)


def nquads(quads: Iterable[Quad]) -> bytes:
    return _lines(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} {nt_term(g)} ." for s, p, o, g in quads)


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
            objs = [self.obj(o, depth) for o in sorted(grouped[p], key=term_key)]
            parts.append(f"{verb} " + f",\n{pad}    ".join(objs))
        return f" ;\n{pad}".join(parts)

    def body(self) -> str:
        blocks = []
        subjects = sorted(self.out, key=lambda s: (isinstance(s, BNode), term_key(s)))
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


def turtle(prep: Prepared) -> bytes:
    header, body = _turtle_parts(prep.triples, prep.prefixes)
    return f"{header}\n{body}\n".encode()


def trig(prep: Prepared) -> bytes:
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
        blocks.append(f"{nt_term(name)} {{\n{body}\n}}\n")
    lookup = dict(prep.prefixes)
    header = "".join(f"@prefix {p}: <{lookup[p]}> .\n" for p in sorted(used))
    return (header + "\n" + "\n".join(blocks)).encode("utf-8")
