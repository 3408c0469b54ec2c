"""The named query library: headers, parameters, portability, and answers on the bundled article.

Expectations on the bundled article come from the gold annotation
(tests/fixtures/gold/bundled.yaml) and the article text, not from the build's output.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

import cakg.queries as cq
from cakg.errors import InputError
from cakg.graph.namespaces import CAKG
from cakg.graph.store.engines import OxigraphStore, RdflibStore, open_store

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "sample" / "sample.trig"
BROKEN = FIXTURES / "sample" / "broken.trig"
GOLD = yaml.safe_load((FIXTURES / "gold" / "bundled.yaml").read_text(encoding="utf-8"))
ID = "https://cakg.example.org/id/"

LIBRARY = cq.list_queries()
NAMES = [nq.name for nq in LIBRARY]
VIOLATIONS = [nq.name for nq in LIBRARY if nq.is_violation]


def names(result: Any, var: str = "name") -> set[str]:
    return {str(r[var]) for r in result.rows if var in r}


@pytest.fixture(scope="module")
def sample() -> cq.KnowledgeGraphQueries:
    return cq.open_graph(SAMPLE)


@pytest.fixture(scope="module")
def kg(built: Path) -> cq.KnowledgeGraphQueries:
    return cq.open_graph(built / "kg.trig")


# --- the library itself -------------------------------------------------------------------------


def test_library_covers_the_issue() -> None:
    required = {
        "experts", "claims-by-expert", "stance-matrix", "disagreements", "organizations-ranked",
        "memberships-of-state", "organizations-not-shared", "claims-about-organization",
        "topics-by-expert", "co-mentioned-states", "recommendations", "hedged-predictions",
        "claim-evidence", "agreements-and-events", "about-relation", "experts-expecting-trend",
        "claim-without-evidence-violation", "offsets-mismatch-violation",
        "expert-nationality-violation", "relation-not-two-states-violation",
    }  # fmt: skip
    assert required <= set(NAMES)
    assert len([n for n in NAMES if not n.endswith("-violation")]) >= 15


@pytest.mark.parametrize("name", NAMES)
def test_header_says_what_it_answers(name: str) -> None:
    nq = cq.load_query(name)
    assert nq.title and nq.title != name
    assert len(nq.description) > 40
    assert nq.examples and nq.examples[0].startswith(f"cakg query {name}")
    for p in nq.params:
        assert p.description
        assert p.kind != "any", f"{name}: parameter {p.name} has no known kind"
    if nq.params:
        assert "--param " in " ".join(nq.examples), f"{name}: no example shows a parameter"


@pytest.mark.parametrize("name", NAMES)
def test_parameters_are_projected_variables(name: str) -> None:
    """A trailing VALUES clause is joined after grouping (SPARQL 1.1 §18.2.4.3): a parameter
    that is not projected (a group key) would not restrict the rows."""
    nq = cq.load_query(name)
    algebra = prepareQuery(nq.sparql).algebra
    projected = {str(v) for v in algebra["PV"]}
    for p in nq.params:
        assert p.name in projected, f"{name}: parameter {p.name} is not projected"


@pytest.fixture(scope="module")
def engines() -> tuple[OxigraphStore, RdflibStore]:
    ox = open_store(SAMPLE)
    ref = RdflibStore()
    for g in ox.graph_names():
        ref.add_graph(g, ox.graph(g))
    return ox, ref


@pytest.mark.parametrize("name", NAMES)
def test_runs_the_same_on_oxigraph_and_rdflib(
    engines: tuple[OxigraphStore, RdflibStore], name: str
) -> None:
    """Portable SPARQL 1.1: the reference engine gives the same rows as the embedded store."""
    ox, ref = engines
    a, b = cq.run_query(ox, name), cq.run_query(ref, name)

    def canon(result: Any) -> list[tuple[tuple[str, str], ...]]:
        rows = []
        for r in result.rows:
            # GROUP_CONCAT order is not defined by SPARQL: compare its items as a set.
            rows.append(
                tuple(sorted((k, ", ".join(sorted(str(v).split(", ")))) for k, v in r.items()))
            )
        return sorted(rows)

    assert a.vars == b.vars
    assert canon(a) == canon(b)


def test_unknown_query_suggests_close_names() -> None:
    with pytest.raises(InputError, match="did you mean experts"):
        cq.load_query("expert")


# --- parameters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("relation", "Kazakhstan–Kyrgyzstan", f"{ID}relation/kazakhstan--kyrgyzstan"),
        ("relation", "Kazakhstan-Kyrgyzstan", f"{ID}relation/kazakhstan--kyrgyzstan"),
        ("relation", "Kyrgyzstan—Kazakhstan", f"{ID}relation/kazakhstan--kyrgyzstan"),
        ("relation", "Kazakh-Kyrgyz", f"{ID}relation/kazakhstan--kyrgyzstan"),
        ("relation", "Kazakhstan and Uzbekistan", f"{ID}relation/kazakhstan--uzbekistan"),
        (
            "relation",
            f"<{ID}relation/kazakhstan--uzbekistan>",
            f"{ID}relation/kazakhstan--uzbekistan",
        ),
        ("state", "Kazakhstan", f"{ID}state/kazakhstan"),
        ("state", "kazakhstan", f"{ID}state/kazakhstan"),
        ("state", "Republic of Kazakhstan", f"{ID}state/kazakhstan"),
        ("neighbour", "Kyrgyz Republic", f"{ID}state/kyrgyzstan"),
        ("organization", "CSTO", f"{ID}org/csto"),
        ("organization", "Eurasian Economic Union", f"{ID}org/eaeu"),
        ("expert", "Bob Analyst", f"{ID}person/bob-analyst"),
        ("expert", "Analyst", f"{ID}person/bob-analyst"),
        ("trend", "weakening", str(CAKG["trend-weakening"])),
        ("trend", "worsen", str(CAKG["trend-weakening"])),
        ("trend", "No Change", str(CAKG["trend-no-change"])),
        ("topic", "security", str(CAKG["topic-security"])),
        ("claim", "3", f"{ID}article/sample-roundup/claim/3"),
        ("state", "cakg:trend-weakening", str(CAKG["trend-weakening"])),
        ("subject", "CSTO", f"{ID}org/csto"),
        ("subject", "Kazakhstan-Uzbekistan", f"{ID}relation/kazakhstan--uzbekistan"),
    ],
)
def test_resolve_param(
    sample: cq.KnowledgeGraphQueries, param: str, value: str, expected: str
) -> None:
    assert sample.resolve(param, value) == URIRef(expected)


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("state", "Narnia", "no state called 'Narnia'"),
        ("relation", "Kazakhstan-Russia", "no bilateral relation between Kazakhstan and Russia"),
        ("trend", "sideways", "unknown trend 'sideways'"),
        ("claim", "the first one", "takes an IRI"),
    ],
)
def test_resolve_param_errors(
    sample: cq.KnowledgeGraphQueries, param: str, value: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        sample.resolve(param, value)


def test_a_value_is_never_pasted_into_the_query(sample: cq.KnowledgeGraphQueries) -> None:
    """A label with SPARQL syntax in it stays a literal: it finds nothing, it changes nothing."""
    hostile = 'x" } ; DROP ALL ; SELECT * { ?s ?p "'
    with pytest.raises(InputError, match="no person called"):
        sample.query("claims-by-expert", expert=hostile)
    assert sample.query("claims-by-expert", expert=Literal(hostile)).rows == []


def test_unknown_parameter_is_named(sample: cq.KnowledgeGraphQueries) -> None:
    with pytest.raises(InputError, match=r"has no parameter 'country'.*relation, trend"):
        sample.query("experts-expecting-trend", country="Kazakhstan")


def test_parameters_restrict_rows(sample: cq.KnowledgeGraphQueries) -> None:
    everyone = sample.query("experts-expecting-trend")
    weakening = sample.query(
        "experts-expecting-trend", relation="Kazakhstan–Kyrgyzstan", trend="weakening"
    )
    assert len(weakening.rows) < len(everyone.rows)
    assert names(weakening) == {"Bob Analyst"}
    assert {str(r["level"]) for r in weakening.rows} == {"answer", "claim"}
    assert all(str(r["trendLabel"]) == "weakening" for r in weakening.rows)
    assert names(sample.query("experts", country="Kyrgyzstan")) == {"Bob Analyst"}


def test_sample_disagreement_and_hedges(sample: cq.KnowledgeGraphQueries) -> None:
    rows = sample.query("disagreements", subject="Kazakhstan-Kyrgyzstan").rows
    assert {
        (str(r["name1"]), str(r["trend1"]), str(r["name2"]), str(r["trend2"])) for r in rows
    } == {("Alice Expert", "strengthening", "Bob Analyst", "weakening")}
    assert {str(r["level"]) for r in rows} == {"claim", "answer"}
    hedged = sample.query("hedged-predictions").rows
    assert [str(r["quote"]) for r in hedged] == ["Perhaps the CSTO will matter less."]


def test_notebook_dataframe(sample: cq.KnowledgeGraphQueries) -> None:
    df = sample.dataframe(
        "experts-expecting-trend", relation="Kazakhstan–Kyrgyzstan", trend="worsen"
    )
    assert set(df["name"]) == {"Bob Analyst"}
    assert df["start"].dtype.kind == "i"


# --- the consistency report: every violation query, positively and on the bundled article ----


BROKEN_FOCUS = {
    "claim-without-evidence-violation": {"claim-without-evidence"},
    "offsets-mismatch-violation": {"bad-offsets-pos", "bad-offsets-evidence", "claim-bad-offsets",
                                   "no-quote-evidence"},
    "expert-nationality-violation": {"city-national", "nameless-expert"},
    "relation-not-two-states-violation": {"three-states", "with-organization"},
    "answer-without-question-violation": {"orphan-answer"},
    "concept-outside-scheme-violation": {"claim-odd-trend"},
    "membership-incomplete-violation": {"membership-backwards", "membership-roleless"},
}  # fmt: skip


def test_every_violation_query_has_a_broken_case() -> None:
    assert set(VIOLATIONS) == set(BROKEN_FOCUS)


@pytest.mark.parametrize("name", VIOLATIONS)
def test_violation_query_finds_what_is_broken(name: str) -> None:
    result = cq.run_query(open_store(BROKEN), name)
    assert result.vars == ["focus", "problem"]
    found = {str(r["focus"]).rsplit("/", 1)[-1] for r in result.rows}
    assert found == BROKEN_FOCUS[name]


@pytest.mark.parametrize("name", VIOLATIONS)
def test_violation_query_is_silent_on_the_sample(
    sample: cq.KnowledgeGraphQueries, name: str
) -> None:
    assert sample.query(name).rows == []


@pytest.mark.parametrize("name", VIOLATIONS)
def test_bundled_article_is_consistent(kg: cq.KnowledgeGraphQueries, name: str) -> None:
    """The CI gate: every *-violation query returns no rows on the bundled article."""
    rows = kg.query(name).rows
    assert rows == [], "\n".join(f"{r['focus']}: {r['problem']}" for r in rows[:20])


# --- answers on the bundled article (expectations from the gold annotation) -------------------


def gold_answers(**match: str) -> Iterator[dict[str, Any]]:
    for a in GOLD["answers"]:
        if all(a.get(k) == v for k, v in match.items()):
            yield a


def test_headline_question(kg: cq.KnowledgeGraphQueries) -> None:
    """Which experts expect Kazakh–Kyrgyz relations to worsen, and on what evidence?"""
    expected = {
        a["expert"]
        for a in gold_answers(trend="weakening")
        if {"Kazakhstan", "Kyrgyzstan"} <= set(a["states"])
    }
    assert expected == {"Medet Tyulegenov"}
    for relation in ("Kazakhstan–Kyrgyzstan", "Kazakhstan-Kyrgyzstan", "Kyrgyzstan-Kazakhstan"):
        result = kg.query("experts-expecting-trend", relation=relation, trend="weakening")
        assert names(result) == expected
    answers = [r for r in result.rows if str(r["level"]) == "answer"]
    assert len(answers) == 1
    assert str(answers[0]["quote"]).startswith(
        "Relations between Kyrgyzstan and Kazakhstan have not always been smooth."
    )
    quotes = " ".join(str(r["quote"]) for r in result.rows if str(r["level"]) == "claim")
    # The two phrases the gold note gives as the evidence of the weakening.
    assert "exacerbating these relations" in quotes
    assert "may worsen certain aspects of relations" in quotes
    assert all(int(r["start"]) < int(r["end"]) for r in result.rows)


def test_experts(kg: cq.KnowledgeGraphQueries) -> None:
    rows = {str(r["name"]): r for r in kg.query("experts").rows}
    assert set(rows) == {e["name"] for e in GOLD["experts"]}
    for e in GOLD["experts"]:
        r = rows[e["name"]]
        assert str(r["countryLabel"]) == e["country"]
        assert str(r["role"]) == e["role"]
        assert (str(r["affiliationLabel"]) if "affiliationLabel" in r else None) == e["affiliation"]
        assert int(r["answers"]) == len(list(gold_answers(expert=e["name"])))
        assert int(r["claims"]) >= int(r["answers"])


def test_stance_matrix_on_bilateral_questions(kg: cq.KnowledgeGraphQueries) -> None:
    rows = kg.query("stance-matrix").rows
    got = {(str(r["name"]), str(r["subjectLabel"]), str(r["trend"])) for r in rows}
    for a in gold_answers():
        q = a["question"]
        if q.startswith(("Will bilateral", "Will the bilateral")):
            states = sorted(s for s in ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan",
                                        "Uzbekistan") if s in q)  # fmt: skip
            assert (a["expert"], f"{states[0]}–{states[1]} relations", a["trend"]) in got
    assert len(rows) == len(GOLD["answers"])


_TRENDS_OF_QUESTION = """
PREFIX cakg: <https://cakg.example.org/ontology#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name ?trend WHERE {
  ?answer a schema:Answer ; schema:author/schema:name ?name ;
          schema:parentItem/schema:text ?question ; cakg:hasTrend/skos:prefLabel ?trend .
}
"""


def test_divergent_stances_on_the_format_question(kg: cq.KnowledgeGraphQueries) -> None:
    """Every pair of the gold's experts whose answers carry different trends in the graph:
    the trends are the classifier's (which may differ from the gold's), the experts the gold's."""
    q = "What changes can occur in the format of regional cooperation?"
    rows = kg.sparql(_TRENDS_OF_QUESTION, question=Literal(q)).rows
    trend = {str(r["name"]): str(r["trend"]) for r in rows}
    assert set(trend) == {a["expert"] for a in gold_answers(question=q)}
    expected = {
        tuple(sorted((x, y))) for x in trend for y in trend if x != y and trend[x] != trend[y]
    }
    rows = [r for r in kg.query("divergent-stances").rows if str(r["question"]) == q]
    assert {tuple(sorted((str(r["name1"]), str(r["name2"])))) for r in rows} == expected


