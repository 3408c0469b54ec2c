"""An article's title and IRI slug come from its headline, never from Markdown front matter.

Regression: a Markdown article opening with YAML front matter took its first line "---" as
its title, and the title slugged to the placeholder "x", so two such articles would have
shared one article IRI. Parametrized over every gold file whose article has front matter.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cakg.graph.build import build_knowledge_graph
from cakg.graph.text.reader import read_article

FIXTURES = Path(__file__).parent / "fixtures"
GOLD = sorted(
    g
    for folder in ("gold", "layouts/gold", "series/gold", "blind/claims-2026-12/gold")
    for g in (FIXTURES / folder).glob("*.yaml")
)


def _with_front_matter() -> list[tuple[Path, str]]:
    cases = []
    for gold_path in GOLD:
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        if not isinstance(gold, dict) or "title" not in gold or gold["article"] == "bundled":
            continue
        article = FIXTURES / gold["article"]
        if article.read_text(encoding="utf-8").startswith("---\n"):
            cases.append((article, gold["title"]))
    return cases


CASES = _with_front_matter()


def test_there_are_front_matter_articles() -> None:
    assert len(CASES) >= 3


@pytest.mark.parametrize(("article", "title"), CASES, ids=[a.name for a, _ in CASES])
def test_title_and_slug_come_from_the_headline(article: Path, title: str) -> None:
    _, extractions, _ = build_knowledge_graph([read_article(article)])
    record = extractions[0].records.article
    assert record.title == title
    assert record.slug not in ("", "x") and record.slug[0].isalnum()


def test_a_title_without_letters_keeps_articles_apart(tmp_path: Path) -> None:
    source = FIXTURES / "articles" / "kyrgyz-tajik-border-clashes-2022.txt"
    body = source.read_text(encoding="utf-8").split("\n", 1)[1]
    paths = []
    for name in ("first.txt", "second.txt"):
        path = tmp_path / name
        path.write_text("* * *\n" + body, encoding="utf-8")
        paths.append(path)
    _, extractions, _ = build_knowledge_graph([read_article(p) for p in paths])
    slugs = [e.records.article.slug for e in extractions]
    assert slugs == ["first", "second"]
