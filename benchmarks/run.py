"""cakg's benchmarks: query engines, the build pipeline, extraction, materialize — as ratios.

    make bench                                   # = .venv/bin/python benchmarks/run.py
    .venv/bin/python benchmarks/run.py --sizes 1,10 --repeat 5 --only store,build
    .venv/bin/python benchmarks/run.py --only store --budget 30 --json run.json

Run on demand; no test asserts speed. The machine it runs on may be shared and noisy,
so every figure is read against a baseline measured in the same run — rdflib's engine
against Oxigraph on the same data, each build step against the whole build, each size
against the smallest — and the header gives CPUs, CPU model and the load average at the
start and end (a load above the CPU count means the run shared its cores).

What it measures (times are medians of ``--repeat`` runs):

store        Synthetic corpora of N articles (``--sizes``, default 1,10,180: about 13k,
             64k and 1M triples): the bundled article's graph copied N times under
             distinct article IRIs, every other expert a different person in each copy
             (the rest recur, as experts do across a series), states, organizations and
             reference data shared. Both stores load the same N-Quads (load time each);
             then every named query runs on both with its example's parameters (resolved
             once, on Oxigraph at the first size, and bound identically everywhere: copy 0
             is the bundled article, so its IRIs are in every corpus): ms each, rdflib /
             Oxigraph, and a check that both return the same number of rows. Resolving a
             parameter (a label looked up in the store) is timed on its own, per kind.
             Each query gets ``--budget`` seconds (default 5) per engine across its
             repeats — rdflib takes minutes on some queries even at one article —
             enforced by SIGALRM for rdflib (Python) and by running Oxigraph's (native)
             in a forked child that is killed. One stopped at the budget shows ">budget"
             and a bounded ratio (">" rdflib was stopped, "<" Oxigraph was, "–" both),
             and is not run again at larger N (more data only makes it slower). The
             summary row is the geometric mean of the ratios of the queries Oxigraph
             finished (a lower bound when rdflib did not). "rows differ" marks a query
             whose engines disagree (both query the merge of the named graphs, each
             triple once, so none should); the summary table counts the triples held
             by two or more graphs.
build        The bundled article through the pipeline step by step (reference data and
             gazetteer, read + extract, materialize, SHACL, the canonical order all
             exports share, each export format, HermiT): ms and share of the total.
extract      Read + extract of each article in tests/fixtures/articles: articles per
             second, and cost per character against the bundled article's.
materialize  materialize() on claims graphs of 10k, 40k and 160k triples: µs per triple
             and the time ratio against the next smaller size (linear ⇒ about the size
             ratio, 4), with Python's cyclic garbage collector on (as in a build) and off.

Tables go to stdout, progress to stderr, raw numbers (every run) to a JSON file under
benchmarks/results/ (git-ignored) or ``--json``. About ten minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import shlex
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from common import (
    Corpus,
    bundled_corpus,
    console,
    geomean,
    in_child,
    load_average,
    machine,
    median,
    ms,
    progress,
    repeat,
    synthesize,
    timed,
    times,
    within,
)
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rich.table import Table

from cakg.graph.store.engines import OxigraphStore, QueryResult, RdflibStore, Store
from cakg.queries import NamedQuery, list_queries, resolve_params

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
FIXTURE_ARTICLES = ROOT / "tests" / "fixtures" / "articles"
SECTIONS = ("store", "build", "extract", "materialize", "scale")
DEFAULT_SIZES = (1, 10, 180)
EXPORT_FORMATS = ("ttl", "trig", "nt", "nq", "jsonld", "rdfxml")
MATERIALIZE_SIZES = (10_000, 40_000, 160_000)

T = TypeVar("T")


# --- store: query engines on synthetic corpora ---------------------------------------------------


@dataclass
class QueryTiming:
    """One named query at one corpus size, on both engines."""

    name: str
    params: dict[str, str]
    oxigraph_s: list[float] = field(default_factory=list)
    oxigraph_rows: int | None = None
    rdflib_s: list[float] = field(default_factory=list)
    rdflib_rows: int | None = None
    # Per engine, None: finished; "budget": stopped at the budget at this size; "N=<n>":
    # not run, as it was stopped at the budget at that smaller size.
    oxigraph_over: str | None = None
    rdflib_over: str | None = None
    error: str | None = None

    def seconds(self, engine: str, budget: float) -> float:
        """The median; the budget (a lower bound) when over it."""
        if engine == "oxigraph":
            return budget if self.oxigraph_over else median(self.oxigraph_s)
        return budget if self.rdflib_over else median(self.rdflib_s)

    def ratio(self, budget: float) -> tuple[float, str]:
        """rdflib / Oxigraph and what it is: "" exact, ">" a lower bound, "?" unknown."""
        if self.error is not None or (self.oxigraph_over and self.rdflib_over):
            return math.nan, "?"
        value = self.seconds("rdflib", budget) / self.seconds("oxigraph", budget)
        if self.oxigraph_over:
            return value, "<"
        return value, ">" if self.rdflib_over else ""


@dataclass
class Resolution:
    """Resolving one example parameter (a label, a relation, a concept, an IRI) to a term."""

    kind: str
    param: str
    value: str
    runs_s: list[float] = field(default_factory=list)
    over: str | None = None  # as QueryTiming's


@dataclass
class SizeResult:
    """All queries at one corpus size, and what loading the corpus cost each engine."""

    n: int
    quads: int
    in_several_graphs: int  # triples held by two or more named graphs (counted once each)
    nquads_mb: float
    synthesize_s: float
    oxigraph_load_s: float
    rdflib_load_s: float
    rdflib_quads: int
    queries: list[QueryTiming]
    resolution: list[Resolution]


REPEATED_TRIPLES = """
SELECT (COUNT(*) AS ?n) WHERE {
  SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s ?p ?o HAVING (COUNT(?g) > 1)
}"""


def example_params(nq: NamedQuery) -> dict[str, str]:
    """The ``--param k=v`` pairs of the query's first example that has any."""
    for example in nq.examples:
        words = shlex.split(example)
        params: dict[str, str] = {}
        for i, word in enumerate(words):
            if word in ("--param", "-p") and i + 1 < len(words):
                key, _, value = words[i + 1].partition("=")
                params[key] = value
        if params:
            return params
    return {}


