"""Shared fixtures: the bundled article built once per session, a store over it, a real browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding kg.trig and kg.ttl built from the bundled article (default base)."""
    from cakg.graph.build import build_graph

    out = tmp_path_factory.mktemp("built")
    build_graph([], out)
    return out


@pytest.fixture(scope="session")
def store(built: Path) -> Any:
    """An Oxigraph store over the bundled article's graph."""
    from cakg.graph.store.engines import open_store

    return open_store(built / "kg.trig")


@pytest.fixture(scope="module")
def canary() -> Iterator[str]:
    """The SPARQL URL of a listener on 127.0.0.1 that must hear nothing (``Canary.hits``)."""
    from running_server import Canary, serving

    with serving(Canary) as url:
        yield f"{url}/sparql"


@pytest.fixture(scope="module")
def writable_endpoint(built: Path) -> Iterator[str]:
    """The /sparql URL of a real server of the bundled article that takes updates with
    ``Authorization: Bearer`` and running_server.WRITE_TOKEN."""
    from running_server import WRITE_TOKEN, running_server

    with running_server(data=(str(built / "kg.trig"),), write_token=WRITE_TOKEN) as url:
        yield f"{url}/sparql"


def chromium_path() -> str:
    """Debian's chromium (installed by `make test`); a missing browser is a failure, not a skip."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("chromium is not installed: run `make test`, which installs Debian's chromium")
    return path


# Without the background-networking flags Chromium tries to reach Google's services at
# start; this machine's network refuses them, and tests must never leave loopback anyway.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (never a downloaded browser build)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
