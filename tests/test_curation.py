"""Curation overlays: corrections are applied, kept in their own graph with PROV, and checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS as DCT
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
_OUTCOME = (
    "outcomes:\n  {n}: {{outcome: {outcome}, source: 'https://e.org/r', by: Ann Lee, "
    "date: 2024-01-31}}\n"
)
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
        (_OUTCOME.format(n=2, outcome="maybe"), "outcome must be one of"),
        (_OUTCOME.format(n=99, outcome="came true"), "no claim 99"),
        (_OUTCOME.format(n=2, outcome="partly").replace("https://e.org/r", "e.org"), "http(s) URL"),
        ("outcomes:\n  2: {outcome: partly, by: X, date: 2024-01-01}\n", "missing source"),
    ],
)
def test_bad_overlay_exits_2_naming_the_file(tmp_path: Path, overlay: str, message: str) -> None:
    code, err, trig = _build(tmp_path, overlay)
    assert code == 2
    assert "trade.curation.yaml" in err and message in err
    assert not trig.exists()


def _curate(overlay: Path, claim: str, *extra: str) -> tuple[int, str]:
    args = ["curate", "outcome", claim, "--overlay", str(overlay), *extra]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stderr


def test_curate_outcome_is_built_with_prov_and_kept_across_rebuilds(tmp_path: Path) -> None:
    from rdflib.namespace import XSD

    overlay = tmp_path / "judged.yaml"
    source = ["--source", "https://example.org/report"]
    for n, outcome, day in ((2, "came true", "2024-03-01"), (1, "partly", "2024-03-02")):
        code, err = _curate(
            overlay,
            f"{ART}/claim/{n}",
            "--outcome",
            outcome,
            *source,
            "--by",
            "Ann Lee",
            "--on",
            day,
        )
        assert code == 0, err
    article = tmp_path / "trade.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    for _ in range(2):  # a rebuild keeps the judgement: it lives in the overlay file
        result = CliRunner().invoke(
            cli, ["build", str(article), "-o", str(tmp_path / "out"), "--curation", str(overlay)]
        )
        assert result.exit_code == 0, result.stderr
    ds = Dataset()
    ds.parse(tmp_path / "out" / "kg.trig", format="trig")
    cur = ds.graph(URIRef(BASE + "graph/article/a-roundtable-on-trade/curation"))
    claim, node = URIRef(ART + "/claim/2"), URIRef(ART + "/claim/2/outcome")
    assert (claim, CAKG.hasOutcome, CAKG["outcome-came-true"]) in cur
    assert (URIRef(ART + "/claim/1"), CAKG.hasOutcome, CAKG["outcome-partly"]) in cur
    assert (node, PROV.wasAttributedTo, URIRef(BASE + "person/ann-lee")) in cur
    assert (node, DCT.source, URIRef("https://example.org/report")) in cur
    assert (node, DCT.date, Literal("2024-03-01", datatype=XSD.date)) in cur
    assert (node, PROV.wasGeneratedBy, URIRef(ART + "/curation")) in cur
    article_g = ds.graph(URIRef(BASE + "graph/article/a-roundtable-on-trade"))
    assert not list(article_g.triples((None, CAKG.hasOutcome, None)))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outcome", "maybe"], "outcome must be one of"),
        (["--outcome", "partly", "--on", "last week"], "must be a day"),
    ],
)
def test_curate_outcome_refuses_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    overlay = tmp_path / "judged.yaml"
    code, err = _curate(overlay, f"{ART}/claim/2", "--source", "https://e.org", "--by", "A", *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not overlay.exists()
