"""Publication dates: each place an article carries one, and an article without any."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset
from rdflib.namespace import RDF

from cakg.cli import cli
from cakg.graph.namespaces import CAKG, SCHEMA
from cakg.graph.text.dates import iso_date
from cakg.graph.text.reader import read_article

ROUNDUP = """Will the region hold together?

{dateline}Three experts answer.

Aigerim Sadykova, analyst, Steppe Institute (Kazakhstan):

How will relations between Kazakhstan and Kyrgyzstan develop?

Relations between Kazakhstan and Kyrgyzstan will strengthen in 2024.
"""

PAGE = """<!doctype html><html><head>{head}</head><body><article>
<h1>Will the region hold together?</h1>{body}
<p>Aigerim Sadykova, analyst, Steppe Institute (Kazakhstan):</p>
<p>How will relations between Kazakhstan and Kyrgyzstan develop?</p>
<p>Relations between Kazakhstan and Kyrgyzstan will strengthen in 2024.</p>
</article></body></html>"""


def _write(folder: Path, name: str, text: str, sidecar: str | None = None) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    if sidecar is not None:
        path.with_name(path.stem + ".meta.yaml").write_text(sidecar, encoding="utf-8")
    return path


CASES = [
    ("sidecar.txt", ROUNDUP.format(dateline=""), "date_published: 2022-09-16\n", "2022-09-16"),
    (
        "front.md",
        "---\ndate: 14 March 2022\n---\n" + ROUNDUP.format(dateline=""),
        None,
        "2022-03-14",
    ),
    (
        "meta.html",
        PAGE.format(
            head='<meta property="article:published_time" content="2023-01-20T08:00:00+06:00">',
            body="",
        ),
        None,
        "2023-01-20",
    ),
    (
        "jsonld.html",
        PAGE.format(
            head='<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle",'
            ' "datePublished": "2022-11-02"}]}</script>',
            body="",
        ),
        None,
        "2022-11-02",
    ),
    (
        "time.html",
        PAGE.format(head="", body='<p>Published <time datetime="2023-05-04">4 May</time></p>'),
        None,
        "2023-05-04",
    ),
    ("dateline.txt", ROUNDUP.format(dateline="BISHKEK, March 3, 2023 — "), None, "2023-03-03"),
]
SOURCES = ["sidecar", "front-matter", "html-meta", "html-meta", "html-meta", "dateline"]
IDS = ["sidecar", "front-matter", "meta", "json-ld", "time", "dateline"]


@pytest.mark.parametrize(("case", "source"), list(zip(CASES, SOURCES, strict=True)), ids=IDS)
def test_each_carrier_gives_the_date(
    tmp_path: Path, case: tuple[str, str, str | None, str], source: str
) -> None:
    name, text, sidecar, expected = case
    article = read_article(_write(tmp_path, name, text, sidecar))
    assert article.meta["date_published"] == expected
    assert article.meta["date_source"] == source


def test_the_sidecar_wins_over_the_page(tmp_path: Path) -> None:
    name, text, _, _ = CASES[2]
    article = read_article(_write(tmp_path, name, text, "date_published: 2023-02\n"))
    assert (article.meta["date_published"], article.meta["date_source"]) == ("2023-02", "sidecar")


def test_a_dated_event_later_in_the_text_is_no_dateline(tmp_path: Path) -> None:
    text = ROUNDUP.format(dateline="The talks of 5 May 2021 — in Osh — failed. ")
    assert "date_published" not in read_article(_write(tmp_path, "x.txt", text)).meta


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-01", "2022-01"),
        ("2022", "2022"),
        ("Sept. 5, 2022", "2022-09-05"),
        ("Sep 5, 2022", "2022-09-05"),
        ("5th September 2022", "2022-09-05"),
        ("31.12.2021", "2021-12-31"),
        ("2022-02-30", None),
        ("yesterday", None),
    ],
)
def test_written_dates(raw: str, expected: str | None) -> None:
    assert iso_date(raw) == expected


def test_an_undated_article_builds_with_a_warning_and_no_date(tmp_path: Path) -> None:
    path = _write(tmp_path, "undated.txt", ROUNDUP.format(dateline=""))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(path), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "undated.txt: no publication date found" in result.stderr
    graph = Dataset()
    graph.parse(out / "kg.trig", format="trig")
    assert list(graph.quads((None, RDF.type, CAKG.Article, None)))
    assert not list(graph.quads((None, SCHEMA.datePublished, None, None)))
