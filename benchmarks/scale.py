"""Corpus scale: ingest, adding one article, every named query and the server at N articles.

The ``scale`` section of ``benchmarks/run.py`` (``make bench``); it writes
``benchmarks/results/bench.json`` with ``ingest``, ``add_one``, ``queries`` and ``server``
and the plot of query latency against corpus size. The corpus is the bundled article
(so that every query's example parameters resolve) and N - 1 synthetic roundups
(``benchmarks/corpus.py``). Every figure comes from the same run:

ingest   `cakg build` of N articles in a fresh process, as a user runs it: seconds, the
         process's peak resident memory (its own rusage), distinct triples. Into an
         on-disk store (``--store``) where the command has one, otherwise the in-memory
         build to files. A size over ``--ingest-budget`` is stopped (seconds null).
add_one  adding article N + 1 to the store of N (``--store``), or, without one, what it
         costs now: building all N + 1 again.
queries  every named query with its example parameters, as `cakg query` runs it (the
         parameters resolved, the query run through cakg's Store), p50 and p95 of
         ``--repeat`` runs; ``direct``: the same SPARQL text with the same bound values
         run straight on pyoxigraph over a store whose default graph holds each triple
         once; ``rdflib``: cakg's rdflib store on the same data, null when it did not
         finish in ``--budget`` seconds (or the corpus is over ``--rdflib-max``).
server   `cakg serve --store` on the largest query corpus, 8 clients (each from its own
         loopback address) sending one named query for ``--server-seconds``: requests
         per second, p95, resident memory of the server and its workers; against the
         same query run in process, one after another.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from common import in_child, ms, progress
from corpus import write_corpus
from rich.table import Table

from cakg.graph.store.engines import OxigraphStore, RdflibStore, Store, with_values
from cakg.queries import NamedQuery, list_queries, resolve_params
from cakg.queries.params import inline_params
from cakg.queries.prefixes import predeclare
from cakg.queries.run import run_query

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
PLOT = ROOT / "docs" / "bench-query-latency.png"
CLI = [sys.executable, "-c", "from cakg.cli import main; main()"]
SEED = 0
SERVER_QUERY = "memberships-of-state"


@dataclass(frozen=True)
class ScaleSettings:
    """What ``make bench`` measures, and how long anything may take."""

    ingest_sizes: Sequence[int] = (10, 100, 1000)
    query_sizes: Sequence[int] = (10, 100, 1000)
    repeat: int = 5
    budget: float = 30.0
    ingest_budget: float = 900.0
    rdflib_max: int = 100
    clients: int = 8
    server_seconds: float = 20.0
    out: Path = RESULTS / "bench.json"
    plot: Path | None = PLOT


# --- the corpus ----------------------------------------------------------------------------------


def bundled_article_path() -> Path:
    """The bundled article's file in the installed package (its sidecar beside it)."""
    from importlib.resources import files

    folder = Path(str(files("cakg.graph.data").joinpath("articles")))
    return next(p for p in sorted(folder.iterdir()) if p.suffix == ".txt")


def corpus_folder(root: Path, n: int) -> list[Path]:
    """N articles: the bundled one and N - 1 synthetic ones (written once under ``root``)."""
    bundled = bundled_article_path()
    for src in (bundled, bundled.with_name(bundled.stem + ".meta.yaml")):
        if not (root / src.name).exists():
            root.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, root / src.name)
    synthetic = write_corpus(root, n - 1, SEED) if n > 1 else []
    return [root / bundled.name, *synthetic]


def has_store_option() -> bool:
    """Whether this cakg's `build` takes ``--store`` (an on-disk store that grows)."""
    out = subprocess.run([*CLI, "build", "--help"], capture_output=True, text=True, check=False)
    return "--store" in out.stdout


def build_command(paths: Sequence[Path], target: Path, store: bool) -> list[str]:
    if store:
        return [*CLI, "build", "--store", str(target), *map(str, paths)]
    return [*CLI, "build", "-o", str(target), *map(str, paths)]