def rows_of(result: QueryResult) -> int:
    """Rows of a SELECT, triples of a CONSTRUCT, 1/0 for an ASK."""
    if result.kind == "ASK":
        return int(bool(result.boolean))
    if result.kind == "CONSTRUCT":
        return len(result.graph) if result.graph is not None else 0
    return len(result.rows)


def counted(store: Store, nq: NamedQuery, bindings: dict[str, Node]) -> Callable[[], int]:
    """Run the query through the Store interface (results as rdflib terms) and count rows."""
    return lambda: rows_of(store.query(nq.sparql, bindings))


def resolution_samples(library: list[NamedQuery]) -> list[tuple[NamedQuery, str, str, str]]:
    """One example parameter per kind of value (state, person, relation, trend, IRI, ...)."""
    seen: dict[str, tuple[NamedQuery, str, str, str]] = {}
    for nq in library:
        for name, value in example_params(nq).items():
            kind = nq.param(name).kind
            seen.setdefault(kind, (nq, kind, name, value))
    return list(seen.values())


def resolving(store: Store, nq: NamedQuery, params: dict[str, str]) -> Callable[[], int]:
    return lambda: len(resolve_params(store, nq, params))


def time_resolution(
    ox: OxigraphStore,
    library: list[NamedQuery],
    repeats: int,
    budget: float,
    over_at: dict[tuple[str, str], int],
    n: int,
) -> list[Resolution]:
    """How long resolve_params takes on Oxigraph for each kind of parameter value."""
    out = []
    for nq, kind, name, value in resolution_samples(library):
        r = Resolution(kind, name, value)
        key = ("resolve", f"{name}={value}")
        if key in over_at:
            r.over = f"N={over_at[key]}"
        else:
            r.runs_s, _ = in_child(budget, repeats, resolving(ox, nq, {name: value}))
            if not r.runs_s:
                r.over = "budget"
                over_at[key] = n
        took = f">{budget:g} s" if r.over else f"{ms(median(r.runs_s))} ms"
        progress.print(f"  resolve {name}={value}: {took}")
        out.append(r)
    return out


def load_oxigraph(data: bytes) -> tuple[float, OxigraphStore]:
    store = OxigraphStore()
    return timed(lambda: store.load_dataset(data, "nquads"))[0], store


def load_rdflib(data: bytes) -> tuple[float, RdflibStore]:
    store = RdflibStore()
    took = timed(lambda: store.dataset.parse(data=data, format="nquads"))[0]
    # rdflib imports its SPARQL engine on the first query. An alarm that stops a query in
    # the middle of that import leaves the module half-initialised for the whole process
    # ("module 'rdflib.plugins' has no attribute 'sparql'"), so import it now, untimed.
    store.query("ASK { ?s ?p ?o }")
    return took, store


