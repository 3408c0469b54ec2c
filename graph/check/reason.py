"""OWL 2 reasoning with HermiT: check that ontology + data are consistent, keep what it infers.

HermiT runs through owlready2 in a fresh ``World`` per call (nothing leaks into
owlready2's global ``default_world``). Inferred facts about the data's own individuals
(IRIs under the build's base) go into the named graph ``<base>graph/inferred``; the
asserted graphs are never changed.
When the data is inconsistent, HermiT only says so; the individuals to blame are found
here by checking the asserted and domain/range-implied types against the ontology's
disjointness axioms, and functional properties against its ``owl:AllDifferent`` axioms.
"""

from __future__ import annotations

import io
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph.check.validate import short
from cakg.graph.formats import RDF_FORMATS, RdfFormat, rdf_format_for_suffix
from cakg.graph.io import atomic_write
from cakg.graph.namespaces import OWL, RDF, RDFS, XSD, bind_prefixes
from cakg.graph.ontology import closure, materialize, ontology_graph
from cakg.graph.store.dataset import KnowledgeGraph, built_graph_files, load_knowledge_graph

__all__ = [
    "ReasonReport",
    "class_options",
    "explain_inconsistency",
    "inconsistencies",
    "inverse_closure",
    "java_executable",
    "jvm_options",
    "own_individuals",
    "reason_files",
    "reason_graph",
]

# Graphs that are not data: the ontology is replaced by the shipped one, the previous
# inferences are recomputed, and the VoID description is about the dataset, not in it.
_SKIPPED_GRAPHS = ("graph/ontology", "graph/inferred", "graph/void")

# HermiT is a short-lived JVM: the C1 compiler alone and the serial collector start
# several times faster than the server defaults and do not slow a one-second run.
_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


@dataclass
class ReasonReport:
    """What HermiT said: consistent or not (and why), and what it inferred."""

    consistent: bool
    explanation: str = ""
    inferred: int = 0
    graph: URIRef | None = None
    seconds: float = 0.0
    written: Path | None = None
    triples: Graph = field(default_factory=Graph, repr=False)
    culprits: list[URIRef] = field(default_factory=list)


def java_executable() -> str:
    """The ``java`` HermiT runs on (one clear line when there is none)."""
    java = shutil.which("java")
    if java is None:
        raise InputError("java not found: install default-jre-headless")
    return java


@contextmanager
def jvm_options() -> Iterator[None]:
    """Start the JVMs of this block with options for a short run (restored afterwards)."""
    # owlready2 starts Java without an env argument, so options go through the one
    # variable every JVM reads at start; restored afterwards.
    old = os.environ.get("JAVA_TOOL_OPTIONS")
    os.environ["JAVA_TOOL_OPTIONS"] = f"{old} {_JVM_OPTIONS}" if old else _JVM_OPTIONS
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("JAVA_TOOL_OPTIONS", None)
        else:
            os.environ["JAVA_TOOL_OPTIONS"] = old


def _is_skipped(name: URIRef) -> bool:
    return str(name).endswith(_SKIPPED_GRAPHS)


def _data_graph(kg: KnowledgeGraph) -> Graph:
    data = Graph()
    for name, g in kg:
        if _is_skipped(name):
            continue
        for t in g:
            data.add(t)
    return data


def own_individuals(data: Graph, ontology: Graph, base: str) -> set[Node]:
    """The data's own individuals: IRIs under ``base`` that the ontology does not define.

    >>> from cakg.graph.namespaces import WD
    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:x:state/kz"), OWL.sameAs, WD.Q232))
    >>> sorted(own_individuals(g, Graph(), "urn:x:"))
    [rdflib.term.URIRef('urn:x:state/kz')]
    """
    # The reasoner infers about the IRIs this dataset mints (the void:uriSpace its VoID
    # states), not about those it links to. `kz owl:sameAs wd:Q232` makes both IRIs name
    # one individual (OWL 2 Structural Specification §9.6.1, SameIndividual), so every
    # type of kz is entailed for wd:Q232 too; writing those copies out would re-describe
    # Wikidata's entities in our dataset, and the shapes, which target by class (SHACL
    # §2.1.3.2), would then ask them for the labels only our own IRIs carry. The links
    # stay in the data, so a consumer with an OWL reasoner still draws the same entailments.
    defined = set(ontology.subjects())
    out: set[Node] = set()
    for s, p, o in data:
        for node in (s,) if p == RDF.type else (s, o):
            if isinstance(node, URIRef) and str(node).startswith(base) and node not in defined:
                out.add(node)
    return out