@dataclass
class Run:
    """One command: seconds, peak resident memory (MB), exit status and its output."""

    seconds: float | None
    peak_rss_mb: float
    code: int
    stdout: str


def run_measured(command: Sequence[str], budget: float) -> Run:
    """Run a command; its own peak RSS from wait4's rusage; killed after ``budget`` seconds."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        timer = threading.Timer(budget, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        took = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    finished = proc.returncode == 0 and took < budget
    return Run(took if finished else None, usage.ru_maxrss / 1024, proc.returncode, text)


def counted_triples(run: Run, target: Path, store: bool) -> int | None:
    """Distinct triples of what a build wrote (its report, or the store's default graph)."""
    if store:
        # The store's default graph is the merge, each triple once; the union of all its
        # graphs would count a triple again for each graph holding it, and the merge too.
        return OxigraphStore.open_read_only(target).merged_size()
    m = re.search(r"triples \(distinct[^│|]*[│|]\s*([\d,]+)", run.stdout)
    return int(m.group(1).replace(",", "")) if m else None


def bench_ingest(work: Path, s: ScaleSettings) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    store = has_store_option()
    rows: list[dict[str, Any]] = []
    largest: tuple[int, Path] | None = None
    for n in s.ingest_sizes:
        paths = corpus_folder(work / "articles", n)
        target = work / f"ingest-{n}"
        shutil.rmtree(target, ignore_errors=True)
        progress.print(f"ingest: {n} articles ({'--store' if store else 'in memory'})…")
        run = run_measured(build_command(paths, target, store), s.ingest_budget)
        triples = counted_triples(run, target, store) if run.seconds is not None else None
        rows.append(
            {"articles": n, "triples": triples, "seconds": run.seconds,
             "peak_rss_mb": round(run.peak_rss_mb, 1), "mode": "store" if store else "memory"}
        )  # fmt: skip
        progress.print(f"  {run.seconds and f'{run.seconds:.1f} s'}, {run.peak_rss_mb:.0f} MB")
        if run.seconds is None:
            break  # a larger corpus would only take longer
        largest = (n, target)
        cache = nquads_cache(s.out.parent / "corpus", n)
        if store and not cache.exists():
            # The same N articles the queries need: their graphs as the build wrote them,
            # instead of extracting all N again in one process.
            keep_nquads(cache, store_nquads(target))
    add_one: dict[str, Any] = {"corpus_articles": None, "seconds": None, "mode": None}
    if largest is not None:
        n, target = largest
        one_more = corpus_folder(work / "articles", n + 1)
        if store:  # one article into the store of N
            run = run_measured(build_command(one_more[-1:], target, True), s.ingest_budget)
        else:  # no store to grow: the whole corpus again
            shutil.rmtree(target, ignore_errors=True)
            run = run_measured(build_command(one_more, target, False), s.ingest_budget)
        add_one = {"corpus_articles": n, "seconds": run.seconds,
                   "mode": "store" if store else "rebuild"}  # fmt: skip
    return rows, add_one


# --- named queries -------------------------------------------------------------------------------


def corpus_nquads(paths: Sequence[Path], batch: int = 50) -> bytes:
    """The corpus's named graphs as N-Quads, built in batches (memory bounded by a batch)."""
    from cakg.graph.build import build_knowledge_graph
    from cakg.graph.text.reader import read_article

    store = ox.Store()
    for i in range(0, len(paths), batch):
        kg, _, _ = build_knowledge_graph([read_article(p) for p in paths[i : i + batch]])
        for name, g in kg:
            data = g.serialize(format="nt11", encoding="utf-8")
            store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
        progress.print(f"  built {min(i + batch, len(paths))} of {len(paths)} articles")
    dumped = store.dump(format=ox.RdfFormat.N_QUADS)
    return dumped if isinstance(dumped, bytes) else b""


def nquads_cache(folder: Path, n: int) -> Path:
    """Where the N-article corpus's N-Quads are kept, once per seed and size."""
    return folder / f"seed{SEED}-{n}.nq"


def keep_nquads(cache: Path, data: bytes) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(cache)


def store_nquads(folder: Path) -> bytes:
    """The named graphs of an on-disk store as N-Quads (streamed; the merge left out)."""
    store = ox.Store.read_only(str(folder))
    quads = store.quads_for_pattern(None, None, None, None)
    named = (q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))
    out = ox.serialize(named, format=ox.RdfFormat.N_QUADS)
    return out if isinstance(out, bytes) else b""