def run_rdflib(
    budget: float, repeats: int, fn: Callable[[], int]
) -> tuple[list[float], int | None]:
    """Like common.in_child, in process: rdflib's engine is Python, which SIGALRM stops."""
    runs: list[float] = []
    rows: int | None = None
    remaining = budget
    for _ in range(repeats):
        took, answer = within(remaining, fn)
        if answer is None:  # stopped at the budget
            break
        runs.append(took)
        rows = answer
        remaining -= took
        if took > remaining:  # another run would not fit in the budget
            break
    return runs, rows


def bench_size(
    n: int,
    corpus: Corpus,
    library: list[NamedQuery],
    repeats: int,
    budget: float,
    over_at: dict[tuple[str, str], int],
    bound: dict[str, dict[str, Node] | str],
) -> SizeResult:
    """Load an N-article corpus into each engine in turn and run every named query on it.

    ``bound``: each query's resolved parameters (or why they did not resolve), filled at the
    first size and reused — copy 0 is the bundled article, so its IRIs are in every corpus.
    """
    took_synth, data = timed(lambda: synthesize(corpus, n))
    progress.print(f"N = {n}: {len(data) / 1e6:.1f} MB of N-Quads; Oxigraph…")
    took_ox_load, ox = load_oxigraph(data)
    quads = len(ox)
    repeated = ox.query(REPEATED_TRIPLES).rows[0]["n"]
    resolution = time_resolution(ox, library, repeats, budget, over_at, n)
    timings: list[QueryTiming] = []
    bindings: dict[str, dict[str, Node]] = {}
    for nq in library:
        qt = QueryTiming(nq.name, example_params(nq))
        timings.append(qt)
        if nq.name not in bound:
            try:
                bound[nq.name] = resolve_params(ox, nq, qt.params)
            except Exception as exc:  # a parameter that does not resolve is a result here
                bound[nq.name] = f"{type(exc).__name__}: {exc}"
        resolved = bound[nq.name]
        if isinstance(resolved, str):
            qt.error = resolved
            continue
        bindings[nq.name] = resolved
        if ("oxigraph", nq.name) in over_at:
            qt.oxigraph_over = f"N={over_at['oxigraph', nq.name]}"
        else:
            qt.oxigraph_s, qt.oxigraph_rows = in_child(budget, repeats, counted(ox, nq, resolved))
            if not qt.oxigraph_s:
                qt.oxigraph_over = "budget"
                over_at["oxigraph", nq.name] = n
        progress.print(f"  oxigraph {nq.name}: {shown(qt, 'oxigraph', budget)}")
    del ox
    gc.collect()

    progress.print(f"N = {n}: rdflib…")
    took_rl_load, rl = load_rdflib(data)
    # The quads as loaded, as OxigraphStore's len() counts them (the merge's copies left out).
    rdflib_quads = sum(len(g) for g in rl.dataset.graphs())
    # The store's millions of objects are left out of the collector's scans from here on
    # (as a long-running service would freeze them), so that no timing pays for a full
    # collection another one was spared.
    gc.freeze()
    try:
        for nq, qt in zip(library, timings, strict=True):
            if qt.error is not None:
                continue
            if ("rdflib", nq.name) in over_at:
                qt.rdflib_over = f"N={over_at['rdflib', nq.name]}"
            else:
                qt.rdflib_s, qt.rdflib_rows = run_rdflib(
                    budget, repeats, counted(rl, nq, bindings[nq.name])
                )
                if not qt.rdflib_s:
                    qt.rdflib_over = "budget"
                    over_at["rdflib", nq.name] = n
            progress.print(f"  rdflib {nq.name}: {shown(qt, 'rdflib', budget)}")
    finally:
        del rl
        gc.unfreeze()
        gc.collect()
    return SizeResult(
        n=n,
        quads=quads,
        in_several_graphs=int(str(repeated)),
        nquads_mb=len(data) / 1e6,
        synthesize_s=took_synth,
        oxigraph_load_s=took_ox_load,
        rdflib_load_s=took_rl_load,
        rdflib_quads=rdflib_quads,
        queries=timings,
        resolution=resolution,
    )


def shown(qt: QueryTiming, engine: str, budget: float) -> str:
    over = qt.oxigraph_over if engine == "oxigraph" else qt.rdflib_over
    if over == "budget":
        return f">{budget:g} s, stopped"
    if over:
        return f"not run, over budget at {over}"
    rows = qt.oxigraph_rows if engine == "oxigraph" else qt.rdflib_rows
    return f"{ms(qt.seconds(engine, budget))} ms, {rows} rows"


