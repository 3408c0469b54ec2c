"""`cakg build`: articles in, a validated knowledge graph of named graphs out.

Every input is read and extracted before anything is written; a bad article stops
the build with a one-line error naming it, and the output folder is left untouched.
Outputs are written to temporary files and renamed (:mod:`cakg.graph.io`).

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> report = build_graph([], out)            # the bundled article
>>> report.counts["experts"], report.counts["answers"]
(5, 16)
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rich.console import Console

from cakg.errors import InputError
from cakg.graph.cache import cache_file
from cakg.graph.entities.gazetteer import Gazetteer
from cakg.graph.entities.reference import reference_graph
from cakg.graph.extract.article import Extraction, extract_article
from cakg.graph.extract.curation import apply_curation, find_overlay
from cakg.graph.info import TRIPLES, triple_count
from cakg.graph.io import atomic_write
from cakg.graph.namespaces import DEFAULT_BASE, Minter, bind_prefixes
from cakg.graph.ontology import materialize, ontology_graph
from cakg.graph.store.dataset import KnowledgeGraph
from cakg.graph.text.reader import ArticleText, bundled_article
from cakg.graph.text.sources import cache_pages, read_sources

__all__ = [
    "BuildReport",
    "Corpus",
    "build_graph",
    "build_knowledge_graph",
    "materialize_into",
    "numbered_slug",
]


@dataclass
class BuildReport:
    """What a build made: counts, the files written, warnings, and SHACL violations."""

    kg: KnowledgeGraph
    extractions: list[Extraction]
    counts: dict[str, int] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    violations: int = 0


def _read_all(sources: Sequence[Path | str]) -> list[ArticleText]:
    if not sources:
        return [bundled_article()]
    return read_sources(sources)


@dataclass
class Corpus:
    """What extracting articles needs once per base: the minter, ontology and reference data."""

    minter: Minter
    ontology: Graph
    reference: Graph
    gazetteer: Gazetteer

    @classmethod
    def for_base(cls, base: str | None) -> Corpus:
        """The corpus of ``base``: read from the cache when the reference data, ontology and
        code that make it are unchanged, else made (0.7 s) and cached (read back: 0.1 s)."""
        try:
            minter = Minter(base or DEFAULT_BASE)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        key = " ".join([minter.base, *(f"{d}={version(d)}" for d in _CORPUS_PACKAGES)])
        path = cache_file("corpus", key, _CORPUS_SOURCES, ".pickle")
        if path is not None:
            try:
                cached = pickle.loads(path.read_bytes())
                if isinstance(cached, Corpus):
                    return cached
            except Exception:  # any unreadable or stale cache is made again below
                pass
        reference = reference_graph(minter)
        corpus = cls(minter, ontology_graph(), reference, Gazetteer.from_graph(reference))
        if path is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written is no error
                atomic_write(path, pickle.dumps(corpus, protocol=pickle.HIGHEST_PROTOCOL))
        return corpus

    def article_graphs(
        self, article: ArticleText, overlays: Sequence[Path] = (), *, slug: str | None = None
    ) -> tuple[Extraction, dict[URIRef, Graph]]:
        """One article's named graphs (its own, and its curation if an overlay applies),
        with the standard-vocabulary view materialized on them alone."""
        ex = extract_article(article, self.minter, self.gazetteer, self.reference, slug=slug)
        own = Graph()  # the extraction's graph stays what its records say
        bind_prefixes(own)
        for t in ex.graph:
            own.add(t)
        graphs = {self.minter.article_graph(ex.slug): own}
        overlay = find_overlay(article, overlays)
        if overlay is not None:
            cur = apply_curation(ex, overlay, self.minter, self.gazetteer, own)
            graphs[self.minter.graph(f"article/{ex.slug}/curation")] = cur
        for g in graphs.values():
            materialize_into(g, self.ontology)
        return ex, graphs


# What a Corpus is made from: the reference data, the ontology, and the code that reads them.
_CORPUS_SOURCES = (
    ("cakg.graph.data", "*.yaml"),
    ("cakg.ontology", "*.ttl"),
    ("cakg.graph.entities", "*.py"),
    ("cakg.graph", "*.py"),
)
# ... and the packages whose data or classes it holds (ISO 3166 names, terms, the automaton).
_CORPUS_PACKAGES = ("pycountry", "rdflib", "pyahocorasick")


def materialize_into(graph: Graph, ontology: Graph) -> None:
    """Add the standard-vocabulary view (docs/standard-view.md) to ``graph``: materialized,
    not left to inference."""
    for t in materialize(graph, ontology):
        graph.add(t)


def numbered_slug(slug: str, seen: dict[str, int]) -> str | None:
    """Two inputs with the same title: keep both, numbered in input order (None: first one).

    >>> seen: dict[str, int] = {}
    >>> numbered_slug("a", seen), numbered_slug("a", seen), numbered_slug("a", seen)
    (None, 'a-2', 'a-3')
    """
    if slug in seen:
        seen[slug] += 1
        return f"{slug}-{seen[slug]}"
    seen[slug] = 1
    return None


def build_knowledge_graph(
    articles: Sequence[ArticleText],
    *,
    base: str | None = None,
    curation: Sequence[Path] = (),
    progress: Console | None = None,
) -> tuple[KnowledgeGraph, list[Extraction], list[str]]:
    """Extract articles into an in-memory KnowledgeGraph: ontology, reference, one per article."""
    corpus = Corpus.for_base(base)
    minter = corpus.minter
    kg = KnowledgeGraph(base=minter.base)
    _copy_into(kg, minter.graph("ontology"), corpus.ontology)
    _copy_into(kg, minter.graph("reference"), corpus.reference)
    materialize_into(kg.graphs[minter.graph("reference")], corpus.ontology)

    extractions: list[Extraction] = []
    warnings: list[str] = []
    slugs: dict[str, int] = {}
    overlays = list(curation)
    for article in articles:
        if progress is not None:
            progress.print(f"[dim]extracting {article.name}[/dim]")
        ex, graphs = corpus.article_graphs(article, overlays)
        renamed = numbered_slug(ex.slug, slugs)
        if renamed is not None:
            ex, graphs = corpus.article_graphs(article, overlays, slug=renamed)
        extractions.append(ex)
        warnings.extend(ex.warnings)
        for name, g in graphs.items():
            _copy_into(kg, name, g)
    return kg, extractions, warnings


def _copy_into(kg: KnowledgeGraph, name: URIRef, graph: Graph) -> None:
    target = kg.graph(name)
    for t in graph:
        target.add(t)


def _counts(merged: Graph, extractions: Sequence[Extraction]) -> dict[str, int]:
    """What the build table shows, counted on the merge of the build's graphs."""
    from cakg.graph.namespaces import CAKG, RDF

    def count(cls: URIRef) -> int:
        return len(set(merged.subjects(RDF.type, cls)))

    return {
        "articles": len(extractions),
        "experts": count(CAKG.Expert),
        "questions": count(CAKG.Question),
        "answers": count(CAKG.Answer),
        "claims": count(CAKG.Claim),
        "states": count(CAKG.State),
        "international organizations": count(CAKG.InternationalOrganization),
        "bilateral relations": count(CAKG.BilateralRelation),
        TRIPLES: triple_count(merged),
    }


