"""The blind layout fixtures (tests/fixtures/layouts): figures per article, and near misses.

No answer may silently change author: a near-miss roundup either builds with every answer
credited as its gold says, or stops with exit 2 naming the trap line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from roundup import extract_text

from cakg.cli import cli
from cakg.errors import InputError
from cakg.graph.build import build_knowledge_graph
from cakg.graph.check.evaluate import evaluate_article
from cakg.graph.text.reader import read_article

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
NEAR_MISS = LAYOUTS / "near-miss"
# The layout fixtures, and the roundups of the two newest blind sets (every family, in text,
# Markdown and HTML): their structure is held to its gold here; their claims are scored by
# benchmarks/claims_eval.py, never tuned on.
FRESH = LAYOUTS.parent / "blind" / "fresh-2026-12"
ROUND3 = LAYOUTS.parent / "blind" / "round3-2026-12"


def _with_gold(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and (folder / "gold" / f"{p.stem}.yaml").exists()
    )


ARTICLES = _with_gold(LAYOUTS) + _with_gold(FRESH) + _with_gold(ROUND3)
NEAR_MISSES = sorted(p for p in NEAR_MISS.iterdir() if p.is_file())


def _gold(folder: Path, article: Path) -> dict[str, Any]:
    data = yaml.safe_load((folder / "gold" / f"{article.stem}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_layout_fixture_figures(article: Path) -> None:
    report = evaluate_article(article, article.parent / "gold" / f"{article.stem}.yaml")
    for name in ("experts", "answers"):
        m = report.measure(name)
        assert (m.precision, m.recall) == (1.0, 1.0), (name, report.errors)
    for m in report.measures:
        if m.name.startswith("mentions"):
            assert m.recall >= 0.95 and m.precision >= 0.9, (m.name, report.errors)
    assert report.offsets_exact == report.offsets_total > 0


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_every_evidence_selector_is_exact(article: Path) -> None:
    try:
        report = evaluate_article(article, article.parent / "gold" / f"{article.stem}.yaml")
    except InputError:
        pytest.fail(f"{article.name} does not build")
    assert report.offsets_exact == report.offsets_total > 0


@pytest.mark.parametrize("article", NEAR_MISSES, ids=lambda p: p.name)
def test_no_answer_changes_author_silently(article: Path) -> None:
    gold = _gold(NEAR_MISS, article)
    try:
        _, (ex,), _ = build_knowledge_graph([read_article(article)])
    except InputError as exc:
        # A refusal is never silent, but it must name the trap line.
        assert exc.line == gold["trap"]["line"], exc.one_line()
        assert f"line {gold['trap']['line']}" in exc.message
        return
    assert gold["expect"] == "build", "a roundup that must be refused was built"
    got = [(a.expert, a.question) for a in ex.answers]
    assert got == [(a["expert"], a["question"]) for a in gold["answers"]]


def test_evaluate_prints_one_row_per_family() -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(LAYOUTS)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    families = {str(_gold(LAYOUTS, a).get("layout")) for a in _with_gold(LAYOUTS)}
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert sorted(r.split("│")[1].strip() for r in rows) == sorted(families)


def test_evaluate_needs_gold_or_a_folder() -> None:
    article = ARTICLES[0]
    result = CliRunner().invoke(cli, ["evaluate", str(article)])
    assert result.exit_code == 2 and "GOLD" in result.stderr


@pytest.mark.parametrize(
    ("introduction", "country"),
    [
        # Written for this test: a city that is not a capital, as the only clue.
        ("Our first guest, Dana Akhmetova, runs a consultancy in Shymkent.", "Kazakhstan"),
        ("Our first guest, Rustam Nazarov, teaches at a university in Bukhara.", "Uzbekistan"),
        ("Our first guest, Elif Demir, is a fellow at a think tank in Istanbul.", "Turkey"),
    ],
)
def test_a_city_tells_the_country_of_an_introduced_guest(
    tmp_path: Path, introduction: str, country: str
) -> None:
    ex = extract_text(
        tmp_path,
        "interview.txt",
        f"Trade Routes After the Summit\n\n{introduction}\n\n"
        "Q: Will the new corridor bring the neighbours closer?\n\n"
        "A: I expect cargo volumes to grow and the customs talks to speed up.\n",
    )
    (expert,) = ex.records.experts
    assert str(expert.nationality).rsplit("/", 1)[-1] == country.casefold()


@pytest.mark.parametrize("article", NEAR_MISSES, ids=lambda p: p.name)
def test_near_miss_exit_status(article: Path, tmp_path: Path) -> None:
    """Built (exit 0, warnings allowed) or refused (exit 2), as the gold expects; never the
    exit 1 of invalid data (a header without a country used to fail the shapes)."""
    gold = _gold(NEAR_MISS, article)
    result = CliRunner().invoke(cli, ["build", "-o", str(tmp_path / "out"), str(article)])
    assert result.exit_code == (0 if gold["expect"] == "build" else 2), result.output


def test_a_guest_introduced_by_a_role_in_apposition(tmp_path: Path) -> None:
    """ "We began with Jane Doe, director of ..." introduces her as much as "Jane Doe, who
    directs ..." does; the closing editor's note in italics belongs to no answer."""
    ex = extract_text(
        tmp_path,
        "interview.md",
        "# Borders and Water\n\n"
        "We began with Aida Sultanova, director of the water programme at a think tank in "
        "Dushanbe.\n\n"
        "**Will the new border treaty ease the water disputes?**\n\n"
        "Yes. I expect the commission to meet every month.\n\n"
        "*The next interview in this series looks at the Caspian ports.*\n",
    )
    (expert,) = ex.records.experts
    assert (expert.name, str(expert.nationality).rsplit("/", 1)[-1]) == (
        "Aida Sultanova",
        "tajikistan",
    )
    (answer,) = ex.answers
    assert answer.text.endswith("every month.")
