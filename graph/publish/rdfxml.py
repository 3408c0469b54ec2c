"""A writer of striped RDF/XML in sorted order (rdflib's writers follow hash order)."""

from __future__ import annotations

import contextlib

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph.namespaces import RDF
from cakg.graph.publish.canonical import Prepared

__all__ = ["rdfxml"]


def _qname(graph: Graph, iri: Node) -> str:
    """An XML QName for a predicate or class (RDF 1.1 XML Syntax §2.2: NCName local part)."""
    try:
        prefix, _ns, local = graph.namespace_manager.compute_qname_strict(str(iri))
    except ValueError as exc:
        raise InputError(f"RDF/XML cannot write the IRI {iri} as an element name") from exc
    return f"{prefix}:{local}" if prefix else local


def rdfxml(prep: Prepared) -> bytes:
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