def summarize(sr: SizeResult, budget: float) -> dict[str, Any]:
    """Geometric mean of rdflib / Oxigraph over the queries Oxigraph answered in the budget
    (a lower bound when rdflib did not), and total times (over-budget runs at the budget)."""
    ran = [q for q in sr.queries if q.error is None]
    ratios = [q.ratio(budget) for q in ran]
    counted_ = [r for r, kind in ratios if kind in ("", ">")]
    exact = [r for r, kind in ratios if kind == ""]
    return {
        "queries": len(ran),
        "errors": len(sr.queries) - len(ran),
        "in_geomean": len(counted_),
        "rdflib_over_budget": sum(1 for q in ran if q.rdflib_over),
        "oxigraph_over_budget": sum(1 for q in ran if q.oxigraph_over),
        "rows_differ": sum(1 for q in ran if rows_differ(q)),
        "geomean": geomean(counted_),
        "geomean_is_lower_bound": any(kind == ">" for _, kind in ratios),
        "geomean_finished": geomean(exact),
        "finished": len(exact),
        "oxigraph_total_s": sum(q.seconds("oxigraph", budget) for q in ran),
        "rdflib_total_s": sum(q.seconds("rdflib", budget) for q in ran),
    }


def rows_differ(q: QueryTiming) -> bool:
    both = q.oxigraph_rows is not None and q.rdflib_rows is not None
    return both and q.oxigraph_rows != q.rdflib_rows


def check_cell(q: QueryTiming) -> str:
    if q.error is not None:
        return f"[red]not run: {q.error}[/red]"
    notes = []
    for engine, over in (("oxigraph", q.oxigraph_over), ("rdflib", q.rdflib_over)):
        if over == "budget":
            notes.append(f"{engine} stopped at budget")
        elif over:
            notes.append(f"{engine} not run (over at {over})")
    if rows_differ(q):
        notes.append(f"[red]rows differ: rdflib {q.rdflib_rows:,}[/red]")
    return "; ".join(notes) or "same rows"


def store_table(sr: SizeResult, budget: float) -> Table:
    s = summarize(sr, budget)
    table = Table(
        title=f"named queries, N = {sr.n} ({sr.quads:,} triples): rdflib vs Oxigraph",
        header_style="bold",
    )
    table.add_column("query")
    table.add_column("parameters")
    table.add_column("rows", justify="right")
    table.add_column("oxigraph ms", justify="right")
    table.add_column("rdflib ms", justify="right")
    table.add_column("rdflib / oxigraph", justify="right")
    table.add_column("check")
    for q in sr.queries:
        cells = ["–", "–", "–"]
        if q.error is None:
            ratio, kind = q.ratio(budget)
            cells = [
                f">{ms(budget)}" if q.oxigraph_over else ms(q.seconds("oxigraph", budget)),
                f">{ms(budget)}" if q.rdflib_over else ms(q.seconds("rdflib", budget)),
                ("" if kind == "?" else kind) + times(ratio),
            ]
        rows = q.oxigraph_rows if q.oxigraph_rows is not None else q.rdflib_rows
        table.add_row(
            q.name, ", ".join(q.params), "–" if rows is None else f"{rows:,}", *cells, check_cell(q)
        )
    notes = []
    if s["rdflib_over_budget"] or s["oxigraph_over_budget"]:
        notes.append(
            f"over the {budget:g} s budget: rdflib {s['rdflib_over_budget']}, "
            f"oxigraph {s['oxigraph_over_budget']} (counted at it)"
        )
    if s["rows_differ"]:
        notes.append(f"[red]{s['rows_differ']} with different rows[/red]")
    table.add_section()
    table.add_row(
        f"geometric mean ({s['in_geomean']} queries)",
        "",
        "",
        ("≥" if s["oxigraph_over_budget"] else "") + ms(s["oxigraph_total_s"]) + " total",
        ("≥" if s["rdflib_over_budget"] else "") + ms(s["rdflib_total_s"]) + " total",
        times(s["geomean"], s["geomean_is_lower_bound"]),
        "; ".join(notes),
    )
    return table