def test_no_opposite_answers_in_the_bundled_article(kg: cq.KnowledgeGraphQueries) -> None:
    """In the gold, nobody else answers the one question answered with 'weakening'."""
    rows = kg.query("disagreements").rows
    assert [r for r in rows if str(r["level"]) == "answer"] == []


def test_questions_in_reading_order(kg: cq.KnowledgeGraphQueries) -> None:
    texts = [str(r["text"]) for r in kg.query("questions").rows]
    assert texts == [a["question"] for a in GOLD["answers"]]


def test_csto_is_the_most_mentioned_organization(kg: cq.KnowledgeGraphQueries) -> None:
    rows = kg.query("organizations-ranked").rows
    assert str(rows[0]["acronym"]) == "CSTO"
    csto_experts = {a["expert"] for a in gold_answers() if "CSTO" in a["organizations"]}
    assert int(rows[0]["experts"]) == len(csto_experts)
    claims = kg.query("claims-about-organization", organization="CSTO")
    assert names(claims) == csto_experts


def test_memberships_and_what_uzbekistan_is_not_in(kg: cq.KnowledgeGraphQueries) -> None:
    rows = kg.query("memberships-of-state", state="Uzbekistan", organization="CSTO").rows
    # Uzbekistan left the CSTO in 2012 (public record; the reference data cites its sources).
    assert any(str(r.get("end", "")).startswith("2012") for r in rows)
    assert all(str(r["sources"]).startswith("http") for r in rows)
    not_in = kg.query("organizations-not-shared", state="Kazakhstan", neighbour="Uzbekistan").rows
    orgs = {str(r["organization"]) for r in not_in}
    assert {f"{ID}org/csto", f"{ID}org/eaeu"} <= orgs
    assert f"{ID}org/sco" not in orgs  # both are members


