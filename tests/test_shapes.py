"""SHACL shapes: each broken fixture yields its violation on its node; the valid graph conforms.

A fixture in tests/fixtures/shapes/ is a small graph with one defect and a header:

    # expect: <a substring of the violation message>
    # focus: <the IRI of the node that is wrong>
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from cakg.cli import cli
from cakg.errors import InputError
from cakg.graph.check.validate import SHAPES_NS, ValidationReport, validate_files, validate_graph
from cakg.graph.ontology import shapes_graph

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
VALID = FIXTURES / "valid.ttl"
BROKEN = sorted(p for p in FIXTURES.glob("*.ttl") if p != VALID)


def header(path: Path) -> dict[str, str]:
    found = re.findall(r"^# (expect|focus|severity): (.+)$", path.read_text(encoding="utf-8"), re.M)
    fields = {"severity": "Violation"} | {k: v.strip() for k, v in found}
    assert {"expect", "focus"} <= set(fields), f"{path.name} needs '# expect:' and '# focus:'"
    return fields


@pytest.fixture(scope="module")
def reports() -> dict[str, ValidationReport]:
    return {p.name: validate_files([p]) for p in BROKEN}


def test_there_are_broken_fixtures() -> None:
    assert len(BROKEN) >= 30


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_fixture_is_reported(path: Path, reports: dict[str, ValidationReport]) -> None:
    want = header(path)
    report = reports[path.name]
    # A warning is reported but the data still conforms (SHACL §3.6.1: only results of
    # severity sh:Violation decide conformance here).
    assert report.conforms == (want["severity"] == "Warning")
    hits = [
        r
        for r in report.results
        if want["expect"] in r.message and r.focus_node == URIRef(want["focus"])
    ]
    shown = "\n".join(f"{r.focus} {r.path}: {r.message}" for r in report.results)
    assert hits, f"no violation {want['expect']!r} on {want['focus']}; got:\n{shown}"
    hit = hits[0]
    assert hit.severity == want["severity"]
    assert hit.focus.startswith("<https://cakg.example.org/id/")
    assert hit.shape.startswith("shape:")
    # paths read as prefixed names (cakg:claimedBy, oa:start, ...)
    assert re.fullmatch(r"[a-z]+:[\w-]+( \| [a-z]+:[\w-]+)*", hit.path), hit.path


def test_every_node_shape_has_a_broken_fixture(reports: dict[str, ValidationReport]) -> None:
    shapes = shapes_graph()
    owner = {str(ps): str(ns) for ns, ps in shapes.subject_objects(SH.property)}
    node_shapes = {str(ns) for ns in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = set()
    for path in BROKEN:
        want = header(path)
        for r in reports[path.name].results:
            if want["expect"] in r.message:
                iri = SHAPES_NS + r.shape.removeprefix("shape:")
                covered.add(owner.get(iri, iri))
    assert not node_shapes - covered, "node shapes without a broken fixture"


def test_valid_graph_conforms() -> None:
    report = validate_files([VALID])
    assert report.conforms, [r.message for r in report.results]
    assert report.results == []
    assert report.triples == len(Graph().parse(VALID))


def test_validate_graph_does_not_change_its_input() -> None:
    g = Graph().parse(VALID)
    before = len(g)
    assert validate_graph(g).conforms
    assert len(g) == before


def test_sub_classes_count_for_sh_class() -> None:
    # The organization is typed only cakg:InternationalOrganization; validation adds the
    # ontology's class hierarchy, so it is still a cakg:Organization for sh:class.
    g = Graph().parse(VALID)
    g.remove((URIRef("https://cakg.example.org/id/org/csto"), RDF.type, None))
    g.add(
        (
            URIRef("https://cakg.example.org/id/org/csto"),
            RDF.type,
            URIRef("https://cakg.example.org/ontology#InternationalOrganization"),
        )
    )
    assert validate_graph(g).conforms


def test_warning_does_not_break_conformance() -> None:
    g = Graph().parse(VALID)
    membership = URIRef("https://cakg.example.org/id/membership/kazakhstan--csto--member--2002")
    g.remove((membership, URIRef("http://purl.org/dc/terms/source"), None))
    report = validate_graph(g)
    assert report.conforms
    assert [r.severity for r in report.results] == ["Warning"]
    assert "should cite" in report.results[0].message
    assert report.violations == []


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        validate_files([tmp_path / "nope.trig"])
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError, match="not valid RDF"):
        validate_files([bad])


def test_cli_validate_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cakg.cli

    # Rich folds table cells to the terminal width (80 when not a terminal); widen it so
    # that each message stays on one line and can be matched whole.
    monkeypatch.setattr(cakg.cli.console, "width", 250)
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", str(VALID)])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.output

    broken = FIXTURES / "claim-without-author.ttl"
    bad = runner.invoke(cli, ["validate", str(broken)])
    assert bad.exit_code == 1
    text = " ".join(bad.output.split())
    assert "SHACL violation(s)" in text
    assert "A claim must have exactly one author (cakg:claimedBy)." in text
    assert "cakg:claimedBy" in text
    assert "/a/claim/1" in text

    # A warning is shown, and the data still conforms (exit 0).
    warned = runner.invoke(cli, ["validate", str(FIXTURES / "expert-without-nationality.ttl")])
    assert warned.exit_code == 0, warned.output
    text = " ".join(warned.output.split())
    assert "conforms" in text and "1 warning(s)" in text
    assert "Warning" in text and "An expert should have a nationality" in text

    missing = runner.invoke(cli, ["validate", str(tmp_path / "nope.trig")])
    assert missing.exit_code == 2