def store_summary_table(results: list[SizeResult], budget: float) -> Table:
    base = summarize(results[0], budget)
    table = Table(title="query engines by corpus size", header_style="bold")
    for col in (
        "N", "triples", "in 2+ graphs", "N-Quads MB", "oxigraph load s", "rdflib load s",
        "rdflib / oxigraph load", "oxigraph queries ms", f"× N={results[0].n}",
        "rdflib / oxigraph (geo. mean)", "both finished only", "over budget: rdflib, oxigraph",
        "rows differ",
    ):  # fmt: skip
        table.add_column(col, justify="right")
    for sr in results:
        s = summarize(sr, budget)
        table.add_row(
            str(sr.n),
            f"{sr.quads:,}",
            f"{sr.in_several_graphs:,}",
            f"{sr.nquads_mb:.1f}",
            f"{sr.oxigraph_load_s:.2f}",
            f"{sr.rdflib_load_s:.1f}",
            times(sr.rdflib_load_s / sr.oxigraph_load_s),
            ("≥" if s["oxigraph_over_budget"] else "") + ms(s["oxigraph_total_s"]),
            times(s["oxigraph_total_s"] / base["oxigraph_total_s"], s["oxigraph_over_budget"] > 0),
            f"{times(s['geomean'], s['geomean_is_lower_bound'])} ({s['in_geomean']})",
            f"{times(s['geomean_finished'])} ({s['finished']})",
            f"{s['rdflib_over_budget']}, {s['oxigraph_over_budget']} of {s['queries']}",
            str(s["rows_differ"]),
        )
    return table


def short(value: str) -> str:
    return value if len(value) <= 40 else "…" + value[-30:]


def resolution_table(results: list[SizeResult], budget: float) -> Table:
    table = Table(
        title="resolving a query parameter (label, relation, concept or IRI → term), Oxigraph",
        header_style="bold",
    )
    table.add_column("kind")
    table.add_column("example")
    for sr in results:
        table.add_column(f"N = {sr.n} ms", justify="right")
    table.add_column(f"× N={results[0].n}", justify="right")
    for i, first in enumerate(results[0].resolution):
        cells = []
        for sr in results:
            r = sr.resolution[i]
            cells.append(f">{ms(budget)}" if r.over else ms(median(r.runs_s)))
        last = results[-1].resolution[i]
        base = median(first.runs_s) if not first.over else math.nan
        ratio = (budget if last.over else median(last.runs_s)) / base
        table.add_row(
            first.kind, f"{first.param}={short(first.value)}", *cells, times(ratio, bool(last.over))
        )
    return table


def bench_store(sizes: Sequence[int], repeats: int, budget: float) -> tuple[list[Table], Any]:
    corpus = bundled_corpus()
    library = list_queries()
    progress.print(
        f"store: {len(library)} named queries; article graph {len(corpus.article):,} triples, "
        f"shared graphs {len(corpus.shared):,}; varied experts: "
        + ", ".join(e.rsplit("/", 1)[-1] for e in corpus.varied)
    )
    over_at: dict[tuple[str, str], int] = {}
    bound: dict[str, dict[str, Node] | str] = {}
    results = [bench_size(n, corpus, library, repeats, budget, over_at, bound) for n in sizes]
    for sr in results:
        if sr.quads != sr.rdflib_quads:
            progress.print(
                f"[red]N = {sr.n}: Oxigraph holds {sr.quads:,} quads, rdflib {sr.rdflib_quads:,}"
            )
    tables = [store_table(sr, budget) for sr in results]
    tables.append(store_summary_table(results, budget))
    tables.append(resolution_table(results, budget))
    raw = {
        "budget_s": budget,
        "article_triples": len(corpus.article),
        "shared_triples": len(corpus.shared),
        "varied_experts": corpus.varied,
        "sizes": [{**asdict(sr), "summary": summarize(sr, budget)} for sr in results],
    }
    return tables, raw


# --- build: the pipeline on the bundled article ---------------------------------------------------


class Steps:
    """Seconds of each named step over the runs, and a note per step (sizes, counts)."""

    def __init__(self) -> None:
        self.runs: dict[str, list[float]] = {}
        self.notes: dict[str, str] = {}

    def __call__(self, name: str, fn: Callable[[], T]) -> T:
        took, result = timed(fn)
        self.runs.setdefault(name, []).append(took)
        return result