def cached_nquads(work: Path, n: int, folder: Path) -> bytes:
    """The N-article corpus's N-Quads, built once per seed and size (kept in ``folder``)."""
    cache = nquads_cache(folder, n)
    if not cache.exists():
        keep_nquads(cache, corpus_nquads(corpus_folder(work / "articles", n)))
    return cache.read_bytes()


def set_store(data: bytes) -> ox.Store:
    """A pyoxigraph store whose default graph holds each triple of the dataset once."""
    store = ox.Store()
    default = ox.DefaultGraph()
    # Loading quads keeps their graphs, so each is moved to the default graph (a set).
    store.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object, default)
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
    )
    return store


def cakg_store(data: bytes) -> Store:
    """The store `cakg query` opens for this data (today: the named graphs, in memory)."""
    store = OxigraphStore()
    store.load_dataset(data, "nquads")
    return store


def example_params(nq: NamedQuery) -> dict[str, str]:
    from run import example_params as first_example

    return first_example(nq)


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile of the runs (nearest rank; None when there are none)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def in_ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 3)


def direct_runner(store: ox.Store, text: str) -> Callable[[], int]:
    return lambda: sum(1 for _ in store.query(text))  # type: ignore[union-attr]


def bench_queries_at(n: int, data: bytes, s: ScaleSettings) -> list[dict[str, Any]]:
    from run import load_rdflib, rows_of, run_rdflib

    cakg = cakg_store(data)
    direct = set_store(data)
    triples = len(direct)
    rdflib: RdflibStore | None = load_rdflib(data)[1] if n <= s.rdflib_max else None
    rows = []
    for nq in list_queries():
        params = example_params(nq)
        # Bound as cakg binds them: a date a query compares with goes into its own VALUES
        # slot (a trailing VALUES clause would join after the filter and leave it unbound).
        inlined, bindings = inline_params(nq, resolve_params(cakg, nq, params))
        text = with_values(predeclare(inlined).text, bindings)

        def via_cakg(nq: NamedQuery = nq, params: dict[str, str] = params) -> int:
            return rows_of(run_query(cakg, nq, **params))

        runs, answer = in_child(s.budget, s.repeat, via_cakg)
        direct_runs, direct_answer = in_child(s.budget, s.repeat, direct_runner(direct, text))
        rdflib_runs: list[float] = []
        if rdflib is not None:
            rdflib_runs, _ = run_rdflib(s.budget, s.repeat, lambda t=text: rows_of(rdflib.query(t)))
        rows.append(
            {"name": nq.name, "articles": n, "triples": triples, "params": params,
             "rows": answer, "direct_rows": direct_answer,
             "p50_ms": in_ms(quantile(runs, 0.5)), "p95_ms": in_ms(quantile(runs, 0.95)),
             "direct_p50_ms": in_ms(quantile(direct_runs, 0.5)),
             "rdflib_p50_ms": in_ms(quantile(rdflib_runs, 0.5))}
        )  # fmt: skip
        r = rows[-1]
        progress.print(
            f"  {nq.name}: {r['p50_ms']} ms (direct {r['direct_p50_ms']}, "
            f"rdflib {r['rdflib_p50_ms']}), rows {answer} / {direct_answer}"
        )
    return rows


