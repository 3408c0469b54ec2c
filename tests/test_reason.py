"""HermiT over ontology + data: consistency, named culprits, inferences in their own graph.

Fixtures in tests/fixtures/reason/ carry their expectations in their header:
``inconsistent-*.ttl`` name the ``# culprit:`` IRI and a substring to ``# expect:`` in the
explanation; ``consistent-*.ttl`` list N-Triples lines the reasoner ``# infers:`` and
lines it must ``# never:`` write.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from cakg.cli import cli
from cakg.errors import InputError
from cakg.graph.build import build_graph
from cakg.graph.check.reason import reason_files, reason_graph
from cakg.graph.info import TRIPLES, graph_info
from cakg.graph.namespaces import CAKG, DEFAULT_BASE
from cakg.graph.store.dataset import KnowledgeGraph, load_knowledge_graph

FIXTURES = Path(__file__).parent / "fixtures"
REASON = FIXTURES / "reason"
VALID = FIXTURES / "shapes" / "valid.ttl"
INCONSISTENT = sorted(REASON.glob("inconsistent-*.ttl"))
CONSISTENT = sorted(REASON.glob("consistent-*.ttl"))
INFERRED = URIRef(DEFAULT_BASE + "graph/inferred")


def header(path: Path, key: str) -> list[str]:
    return re.findall(rf"^# {key}: (.+)$", path.read_text(encoding="utf-8"), re.M)


def as_trig(source: Path, target: Path) -> Path:
    """The fixture as a built dataset: one article graph plus a stale inferred graph."""
    ds = Dataset()
    article = ds.graph(URIRef(DEFAULT_BASE + "graph/article/roundup"))
    article.parse(source)
    ds.graph(INFERRED).add((URIRef("urn:stale"), URIRef("urn:stale"), URIRef("urn:stale")))
    target.write_bytes(ds.serialize(format="trig", encoding="utf-8"))
    return target


# --- consistent data -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", CONSISTENT, ids=[p.stem for p in CONSISTENT])
def test_consistent_fixture_infers(path: Path) -> None:
    expected = Graph().parse(data="\n".join(header(path, "infers")), format="nt")
    assert len(expected) > 0
    report = reason_files([path])
    assert report.consistent, report.explanation
    assert report.graph == INFERRED
    assert report.written is None  # a Turtle file cannot hold the inferred graph
    missing = set(expected) - set(report.triples)
    assert not missing
    never = Graph().parse(data="\n".join(header(path, "never")), format="nt")
    assert not set(never) & set(report.triples)
    assert report.inferred == len(report.triples)
    # inferred triples are about data individuals, never about the ontology's terms
    for s, _, _ in report.triples:
        assert not str(s).startswith(str(CAKG))


def test_valid_graph_inferences_are_new_and_about_data() -> None:
    kg = load_knowledge_graph(VALID)
    asserted = kg.merged()
    report = reason_graph(kg)
    assert report.consistent
    assert report.inferred > 0
    assert not set(report.triples) & set(asserted)
    assert kg.graphs[INFERRED] is report.triples
    answer = URIRef(DEFAULT_BASE + "article/roundup/answer/1")
    claim = URIRef(DEFAULT_BASE + "article/roundup/claim/1")
    assert (answer, CAKG.hasClaim, claim) in report.triples


def test_reason_rewrites_trig_in_place(tmp_path: Path) -> None:
    path = as_trig(VALID, tmp_path / "kg.trig")
    before = load_knowledge_graph(path)
    report = reason_files([path])
    assert report.consistent and report.written == path
    after = load_knowledge_graph(path)
    # asserted graphs unchanged, the stale inferred graph replaced, not accumulated
    for name, g in before:
        if name != INFERRED:
            assert isomorphic(g, after.graphs[name])
    inferred = after.graphs[INFERRED]
    assert (URIRef("urn:stale"), None, None) not in inferred
    assert isomorphic(inferred, report.triples)
    again = reason_files([tmp_path])  # a folder holding kg.trig works too
    assert again.inferred == report.inferred
    assert isomorphic(load_knowledge_graph(path).graphs[INFERRED], inferred)


def test_reason_out_leaves_input_alone(tmp_path: Path) -> None:
    path = as_trig(VALID, tmp_path / "kg.trig")
    original = path.read_bytes()
    out = tmp_path / "reasoned" / "kg.trig"
    report = reason_files([path], out=out)
    assert report.written == out
    assert path.read_bytes() == original
    assert INFERRED in load_knowledge_graph(out).graphs


def test_each_call_uses_a_fresh_world() -> None:
    import owlready2

    reason_graph(load_knowledge_graph(VALID))
    assert owlready2.default_world.search_one(iri=str(CAKG.Claim)) is None


def test_empty_graph_is_consistent() -> None:
    # The ontology alone: OWL 2 DL that HermiT accepts, and consistent.
    report = reason_graph(KnowledgeGraph())
    assert report.consistent
    assert report.inferred == 0


def test_no_class_of_the_ontology_is_unsatisfiable() -> None:
    import io

    import owlready2

    from cakg.graph.ontology import ontology_graph

    world = owlready2.World()
    nt = ontology_graph().serialize(format="nt11", encoding="utf-8")
    world.get_ontology("urn:test").load(fileobj=io.BytesIO(nt), format="ntriples")
    owlready2.sync_reasoner_hermit(world, debug=0)
    assert list(world.inconsistent_classes()) == []
    world.close()


# --- inconsistent data -------------------------------------------------------------------------


@pytest.mark.parametrize("path", INCONSISTENT, ids=[p.stem for p in INCONSISTENT])
def test_inconsistent_fixture_names_its_culprit(path: Path) -> None:
    (culprit,) = header(path, "culprit")
    (expect,) = header(path, "expect")
    result = CliRunner().invoke(cli, ["reason", str(path)])
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert "inconsistent" in message
    assert f"<{culprit}>" in message
    assert expect in message


def test_inconsistent_report_lists_culprits(tmp_path: Path) -> None:
    path = as_trig(REASON / "inconsistent-state-and-organization.ttl", tmp_path / "kg.trig")
    original = path.read_bytes()
    report = reason_files([path])
    assert not report.consistent
    assert report.culprits == [URIRef(DEFAULT_BASE + "state/kazakhstan")]
    assert report.written is None
    assert path.read_bytes() == original  # nothing is written for inconsistent data


def test_java_missing_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import cakg.graph.check.reason as reason

    monkeypatch.setattr(reason.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match="java not found: install default-jre-headless"):
        reason_files([VALID])
    result = CliRunner().invoke(cli, ["reason", str(VALID)])
    assert result.exit_code == 2
    assert "java not found" in result.output


# --- the bundled article (needs the build) -------------------------------------------------------


def test_bundled_article_is_consistent(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "kg.trig"
    shutil.copy(built / "kg.trig", path)
    report = reason_files([path])
    assert report.consistent, report.explanation
    assert report.inferred > 0
    assert report.written == path
    inferred = load_knowledge_graph(path).graphs[report.graph]  # type: ignore[index]
    assert len(inferred) == report.inferred
    assert any(p == CAKG.hasClaim for _, p, _ in inferred)


def test_bundled_article_validates(built: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(built / "kg.trig")])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_reasoned_bundled_article_validates_and_counts_as_built(tmp_path: Path) -> None:
    # The inferred graph must not type the Wikidata IRIs the data links to: the shapes
    # would ask them for labels, and `cakg info` would count each linked state twice.
    built = build_graph([], tmp_path)
    report = reason_files([tmp_path / "kg.trig"])
    assert report.consistent, report.explanation
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "kg.trig")])
    assert result.exit_code == 0, result.output
    counted = graph_info([tmp_path / "kg.trig"])
    shared = (set(built.counts) & set(counted)) - {TRIPLES}
    assert {"states", "international organizations", "claims"} <= shared
    assert {k: counted[k] for k in shared} == {k: built.counts[k] for k in shared}