def build_once(steps: Steps, expected_triples: int) -> None:
    """One pass of the build pipeline over the bundled article, each step timed on its own."""
    from cakg.graph.check.reason import reason_graph
    from cakg.graph.check.validate import validate_graph
    from cakg.graph.entities.gazetteer import Gazetteer
    from cakg.graph.entities.reference import reference_graph
    from cakg.graph.extract.article import extract_article
    from cakg.graph.namespaces import DEFAULT_BASE, Minter
    from cakg.graph.ontology import materialize, ontology_graph
    from cakg.graph.publish.export import _write, prepare
    from cakg.graph.store.dataset import KnowledgeGraph
    from cakg.graph.text.reader import bundled_article

    minter = Minter(DEFAULT_BASE)

    def setup() -> tuple[Graph, Graph, Gazetteer]:
        ref = reference_graph(minter)
        return ontology_graph(), ref, Gazetteer.from_graph(ref)

    ontology, reference, gazetteer = steps("reference data + gazetteer", setup)
    ex = steps(
        "read + extract", lambda: extract_article(bundled_article(), minter, gazetteer, reference)
    )
    # The named graphs, assembled as build_knowledge_graph does (not timed: copies).
    kg = KnowledgeGraph(base=minter.base)
    onto_name = minter.graph("ontology")
    for name, g in (
        (onto_name, ontology),
        (minter.graph("reference"), reference),
        (minter.article_graph(ex.slug), ex.graph),
    ):
        target = kg.graph(name)
        for t in g:
            target.add(t)

    def materialize_all() -> None:
        for name, g in list(kg):
            if name != onto_name:
                for t in materialize(g, ontology):
                    g.add(t)

    steps("materialize", materialize_all)
    if len(kg) != expected_triples:
        steps.notes["materialize"] = (
            f"[red]{len(kg):,} triples, build_knowledge_graph gives {expected_triples:,}[/red]"
        )
    report = steps("SHACL validation", lambda: validate_graph(kg.merged()))
    steps.notes["SHACL validation"] = f"{len(report.results)} results"
    prep = steps("export: canonical order (shared)", lambda: prepare(kg))
    for fmt in EXPORT_FORMATS:
        size = len(steps(f"export: {fmt}", partial(_write, prep, fmt)))
        steps.notes[f"export: {fmt}"] = f"{size / 1e6:.2f} MB"
    if shutil.which("java") is None:
        steps.notes["HermiT reasoning"] = "not run: no java"
        return
    rr = steps("HermiT reasoning", lambda: reason_graph(kg))
    steps.notes["HermiT reasoning"] = f"{rr.inferred} inferred" if rr.consistent else "inconsistent"


def bench_build(repeats: int) -> tuple[list[Table], Any]:
    from cakg.graph.build import build_knowledge_graph
    from cakg.graph.text.reader import bundled_article

    expected = len(build_knowledge_graph([bundled_article()])[0])
    steps = Steps()
    for i in range(repeats):
        progress.print(f"build: run {i + 1} of {repeats}")
        build_once(steps, expected)
    medians = {name: median(runs) for name, runs in steps.runs.items()}
    total = sum(medians.values())
    table = Table(
        title=f"build pipeline, bundled article ({expected:,} triples)", header_style="bold"
    )
    table.add_column("step")
    table.add_column("ms", justify="right")
    table.add_column("share", justify="right")
    table.add_column("")
    for name, value in medians.items():
        table.add_row(name, ms(value), f"{value / total:.0%}", steps.notes.get(name, ""))
    table.add_section()
    table.add_row("total", ms(total), "100%", "")
    raw = {"triples": expected, "steps": steps.runs, "notes": steps.notes}
    return [table], raw


# --- extract: throughput over the fixture articles ------------------------------------------------


def bench_extract(repeats: int) -> tuple[list[Table], Any]:
    from cakg.graph.entities.gazetteer import Gazetteer
    from cakg.graph.entities.reference import reference_graph
    from cakg.graph.extract.article import extract_article
    from cakg.graph.namespaces import DEFAULT_BASE, Minter
    from cakg.graph.text.reader import bundled_article, read_article

    minter = Minter(DEFAULT_BASE)
    reference = reference_graph(minter)
    gazetteer = Gazetteer.from_graph(reference)
    paths = sorted(p for p in FIXTURE_ARTICLES.iterdir() if not p.name.endswith(".meta.yaml"))
    rows: list[dict[str, Any]] = []

    def measure(name: str, read: Callable[[], Any]) -> None:
        def run() -> Any:
            return extract_article(read(), minter, gazetteer, reference)

        runs, ex = repeat(run, repeats)
        rows.append(
            {
                "article": name,
                "format": ex.article.fmt,
                "chars": len(ex.article.text),
                "claims": len(ex.claims),
                "triples": len(ex.graph),
                "runs_s": runs,
            }
        )
        progress.print(f"extract {name}: {ms(median(runs))} ms")

    measure("bundled (baseline)", bundled_article)
    for path in paths:
        measure(path.name, partial(read_article, path))
    per_char = {r["article"]: median(r["runs_s"]) / r["chars"] for r in rows}
    base = per_char["bundled (baseline)"]
    table = Table(title="read + extract, one article at a time", header_style="bold")
    table.add_column("article")
    for col in ("format", "chars", "claims", "triples", "ms", "ms per 1k chars", "× bundled"):
        table.add_column(col, justify="right")
    for r in rows:
        table.add_row(
            r["article"], r["format"], f"{r['chars']:,}", str(r["claims"]), f"{r['triples']:,}",
            ms(median(r["runs_s"])), f"{per_char[r['article']] * 1e6:.1f}",
            times(per_char[r["article"]] / base),
        )  # fmt: skip
    fixtures = rows[1:]
    total = sum(median(r["runs_s"]) for r in fixtures)
    chars = sum(r["chars"] for r in fixtures)
    table.add_section()
    table.add_row(
        f"fixtures: {len(fixtures) / total:.1f} articles/s", "", f"{chars:,}",
        str(sum(r["claims"] for r in fixtures)), f"{sum(r['triples'] for r in fixtures):,}",
        ms(total), f"{total / chars * 1e6:.1f}", times(total / chars / base),
    )  # fmt: skip
    raw = {"articles": rows, "articles_per_s": len(fixtures) / total}
    return [table], raw