def build_graph(
    articles: Sequence[Path | str],
    out_dir: Path,
    *,
    base: str | None = None,
    curation: Sequence[Path] = (),
    validate: bool = True,
    progress: Any = None,
) -> BuildReport:
    """Build the graph of `articles` (none: the bundled article) into out_dir/kg.trig and kg.ttl.

    An article is a file, a folder of them, ``-`` (standard input) or an http(s) URL;
    fetched pages are kept in out_dir/sources for an offline rebuild.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("output path exists and is not a folder", path=out_dir)
    texts = _read_all(articles)
    for c in curation:
        if not Path(c).is_file():
            raise InputError("no such curation file", path=c)
    kg, extractions, warnings = build_knowledge_graph(
        texts, base=base, curation=curation, progress=progress
    )
    report = BuildReport(kg=kg, extractions=extractions, warnings=warnings)
    # One merge serves the counts and then validation (which may add to it: it is ours).
    merged = kg.merged()
    report.counts = _counts(merged, extractions)
    if validate:
        from cakg.graph.check.validate import validate_graph

        # Invalid data is still written, so that `cakg validate` can show it; the
        # CLI then exits 1. Bad *input* never gets this far.
        result = validate_graph(merged, inplace=True)
        report.violations = len(result.violations)  # sh:Warning results do not count
    from cakg.graph.publish.export import write_exports

    report.written = write_exports(kg, out_dir, ("trig", "ttl"))
    report.written += cache_pages(texts, out_dir)
    return report
