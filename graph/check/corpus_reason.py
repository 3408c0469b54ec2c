"""Reasoning at corpus scale: the ontology classified once, then each article on its own.

HermiT over the whole ABox grows with the corpus (41 s at 64 articles, and a JVM that
needs the whole graph in memory). What reasoning gives this data is three things, and
none of them needs the whole corpus at once:

* **the class hierarchy** the ontology entails: HermiT classifies the ontology alone
  (its TBox), once per ontology version; the result is cached, named by the ontology's
  hash (:mod:`cakg.graph.cache`);
* **types from domains and ranges, and inverse links**: a triple ``s p o`` gives ``s`` the
  domain of ``p`` and ``o`` its range (for a union, the classes every member is a
  sub-class of) and ``o q s`` for ``q`` inverse of ``p`` (OWL 2 RL rules prp-dom,
  prp-rng, prp-inv1/2, cax-sco: OWL 2 Profiles §4.3); each comes from one triple, so an
  article's own triples give all of its share;
* **consistency**: the ways ABox data can contradict this ontology (disjoint types, asserted
  or implied by domains and ranges; functional properties with two different values;
  literals outside a data property's range; :func:`~cakg.graph.check.reason.inconsistencies`)
  involve one individual's types and values, so an article is checked with its triples and
  what the store says of the nodes they touch (:mod:`cakg.graph.store.context`), including
  the types other articles' checks inferred for them.

An article's inferences go to its own graph, ``<base>graph/article/<slug>/inferred``, written
with it and removed with it, so that the merged default graph holds them like any triple.
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph.cache import cache_file
from cakg.graph.check.reason import (
    class_options,
    inconsistencies,
    inverse_closure,
    java_executable,
    jvm_options,
    own_individuals,
)
from cakg.graph.io import atomic_write
from cakg.graph.namespaces import OWL, RDF, RDFS, graph_base
from cakg.graph.ontology import closure, materialize, ontology_graph
from cakg.graph.store.context import article_context
from cakg.graph.store.engines import OxigraphStore

__all__ = [
    "ArticleCheck",
    "StoreReasoning",
    "check_article",
    "classified_hierarchy",
    "inferred_graph",
    "reason_store",
]

_IGNORED_TYPES = {OWL.Thing, OWL.NamedIndividual}


def inferred_graph(graph: URIRef) -> URIRef:
    """The graph of what reasoning inferred from one article's graph.

    >>> str(inferred_graph(URIRef("https://x.org/id/graph/article/a")))
    'https://x.org/id/graph/article/a/inferred'
    """
    return URIRef(f"{graph}/inferred")


# --- the ontology, classified once ---------------------------------------------------------------


def _classify(ontology: Graph) -> dict[str, list[str]]:
    """HermiT's classification of the ontology alone: each named class's super-classes."""
    import owlready2

    owlready2.JAVA_EXE = java_executable()
    nt = ontology.serialize(format="nt11", encoding="utf-8")
    world = owlready2.World()
    try:
        world.get_ontology("urn:cakg:tbox").load(fileobj=io.BytesIO(nt), format="ntriples")
        with jvm_options():
            owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
        unsatisfiable = [c.iri for c in world.inconsistent_classes() if hasattr(c, "iri")]
        if unsatisfiable:
            raise InputError(f"the ontology has unsatisfiable classes: {unsatisfiable[0]}")
        out: dict[str, list[str]] = {}
        for cls in world.classes():
            supers = {a.iri for a in cls.ancestors() if hasattr(a, "iri")}
            out[cls.iri] = sorted(supers - {cls.iri, str(OWL.Thing)})
        return out
    except owlready2.OwlReadyInconsistentOntologyError:
        raise InputError("the ontology is inconsistent on its own") from None
    finally:
        world.close()


@lru_cache(maxsize=1)
def classified_hierarchy() -> Mapping[URIRef, frozenset[URIRef]]:
    """The shipped ontology's entailed super-classes of each class: HermiT's classification,
    cached by the ontology's hash (a JVM once per ontology version, then a file read)."""
    path = cache_file("tbox", "hermit", [("cakg.ontology", "*.ttl")], ".json")
    found: dict[str, list[str]] | None = None
    if path is not None and path.is_file():
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = None
    if found is None:
        found = _classify(ontology_graph())
        if path is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written is no error
                atomic_write(path, json.dumps(found, sort_keys=True).encode("utf-8"))
    # HermiT's answer and the asserted closure agree on this ontology; the union keeps the
    # external super-classes (schema:, prov:) that owlready2 may leave out of ancestors().
    asserted = closure().classes
    classes = {URIRef(c) for c in found} | set(asserted)
    return {
        c: frozenset(URIRef(s) for s in found.get(str(c), ())) | asserted.get(c, frozenset())
        for c in classes
    }


# --- one article ---------------------------------------------------------------------------------


@dataclass
class ArticleCheck:
    """What reasoning says of one article: consistent or not (and why), what it infers."""

    graph: URIRef
    consistent: bool = True
    explanation: str = ""
    culprits: list[URIRef] = field(default_factory=list)
    inferred: Graph = field(default_factory=Graph, repr=False)
    seconds: float = 0.0