# --- materialize: time against data size ----------------------------------------------------------


def claims_graph(triples: int) -> Graph:
    """Claims of four triples each (type, expert, trend, ordinal), as in tests/test_ontology.py."""
    from cakg.graph.namespaces import CAKG, RDF

    g = Graph()
    for i in range(triples // 4):
        c = URIRef(f"urn:claim/{i}")
        g.add((c, RDF.type, CAKG.Claim))
        g.add((c, CAKG.claimedBy, URIRef(f"urn:expert/{i % 50}")))
        g.add((c, CAKG.hasTrend, CAKG["trend-uncertain"]))
        g.add((c, CAKG.ordinal, Literal(i)))
    return g


def without_gc(fn: Callable[[], T]) -> Callable[[], T]:
    """``fn`` with Python's cyclic garbage collector off while it runs."""

    def run() -> T:
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()

    return run


def bench_materialize(repeats: int) -> tuple[list[Table], Any]:
    from cakg.graph.ontology import materialize

    materialize(claims_graph(400))  # fill the cached closure of the ontology
    rows: list[dict[str, Any]] = []
    for size in MATERIALIZE_SIZES:
        g = claims_graph(size)
        runs, out = repeat(partial(materialize, g), repeats)
        # The same with the cyclic GC off: its full collections rescan the whole heap, which
        # grows with the data, so they alone can make a linear algorithm look superlinear.
        runs_no_gc, _ = repeat(without_gc(partial(materialize, g)), repeats)
        rows.append(
            {"triples": len(g), "added": len(out), "runs_s": runs, "runs_gc_off_s": runs_no_gc}
        )
        progress.print(f"materialize {len(g):,} triples: {ms(median(runs))} ms")
    table = Table(title="materialize on claims graphs", header_style="bold")
    for col in (
        "triples", "added", "ms", "µs per triple", "size × previous", "time × previous",
        "GC off: ms", "time × previous", "check",
    ):  # fmt: skip
        table.add_column(col, justify="right")
    prev: dict[str, Any] | None = None
    for r in rows:
        t, t_off = median(r["runs_s"]), median(r["runs_gc_off_s"])
        expected = r["triples"] // 4 * 6
        steps = ["", "", ""]
        if prev is not None:
            steps = [
                times(r["triples"] / prev["triples"]),
                times(t / median(prev["runs_s"])),
                times(t_off / median(prev["runs_gc_off_s"])),
            ]
        table.add_row(
            f"{r['triples']:,}", f"{r['added']:,}", ms(t), f"{t / r['triples'] * 1e6:.2f}",
            steps[0], steps[1], ms(t_off), steps[2],
            "as expected" if r["added"] == expected else f"[red]expected {expected:,}[/red]",
        )  # fmt: skip
        prev = r
    return [table], {"sizes": rows}


# --- scale: a corpus of N articles (benchmarks/scale.py) ----------------------------------------


def bench_scale(args: argparse.Namespace) -> tuple[list[Table], Any]:
    from scale import ScaleSettings
    from scale import bench_scale as run_scale

    settings = ScaleSettings(
        ingest_sizes=args.ingest_sizes, query_sizes=args.query_sizes, repeat=args.repeat,
        budget=args.budget, ingest_budget=args.ingest_budget, rdflib_max=args.rdflib_max,
        server_seconds=args.server_seconds, out=args.bench_json, plot=args.plot,
    )  # fmt: skip
    return run_scale(settings)


# --- the run --------------------------------------------------------------------------------------


def header(info: dict[str, Any], started: str, took: float) -> Table:
    table = Table(title="cakg benchmarks", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    load_start, load_end = info["load_start"], info["load_end"]
    table.add_row("started", f"{started}, took {took / 60:.1f} min")
    table.add_row("machine", f"{info['nproc']} CPUs ({info['cpu']}), {info['platform']}")
    table.add_row(
        "load average (1, 5, 15 min)",
        f"{' '.join(map(str, load_start))} at start, {' '.join(map(str, load_end))} at end",
    )
    table.add_row("versions", ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    table.add_row("settings", info["settings"])
    return table


def int_list(text: str) -> list[int]:
    try:
        values = sorted({int(x) for x in text.split(",") if x.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from None
    if not values or values[0] < 1:
        raise argparse.ArgumentTypeError("sizes are positive integers, e.g. 1,10,100")
    return values


def sections(text: str) -> list[str]:
    names = [x.strip() for x in text.split(",") if x.strip()]
    unknown = [x for x in names if x not in SECTIONS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(SECTIONS)}")
    return names


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join((__doc__ or "").splitlines()[1:]),
    )
    default_sizes = ",".join(map(str, DEFAULT_SIZES))
    ap.add_argument(
        "--sizes",
        type=int_list,
        default=list(DEFAULT_SIZES),
        help=f"corpus sizes in articles for `store` (default {default_sizes})",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument(
        "--only",
        type=sections,
        default=list(SECTIONS),
        help=f"comma-separated sections (default all: {','.join(SECTIONS)})",
    )
    ap.add_argument(
        "--budget",
        type=float,
        default=5.0,
        help="seconds a query may take on each engine over its repeats (default 5)",
    )
    ap.add_argument("--json", type=Path, help="where to write the raw numbers "
                    "(default benchmarks/results/run-<UTC time>.json)")  # fmt: skip
    scale = ap.add_argument_group("scale (benchmarks/scale.py, `make bench`)")
    scale.add_argument("--ingest-sizes", type=int_list, default=[10, 100, 1000],
                       help="articles per `cakg build` (default 10,100,1000)")  # fmt: skip
    scale.add_argument("--query-sizes", type=int_list, default=[10, 100, 1000],
                       help="articles per query corpus (default 10,100,1000)")  # fmt: skip
    scale.add_argument("--ingest-budget", type=float, default=900.0,
                       help="seconds one build may take (default 900)")  # fmt: skip
    scale.add_argument("--rdflib-max", type=int, default=100,
                       help="largest corpus also queried on rdflib (default 100)")  # fmt: skip
    scale.add_argument("--server-seconds", type=float, default=20.0,
                       help="seconds the 8 clients send queries (default 20)")  # fmt: skip
    scale.add_argument("--bench-json", type=Path, default=RESULTS / "bench.json",
                       help="where `scale` writes its figures")  # fmt: skip
    scale.add_argument("--plot", type=Path, default=None,
                       help="PNG of query latency against corpus size (default: none)")  # fmt: skip
    args = ap.parse_args(argv)
    if args.repeat < 1 or args.budget <= 0:
        ap.error("--repeat and --budget must be positive")

    now = datetime.now(UTC)
    started = now.strftime("%Y-%m-%d %H:%M:%S UTC")
    info = machine()
    info["settings"] = (
        f"--sizes {','.join(map(str, args.sizes))} --repeat {args.repeat} "
        f"--only {','.join(args.only)} --budget {args.budget:g}"
    )
    if "scale" in args.only:
        info["settings"] += (
            f" --ingest-sizes {','.join(map(str, args.ingest_sizes))}"
            f" --query-sizes {','.join(map(str, args.query_sizes))}"
            f" --rdflib-max {args.rdflib_max} --server-seconds {args.server_seconds:g}"
        )
    progress.print(
        f"cakg benchmarks: {info['nproc']} CPUs ({info['cpu']}), "
        f"load average {' '.join(map(str, info['load_start']))}; {info['settings']}"
    )
    t0 = time.perf_counter()
    tables: dict[str, list[Table]] = {}
    raw: dict[str, Any] = {}
    runners: dict[str, Callable[[], tuple[list[Table], Any]]] = {
        "store": lambda: bench_store(args.sizes, args.repeat, args.budget),
        "build": lambda: bench_build(args.repeat),
        "extract": lambda: bench_extract(args.repeat),
        "materialize": lambda: bench_materialize(args.repeat),
        "scale": lambda: bench_scale(args),
    }
    # The build runs first, while nothing else has filled the caches or the heap.
    for name in ("build", "extract", "materialize", "store", "scale"):
        if name in args.only:
            tables[name], raw[name] = runners[name]()
    took = time.perf_counter() - t0
    info["load_end"] = load_average()

    console.print(header(info, started, took))
    for name in SECTIONS:
        for table in tables.get(name, []):
            console.print(table)

    out = args.json or RESULTS / f"run-{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    document = {"started": now.isoformat(), "seconds": took, "machine": info, **raw}
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"raw numbers: {out}", highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