# --- the server ----------------------------------------------------------------------------------


def disk_store(data: bytes, folder: Path) -> Path:
    """The dataset in an on-disk Oxigraph store, as `cakg serve --store` opens it."""
    shutil.rmtree(folder, ignore_errors=True)
    store = ox.Store(str(folder))
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return folder


def bench_server(data: bytes, work: Path, s: ScaleSettings) -> dict[str, Any]:
    import httpx
    from soak import cakg_serve, client_at, worker_rss_mb

    nq = next(q for q in list_queries() if q.name == SERVER_QUERY)
    params = example_params(nq)
    cakg = cakg_store(data)
    text = with_values(predeclare(nq.sparql).text, resolve_params(cakg, nq, params))
    folder = disk_store(data, work / "serve-store")
    # The rate without HTTP and workers: the text the clients send, bound as they bind it,
    # on the store the server reads (and, for comparison, on cakg's in-memory store).
    rates = {
        "disk": rate(OxigraphStore.open_read_only(folder), text, min(s.server_seconds, 10)),
        "memory": rate(cakg, text, min(s.server_seconds, 10)),
    }
    del cakg
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    extra = ["--client-workers", str(s.clients)]
    with cakg_serve(folder, 60, max(2, os.cpu_count() or 2), store=True, extra=extra) as (
        url,
        pid,
    ):
        stop = time.perf_counter() + s.server_seconds

        def client(i: int) -> None:
            with client_at(10 + i, 120) as http:
                while time.perf_counter() < stop:
                    t0 = time.perf_counter()
                    try:
                        ok = http.get(f"{url}/sparql?query={quote(text)}").status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    with lock:
                        if ok:
                            latencies.append(time.perf_counter() - t0)
                        else:
                            failures[0] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(s.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.perf_counter() - t0
        rss = rss_mb(pid) + sum(worker_rss_mb(pid).values())
    return {
        "clients": s.clients, "query": SERVER_QUERY, "rps": round(len(latencies) / took, 2),
        "p95_ms": in_ms(quantile(latencies, 0.95)), "failed": failures[0],
        "inprocess_rps": round(rates["disk"], 2),
        "inprocess_memory_rps": round(rates["memory"], 2), "rss_mb": round(rss, 1),
    }  # fmt: skip


def rate(store: Store, text: str, seconds: float) -> float:
    """Queries per second, one after another in this process, for ``seconds``."""
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        store.query(text)
        count += 1
    return count / (time.perf_counter() - started)


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else math.nan


# --- the run -------------------------------------------------------------------------------------


def plot(queries: list[dict[str, Any]], path: Path) -> None:
    """p50 latency of each named query against corpus size (log-log), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 5.5), dpi=110)
    for name in sorted({q["name"] for q in queries}):
        points = [(q["articles"], q["p50_ms"]) for q in queries
                  if q["name"] == name and q["p50_ms"] is not None]  # fmt: skip
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", linewidth=1, label=name)
    ax.axhline(1000, color="red", linestyle="--", linewidth=1, label="target p95 1 s")
    ax.set(xscale="log", yscale="log", xlabel="articles", ylabel="p50 ms (cakg query)")
    ax.set_title("Named queries: latency against corpus size")
    ax.legend(fontsize=6, ncol=2, loc="upper left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def seconds_text(value: float | None) -> str:
    return "stopped at its budget" if value is None else f"{value:.1f} s"


def markdown(doc: dict[str, Any]) -> str:
    """The README's table of a run: ingest, add one, server, and queries by corpus size."""
    lines = ["| step | articles | triples | figure |", "|---|---:|---:|---|"]
    for r in doc["ingest"]:
        took = seconds_text(r["seconds"])
        lines.append(f"| build ({r['mode']}) | {r['articles']:,} | {r['triples'] or '–'} | "
                     f"{took}, peak {r['peak_rss_mb']:,.0f} MB |")  # fmt: skip
    a = doc["add_one"]
    lines.append(f"| add one ({a['mode']}) | {a['corpus_articles']} | | "
                 f"{seconds_text(a['seconds'])} |")  # fmt: skip
    sv = doc["server"]
    if sv:
        lines.append(f"| serve, {sv['clients']} clients, `{sv['query']}` | | | {sv['rps']} req/s "
                     f"(in process {sv['inprocess_rps']}/s), p95 {fmt_ms(sv['p95_ms'])} ms, "
                     f"{sv['rss_mb']:,.0f} MB |")  # fmt: skip
    sizes = sorted({q["articles"] for q in doc["queries"]})
    lines += ["", "| query | " + " | ".join(f"p50 / p95 ms at {n:,}" for n in sizes)
              + " | direct p50 ms | rdflib p50 ms |",
              "|---|" + "---:|" * (len(sizes) + 2)]  # fmt: skip
    for name in sorted({q["name"] for q in doc["queries"]}):
        by_n = {q["articles"]: q for q in doc["queries"] if q["name"] == name}
        last = by_n[sizes[-1]]
        cells = [f"{fmt_ms(by_n[n]['p50_ms'])} / {fmt_ms(by_n[n]['p95_ms'])}" for n in sizes]
        rdflib = [f"{fmt_ms(q['rdflib_p50_ms'])} ({n:,})" for n, q in by_n.items()
                  if q["rdflib_p50_ms"] is not None]  # fmt: skip
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {fmt_ms(last['direct_p50_ms'])} | "
                     + (rdflib[-1] if rdflib else "–") + " |")  # fmt: skip
    return "\n".join(lines) + "\n"


