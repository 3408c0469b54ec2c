"""`cakg build --store DIR`: a corpus that grows one article at a time in an on-disk store.

Each article is written in one transaction (its graph, its curation graph and their share
of the merged default graph, :meth:`OxigraphStore.put_graphs`), so a build killed at any
moment leaves every article wholly there or not at all. The cost of adding one is that of
the article, whatever the corpus holds: it is extracted, its standard-vocabulary view is
materialized on its own triples, and SHACL validates its triples together with what the
store says of the nodes it touches (their own triples, and the types of what those point
to), never the whole corpus. Building an article that is already there (the same title,
so the same graph IRI) replaces it.

Many articles are extracted by a pool of processes (one per core). A bad article stops
nothing else: the others are added, the report names it, and the command exits 2 (bad
input, as :mod:`cakg.errors` says) once the rest is written; with ``strict`` nothing is
written unless every article is good.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from cakg.errors import CakgError, InputError
from cakg.graph.build import Corpus, materialize_into, numbered_slug
from cakg.graph.info import store_info
from cakg.graph.namespaces import graph_base
from cakg.graph.ontology import shapes_graph
from cakg.graph.store.context import article_context
from cakg.graph.store.engines import OxigraphStore
from cakg.graph.text.reader import ArticleText, bundled_article, read_article

__all__ = [
    "ArticleGraphs",
    "StoreReport",
    "build_store",
    "open_corpus_store",
    "remove_article",
]


@dataclass
class ArticleGraphs:
    """One extracted article as its named graphs (N-Triples, to cross process boundaries)."""

    source: str
    slug: str
    graphs: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def rdf(self) -> dict[URIRef, Graph]:
        out: dict[URIRef, Graph] = {}
        for name, data in self.graphs.items():
            g = Graph()
            g.parse(data=data, format="nt")
            out[URIRef(name)] = g
        return out


@dataclass
class StoreReport:
    """What a store build did: the article graphs added and replaced, the articles that
    failed (one line each), warnings, SHACL violations of what was added, and the counts."""

    store: Path
    added: list[URIRef] = field(default_factory=list)
    replaced: list[URIRef] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    violations: int = 0
    validated: int = 0  # triples handed to SHACL: each article's, with its context
    inconsistent: list[str] = field(default_factory=list)  # with ``reason``: one line each
    inferred: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def open_corpus_store(
    path: Path, *, create: bool = False, read_only: bool = False
) -> OxigraphStore:
    """The on-disk store in folder ``path`` (created when missing, if ``create``)."""
    if path.exists() and not path.is_dir():
        raise InputError("not a store folder", path=path)
    if not create and not path.is_dir():
        raise InputError("no such store (create it with `cakg build --store`)", path=path)
    try:
        return OxigraphStore.open_read_only(path) if read_only else OxigraphStore(path)
    except OSError as exc:
        # RocksDB's own words, e.g. a lock held by another build of the same store.
        raise InputError(f"cannot open the store: {str(exc).splitlines()[0]}", path=path) from None


#: Articles written between two flushes of the store's write-ahead log (RocksDB replays an
#: unflushed log whenever the store is opened: 197 MB and 10 s after 100 articles unflushed).
FLUSH_EVERY = 50


# --- extraction, in this process or in a pool ----------------------------------------------------

_WORKER: dict[str, Corpus] = {}


def _start_worker(base: str | None) -> None:
    _WORKER["corpus"] = Corpus.for_base(base)


def _extract(
    corpus: Corpus, source: str, overlays: Sequence[Path], slug: str | None = None
) -> ArticleGraphs:
    try:
        article: ArticleText = read_article(Path(source)) if source else bundled_article()
        ex, graphs = corpus.article_graphs(article, overlays, slug=slug)
    except CakgError as exc:
        return ArticleGraphs(source, "", error=exc.one_line())
    nt = {str(n): g.serialize(format="nt11", encoding="utf-8") for n, g in graphs.items()}
    return ArticleGraphs(source, ex.slug, nt, list(ex.warnings))


def _extract_in_worker(source: str, overlays: Sequence[Path]) -> ArticleGraphs:
    return _extract(_WORKER["corpus"], source, overlays)


def _extracted(
    corpus: Corpus, sources: Sequence[str], overlays: Sequence[Path], jobs: int
) -> Iterator[ArticleGraphs]:
    """Each article extracted, in input order; by ``jobs`` processes when there are several."""
    if jobs <= 1 or len(sources) <= 1:
        for source in sources:
            yield _extract(corpus, source, overlays)
        return
    # spawn: the parent may run threads (the progress bar), which fork would copy mid-state.
    context = mp.get_context("spawn")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(corpus.minter.base,)
    ) as pool:
        yield from pool.map(_extract_in_worker, sources, [overlays] * len(sources))


# --- build, remove -------------------------------------------------------------------------------


def _ensure_shared(store: OxigraphStore, corpus: Corpus) -> None:
    """The ontology and reference graphs, written once when the store is new; a store is
    grown under one base."""
    minter = corpus.minter
    for name in store.graph_names():
        base = graph_base(str(name))
        if base is not None and base != minter.base:
            raise InputError(f"this store holds data under base {base}, not {minter.base}")
    if store.has_graph(minter.graph("ontology")):
        return
    reference = Graph()
    for t in corpus.reference:
        reference.add(t)
    materialize_into(reference, corpus.ontology)
    store.put_graphs(
        {minter.graph("ontology"): corpus.ontology, minter.graph("reference"): reference}
    )


def build_store(
    articles: Sequence[Path],
    store_dir: Path,
    *,
    base: str | None = None,
    curation: Sequence[Path] = (),
    validate: bool = True,
    reason: bool = False,
    strict: bool = False,
    jobs: int | None = None,
    on_article: Callable[[str], None] | None = None,
) -> StoreReport:
    """Add ``articles`` (none: the bundled one) to the store in ``store_dir``, each in one
    transaction; ``on_article`` is told each article's source as it is done.

    ``reason``: check each article against the ontology as it is added and write what it
    entails into its inferred graph (:mod:`cakg.graph.check.corpus_reason`)."""
    for c in curation:
        if not Path(c).is_file():
            raise InputError("no such curation file", path=c)
    corpus = Corpus.for_base(base)
    sources = [str(p) for p in articles] or [""]
    workers = jobs if jobs is not None else min(len(sources), os.cpu_count() or 1)
    report = StoreReport(store=store_dir)
    if strict:
        # Nothing is written unless every article is good: extract them all first.
        done = list(_extracted(corpus, sources, curation, workers))
        bad = [a.error for a in done if a.error]
        if bad:
            raise InputError(f"{len(bad)} bad article(s), nothing added; first: {bad[0]}")
        results: Sequence[ArticleGraphs] | Iterator[ArticleGraphs] = done
    else:
        results = _extracted(corpus, sources, curation, workers)
    store = open_corpus_store(store_dir, create=True)
    _ensure_shared(store, corpus)
    # One shapes graph for every article (pyshacl only adds its own system triples to it).
    shapes = shapes_graph() if validate else None
    slugs: dict[str, int] = {}
    for extracted in results:
        if on_article is not None:
            on_article(extracted.source)
        if extracted.error is not None:
            report.failed.append(extracted.error)
            continue
        renamed = numbered_slug(extracted.slug, slugs)
        if renamed is not None:  # rare: two inputs with one title, numbered as `cakg build` does
            extracted = _extract(corpus, extracted.source, curation, renamed)
        _add(store, corpus, extracted, report, shapes=shapes, reason=reason)
        if (len(report.added) + len(report.replaced)) % FLUSH_EVERY == 0:
            store.flush()  # bounds the write-ahead log, and the memory holding it
    store.flush()
    report.counts = store_info(store)
    return report


def _add(
    store: OxigraphStore,
    corpus: Corpus,
    extracted: ArticleGraphs,
    report: StoreReport,
    *,
    shapes: Graph | None,
    reason: bool,
) -> None:
    from cakg.graph.check.corpus_reason import check_article, inferred_graph

    graphs = extracted.rdf()
    main = corpus.minter.article_graph(extracted.slug)
    existed = store.has_graph(main)
    # A rebuilt article drops a curation or inferred graph it no longer has (an empty graph
    # is removed), and its old graphs are not context for checking the new ones.
    curation = corpus.minter.graph(f"article/{extracted.slug}/curation")
    extra = {curation: Graph(), inferred_graph(main): Graph()}
    outside = [*graphs, *extra] if existed else []
    checked = shapes is not None or reason
    data = article_context(store, graphs, outside=outside) if checked else Graph()
    if reason:  # before SHACL, which adds the ontology's class hierarchy to the data
        check = check_article(main, graphs, data, corpus.minter.base)
        if not check.consistent:
            report.inconsistent.append(f"{extracted.source or main}: {check.explanation}")
        extra[inferred_graph(main)] = check.inferred
        report.inferred += len(check.inferred)
    if shapes is not None:
        from cakg.graph.check.validate import validate_graph

        # Only what this article states is its to answer for: a node it merely points to
        # is in the data for the constraints on its own nodes, not checked itself.
        own = {s for g in graphs.values() for s in g.subjects()}
        report.validated += len(data)
        result = validate_graph(data, shapes, inplace=True)
        report.violations += sum(1 for v in result.violations if v.focus_node in own)
    store.put_graphs({**extra, **graphs})
    (report.replaced if existed else report.added).append(main)
    report.warnings.extend(extracted.warnings)


def remove_article(store_dir: Path, iri: str) -> list[URIRef]:
    """Take one article out of the store, by its IRI or its graph's IRI; the graphs removed.

    Its triples leave the merged default graph unless another article's graph holds them.
    """
    store = open_corpus_store(store_dir)
    base = next(
        (b for b in (graph_base(str(n)) for n in store.graph_names()) if b is not None), None
    )
    slug = None
    if base is not None:
        for prefix in (f"{base}article/", f"{base}graph/article/"):
            if iri.startswith(prefix) and "/" not in iri[len(prefix) :]:
                slug = iri[len(prefix) :]
    if not slug:
        raise InputError(f"not an article IRI of this store: {iri}")
    main = URIRef(f"{base}graph/article/{slug}")
    names = [main, URIRef(f"{main}/curation"), URIRef(f"{main}/inferred")]
    removed = store.remove_graphs(names)
    store.flush()
    if not removed:
        raise InputError(f"no such article in the store: {iri}")
    return removed