def _storid_triples(world: Any) -> set[tuple[int, int, int]]:
    # Object triples only: HermiT's answers are types and object property values, which
    # owlready2 keeps in its quadstore's `objs` table as integer resource ids (storids).
    return {(s, p, o) for s, p, o in world.graph.execute("SELECT s, p, o FROM objs")}


# Triples of these kinds carry the logic of an OWL 2 ontology (OWL 2 RDF mapping §3.2).
_AXIOM_PREDICATES = (
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf,
    OWL.disjointWith, OWL.equivalentClass, OWL.equivalentProperty, OWL.propertyDisjointWith,
    OWL.propertyChainAxiom, OWL.hasKey,
)  # fmt: skip
_CHARACTERISTICS = {
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty,
    OWL.SymmetricProperty, OWL.AsymmetricProperty, OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
}  # fmt: skip


def constrained_terms(ontology: Graph) -> set[URIRef]:
    """The classes and properties some logical axiom of the ontology says something about.

    A term outside this set occurs at most as a super-class, a super-property or in a bare
    declaration, so assertions with it have no consequences and cannot make the data
    inconsistent: ``C(a)`` with ``D ⊑ C`` entails nothing about D, and likewise
    ``P(a, b)`` with ``Q ⊑ P``. Leaving such assertions out of HermiT's input is therefore
    sound and makes it several times faster on the materialized exports.
    """
    terms: set[Node] = set()
    for p in _AXIOM_PREDICATES:
        terms.update(ontology.subjects(p))
    for s, o in ontology.subject_objects(RDF.type):
        if o in _CHARACTERISTICS:
            terms.add(s)
    for p in (OWL.inverseOf, OWL.onProperty, OWL.onClass, OWL.someValuesFrom, OWL.allValuesFrom):
        terms.update(ontology.objects(None, p))
    lists = list(ontology.objects(None, OWL.unionOf)) + list(
        ontology.objects(None, OWL.intersectionOf)
    )
    lists += [
        m
        for n in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
        if (m := ontology.value(n, OWL.members)) is not None
    ]
    for lst in lists:
        terms.update(Collection(ontology, lst))
    return {t for t in terms if isinstance(t, URIRef)}


def _relevant(data: Graph, ontology: Graph) -> Graph:
    terms = constrained_terms(ontology)
    keep = Graph()
    for s, p, o in data:
        if p in terms or (p == RDF.type and o in terms) or p in (OWL.sameAs, OWL.differentFrom):
            keep.add((s, p, o))
    return keep


def _run_hermit(
    data: Graph, ontology: Graph, individuals: set[Node], *, property_values: bool = False
) -> tuple[bool, Graph]:
    """Run HermiT over ontology + data; (consistent, inferred triples about individuals)."""
    import owlready2

    owlready2.JAVA_EXE = java_executable()
    combined = Graph()
    for t in ontology:
        combined.add(t)
    for t in data:
        combined.add(t)
    # owlready2 0.51 cannot parse Turtle; N-Triples is its native exchange format.
    nt = combined.serialize(format="nt11", encoding="utf-8")
    world = owlready2.World()
    try:
        world.get_ontology("urn:cakg:reasoning").load(fileobj=io.BytesIO(nt), format="ntriples")
        before = _storid_triples(world)
        try:
            with jvm_options():
                # ignore_unsupported_datatypes: xsd:date, xsd:gYear and xsd:gYearMonth are
                # not in the OWL 2 datatype map (OWL 2 Structural Specification §4), and
                # HermiT would otherwise refuse the membership dates and publication months.
                # infer_property_values (HermiT -Y) is off by default: it asks HermiT for
                # every property over every pair of individuals, 288 s instead of 6 s on the
                # bundled article, and adds nothing the inverse and sub-property closure
                # computed afterwards does not (owlready2 drops inverse values anyway).
                owlready2.sync_reasoner_hermit(
                    world,
                    infer_property_values=property_values,
                    debug=0,
                    ignore_unsupported_datatypes=True,
                )
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, Graph()
        except owlready2.OwlReadyJavaError as exc:
            lines = [ln for ln in str(exc).splitlines() if ln.strip()]
            detail = next((ln for ln in lines if "Exception" in ln), lines[-1] if lines else "")
            raise InputError(f"HermiT failed: {detail.strip()}") from None
        after = _storid_triples(world)
        iris = world.graph.get_storid_dict()
    finally:
        world.close()

    inferred = Graph()
    ignored_types = {OWL.Thing, OWL.NamedIndividual}
    for s, p, o in after - before:
        # Negative storids are blank nodes, renamed on loading: they cannot be related back
        # to the data's blank nodes, so their inferences are left out.
        if s < 0 or o < 0 or s not in iris or p not in iris or o not in iris:
            continue
        subject, predicate, obj = URIRef(iris[s]), URIRef(iris[p]), URIRef(iris[o])
        if subject not in individuals:
            continue
        if predicate == RDF.type and obj in ignored_types:
            continue
        if (subject, predicate, obj) not in data:
            inferred.add((subject, predicate, obj))
    return True, inferred


