"""The browser pages of `cakg serve` in headless Chromium, with every request outside loopback
aborted: the pages must work offline (no CDN), and a named query runs from its form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
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