def test_co_mentioned_states(kg: cq.KnowledgeGraphQueries) -> None:
    rows = kg.query("co-mentioned-states", state="Kazakhstan").rows
    partners = {str(r["otherLabel"]) for r in rows}
    assert {"Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"} <= partners


def test_recommendations_and_hedges(kg: cq.KnowledgeGraphQueries) -> None:
    recs = kg.query("recommendations", expert="Farkhod Tolipov").rows
    assert any("urgently need to convene" in str(r["quote"]) for r in recs)
    hedged = kg.query("hedged-predictions", expert="Medet Tyulegenov").rows
    assert any("may worsen certain aspects of relations" in str(r["quote"]) for r in hedged)


def test_topics_per_expert(kg: cq.KnowledgeGraphQueries) -> None:
    rows = kg.query("topics-by-expert").rows
    assert {str(r["name"]) for r in rows} == {e["name"] for e in GOLD["experts"]}
    assert "security" in {str(r["topicLabel"]) for r in rows}


def test_evidence_offsets_point_at_the_quote(kg: cq.KnowledgeGraphQueries) -> None:
    from cakg.graph.text.reader import bundled_article

    text = bundled_article().text
    rows = kg.query("claim-evidence").rows
    assert len(rows) >= len(GOLD["answers"])
    for r in rows:
        assert text[int(r["start"]) : int(r["end"])] == str(r["exact"])
    one = kg.query("claim-evidence", claim=str(rows[0]["claim"])).rows
    assert {str(r["claim"]) for r in one} == {str(rows[0]["claim"])}