def inverse_closure(data: Graph, inferred: Graph, ontology: Graph, individuals: set[Node]) -> None:
    """Add to ``inferred`` the inverse of every object property value about ``individuals``."""
    # owlready2 deliberately drops a property value HermiT reports when the inverse value is
    # asserted (its Python API reads both directions from one triple), but an RDF consumer
    # needs both: OWL 2 RL rule prp-inv1/prp-inv2 (OWL 2 Profiles §4.3, table 5).
    pairs: list[tuple[Node, Node]] = []
    for p, q in ontology.subject_objects(OWL.inverseOf):
        pairs += [(p, q), (q, p)]
    for p, q in pairs:
        for source in (data, inferred):
            for s, o in list(source.subject_objects(p)):
                if not isinstance(o, URIRef) or o not in individuals:
                    continue
                t = (o, q, s)
                if t not in data:
                    inferred.add(t)


# --- explaining an inconsistency ---------------------------------------------------------------


def class_options(g: Graph, node: Node) -> list[URIRef]:
    """The named classes a domain or range allows: one class, or the members of a union."""
    if isinstance(node, URIRef):
        return [node]
    union = g.value(node, OWL.unionOf)
    if union is None:
        return []
    return [m for m in Collection(g, union) if isinstance(m, URIRef)]


def _disjoint_pairs(ontology: Graph) -> set[frozenset[URIRef]]:
    pairs: set[frozenset[URIRef]] = set()
    for a, b in ontology.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs.add(frozenset((a, b)))
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members_list = ontology.value(node, OWL.members)
        if members_list is None:
            continue
        members = [m for m in Collection(ontology, members_list) if isinstance(m, URIRef)]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add(frozenset((a, b)))
    return pairs


def _all_different(ontology: Graph) -> list[set[Node]]:
    groups: list[set[Node]] = []
    for node in ontology.subjects(RDF.type, OWL.AllDifferent):
        for key in (OWL.members, OWL.distinctMembers):
            lst = ontology.value(node, key)
            if lst is not None:
                groups.append(set(Collection(ontology, lst)))
    return groups


_INTEGER_TYPES = {
    XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
    XSD.positiveInteger, XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedLong,
    XSD.unsignedInt, XSD.unsignedShort, XSD.unsignedByte,
}  # fmt: skip
_STRING_TYPES = {None, XSD.string, RDF.langString, RDF.PlainLiteral}


def _fits(value: Literal, datatype: Node) -> bool:
    """Whether a literal lies in a data range (the OWL 2 datatype map, §4, for our ranges)."""
    if getattr(value, "ill_typed", False):
        return False
    dt = value.datatype if value.language is None else RDF.langString
    if datatype == RDF.PlainLiteral:
        return dt in _STRING_TYPES
    if datatype == XSD.string:
        return dt in (None, XSD.string)
    if datatype in _INTEGER_TYPES:
        if dt not in _INTEGER_TYPES:
            return False
        number = value.toPython()
        return isinstance(number, int) and (datatype != XSD.nonNegativeInteger or number >= 0)
    if datatype == XSD.boolean:
        return dt == XSD.boolean
    return True


