"""Extraction measured against the gold annotations in tests/fixtures/gold, one per fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import URIRef

from cakg.graph.check.evaluate import EvaluationReport, evaluate_article

FIXTURES = Path(__file__).parent / "fixtures"
GOLD = sorted((FIXTURES / "gold").glob("*.yaml"))


def _article(gold: Path) -> Path:
    ref = yaml.safe_load(gold.read_text(encoding="utf-8"))["article"]
    return Path("bundled") if ref == "bundled" else FIXTURES / ref


@pytest.fixture(scope="module", params=GOLD, ids=[g.stem for g in GOLD])
def report(request: pytest.FixtureRequest) -> EvaluationReport:
    gold: Path = request.param
    return evaluate_article(_article(gold), gold)


def test_gold_files_exist() -> None:
    assert len(GOLD) >= 4, "the bundled article and at least three more fixtures"


def test_experts_all_found(report: EvaluationReport) -> None:
    m = report.measure("experts")
    assert (m.precision, m.recall) == (1.0, 1.0), report.errors


def test_answers_all_found(report: EvaluationReport) -> None:
    m = report.measure("answers")
    assert (m.precision, m.recall) == (1.0, 1.0), report.errors


@pytest.mark.parametrize("kind", ["mentions: states", "mentions: organizations"])
def test_mentions(report: EvaluationReport, kind: str) -> None:
    m = report.measure(kind)
    assert m.recall >= 0.95, (m.recall, [e for e in report.errors if "missed" in e])
    assert m.precision >= 0.9, (m.precision, [e for e in report.errors if "extra" in e])


def test_answer_trends(report: EvaluationReport) -> None:
    assert report.trend_accuracy >= 0.8, [e for e in report.errors if e.startswith("trend")]


def test_roles_and_affiliations(report: EvaluationReport) -> None:
    assert report.affiliations_correct == report.affiliations_n


def test_evidence_offsets_exact(report: EvaluationReport) -> None:
    assert report.offsets_total > 0
    assert report.offsets_exact == report.offsets_total


def test_questions_differing_by_states_share_a_template() -> None:
    # Matches are at article offsets while a question's text starts at 0: mixing the two
    # would give every question a template of its own.
    from cakg.graph.build import build_knowledge_graph
    from cakg.graph.namespaces import CAKG, RDFS
    from cakg.graph.text.reader import bundled_article

    kg, _, _ = build_knowledge_graph([bundled_article()])
    g = kg.merged()
    by_template: dict[str, set[str]] = {}
    for q, t in g.subject_objects(CAKG.instanceOfTemplate):
        by_template.setdefault(str(g.value(t, RDFS.label)), set()).add(str(q))
    bilateral = "Will bilateral relations between ‹state› and ‹state› change?"
    assert len(by_template[bilateral]) == 4  # KZ–UZ twice, KZ–KG, KZ–TM
    regional = "What changes can occur in the format of regional cooperation?"
    assert len(by_template[regional]) == 5  # asked of every expert
    params = {
        str(s).rsplit("/", 1)[-1]
        for q in by_template[bilateral]
        for s in g.objects(URIRef(q), CAKG.templateParameter)
    }
    assert params == {"kazakhstan", "uzbekistan", "kyrgyzstan", "turkmenistan"}


def test_records_say_what_the_graph_says() -> None:
    """The article's graph is written from its records alone, and each record is kept once."""
    from rdflib.compare import isomorphic

    from cakg.graph.build import build_knowledge_graph
    from cakg.graph.extract.horizons import horizon_graph
    from cakg.graph.extract.triples import article_graph
    from cakg.graph.namespaces import CAKG, RDF
    from cakg.graph.text.reader import bundled_article

    _, extractions, _ = build_knowledge_graph([bundled_article()])
    ex = extractions[0]
    records = ex.records
    assert isomorphic(article_graph(records) + horizon_graph(records), ex.graph)
    for group in (records.entities, records.relations, records.agreements):
        assert len(set(group)) == len(group)
    assert len(records.claims) == len(set(ex.graph.subjects(RDF.type, CAKG.Claim)))
    assert [a.ordinal for a in records.answers] == list(range(1, len(records.answers) + 1))
    for claim in records.claims:
        assert ex.article.text[claim.start : claim.end] == claim.text
    (agreement,) = records.agreements
    assert agreement.relation in {r.iri for r in records.relations}
    assert (agreement.relation, CAKG.concernsAgreement, agreement.iri) in ex.graph


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        # Written for this test (not taken from any article): a state in the possessive
        # is what the question asks about, wherever the question says it is held.
        ("Will Turkey's influence in the region keep growing?", "turkey"),
        ("How has the Afghan crisis changed Iran’s standing in the region?", "iran"),
        ("Will China's weight in the region outlast the pipeline deals?", "china"),
        # ... but a question about relations stays about the relation,
        ("Will Kazakhstan's relations with Uzbekistan improve?", "kazakhstan--uzbekistan"),
        # and without a possessive the region is still the region.
        ("What will change in the region after the summit in Astana?", "central-asia"),
    ],
)
def test_a_state_in_the_possessive_is_the_questions_subject(
    tmp_path: Path, question: str, subject: str
) -> None:
    from roundup import extract_text

    ex = extract_text(
        tmp_path,
        "roundup.txt",
        "Power and Water in Central Asia\n\nOne expert answers.\n\n"
        "Jane Doe, senior fellow, Caspian Policy Institute (Kazakhstan):\n\n"
        f"{question}\n\nI expect little to change this year.\n",
    )
    (q,) = ex.records.questions
    assert str(q.subject).rsplit("/", 1)[-1] == subject
