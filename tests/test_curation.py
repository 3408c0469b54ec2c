"""Curation overlays: corrections are applied, kept in their own graph with PROV, and checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV

from cakg.cli import cli
from cakg.graph.namespaces import CAKG

ARTICLE = """A Roundtable on Trade

Lead.

Aida Karimova, analyst (Kyrgyzstan):

Will relations between Kyrgyzstan and Kazakhstan change?

I do not think that relations will worsen. Kazakhstan remains our main partner.
"""
BASE = "https://cakg.example.org/id/"
ART = BASE + "article/a-roundtable-on-trade"


def _build(tmp_path: Path, overlay: str, *, beside: bool = True) -> tuple[int, str, Path]:
    article = tmp_path / "trade.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    cur = tmp_path / ("trade.curation.yaml" if beside else "fix.yaml")
    cur.write_text(overlay, encoding="utf-8")
    args = ["build", str(article), "-o", str(tmp_path / "out")]
    if not beside:
        args += ["--curation", str(cur)]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stderr, tmp_path / "out" / "kg.trig"


@pytest.mark.parametrize("beside", [True, False], ids=["beside-article", "--curation"])
def test_trend_correction_moves_to_the_curation_graph(tmp_path: Path, beside: bool) -> None:
    code, err, trig = _build(
        tmp_path, "curator: Jane Doe\nclaims:\n  2: {trend: weakening}\n", beside=beside
    )
    assert code == 0, err
    ds = Dataset()
    ds.parse(trig, format="trig")
    claim = URIRef(ART + "/claim/2")
    article_g = ds.graph(URIRef(BASE + "graph/article/a-roundtable-on-trade"))
    curation_g = ds.graph(URIRef(BASE + "graph/article/a-roundtable-on-trade/curation"))
    assert (claim, CAKG.hasTrend, None) not in article_g
    assert (claim, CAKG.hasTrend, CAKG["trend-weakening"]) in curation_g
    assert (claim, CAKG.curated, Literal(True)) in curation_g
    activity = URIRef(ART + "/curation")
    assert (claim, PROV.wasInfluencedBy, activity) in curation_g
    assert (activity, PROV.wasAssociatedWith, URIRef(BASE + "person/jane-doe")) in curation_g


def test_mentions_added_and_dropped(tmp_path: Path) -> None:
    overlay = "claims:\n  2: {add_mentions: [Russia], drop_mentions: [state/kazakhstan]}\n"
    code, err, trig = _build(tmp_path, overlay)
    assert code == 0, err
    ds = Dataset(default_union=True)
    ds.parse(trig, format="trig")
    claim = URIRef(ART + "/claim/2")
    assert (claim, CAKG.mentions, URIRef(BASE + "state/russia")) in ds
    assert (claim, CAKG.mentions, URIRef(BASE + "state/kazakhstan")) not in ds


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        ("claims:\n  2: {trend: collapsing}\n", "trend must be one of"),
        ("claims:\n  99: {trend: weakening}\n", "no claim 99"),
        ("claims:\n  2: {mood: sad}\n", "unknown correction"),
        ("claims:\n  2: {add_mentions: [Atlantis]}\n", "unknown entity"),
        ("claims: [\n", "invalid curation YAML"),
    ],
)
def test_bad_overlay_exits_2_naming_the_file(tmp_path: Path, overlay: str, message: str) -> None:
    code, err, trig = _build(tmp_path, overlay)
    assert code == 2
    assert "trade.curation.yaml" in err and message in err
    assert not trig.exists()