class _Clashes:
    """Collects why individuals are instances of classes, then finds the contradictions."""

    def __init__(self, ontology: Graph) -> None:
        self.onto = ontology
        self.supers = closure(ontology).classes
        self.pairs = _disjoint_pairs(ontology)
        # types[individual][class] = why the individual is an instance of that class
        self.types: dict[Node, dict[URIRef, str]] = {}
        # one-of constraints from union domains and ranges: (individual, classes, why)
        self.unions: list[tuple[Node, list[URIRef], str]] = []

    def add(self, ind: Node, cls: URIRef, why: str, *, asserted: bool = False) -> None:
        known = self.types.setdefault(ind, {})
        for c in (cls, *self.supers.get(cls, ())):
            # An asserted type explains better than one implied by a domain or a range.
            if c not in known or (asserted and not known[c].startswith("typed")):
                known[c] = why

    def implied(self, ind: Node, options: list[URIRef], why: str, article: str) -> None:
        """A type implied by a domain or range: one class, or a union (any one of them)."""
        if len(options) == 1:
            self.add(ind, options[0], why)
        elif options:
            self.unions.append((ind, options, f"{article} {why}"))

    def excluded(self, ind: Node, cls: URIRef) -> str | None:
        """Why ``ind`` cannot be a ``cls``: a known type disjoint with it or a super-class of it."""
        known = self.types.get(ind, {})
        for target in (cls, *self.supers.get(cls, ())):
            for k, why in known.items():
                if frozenset((k, target)) in self.pairs:
                    return f"{short(k)} ({why})"
        return None

    def problems(self) -> list[tuple[Node, str]]:
        out: list[tuple[Node, str]] = []
        for ind in sorted(self.types, key=str):
            known = self.types[ind]
            clash = sorted(
                (sorted(pair, key=str) for pair in self.pairs if pair <= known.keys()),
                key=lambda ab: (str(ab[0]), str(ab[1])),
            )
            if clash:
                a, b = clash[0]
                out.append(
                    (
                        ind,
                        f"{short(ind)} is both a {short(a)} ({known[a]}) and a {short(b)}"
                        f" ({known[b]}), which are disjoint",
                    )
                )
        seen = {ind for ind, _ in out}
        for ind, options, why in self.unions:
            if ind in seen:
                continue
            reasons = [self.excluded(ind, c) for c in options]
            if all(reasons):
                allowed = " or ".join(short(c) for c in options)
                out.append(
                    (
                        ind,
                        f"{short(ind)} is {why}, which must be a {allowed}, but it is a "
                        f"{reasons[0]}, disjoint with them",
                    )
                )
                seen.add(ind)
        return out


def explain_inconsistency(data: Graph, ontology: Graph | None = None) -> tuple[str, list[URIRef]]:
    """Name the individuals that make ontology + data inconsistent, and say why.

    HermiT itself only reports *that* the ontology is inconsistent; the reasons are what
    :func:`inconsistencies` finds.

    >>> from rdflib import Graph, URIRef
    >>> from cakg.graph.namespaces import CAKG
    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:x"), RDF.type, CAKG.State))
    >>> _ = g.add((URIRef("urn:x"), RDF.type, CAKG.Organization))
    >>> explain_inconsistency(g)[1]
    [rdflib.term.URIRef('urn:x')]
    """
    problems = inconsistencies(data, ontology)
    if not problems:
        return (
            "HermiT found ontology and data inconsistent, but no individual with disjoint types, "
            "clashing functional values or out-of-range literals was found",
            [],
        )
    culprits: list[URIRef] = []
    for ind, _ in problems:
        if isinstance(ind, URIRef) and ind not in culprits:
            culprits.append(ind)
    return "; ".join(text for _, text in problems), culprits


