"""One triple count: build, validate, info, the server's home page and VoID agree on it.

The count is the distinct triples of all graphs together (``cakg.graph.info.triple_count``);
every place shows it under one label, for the built graph, the reasoned one, and each export.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import VOID
from running_server import running_server

from cakg.cli import cli
from cakg.graph.build import build_graph
from cakg.graph.check.reason import reason_files
from cakg.graph.check.validate import validate_files
from cakg.graph.info import TRIPLES, graph_info
from cakg.graph.publish.void import dataset_iri
from cakg.graph.store.dataset import load_knowledge_graph

DATA_EXPORTS = ("kg.trig", "kg.nq", "kg.ttl", "kg.nt", "kg.jsonld", "kg.rdf")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int]]:
    """The bundled article as built and as reasoned, each with its VoID, and the count
    `cakg build` reported (the reasoned stage adds the inferred graph to the same build)."""
    built = tmp_path_factory.mktemp("built")
    count = build_graph([], built).counts[TRIPLES]
    reasoned = tmp_path_factory.mktemp("reasoned")
    assert reason_files([built / "kg.trig"], out=reasoned / "kg.trig").consistent
    for folder in (built, reasoned):
        result = CliRunner().invoke(
            cli, ["export", "--format", "all", "-o", str(folder), str(folder / "kg.trig")]
        )
        assert result.exit_code == 0, result.output
    return {"built": (built, count), "reasoned": (reasoned, count)}


def _void_triples(turtle: str, folder: Path) -> int:
    g = Graph().parse(data=turtle, format="turtle")
    value = g.value(dataset_iri(load_knowledge_graph(folder / "kg.trig")), VOID.triples)
    assert value is not None
    return int(value)


def _served(folder: Path) -> dict[str, int]:
    with running_server(data=(str(folder / "kg.trig"),), workers=1) as url:
        home = httpx.get(url, timeout=60).text
        void = httpx.get(f"{url}/.well-known/void", headers={"Accept": "text/turtle"}).text
    shown = re.search(rf"<b>(\d+)</b>\s*{re.escape(TRIPLES)}", home)
    assert shown is not None, "the home page does not show the labelled triple count"
    return {"home page": int(shown[1]), "served VoID": _void_triples(void, folder)}


@pytest.mark.parametrize(
    ("stage", "files"),
    [("built", ("kg.trig", "kg.ttl")), ("reasoned", DATA_EXPORTS)],
    ids=["built", "reasoned"],
)
def test_every_place_reports_one_triple_count(
    builds: dict[str, tuple[Path, int]], stage: str, files: tuple[str, ...]
) -> None:
    folder, built_count = builds[stage]
    reported: dict[str, int] = {}
    for name in files:
        reported[f"cakg validate {name}"] = validate_files(folder / name).triples
        reported[f"cakg info {name}"] = graph_info([folder / name])[TRIPLES]
    void_file = (folder / "void.ttl").read_text(encoding="utf-8")
    reported["void.ttl"] = _void_triples(void_file, folder)
    reported.update(_served(folder))
    assert len(set(reported.values())) == 1, reported
    if stage == "built":
        assert reported["cakg info kg.trig"] == built_count
    else:
        assert reported["cakg info kg.trig"] > built_count


def test_triple_count_is_distinct_over_graphs(
    builds: dict[str, tuple[Path, int]],
) -> None:
    # The bundled build states some triples in two graphs (the membership roles' types, in
    # the ontology and in the reference data): summing the graphs would count them twice.
    folder, built_count = builds["built"]
    kg = load_knowledge_graph(folder / "kg.trig")
    assert built_count == len(kg.merged()) < sum(len(g) for _, g in kg)


def test_labels_say_what_is_counted(builds: dict[str, tuple[Path, int]]) -> None:
    folder, built_count = builds["built"]
    result = CliRunner().invoke(cli, ["validate", str(folder / "kg.trig")])
    assert result.exit_code == 0, result.output
    assert f"{built_count} {TRIPLES}" in " ".join(result.output.split())
    assert "distinct" in TRIPLES and "all graphs" in TRIPLES