def query_table(doc: dict[str, Any]) -> Table:
    n = max((q["articles"] for q in doc["queries"]), default=0)
    table = Table(title=f"named queries at {n:,} articles", header_style="bold")
    for col in ("query", "rows", "p50 ms", "p95 ms", "direct p50 ms", "× direct", "rdflib p50"):
        table.add_column(col, justify="left" if col == "query" else "right")
    for q in doc["queries"]:
        if q["articles"] != n:
            continue
        ratio = (q["p50_ms"] / q["direct_p50_ms"]
                 if q["p50_ms"] and q["direct_p50_ms"] else math.nan)  # fmt: skip
        table.add_row(
            q["name"], str(q["rows"]), fmt_ms(q["p50_ms"]), fmt_ms(q["p95_ms"]),
            fmt_ms(q["direct_p50_ms"]), f"{ratio:.2f}" if math.isfinite(ratio) else "–",
            fmt_ms(q["rdflib_p50_ms"]),
        )  # fmt: skip
    return table


def fmt_ms(value: float | None) -> str:
    return "over budget" if value is None else ms(value / 1000)


def bench_scale(s: ScaleSettings) -> tuple[list[Table], dict[str, Any]]:
    """Everything above; writes ``s.out`` (and the plot) and returns the tables."""
    with tempfile.TemporaryDirectory(prefix="cakg-bench-") as tmp:
        work = Path(tmp)
        ingest, add_one = bench_ingest(work, s)
        queries: list[dict[str, Any]] = []
        data = b""
        for n in s.query_sizes:
            progress.print(f"queries: {n} articles…")
            data = cached_nquads(work, n, s.out.parent / "corpus")
            queries += bench_queries_at(n, data, s)
        server = bench_server(data, work, s) if data else {}
    doc = {"ingest": ingest, "add_one": add_one, "queries": queries, "server": server}
    s.out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = s.out.with_suffix(".tmp")
    tmp_out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp_out.replace(s.out)
    s.out.with_suffix(".md").write_text(markdown(doc), encoding="utf-8")
    if s.plot is not None and queries:
        plot(queries, s.plot)
    return [query_table(doc)], doc