@dataclass(frozen=True)
class _Axioms:
    """The ontology's domains, ranges (as named classes) and object properties."""

    domains: Mapping[Node, list[URIRef]]
    ranges: Mapping[Node, list[URIRef]]
    hierarchy: Mapping[URIRef, frozenset[URIRef]]

    @classmethod
    def of(cls, ontology: Graph, hierarchy: Mapping[URIRef, frozenset[URIRef]]) -> _Axioms:
        """The axioms of ``ontology``, unions of classes read as ``hierarchy`` says."""

        def common(options: list[URIRef]) -> list[URIRef]:
            # A union's members share their common super-classes: what HermiT concludes.
            if len(options) <= 1:
                return options
            sets = [{o, *hierarchy.get(o, ())} for o in options]
            return sorted(set.intersection(*sets) - _IGNORED_TYPES, key=str)

        objects = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
        domains = {
            p: common(class_options(ontology, d)) for p, d in ontology.subject_objects(RDFS.domain)
        }
        ranges = {
            p: common(class_options(ontology, r))
            for p, r in ontology.subject_objects(RDFS.range)
            if p in objects
        }
        return cls(domains, ranges, hierarchy)


def _types(triples: Iterable[tuple[Node, Node, Node]], axioms: _Axioms, nodes: set[Node]) -> Graph:
    """The types ``triples`` entail for ``nodes``: asserted, from domains and ranges, and
    every super-class of those."""
    direct: dict[Node, set[URIRef]] = {}
    for s, p, o in triples:
        if p == RDF.type and isinstance(o, URIRef):
            direct.setdefault(s, set()).add(o)
            continue
        direct.setdefault(s, set()).update(axioms.domains.get(p, ()))
        if isinstance(o, URIRef):
            direct.setdefault(o, set()).update(axioms.ranges.get(p, ()))
    out = Graph()
    for node, classes in direct.items():
        if node not in nodes:
            continue
        for c in classes:
            for t in (c, *axioms.hierarchy.get(c, ())):
                if t not in _IGNORED_TYPES:
                    out.add((node, RDF.type, t))
    return out


@lru_cache(maxsize=1)
def _shipped_ontology() -> Graph:
    return ontology_graph()


@lru_cache(maxsize=1)
def _shipped_axioms() -> _Axioms:
    return _Axioms.of(_shipped_ontology(), classified_hierarchy())


def check_article(
    name: URIRef,
    graphs: Mapping[URIRef, Graph],
    data: Graph,
    base: str,
    ontology: Graph | None = None,
) -> ArticleCheck:
    """Reason over one article: ``graphs`` are its own, ``data`` those with their context;
    ``ontology`` defaults to the shipped one (read once)."""
    started = time.perf_counter()
    axioms = _shipped_axioms() if ontology is None else _Axioms.of(ontology, classified_hierarchy())
    ontology = ontology if ontology is not None else _shipped_ontology()
    mentioned = {n for g in graphs.values() for s, _, o in g for n in (s, o)}
    individuals = own_individuals(data, ontology, base) & mentioned
    problems = [(n, why) for n, why in inconsistencies(data, ontology) if n in mentioned]
    check = ArticleCheck(name)
    if problems:
        check.consistent = False
        check.explanation = "; ".join(why for _, why in problems)
        check.culprits = [n for n, _ in problems if isinstance(n, URIRef)]
        check.seconds = time.perf_counter() - started
        return check
    inferred = Graph()
    inverse_closure(data, inferred, ontology, individuals)
    for t in _types((*data, *inferred), axioms, individuals):
        if t not in data:
            inferred.add(t)
    for t in materialize(inferred, ontology):
        if t not in data:
            inferred.add(t)
    check.inferred = inferred
    check.seconds = time.perf_counter() - started
    return check


# --- the store, article by article ---------------------------------------------------------------


@dataclass
class StoreReasoning:
    """What ``cakg reason --store`` found: each article's check, and the time taken."""

    checks: list[ArticleCheck] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def consistent(self) -> bool:
        return all(c.consistent for c in self.checks)

    @property
    def inferred(self) -> int:
        return sum(len(c.inferred) for c in self.checks)


def _data_graphs(store: OxigraphStore) -> list[tuple[URIRef, list[URIRef]]]:
    """Each unit reasoning checks: an article's graph with its curation graph, and the
    reference graph; never the ontology, VoID or earlier inferences."""
    names = set(store.graph_names())
    units = []
    for name in sorted(names):
        text = str(name)
        if text.endswith(("/inferred", "/curation", "graph/ontology", "graph/void")):
            continue
        curation = URIRef(f"{text}/curation")
        units.append((name, [name, *([curation] if curation in names else [])]))
    return units


def reason_article(
    store: OxigraphStore, name: URIRef, graphs: Mapping[URIRef, Graph]
) -> ArticleCheck:
    """Check one article's graphs against the ontology and what the store says of the nodes
    they touch; its inferences are not written (the caller writes them with the article)."""
    base = graph_base(str(name))
    if base is None:
        raise InputError(f"not a graph of a cakg store: {name}")
    outside = [*graphs, inferred_graph(name)]
    data = article_context(store, graphs, outside=outside)
    return check_article(name, graphs, data, base)


def reason_store(store_dir: Path) -> StoreReasoning:
    """Check every article of the store in ``store_dir`` on its own, writing each one's
    inferences into its inferred graph (one transaction per article)."""
    from cakg.graph.corpus import open_corpus_store

    started = time.perf_counter()
    store = open_corpus_store(store_dir)
    report = StoreReasoning()
    for name, parts in _data_graphs(store):
        graphs = {g: store.graph(g) for g in parts}
        check = reason_article(store, name, graphs)
        report.checks.append(check)
        store.put_graphs({inferred_graph(name): check.inferred})
    store.flush()
    report.seconds = time.perf_counter() - started
    return report
