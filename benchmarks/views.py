"""How the network views scale: N articles' worth of graph, from projection to a page in Chromium.

The graph of N articles is synthesized from the bundled article's build: its article
graph is copied N times under different article slugs, each expert is replaced by one
of N/3 variants (so experts recur across articles, as they do in a real collection),
and each claim's trend is redrawn (seeded), so stances and filters see varied data.
For every view it measures the projection (SPARQL over the store + networkx), the
analytics, the HTML rendering, the page size, and the time until the page in headless
Chromium (Debian's, offline) reports that it is drawn or that physics stabilized.
Ratios are against the N=1 baseline measured in the same run. Not a timed test.

    .venv/bin/python benchmarks/views.py                 # N = 1, 100, 1000
    .venv/bin/python benchmarks/views.py --sizes 1 50 --no-browser
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cakg.graph.build import build_graph
from cakg.graph.store.engines import OxigraphStore, open_store
from cakg.viz import KINDS, ViewData, analytics, project
from cakg.viz.html import render_html
from cakg.viz.trends import trend_keys

CAKG = "https://cakg.example.org/ontology#"
TRENDS = list(trend_keys())
READY_BOUND_S = 60.0
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip


@dataclass
class Row:
    n: int
    kind: str
    nodes: int
    edges: int
    shown: int
    project_s: float
    analytics_s: float
    html_s: float
    html_kb: float
    ready_s: float | None
    how: str


def bundled_nquads(tmp: Path) -> tuple[list[str], list[str], str]:
    """(shared quads, the article's quads, the article slug) of the bundled article's build."""
    build_graph([], tmp, validate=False)
    data = open_store(tmp / "kg.trig").serialize("nquads").decode("utf-8")
    shared, article = [], []
    slug = ""
    for line in data.splitlines():
        m = re.search(r"<([^>]*/graph/article/([^>/]+))> \.$", line)
        if m:
            slug = m.group(2)
            article.append(line)
        elif line.strip():
            shared.append(line)
    return shared, article, slug


def synthesize(n: int, shared: list[str], article: list[str], slug: str) -> OxigraphStore:
    """A store holding n copies of the article (varied slugs, recurring experts, redrawn trends)."""
    pool = max(1, n // 3)
    person = re.compile(r"(/person/[a-z0-9-]+)>")
    expert_type = f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{CAKG}Expert>"
    experts = {
        m.group(1) for line in article if expert_type in line for m in [person.search(line)] if m
    }
    trend = re.compile(
        rf"^<[^>]+/claim/\d+> <{re.escape(CAKG)}hasTrend> <{re.escape(CAKG)}trend-([a-z-]+)>"
    )
    name = re.compile(
        r'^<[^>]+/person/[a-z0-9-]+> '
        r'<(?:http://www.w3.org/2000/01/rdf-schema#label|http://schema.org/name)> "([^"]*)"'
    )  # fmt: skip
    # One template per line, filled in per copy: {A} the article slug, {K} the expert variant,
    # {T} a redrawn trend, {N} the expert variant in a name.
    templates = []
    for line in article:
        named = name.match(line)
        line = line.replace("{", "{{").replace("}", "}}")
        line = line.replace(f"/article/{slug}", "/article/{A}")
        line = person.sub(
            lambda m: f"{m.group(1)}-{{K}}>" if m.group(1) in experts else m.group(0), line
        )
        m = trend.match(line)
        if m:
            line = line.replace(f"trend-{m.group(1)}>", "trend-{T}>")
        if named and "-{K}>" in line.split(" ", 1)[0]:
            line = line.replace(f'"{named.group(1)}"', f'"{named.group(1)} {{K}}"', 1)
        templates.append(line)
    out = list(shared)
    for i in range(n):
        article_slug, k = f"{slug}-{i}", i % pool
        for j, tpl in enumerate(templates):
            t = TRENDS[int(hashlib.sha256(f"{i}:{j}".encode()).hexdigest()[:8], 16) % 4]
            out.append(tpl.format(A=article_slug, K=k, T=t))
    store = OxigraphStore()
    store.load_dataset(("\n".join(out) + "\n").encode("utf-8"), "nquads")
    return store


def open_in_chromium(browser: Any, path: Path) -> tuple[float | None, str]:
    """Seconds from navigation until the page is drawn (or stabilized); None past the bound."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort()
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    try:
        page.goto(path.resolve().as_uri(), timeout=READY_BOUND_S * 1000)
        page.wait_for_selector("body[data-ready]", state="attached", timeout=READY_BOUND_S * 1000)
        took: float | None = time.perf_counter() - start
        how = str(page.evaluate("document.body.dataset.ready"))
    except Exception as exc:  # a page that does not open is a result here
        took, how = None, f"did not open ({type(exc).__name__})"
    if errors:
        how += f", {len(errors)} error(s)"
    context.close()
    return took, how


def measure(
    n: int, store: OxigraphStore, out: Path, browser: Any | None
) -> tuple[float, list[Row]]:
    """(seconds to read what the views need from the store, one row per view)."""
    t = time.perf_counter()
    data = ViewData(store)  # read once and shared by the four views, as `cakg view` does
    t_read = time.perf_counter() - t
    rows = []
    for kind in KINDS:
        t = time.perf_counter()
        g = project(store, kind, data)
        t_project = time.perf_counter() - t
        t = time.perf_counter()
        stats = analytics(g)
        t_analytics = time.perf_counter() - t
        t = time.perf_counter()
        html = render_html(g, stats)
        t_html = time.perf_counter() - t
        path = out / f"{kind}-{n}.html"
        path.write_text(html, encoding="utf-8")
        meta = re.search(r'id="cakg-meta">(.*?)</script>', html, re.S)
        shown = int(json.loads(meta.group(1))["counts"]["nodes"]) if meta else -1
        ready, how = open_in_chromium(browser, path) if browser is not None else (None, "not run")
        size_kb = len(html.encode("utf-8")) / 1024
        rows.append(
            Row(n, kind, g.number_of_nodes(), g.number_of_edges(), shown, t_project, t_analytics,
                t_html, size_kb, ready, how)
        )  # fmt: skip
        print(f"  {kind}: {g.number_of_nodes():,} nodes in {t_project:.2f} s", file=sys.stderr)
    return t_read, rows


def ratio(x: float | None, base: float | None) -> str:
    if x is None or base is None or base <= 0:
        return "–"
    return f"{x / base:.1f}x"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000])
    ap.add_argument("--no-browser", action="store_true", help="Skip the Chromium timings.")
    ap.add_argument("--keep", type=Path, help="Keep the pages in this folder.")
    args = ap.parse_args()
    sizes = sorted(set([1, *args.sizes]))  # N=1 is the baseline
    tmp = Path(tempfile.mkdtemp(prefix="cakg-bench-views-"))
    out = args.keep or tmp / "pages"
    out.mkdir(parents=True, exist_ok=True)
    shared, article, slug = bundled_nquads(tmp / "bundled")
    browser = pw = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium is None:
            sys.exit("chromium is not installed (make system-deps), or use --no-browser")
        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
    rows: list[Row] = []
    loads: dict[int, float] = {}
    reads: dict[int, float] = {}
    try:
        for n in sizes:
            print(f"N = {n}: synthesizing…", file=sys.stderr)
            t = time.perf_counter()
            store = synthesize(n, shared, article, slug)
            loads[n] = time.perf_counter() - t
            reads[n], measured = measure(n, store, out, browser)
            rows += measured
    finally:
        if browser is not None:
            browser.close()
        if pw is not None:
            pw.stop()
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    base = {r.kind: r for r in rows if r.n == 1}
    print(
        "| N | load s | read s | view | nodes | edges | drawn | projection s | ×N=1 "
        "| analytics s | HTML s | HTML KB | page ready s | ×N=1 | page |"
    )
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        b = base[r.kind]
        ready = f"{r.ready_s:.2f}" if r.ready_s is not None else "–"
        cells = [
            str(r.n), f"{loads[r.n]:.1f}", f"{reads[r.n]:.2f}", r.kind, f"{r.nodes:,}",
            f"{r.edges:,}", f"{r.shown:,}", f"{r.project_s:.2f}", ratio(r.project_s, b.project_s),
            f"{r.analytics_s:.2f}", f"{r.html_s:.2f}", f"{r.html_kb:,.0f}", ready,
            ratio(r.ready_s, b.ready_s), r.how,
        ]  # fmt: skip
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
