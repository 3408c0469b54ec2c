"""The browser pages of `cakg serve` in headless Chromium, with every request outside loopback
aborted: the pages must work offline (no CDN), and a named query runs from its form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from conftest import FIXTURES
from running_server import running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    with running_server(data=(str(built / "kg.trig"),), timeout=60, workers=2) as url:
        yield url


class Page:
    """A Playwright page that records what it tried to fetch elsewhere and what went wrong."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._console)

    def _console(self, msg: Any) -> None:
        # A page answering a bad query with 400 is right; Chromium logs the status as an error.
        if msg.type == "error" and "status of 400" not in msg.text:
            self.errors.append(msg.text)

    def _route(self, route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    p = Page(browser)
    try:
        yield p.page
        assert p.blocked == [], f"the page requested outside loopback: {p.blocked}"
        assert p.errors == [], f"errors in the page: {p.errors}"
    finally:
        p.context.close()


def test_landing_page_search_and_entity(tab: Any, server: str) -> None:
    tab.goto(server + "/")
    assert tab.title() == "cakg · cakg"
    tab.fill("#home-q", "Tyulegenov")
    tab.press("#home-q", "Enter")
    tab.wait_for_selector("#search-results")
    tab.click("#search-results a:has-text('Medet Tyulegenov')")
    tab.wait_for_selector("h1")
    assert tab.inner_text("h1") == "Medet Tyulegenov"
    assert tab.url.endswith("/doc/person/medet-tyulegenov.html")
    assert tab.locator("#neighbourhood circle").count() > 2
    assert "exacerbating these relations" in tab.inner_text("#claims")


def test_named_query_runs_from_its_form(tab: Any, server: str) -> None:
    tab.goto(server + "/queries")
    tab.click("#query-list a:has-text('experts-expecting-trend')")
    tab.wait_for_selector("#query-form")
    tab.fill("#param-relation", "Kazakhstan–Kyrgyzstan")
    tab.fill("#param-trend", "weakening")
    tab.click("#run")
    tab.wait_for_selector("table.results")
    assert int(tab.inner_text("#row-count")) >= 2
    headers = tab.locator("table.results thead th").all_inner_texts()
    column = headers.index("name") + 1
    names = set(tab.locator(f"table.results tbody td:nth-child({column})").all_inner_texts())
    assert names == {"Medet Tyulegenov"}
    body = tab.inner_text("table.results")
    assert "exacerbating these relations" in body
    # The form keeps what was typed, and the downloads run the same query.
    assert tab.input_value("#param-relation") == "Kazakhstan–Kyrgyzstan"
    assert tab.locator("a:has-text('csv')").count() == 1


def test_named_query_reports_a_bad_parameter(tab: Any, server: str) -> None:
    tab.goto(server + "/queries/experts?country=Narnia&run=1")
    assert "no state called 'Narnia'" in tab.inner_text("#error")


def test_editor_runs_a_query(tab: Any, server: str) -> None:
    tab.goto(server + "/editor")
    tab.fill(
        "#query",
        "PREFIX schema: <http://schema.org/>\n"
        "SELECT ?name WHERE { ?a a schema:Answer ; schema:author ?e . ?e schema:name ?name }\n"
        "GROUP BY ?name ORDER BY ?name",
    )
    tab.click("#run")
    tab.wait_for_selector("table.results")
    assert tab.inner_text("#row-count") == "5"
    assert "Farkhod Tolipov" in tab.inner_text("table.results")
    # A malformed query shows the parser's message in the page.
    tab.fill("#query", "SELECT ?x WHERE { ?x ?p")
    tab.press("#query", "Control+Enter")
    tab.wait_for_selector("#error")
    assert "SPARQL syntax error" in tab.inner_text("#error")


def test_network_view_works_offline(tab: Any, server: str) -> None:
    tab.goto(server + "/views/")
    links = tab.locator("#view-kinds a")
    assert links.count() >= 1
    links.first.click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith(".html")
    assert tab.locator("body").inner_text() != ""


# --- entity pages ------------------------------------------------------------------------------

# What each label of the neighbourhood drawing measures on screen (font size by the SVG's scale),
# what it shows, and its tooltip: its own <title>, else the <title> of the link it is in.
LABELS_JS = """() => [...document.querySelectorAll('#neighbourhood text')].map(t => {
  const own = t.querySelector(':scope > title');
  const link = t.closest('a');
  const tip = own || (link && link.querySelector(':scope > title'));
  const shown = [...t.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('');
  return {px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
          shown: shown.trim(), tip: tip ? tip.textContent : ''};
})"""

ENTITIES = ["state/kazakhstan", "person/medet-tyulegenov", "org/csto"]


def claim_path(server: str) -> str:
    """A claim of the bundled article: its page has a long, cut heading."""
    rows = httpx.get(
        f"{server}/api/queries/claims-by-expert", params={"expert": "Medet Tyulegenov"}
    ).json()["results"]["bindings"]
    return str(rows[0]["claim"]["value"]).split("/id/", 1)[1]


@pytest.mark.parametrize("width", [1280, 800])
@pytest.mark.parametrize("path", [*ENTITIES, "claim"])
def test_neighbourhood_labels_are_readable(
    tab: Any, server: str, tmp_path: Path, path: str, width: int
) -> None:
    if path == "claim":
        path = claim_path(server)
    tab.set_viewport_size({"width": width, "height": 900})
    tab.goto(f"{server}/doc/{path}.html")
    drawing = tab.locator("#neighbourhood")
    drawing.screenshot(path=str(tmp_path / "neighbourhood.png"))
    labels = tab.evaluate(LABELS_JS)
    assert len(labels) > 2
    assert min(label["px"] for label in labels) >= 12


@pytest.mark.parametrize("path", [*ENTITIES, "claim"])
def test_every_cut_label_has_its_full_text_as_a_tooltip(tab: Any, server: str, path: str) -> None:
    if path == "claim":
        path = claim_path(server)
    tab.goto(f"{server}/doc/{path}.html")
    cut = [label for label in tab.evaluate(LABELS_JS) if "…" in label["shown"]]
    heading = tab.locator("h1")
    if heading.inner_text().endswith("…"):
        cut.append({"shown": heading.inner_text(), "tip": heading.get_attribute("title") or ""})
    if path.startswith(("state/", "article/")):
        assert cut, "the page has long labels"
    for label in cut:
        assert len(label["tip"]) > len(label["shown"]), label
        for part in label["shown"].split("…"):
            assert part in label["tip"], label


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over the roundup whose answers carry <script> and <img onerror> markup."""
    from cakg.graph.build import build_graph

    built = tmp_path_factory.mktemp("xss-built")
    build_graph([FIXTURES / "xss" / "xss-roundup.txt"], built)
    with running_server(data=(str(built / "kg.trig"),), timeout=60, workers=1) as url:
        yield url


def test_entity_pages_show_article_markup_as_text(browser: Any, xss_server: str) -> None:
    query = """PREFIX schema: <http://schema.org/>
    SELECT DISTINCT ?x WHERE { { ?x a schema:Claim ; schema:text ?t FILTER CONTAINS(?t, "<") }
      UNION { ?c schema:text ?t FILTER CONTAINS(?t, "<") ?c schema:author|schema:mentions ?x } }"""
    rows = httpx.get(f"{xss_server}/sparql", params={"query": query, "format": "json"}).json()
    paths = [b["x"]["value"].split("/id/", 1)[1] for b in rows["results"]["bindings"]]
    assert any("/claim/" in p for p in paths) and any(p.startswith("person/") for p in paths)
    context = browser.new_context()
    requests: list[str] = []
    dialogs: list[str] = []
    context.on("request", lambda r: requests.append(urlparse(r.url).path))
    try:
        tab = context.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in paths:
            tab.goto(f"{xss_server}/doc/{path}.html")
            assert tab.evaluate("typeof window.__pwned") == "undefined", path
            text = tab.inner_text("main")
            assert any(m in text for m in ("<script>", "<img ", "<b>Markup</b>")), path  # as text
            assert tab.locator("main script, main img").count() == 0, path
    finally:
        context.close()
    assert dialogs == []
    assert all(p.startswith("/doc/") for p in requests), requests  # <img src=x> would fetch /doc/x
