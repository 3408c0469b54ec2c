"""The view pages in real headless Chromium, offline: they load, draw every node, filter, escape."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from cakg.graph.store.engines import open_store
from cakg.viz import build_network, render_all, render_view
from cakg.viz.capping import MAX_NODES
from cakg.viz.html import render_html
from cakg.viz.styles import short_label

pytestmark = pytest.mark.browser

KINDS = ["actors", "claims", "stances", "comentions"]
FIXTURES = Path(__file__).parent / "fixtures"
READY_MS = 60_000


@dataclass
class Visit:
    """One page opened from disk with the network cut off: what it logged, fetched and popped up."""

    page: Any
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_page(path: Path, ready: bool = True) -> Visit:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        v = Visit(page, path.resolve().as_uri())
        page.on("console", lambda m: v.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: v.errors.append(str(e)))
        page.on("request", lambda r: v.requests.append(r.url))

        def on_dialog(dialog: Any) -> None:
            v.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

        def route(r: Any) -> None:
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.goto(v.url)
        if not ready:
            return v
        # A selector, not wait_for_function: the page's CSP forbids the eval that polling uses.
        page.wait_for_selector("body[data-ready]", state="attached", timeout=READY_MS)
        return v

    yield open_page
    for c in contexts:
        c.close()


@pytest.fixture(scope="module")
def pages(store: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Any]]:
    out = tmp_path_factory.mktemp("pages")
    result = {}
    for kind in KINDS:
        html = render_view(store, kind, out, figures=False, exports=False)[0]
        result[kind] = (html, build_network(store, kind))
    return result


def _claim_nodes(g: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(n, d) for n, d in g.nodes(data=True) if d["kind"] == "claim"]


def _hidden(v: Visit) -> int:
    return int(v.js("cakg.nodes.get({filter: n => n.hidden}).length"))


@pytest.mark.parametrize("kind", KINDS)
def test_view_loads_offline_and_draws_every_node(
    visit: Any, pages: dict[str, tuple[Path, Any]], kind: str, tmp_path: Path
) -> None:
    path, g = pages[kind]
    v = visit(path)
    assert v.errors == []
    assert v.requests == [v.url]  # nothing fetched: scripts and styles are inline
    assert v.js("cakg.network.body.data.nodes.length") == g.number_of_nodes()
    assert v.js("cakg.network.body.data.edges.length") == g.number_of_edges()
    assert v.js("Object.keys(cakg.network.body.nodes).length") == g.number_of_nodes()
    assert v.js("cakg.network.physics.options.enabled") is False  # stabilized, then stopped
    assert v.js("document.querySelectorAll('#cakg-legend .cakg-legend-row').length") >= 3
    assert v.js("document.querySelectorAll('#cakg-top tbody tr').length") > 0
    v.page.wait_for_timeout(300)
    v.page.screenshot(path=str(tmp_path / f"{kind}.png"))
    assert (tmp_path / f"{kind}.png").stat().st_size > 20_000


def _click_node(v: Visit, node: str) -> bool:
    """Centre the node, zoom in, click on it with the mouse; true if the click selected it."""
    v.page.evaluate(
        "id => cakg.network.moveTo({position: cakg.network.getPosition(id), scale: 2.5})", node
    )
    x, y = v.page.evaluate(
        """id => { const p = cakg.network.canvasToDOM(cakg.network.getPosition(id));
                   const r = document.getElementById('mynetwork').getBoundingClientRect();
                   return [r.left + p.x, r.top + p.y]; }""",
        node,
    )
    v.page.mouse.click(x, y)
    return bool(v.page.evaluate("id => cakg.network.getSelectedNodes()[0] === id", node))


def test_click_on_a_claim_shows_its_quote(visit: Any, pages: dict[str, tuple[Path, Any]]) -> None:
    path, g = pages["claims"]
    v = visit(path)
    d = next((d for node, d in _claim_nodes(g)[:10] if _click_node(v, node)), None)
    assert d is not None, "no claim node could be clicked"
    panel = v.page.locator("#cakg-details")
    assert panel.is_visible()
    text = panel.inner_text()
    assert d["quote"][:80] in text.replace("\n", " ") or d["quote"][:80] in text
    assert d["question"] in text and d["expert_label"] in text
    assert f"{d['start']}–{d['end']}" in text
    assert v.errors == []


def test_filters_hide_and_show_nodes(visit: Any, pages: dict[str, tuple[Path, Any]]) -> None:
    path, g = pages["claims"]
    claims = _claim_nodes(g)
    v = visit(path)
    assert _hidden(v) == 0
    v.page.uncheck("#cakg-filter-kinds input[value=claim]")
    assert _hidden(v) == len(claims)
    v.page.check("#cakg-filter-kinds input[value=claim]")
    assert _hidden(v) == 0

    trend, n = Counter(d["trend"] for _, d in claims).most_common(1)[0]
    v.page.uncheck(f"#cakg-filter-trends input[value={trend}]")
    assert _hidden(v) == n
    v.page.check(f"#cakg-filter-trends input[value={trend}]")
    assert _hidden(v) == 0

    expert, label = next((n, d["label"]) for n, d in g.nodes(data=True) if d["kind"] == "expert")
    v.page.click("#cakg-filter-experts-ts-control")
    v.page.keyboard.type(label)
    v.page.keyboard.press("Enter")
    visible_claims = v.page.evaluate(
        "() => cakg.nodes.get({filter: n => n.kind === 'claim' && !n.hidden}).map(n => n.id)"
    )
    own = sorted(n for n, d in claims if d["expert"] == expert)
    assert sorted(visible_claims) == own and own
    assert v.js(f"cakg.nodes.get({expert!r}).hidden") in (False, None)
    v.page.click("#cakg-reset")
    assert _hidden(v) == 0
    assert v.errors == []


def test_trend_filter_hides_mention_edges_in_actors(
    visit: Any, pages: dict[str, tuple[Path, Any]]
) -> None:
    v = visit(pages["actors"][0])
    for box in v.page.locator("#cakg-filter-trends input").all():
        box.uncheck()
    hidden = v.page.evaluate("() => cakg.edges.get({filter: e => e.hidden}).map(e => e.relation)")
    assert hidden and set(hidden) == {"mentions"}
    v.page.click("#cakg-reset")
    assert v.js("cakg.edges.get({filter: e => e.hidden}).length") == 0


def test_search_box_finds_and_shows_a_node(visit: Any, pages: dict[str, tuple[Path, Any]]) -> None:
    v = visit(pages["actors"][0])
    v.page.click("#cakg-search-ts-control")
    v.page.keyboard.type("CSTO")
    v.page.keyboard.press("Enter")
    title = v.page.locator("#cakg-details-title")
    title.wait_for(state="visible")
    assert title.inner_text() == "Collective Security Treaty Organization"
    assert v.js("cakg.network.getSelectedNodes()")[0].endswith("/org/csto")


# The canvas box of every label drawn (vis-network measures a label when it draws it).
LABEL_BOXES = """() => new Promise(done => {
  cakg.network.once("afterDrawing", () => done(cakg.nodes.get({filter: n => n.label && !n.hidden})
    .map(n => { const s = cakg.network.body.nodes[n.id].labelModule.size;
                return {id: n.id, left: s.left, top: s.top, right: s.left + s.width,
                        bottom: s.top + s.height}; })));
  cakg.network.redraw();
})"""


def _overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"] and b["left"] < a["right"]
        and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    ]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_labels_never_overlap(visit: Any, pages: dict[str, tuple[Path, Any]], kind: str) -> None:
    path, g = pages[kind]
    v = visit(path)
    boxes = v.page.evaluate(LABEL_BOXES)
    assert _overlapping(boxes) == []
    labelled = [n for n, d in g.nodes(data=True) if d["kind"] != "claim"]
    assert len(boxes) >= len(labelled) * 0.6  # most labels are still drawn
    central = max(labelled, key=lambda n: (g.degree(n), n))
    assert central in {b["id"] for b in boxes}, "the most central node keeps its label"
    v.js("cakg.resetFilters()")  # filters and drags declutter again; still no overlap
    assert _overlapping(v.page.evaluate(LABEL_BOXES)) == []


def test_hovering_a_node_shows_its_left_out_label(
    visit: Any, pages: dict[str, tuple[Path, Any]]
) -> None:
    v = visit(pages["claims"][0])
    left_out = v.js("cakg.nodes.get({filter: n => n.shortLabel && !n.label}).map(n => n.id)")
    assert left_out, "the bundled claims view has labels that would overlap"
    node = left_out[0]
    v.page.evaluate(
        "id => cakg.network.moveTo({position: cakg.network.getPosition(id), scale: 2.5})", node
    )
    box = v.page.locator("#mynetwork").bounding_box()
    v.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    v.page.wait_for_timeout(300)
    assert v.page.evaluate("id => cakg.nodes.get(id).label", node) == v.page.evaluate(
        "id => cakg.nodes.get(id).shortLabel", node
    )
    v.page.mouse.move(box["x"] + 2, box["y"] + 2)
    v.page.wait_for_timeout(300)
    assert _overlapping(v.page.evaluate(LABEL_BOXES)) == []


@pytest.mark.parametrize("width", [1400, 1000, 780])
def test_search_list_leaves_the_details_panel_visible(
    visit: Any, pages: dict[str, tuple[Path, Any]], width: int
) -> None:
    v = visit(pages["actors"][0])
    v.page.set_viewport_size({"width": width, "height": 800})
    v.js("cakg.focusNode(cakg.nodes.getIds()[0])")
    details = v.page.locator("#cakg-details")
    assert details.is_visible()
    v.page.click("#cakg-search-ts-control")
    v.page.keyboard.type("a")
    dropdown = v.page.locator("#cakg-search-ts-dropdown")
    dropdown.wait_for(state="visible")
    assert dropdown.locator(".option").count() >= 5
    a, b = dropdown.bounding_box(), details.bounding_box()
    assert a is not None and b is not None
    apart = (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )
    assert apart, (a, b)
    # Nothing else is drawn over the details panel: its centre is the panel itself.
    centre = v.page.evaluate(
        """() => { const r = document.getElementById('cakg-details').getBoundingClientRect();
                   const e = document.elementFromPoint(r.left + r.width / 2, r.top + 20);
                   return Boolean(e && e.closest('#cakg-details')); }"""
    )
    assert centre


LONG = (
    "Intergovernmental Council for Cooperation on Water, Energy, Transport and Trade of the "
    "Five Central Asian States, its Secretariat, Working Groups and Expert Commissions, as "
    "established by the Agreement signed in Almaty in 1993 and amended in 1998, 2002 and 2019"
)


def _cut_label_page(tmp_path: Path) -> tuple[Path, nx.Graph]:
    g = nx.Graph(kind="actors", title="long labels")
    g.add_node("urn:x:long", kind="international-organization", label=LONG, name=LONG)
    g.add_node("urn:x:acr", kind="international-organization", label=LONG[:150], name="ICWETT")
    g.add_node("urn:x:kz", kind="state", label="Kazakhstan", name="Kazakhstan")
    g.add_edges_from([("urn:x:long", "urn:x:kz"), ("urn:x:acr", "urn:x:kz")])
    path = tmp_path / "long.html"
    path.write_text(render_html(g), encoding="utf-8")
    return path, g


@pytest.mark.parametrize("kind", [*KINDS, "long labels"])
def test_a_cut_label_is_whole_on_hover_and_in_the_details_panel(
    visit: Any, pages: dict[str, tuple[Path, Any]], kind: str, tmp_path: Path
) -> None:
    path, g = pages[kind] if kind in pages else _cut_label_page(tmp_path)
    cut = [
        (n, str(d["label"]))
        for n, d in g.nodes(data=True)
        if d["kind"] != "claim" and short_label(str(d["label"])) != d["label"]
    ]
    if kind != "stances":  # the bundled stances view has no long names
        assert cut
    v = visit(path)
    for node, full in cut:
        hover = v.page.evaluate("id => cakg.nodes.get(id).title.textContent", node)
        assert full in hover, (full, hover)
        v.page.evaluate("id => cakg.focusNode(id)", node)
        assert full in v.page.locator("#cakg-details").inner_text().replace("\n", " ")
    assert v.errors == []


@pytest.fixture(scope="module")
def xss_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Any]:
    from cakg.graph.build import build_graph

    built = tmp_path_factory.mktemp("xss-built")
    build_graph([FIXTURES / "xss" / "xss-roundup.txt"], built)
    store = open_store(built / "kg.trig")
    out = tmp_path_factory.mktemp("xss-pages")
    written = render_all(store, out, figures=False, exports=False)
    return [p for p in written if p.suffix == ".html"], build_network(store, "claims")


def test_injected_markup_in_an_article_runs_nothing(
    visit: Any, xss_pages: tuple[list[Path], Any], tmp_path: Path
) -> None:
    paths, claims = xss_pages
    pwned = [n for n, d in _claim_nodes(claims) if "__pwned" in d["quote"]]
    assert pwned, "the fixture's claims carry the injected markup"
    for path in paths:
        v = visit(path, ready=path.name != "views.html")
        if path.name == "claims.html":
            for node in pwned:  # hover (tooltip) and click (details panel) each such claim
                v.page.evaluate(
                    "id => cakg.network.moveTo({position: cakg.network.getPosition(id), scale: 2})",
                    node,
                )
                _click_node(v, node)
                v.page.wait_for_timeout(400)
                v.page.evaluate("id => cakg.focusNode(id)", node)
                text = v.page.locator("#cakg-details").inner_text()
                assert "window.__pwned=1" in text  # shown as text, not run
                assert "<b>Markup</b>" in text  # the headline, as written
            v.page.click("#cakg-search-ts-control")
            v.page.keyboard.type("script")  # search results render the text too
            v.page.wait_for_timeout(300)
            v.page.screenshot(path=str(tmp_path / "xss-claims.png"))
        assert v.js("typeof window.__pwned") == "undefined", path.name
        assert v.dialogs == [], path.name
        assert v.requests == [v.url], path.name  # an <img src=x> would have fetched x
        assert v.errors == [], path.name


def test_a_large_view_opens_capped_without_physics(visit: Any, tmp_path: Path) -> None:
    g = nx.barabasi_albert_graph(MAX_NODES + 1000, 2, seed=5)
    g = nx.relabel_nodes(g, {i: f"urn:x:n{i}" for i in g})
    for i, n in enumerate(g):
        g.nodes[n].update(kind="expert" if i % 5 == 0 else "state", label=f"node {i}")
    g.graph.update(kind="actors", title="synthetic")
    path = tmp_path / "large.html"
    path.write_text(render_html(g), encoding="utf-8")
    v = visit(path)
    assert v.errors == []
    assert v.js("document.body.dataset.ready") == "drawn"
    assert v.js("cakg.nodes.length") <= MAX_NODES
    assert v.js("cakg.network.physics.options.enabled") is False
    assert v.page.locator("#cakg-banner").is_visible()
    v.page.screenshot(path=str(tmp_path / "large.png"))


# --- the timeline -----------------------------------------------------------------------------


@pytest.mark.parametrize("focus", [None, "CSTO"], ids=["all", "focus"])
def test_timeline_draws_every_claim_offline_and_opens_quotes(
    visit: Any, store: Any, tmp_path: Path, focus: str | None
) -> None:
    from cakg.viz.timeline import render_timeline, timeline_marks

    marks, _ = timeline_marks(store, focus)
    path = render_timeline(store, tmp_path, focus, figures=False)[0]
    v = visit(path)
    assert v.errors == [] and v.requests == [v.url]
    assert v.js("document.querySelectorAll('circle.cakg-mark').length") == len(marks)
    lanes = {m.lane for m in marks}
    assert v.js("document.querySelectorAll('.cakg-lane-label').length") == len(lanes)
    if focus is not None:  # around a subject, one lane per expert
        assert lanes <= {m.expert for m in marks}
    mark = marks[len(marks) // 2]
    v.page.click(f'circle[data-claim="{mark.claim}"]', force=True)
    panel = v.page.locator("#cakg-details")
    assert panel.is_visible()
    assert mark.quote[:60] in panel.inner_text().replace("\n", " ")
    v.page.screenshot(path=str(tmp_path / "timeline.png"))
    assert (tmp_path / "timeline.png").stat().st_size > 10_000


def test_timeline_shows_injected_markup_as_text(visit: Any, tmp_path: Path) -> None:
    from cakg.graph.build import build_graph
    from cakg.viz.timeline import render_timeline

    article = tmp_path / "xss-roundup.txt"
    article.write_text((FIXTURES / "xss" / "xss-roundup.txt").read_text(encoding="utf-8"))
    article.with_name("xss-roundup.meta.yaml").write_text("date_published: 2023-04-05\n")
    build_graph([article], tmp_path / "built")
    path = render_timeline(open_store(tmp_path / "built" / "kg.trig"), tmp_path, figures=False)[0]
    v = visit(path)
    quotes = []
    for claim in v.js(
        "[...document.querySelectorAll('circle.cakg-mark')].map(c => c.dataset.claim)"
    ):
        v.page.click(f'circle[data-claim="{claim}"]', force=True)
        quotes.append(v.page.locator("#cakg-details-quote").inner_text())
    assert any("window.__pwned=1" in q for q in quotes)  # shown as text, not run
    assert v.js("typeof window.__pwned") == "undefined"
    assert v.dialogs == [] and v.requests == [v.url] and v.errors == []
