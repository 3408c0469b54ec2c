"""`cakg build` inputs: web pages from a real HTTP server on 127.0.0.1, folders, standard input."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, XSD
from running_server import serving

from cakg.cli import cli
from cakg.graph.namespaces import DCT, SCHEMA
from cakg.graph.text.sources import CACHE_FOLDER

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "articles" / "rogun-water-energy-2023.html"
UTF8 = PAGE.read_bytes()
# The same page as a Windows-1252 site serves it: characters outside the code page as
# character references, the charset in the header or only in the page's <meta>.
CP1252 = (
    UTF8.decode("utf-8")
    .replace('<meta charset="utf-8">', "")
    .encode("cp1252", errors="xmlcharrefreplace")
)
CP1252_META = (
    UTF8.decode("utf-8")
    .replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    .encode("cp1252", errors="xmlcharrefreplace")
)

PDF = (FIXTURES / "bad" / "report.pdf").read_bytes()

# path -> (status, headers, body)
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/roundup": (200, {"Content-Type": "text/html"}, UTF8),
    "/moved": (301, {"Location": "/roundup"}, b""),
    "/loop": (302, {"Location": "/loop"}, b""),
    "/cp1252": (200, {"Content-Type": "text/html; charset=windows-1252"}, CP1252),
    "/meta-charset": (200, {"Content-Type": "text/html"}, CP1252_META),
    "/report": (200, {"Content-Type": "application/pdf"}, PDF),
    "/data": (200, {"Content-Type": "application/json"}, b'{"a": 1}'),
}


class _Handler(BaseHTTPRequestHandler):
    agents: ClassVar[list[str]] = []  # the User-Agent of every request, in order

    def do_GET(self) -> None:
        self.agents.append(self.headers.get("User-Agent", ""))
        status, headers, body = ROUTES.get(self.path, (404, {"Content-Type": "text/html"}, b"no"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serving(_Handler) as url:
        yield url


def _build(args: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["build", *args], input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _dataset(trig: Path) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(trig, format="trig")
    return ds


def _article_answers(trig: Path) -> int:
    ds = _dataset(trig)
    return len(set(ds.subjects(predicate=SCHEMA.parentItem)))


def test_a_fetched_page_records_its_source_and_time_and_is_cached(
    site: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, _, err = _build([f"{site}/moved", "-o", str(out)])
    assert code == 0, err
    ds = _dataset(out / "kg.trig")
    (article,) = set(ds.subjects(PROV.wasDerivedFrom, URIRef(f"{site}/moved")))
    assert (article, SCHEMA.url, URIRef(f"{site}/roundup")) in ds
    (when,) = set(ds.objects(article, PROV.generatedAtTime))
    assert isinstance(when, Literal) and when.datatype == XSD.dateTime
    assert _Handler.agents[-1].startswith("cakg/")
    cached = sorted(p.name for p in (out / CACHE_FOLDER).iterdir())
    assert len(cached) == 2 and any(n.endswith(".meta.yaml") for n in cached)


def test_the_cached_page_rebuilds_the_same_graph_offline(site: str, tmp_path: Path) -> None:
    online = tmp_path / "online"
    assert _build([f"{site}/roundup", "-o", str(online)])[0] == 0
    (page,) = (online / CACHE_FOLDER).glob("*.html")
    offline = tmp_path / "offline"
    code, _, err = _build([str(page), "-o", str(offline)])
    assert code == 0, err
    assert (offline / "kg.trig").read_bytes() == (online / "kg.trig").read_bytes()


@pytest.mark.parametrize("route", ["/cp1252", "/meta-charset"])
def test_the_page_charset_is_honoured(site: str, tmp_path: Path, route: str) -> None:
    code, _, err = _build([f"{site}{route}", "-o", str(tmp_path / "a")])
    assert code == 0, err
    assert _build([f"{site}/roundup", "-o", str(tmp_path / "b")])[0] == 0
    answers = _article_answers(tmp_path / "a" / "kg.trig")
    assert answers > 0 and answers == _article_answers(tmp_path / "b" / "kg.trig")


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("/missing", "the server answered 404 Not Found"),
        ("/loop", "too many redirects"),
        ("/report", "is a PDF document (application/pdf), not an article page (HTML or text)"),
        ("/data", "is application/json, not an article page (HTML or text)"),
    ],
)
def test_a_page_that_is_no_article_is_one_line_exit_2(
    site: str, tmp_path: Path, route: str, message: str
) -> None:
    out = tmp_path / "out"
    code, _, err = _build([f"{site}{route}", "-o", str(out)])
    assert code == 2
    assert err.strip().splitlines() == [f"cakg: error: {site}{route}: {message}"]
    assert not out.exists()


def test_a_folder_builds_every_article_in_it(tmp_path: Path) -> None:
    folder = FIXTURES / "articles"
    code, _, err = _build([str(folder), "-o", str(tmp_path / "out")])
    assert code == 0, err
    ds = _dataset(tmp_path / "out" / "kg.trig")
    sources = {str(o) for o in ds.objects(predicate=DCT.source) if isinstance(o, Literal)}
    assert sources >= {p.name for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html")}
    assert not any(s.endswith(".yaml") for s in sources)


def test_a_folder_readme_is_not_an_article(tmp_path: Path) -> None:
    """Regression: a folder of articles with a README.md was refused ("no expert found")."""
    folder = tmp_path / "roundups"
    folder.mkdir()
    article = FIXTURES / "articles" / "kyrgyz-tajik-border-clashes-2022.txt"
    (folder / article.name).write_bytes(article.read_bytes())
    (folder / "README.md").write_text("# Roundups\n\nArticles collected for a study.\n")
    code, _, err = _build([str(folder), "-o", str(tmp_path / "out")])
    assert code == 0, err
    ds = _dataset(tmp_path / "out" / "kg.trig")
    sources = {str(o) for o in ds.objects(predicate=DCT.source) if isinstance(o, Literal)}
    assert article.name in sources and "README.md" not in sources


def test_a_folder_without_articles_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("a: 1\n")
    code, _, err = _build([str(tmp_path), "-o", str(tmp_path / "out")])
    assert code == 2 and "holds no article" in err


def test_standard_input_is_read(tmp_path: Path) -> None:
    text = (FIXTURES / "articles" / "kyrgyz-tajik-border-clashes-2022.txt").read_bytes()
    code, _, err = _build(["-", "-o", str(tmp_path / "out")], stdin=text)
    assert code == 0, err
    assert _article_answers(tmp_path / "out" / "kg.trig") > 0