def test_agreements_with_parties(kg: cq.KnowledgeGraphQueries) -> None:
    rows = {str(r["label"]): r for r in kg.query("agreements-and-events").rows}
    declaration = rows["Declaration on Allied Relations"]
    assert set(str(declaration["parties"]).split(", ")) == {"Kazakhstan", "Uzbekistan"}


def test_everything_about_kazakh_uzbek_relations(kg: cq.KnowledgeGraphQueries) -> None:
    rows = kg.query("about-relation", relation="Kazakhstan-Uzbekistan").rows
    questions = {str(r["text"]) for r in rows if str(r["kind"]) == "question"}
    assert "Will bilateral relations between Kazakhstan and Uzbekistan change?" in questions
    answered = {str(r["name"]) for r in rows if str(r["kind"]) == "answer"}
    assert answered == {
        a["expert"] for a in gold_answers() if "Kazakhstan and Uzbekistan" in a["question"]
    }


# --- the documentation's notebook example runs ------------------------------------------------


def test_docs_notebook_example(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python block of docs/queries.md, run as written against out/kg.trig."""
    import contextlib
    import io
    import re
    import shutil

    docs = (Path(__file__).parent.parent / "docs" / "queries.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", docs, re.DOTALL)
    assert blocks, "docs/queries.md has no Python example"
    (tmp_path / "out").mkdir()
    shutil.copy(built / "kg.trig", tmp_path / "out" / "kg.trig")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(out):
        exec(compile(blocks[0], "docs/queries.md", "exec"), namespace)
    printed = out.getvalue()
    assert "['Medet Tyulegenov']" in printed
    assert "{}" in printed  # no violations
    assert namespace["matrix"].loc["Medet Tyulegenov", "Kazakhstan–Kyrgyzstan relations"] == (
        "weakening"
    )
