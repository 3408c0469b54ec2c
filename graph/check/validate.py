"""SHACL validation of a built graph against the cakg shapes, with violations that read well.

>>> from rdflib import Graph
>>> validate_graph(Graph()).conforms
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from cakg.graph.info import triple_count
from cakg.graph.namespaces import PREFIXES, RDF, RDFS, bind_prefixes
from cakg.graph.ontology import ontology_graph, shapes_graph
from cakg.graph.store.dataset import load_knowledge_graph

__all__ = ["ValidationReport", "Violation", "short", "validate_files", "validate_graph"]

SHAPES_NS = "https://cakg.example.org/shapes#"
_PREFIXES = sorted(({**PREFIXES, "shape": SHAPES_NS}).items(), key=lambda kv: -len(kv[1]))


@lru_cache(maxsize=65536)  # reasons name the same few predicates and classes again and again
def short(term: Node | None) -> str:
    """A term as a researcher reads it: a prefixed name where a prefix fits, else the IRI.

    >>> short(URIRef("http://schema.org/author"))
    'schema:author'
    >>> short(URIRef("https://example.org/kg/claim/1"))
    '<https://example.org/kg/claim/1>'
    >>> short(Literal("x"))
    '"x"'
    >>> short(Literal(-5))
    '"-5"^^xsd:integer'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, ns in _PREFIXES:
            local = iri[len(ns) :]
            if iri.startswith(ns) and local and all(c.isalnum() or c in "-_." for c in local):
                return f"{prefix}:{local}"
        return f"<{iri}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal) and term.datatype is not None:
        return f"{Literal(str(term)).n3()}^^{short(term.datatype)}"
    return str(term.n3())


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result (SHACL §3.6): where, what path, and what is wrong."""

    focus: str
    path: str
    message: str
    severity: str = "Violation"
    shape: str = ""
    value: str = ""
    focus_node: Node | None = field(default=None, compare=False)


@dataclass
class ValidationReport:
    """The outcome of validating a graph: conforms, its size, and the results in order."""

    conforms: bool
    triples: int
    results: list[Violation] = field(default_factory=list)
    report_graph: Graph | None = field(default=None, repr=False)

    @property
    def violations(self) -> list[Violation]:
        """Results of severity Violation (warnings do not break conformance)."""
        return [r for r in self.results if r.severity == "Violation"]


def _path_text(report: Graph, path: Node | None) -> str:
    # Complex paths are blank nodes (SHACL §2.3.1); show the alternatives of the ones we use.
    if path is None:
        return ""
    if isinstance(path, BNode):
        alt = report.value(path, SH.alternativePath)
        if alt is not None:
            return " | ".join(short(p) for p in Collection(report, alt))
        inv = report.value(path, SH.inversePath)
        if inv is not None:
            return f"^{short(inv)}"
    return short(path)


def _message(report: Graph, result: Node) -> str:
    messages = list(report.objects(result, SH.resultMessage))
    english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    chosen = english or messages
    return str(chosen[0]) if chosen else "does not conform"


def _results(report: Graph) -> list[Violation]:
    out: dict[tuple[str, str, str, str], Violation] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        severity = report.value(result, SH.resultSeverity)
        value = report.value(result, SH.value)
        message = _message(report, result)
        if value is not None:
            # The offending value tells the reader what to look for in the data.
            message = f"{message.rstrip('.')}; found {short(value)}."
        v = Violation(
            focus=short(focus),
            path=_path_text(report, report.value(result, SH.resultPath)),
            message=message,
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            shape=short(report.value(result, SH.sourceShape)),
            value=short(value) if value is not None else "",
            focus_node=focus,
        )
        # One shape with two constraints (sh:datatype and sh:minInclusive, say) reports the
        # same message twice for one bad value; the reader needs it once.
        out.setdefault((v.focus, v.path, v.message, v.severity), v)
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(
        out.values(), key=lambda v: (order.get(v.severity, 3), v.focus, v.path, v.message)
    )


@lru_cache(maxsize=1)
def _class_hierarchy() -> tuple[tuple[Node, Node, Node], ...]:
    # SHACL instance-of follows rdfs:subClassOf in the *data* graph (SHACL §1.5), so the
    # hierarchy goes with the data: an InternationalOrganization is then a cakg:Organization
    # for sh:class and sh:targetClass even where the build did not materialize the type.
    # Read once: a corpus build validates every article.
    return tuple(
        (s, RDFS.subClassOf, o)
        for s, o in ontology_graph().subject_objects(RDFS.subClassOf)
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    )


def validate_graph(
    data: Graph, shapes: Graph | None = None, *, inplace: bool = False
) -> ValidationReport:
    """Validate one graph against the cakg shapes (or ``shapes``) and collect readable results.

    ``inplace=True`` lets validation add the ontology's class hierarchy to ``data`` instead
    of to a copy (for a graph the caller built only to validate it).
    """
    triples = triple_count(data)
    if inplace:
        target = data
    else:
        target = Graph()
        for t in data:
            target.add(t)
    for t in _class_hierarchy():
        target.add(t)
    conforms, report, _text = shacl_validate(
        target,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none",  # types are materialized by the build; the hierarchy is added above
        advanced=True,
        inplace=True,
        allow_warnings=True,  # sh:Warning results are reported but do not fail validation
    )
    report_graph = report if isinstance(report, Graph) else Graph()
    bind_prefixes(report_graph)
    return ValidationReport(
        conforms=bool(conforms),
        triples=triples,
        results=_results(report_graph),
        report_graph=report_graph,
    )


def validate_files(paths: Sequence[Path] | Path) -> ValidationReport:
    """Validate built graph files (TriG, N-Quads, or any RDF file; all named graphs merged)."""
    return validate_graph(load_knowledge_graph(paths).merged(), inplace=True)