def inconsistencies(data: Graph, ontology: Graph | None = None) -> list[tuple[Node, str]]:
    """The individuals whose triples contradict the ontology, each with the reason.

    Checks the asserted types and those implied by domains and ranges (unions included)
    against the disjointness axioms, functional properties against ``owl:AllDifferent``,
    and literals against data property ranges: the usual ways ABox data contradicts
    this ontology.
    """
    onto = ontology if ontology is not None else ontology_graph()
    clashes = _Clashes(onto)
    domains = {p: class_options(onto, d) for p, d in onto.subject_objects(RDFS.domain)}
    ranges = {p: class_options(onto, r) for p, r in onto.subject_objects(RDFS.range)}
    data_ranges = {
        p: r
        for p, r in onto.subject_objects(RDFS.range)
        if (p, RDF.type, OWL.DatatypeProperty) in onto
    }
    problems: list[tuple[Node, str]] = []
    for s, p, o in data:
        if p == RDF.type:
            if isinstance(o, URIRef):
                clashes.add(s, o, f"typed {short(o)}", asserted=True)
            continue
        clashes.implied(s, domains.get(p, []), f"subject of {short(p)}", "the")
        if isinstance(o, Literal):
            expected = data_ranges.get(p)
            if expected is not None and not _fits(o, expected):
                problems.append(
                    (s, f"{short(s)} has {short(p)} {short(o)}, not a {short(expected)}")
                )
            continue
        clashes.implied(o, ranges.get(p, []), f"value of {short(p)}", "a")
    problems = clashes.problems() + problems

    groups = _all_different(onto)
    for p in sorted(onto.subjects(RDF.type, OWL.FunctionalProperty), key=str):
        by_subject: dict[Node, set[Node]] = {}
        for s, o in data.subject_objects(p):
            by_subject.setdefault(s, set()).add(o)
        for s, values in sorted(by_subject.items(), key=lambda kv: str(kv[0])):
            if len(values) < 2:
                continue
            literals = all(isinstance(v, Literal) for v in values)
            if literals or any(len(values & group) >= 2 for group in groups):
                shown = ", ".join(sorted(short(v) for v in values))
                problems.append(
                    (s, f"{short(s)} has several values of functional {short(p)}: {shown}")
                )

    return problems


# --- entry points ------------------------------------------------------------------------------


def reason_graph(kg: KnowledgeGraph, *, property_values: bool = False) -> ReasonReport:
    """Reason over the ontology and the data graphs of ``kg``; store inferences in its graph.

    ``property_values=True`` also asks HermiT for entailed object property values
    (owlready2's ``infer_property_values``): complete but minutes instead of seconds.
    """
    started = time.perf_counter()
    ontology = ontology_graph()
    data = _data_graph(kg)
    individuals = own_individuals(data, ontology, kg.base)
    consistent, found = _run_hermit(
        _relevant(data, ontology), ontology, individuals, property_values=property_values
    )
    inferred = Graph()
    for t in found:
        if t not in data:
            inferred.add(t)
    name = URIRef(f"{kg.base}graph/inferred")
    if not consistent:
        explanation, culprits = explain_inconsistency(data, ontology)
        return ReasonReport(
            consistent=False,
            explanation=explanation,
            graph=name,
            seconds=time.perf_counter() - started,
            culprits=culprits,
        )
    inverse_closure(data, inferred, ontology, individuals)
    # HermiT reports the most specific types only; their standard super-types (and the
    # super-properties of inferred values) are added as the build adds them to asserted data.
    for t in materialize(inferred, ontology):
        if t not in data:
            inferred.add(t)
    target = kg.graph(name)
    target.remove((None, None, None))
    for t in inferred:
        target.add(t)
    bind_prefixes(target)
    return ReasonReport(
        consistent=True,
        inferred=len(target),
        graph=name,
        seconds=time.perf_counter() - started,
        triples=target,
    )


def _dataset_format(path: Path) -> RdfFormat | None:
    """The format of a file that can hold the separate inferred graph (TriG, N-Quads)."""
    fmt = rdf_format_for_suffix(path)
    return fmt if fmt is not None and fmt.keeps_graphs else None


def reason_files(paths: Sequence[Path] | Path, out: Path | None = None) -> ReasonReport:
    """Reason over built graph files; write the dataset with its inferred graph when consistent.

    The result goes to ``out`` (TriG) if given, else back into the one input when that is a
    TriG or N-Quads dataset (atomically); Turtle and other single-graph inputs are not
    rewritten, because they cannot hold the separate inferred graph.
    """
    items = built_graph_files(paths)
    if not items:
        raise InputError("no graph given")
    kg = load_knowledge_graph(items)
    report = reason_graph(kg)
    if not report.consistent:
        return report
    target: Path | None = None
    if out is not None:
        target = out / "kg.trig" if out.is_dir() else out
    elif len(items) == 1 and _dataset_format(items[0]) is not None:
        target = items[0]
    if target is not None:
        fmt = _dataset_format(target) or RDF_FORMATS["trig"]
        data = kg.dataset().serialize(format=fmt.rdflib, encoding="utf-8")
        report.written = atomic_write(target, data)
    return report
