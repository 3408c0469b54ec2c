"""Forecast horizons: the interval rules on sentences of our own, and the triples a build writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cakg.graph.claims.horizon import find_horizon
from cakg.queries import open_graph

# (sentence, article date, words, start, end); None for start/end where nothing resolves it.
STATED = [
    (
        "Trade will double by the end of next year.",
        "2022-03-14",
        "by the end of next year",
        "2022-03-14",
        "2023-12-31",
    ),
    (
        "The CSTO will hold joint exercises in 2023.",
        "2022-03",
        "in 2023",
        "2023-01-01",
        "2023-12-31",
    ),
    (
        "Tensions will ease in the coming months.",
        "2022-03-14",
        "in the coming months",
        "2022-03-14",
        "2022-09-14",
    ),
    (
        "The ruling party will lose ground before the 2026 election.",
        "2024-05-02",
        "before the 2026 election",
        "2024-05-02",
        "2026-12-31",
    ),
    (
        "The bloc may fall apart within two years.",
        "2022-01",
        "within two years",
        "2022-01-01",
        "2024-01-01",
    ),
    (
        "Astana may sign in the first half of 2025.",
        "2024-11",
        "in the first half of 2025",
        "2025-01-01",
        "2025-06-30",
    ),
    (
        "The parties may agree in March 2023.",
        "2022-10",
        "in March 2023",
        "2023-03-01",
        "2023-03-31",
    ),
    ("A deal will be ready by March.", "2022-10-01", "by March", "2022-10-01", "2023-03-31"),
    ("It may still happen this year.", "2022-10-01", "this year", "2022-10-01", "2022-12-31"),
    ("Talks will resume next spring.", "2022-10-01", "next spring", "2023-03-01", "2023-05-31"),
    (
        "Ties will deepen over the next decade.",
        "2022-01",
        "over the next decade",
        "2022-01-01",
        "2032-01-01",
    ),
    (
        "Exports will grow in the years ahead.",
        "2022-10-01",
        "in the years ahead",
        "2022-10-01",
        "2025-10-01",
    ),
    ("The pipeline may open by mid-2024.", "2022-10-01", "by mid-2024", "2022-10-01", "2024-06-30"),
    (
        "A treaty is expected by the end of the year.",
        "2022-06-01",
        "by the end of the year",
        "2022-06-01",
        "2022-12-31",
    ),
    ("The summit will be held next month.", "2022-12-05", "next month", "2023-01-01", "2023-01-31"),
    (
        "Prices will stabilise in the next six months.",
        "2023-02-01",
        "in the next six months",
        "2023-02-01",
        "2023-08-01",
    ),
    (
        "Trade will recover in the short term.",
        "2022-01-24",
        "in the short term",
        "2022-01-24",
        "2023-01-24",
    ),
    (
        "A deal may follow in the coming weeks.",
        "2022-01-31",
        "in the coming weeks",
        "2022-01-31",
        "2022-02-28",
    ),
    (
        "Output may fall in the third quarter of 2023.",
        "2023-02",
        "in the third quarter of 2023",
        "2023-07-01",
        "2023-09-30",
    ),
    (
        "Prices will rise in the first half of the year.",
        "2023-03-15",
        "in the first half of the year",
        "2023-01-01",
        "2023-06-30",
    ),
    ("Talks will resume next winter.", "2023-01-10", "next winter", "2023-12-01", "2024-02-29"),
    ("Talks will resume next spring.", "2023-02-10", "next spring", "2023-03-01", "2023-05-31"),
    (
        "The plant may open in the spring of 2025.",
        None,
        "in the spring of 2025",
        "2025-03-01",
        "2025-05-31",
    ),
    (
        "The president will step down before the presidential election in 2024.",
        "2022-05-01",
        "before the presidential election in 2024",
        "2022-05-01",
        "2024-12-31",
    ),
    # No article date: a named year still resolves, a deadline has no beginning.
    ("The CSTO will weaken by 2025.", None, "by 2025", None, "2025-12-31"),
    ("The CSTO will weaken in the coming years.", None, "in the coming years", None, None),
]

UNSTATED = [
    ("Relations will improve soon.", "2022-01"),
    ("In the long term the union will weaken.", "2022-01"),
    ("In 2021 the CSTO stayed passive, but it will act.", "2022-01"),  # a past year
    ("Kazakhstan may join the union.", "2022-01"),
    ("The bloc may hold together in the near future.", "2022-01"),
]


@pytest.mark.parametrize(("sentence", "published", "words", "start", "end"), STATED)
def test_stated_horizons(
    sentence: str, published: str | None, words: str, start: str | None, end: str | None
) -> None:
    h = find_horizon(sentence, published)
    assert h is not None
    assert (h.words, h.start and str(h.start), h.end and str(h.end)) == (words, start, end)
    assert sentence[h.offset : h.offset + h.length] == words


@pytest.mark.parametrize(("sentence", "published"), UNSTATED)
def test_no_horizon_is_invented(sentence: str, published: str) -> None:
    assert find_horizon(sentence, published) is None


def test_build_writes_horizons_with_evidence(store: Any) -> None:
    rows = (
        open_graph(store)
        .sparql(
            """SELECT ?claim ?stated ?cue ?exact ?text WHERE {
             ?claim cakg:hasClaimType cakg:type-prediction ; cakg:horizonStated ?stated ;
                    schema:text ?text .
             OPTIONAL { ?claim cakg:hasHorizon ?h . ?h cakg:horizonCue ?cue ;
                        cakg:horizonEvidence/oa:hasSelector/oa:exact ?exact }
           }"""
        )
        .rows
    )
    predictions = (
        open_graph(store)
        .sparql("SELECT ?c WHERE { ?c cakg:hasClaimType cakg:type-prediction }")
        .rows
    )
    assert rows and len(rows) == len(predictions)
    for row in rows:
        stated = bool(row["stated"].toPython())
        assert stated == ("cue" in row and row.get("cue") is not None)
        if stated:
            assert str(row["cue"]) == str(row["exact"]) and str(row["cue"]) in str(row["text"])


def test_horizon_instants_are_dates(store: Any) -> None:
    rows = (
        open_graph(store)
        .sparql("SELECT ?d WHERE { ?h a cakg:Horizon ; time:hasEnd/time:inXSDDate ?d }")
        .rows
    )
    assert all(str(r["d"].datatype).endswith("#date") for r in rows)


def test_horizon_evidence_is_the_articles_text() -> None:
    """The horizon's evidence, read from its claim's quote, is what the article says there."""
    from cakg.graph.build import build_knowledge_graph
    from cakg.graph.extract.horizons import horizons
    from cakg.graph.text.reader import read_text

    text = (
        "Will the region hold together?\n\nAigerim Sadykova, analyst, Steppe Institute "
        "(Kazakhstan):\n\nHow will relations between Kazakhstan and Kyrgyzstan develop?\n\n"
        "Relations between Kazakhstan and Kyrgyzstan will strengthen in 2024, I think.\n"
    )
    article = read_text(text, name="x.txt", meta={"date_published": "2023-05"})
    _, extractions, _ = build_knowledge_graph([article])
    found = [h for h in horizons(extractions[0].records) if h.evidence is not None]
    assert len(found) == 1
    e = found[0].evidence
    assert e is not None and (e.exact, e.prefix, e.suffix) == (
        text[e.start : e.end],
        text[e.start - 32 : e.start],
        text[e.end : e.end + 32],
    )
    assert e.exact == "in 2024"


def test_evaluate_reports_date_and_horizons(tmp_path: Path) -> None:
    """`cakg evaluate` on a dated gold: the date, its source, horizons right and invented."""
    from click.testing import CliRunner

    from cakg.cli import cli

    article = tmp_path / "a.txt"
    article.write_text(
        "Will the region hold together?\n\nASTANA, 2 May 2023 — One expert answers.\n\n"
        "Aigerim Sadykova, analyst, Steppe Institute (Kazakhstan):\n\n"
        "How will relations between Kazakhstan and Kyrgyzstan develop?\n\n"
        "Relations between Kazakhstan and Kyrgyzstan will strengthen in 2024. "
        "Trade will grow.\n",
        encoding="utf-8",
    )
    gold = tmp_path / "a.yaml"
    gold.write_text(
        "article: a.txt\ndate: 2023-05-02\ndate_source: dateline\nexperts:\n"
        "  - {name: Aigerim Sadykova, country: Kazakhstan, role: analyst, "
        "affiliation: Steppe Institute}\n"
        "answers:\n  - expert: Aigerim Sadykova\n"
        "    question: How will relations between Kazakhstan and Kyrgyzstan develop?\n"
        "    starts_with: Relations between\n    states: [Kazakhstan, Kyrgyzstan]\n"
        "    organizations: []\n    trend: strengthening\n    predictions:\n"
        "      - text: Relations between Kazakhstan and Kyrgyzstan will strengthen in 2024.\n"
        "        horizon: {start: 2024-01-01, end: 2024-12-31, words: in 2024}\n"
        "      - {text: Trade will grow., horizon: null}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["evaluate", str(article), str(gold)])
    assert result.exit_code == 0, result.stderr
    assert "date: 2023-05-02 (dateline); gold 2023-05-02 (dateline): right" in result.stdout
    assert "horizons right: 1/1 (1.00); invented: 0 of 1 without one" in result.stdout
