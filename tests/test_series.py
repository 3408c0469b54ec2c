"""The dated series (tests/fixtures/series) against its gold: dates, horizons, time queries.

Built once together with the bundled article. Trend shifts are checked twice: as the
classifier sees them, and with each answer's gold trend applied through a curation
overlay, which is how a researcher corrects trends (the query must then find the gold's
shifts).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cakg import queries as cq
from cakg.cli import cli
from cakg.graph.check.evaluate import evaluate_article
from cakg.graph.text.reader import BUNDLED_ARTICLE, read_article

SERIES = Path(__file__).parent / "fixtures" / "series"
GOLD = {
    p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
    for p in sorted((SERIES / "gold").glob("*.yaml"))
    if p.stem != "shifts"
}
SHIFTS = yaml.safe_load((SERIES / "gold" / "shifts.yaml").read_text(encoding="utf-8"))


def _article(stem: str) -> Path:
    return SERIES.parent / GOLD[stem]["article"]


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _trend_overlays(folder: Path) -> list[Path]:
    """One overlay per article setting each answer's trend to the gold's."""
    from cakg.graph.build import build_knowledge_graph

    _, extractions, _ = build_knowledge_graph([read_article(_article(s)) for s in GOLD])
    overlays = []
    for stem, ex in zip(GOLD, extractions, strict=True):
        fixes: dict[int, dict[str, str]] = {}
        for ga in GOLD[stem]["answers"]:
            for a in ex.answers:
                if (
                    a.ordinal not in fixes
                    and _norm(a.expert) == _norm(ga["expert"])
                    and _norm(a.question) == _norm(ga["question"])
                    and _norm(a.text).startswith(_norm(ga["starts_with"]))
                ):
                    fixes[a.ordinal] = {"trend": ga["trend"]}
                    break
        path = folder / f"{stem}.trends.yaml"
        data = {"article": _article(stem).name, "curator": "gold", "answers": fixes}
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        overlays.append(path)
    return overlays


def _build(out: Path, overlays: list[Path]) -> cq.KnowledgeGraphQueries:
    bundled = files("cakg.graph.data").joinpath("articles", BUNDLED_ARTICLE)
    args = ["build", str(bundled), *[str(_article(s)) for s in GOLD], "-o", str(out)]
    for o in overlays:
        args += ["--curation", str(o)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    return cq.open_graph(out / "kg.trig")


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> cq.KnowledgeGraphQueries:
    return _build(tmp_path_factory.mktemp("series"), [])


@pytest.fixture(scope="module")
def gold_trends(tmp_path_factory: pytest.TempPathFactory) -> cq.KnowledgeGraphQueries:
    folder = tmp_path_factory.mktemp("series-gold-trends")
    return _build(folder / "out", _trend_overlays(folder))


@pytest.mark.parametrize("stem", sorted(GOLD))
def test_date_and_its_source(stem: str) -> None:
    meta = read_article(_article(stem)).meta
    gold = GOLD[stem]
    assert meta.get("date_published") == (str(gold["date"]) if gold["date"] else None)
    assert meta.get("date_source", "none") == gold["date_source"]


def test_horizons_right_for_nine_in_ten_and_none_invented() -> None:
    stated = right = invented = unstated = 0
    for stem in GOLD:
        report = evaluate_article(_article(stem), SERIES / "gold" / f"{stem}.yaml")
        t = report.time
        assert t is not None and t.missing == 0, report.errors
        stated, right = stated + t.stated, right + t.stated_right
        unstated, invented = unstated + t.unstated, invented + t.invented
    assert stated >= 20 and unstated >= 20
    assert right / stated >= 0.9
    assert invented == 0


def test_stance_timeline_of_the_csto_covers_every_dated_article_in_order(
    series: cq.KnowledgeGraphQueries,
) -> None:
    rows = series.query("stance-timeline", subject="CSTO").rows
    dates = [str(r["date"]) for r in rows]
    assert dates == sorted(dates)
    discussing = {
        str(g["date"])
        for g in GOLD.values()
        if g["date"] and any("CSTO" in (a.get("organizations") or []) for a in g["answers"])
    }
    assert len(discussing) >= 4
    assert discussing <= set(dates)
    assert "2022-01" in dates  # the bundled article, dated by its sidecar to the month


def _shifts(rows: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    return {
        (str(r["name"]), str(r["fromTrend"]), str(r["toTrend"]), str(r["fromDate"])) for r in rows
    }


def _gold_shifts(subject: str) -> set[tuple[str, str, str, str]]:
    date = {f"series/{_article(s).name}": str(g["date"]) for s, g in GOLD.items()}
    return {
        (s["expert"], s["from"]["trend"], s["to"]["trend"], date[s["from"]["article"]])
        for s in SHIFTS
        if s["subject"] == subject
    }


@pytest.mark.parametrize("subject", sorted({s["subject"] for s in SHIFTS}))
def test_trend_shift_finds_the_gold_shifts_from_gold_trends(
    gold_trends: cq.KnowledgeGraphQueries, subject: str
) -> None:
    rows = gold_trends.query("trend-shift", subject=subject).rows
    assert _shifts(rows) == _gold_shifts(subject)
    assert all(r["fromQuote"] and r["toQuote"] for r in rows)


def test_trend_shift_from_the_classifiers_trends(series: cq.KnowledgeGraphQueries) -> None:
    """As extracted, with the trends the classifier gives: every row is a change, and the
    gold's shifts are found. A regression guard, not a quality figure: the trend model's
    training data include this series (the blind figures are in the README)."""
    found = gold = rows_n = 0
    for subject in sorted({s["subject"] for s in SHIFTS}):
        rows = series.query("trend-shift", subject=subject).rows
        assert all(r["fromTrend"] != r["toTrend"] for r in rows)
        assert all(str(r["fromDate"]) < str(r["toDate"]) for r in rows)
        found += len(_shifts(rows) & _gold_shifts(subject))
        gold += len(_gold_shifts(subject))
        rows_n += len(rows)
    assert found / gold >= 0.8 and found / rows_n >= 0.8, (found, gold, rows_n)
