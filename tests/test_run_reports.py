"""What `make run` and the commands report about one build of the bundled article.

`make run` ends by validating every RDF file it wrote, and stops on a violation. Every
place that shows a triple count (build, validate, info, the server's home page, VoID)
reports one number under one label: the distinct triples of all graphs together
(``cakg.graph.info.triple_count``), for the built graph, the reasoned one and each export.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import VOID
from running_server import running_server

from cakg.cli import cli
from cakg.graph.build import build_graph
from cakg.graph.check.reason import reason_files
from cakg.graph.check.validate import validate_files
from cakg.graph.formats import rdf_format_for_suffix
from cakg.graph.info import TRIPLES, graph_info
from cakg.graph.namespaces import CAKG, DEFAULT_BASE, RDF
from cakg.graph.publish.void import dataset_iri
from cakg.graph.store.dataset import load_knowledge_graph

ROOT = Path(__file__).resolve().parents[1]
DATA_EXPORTS = ("kg.trig", "kg.nq", "kg.ttl", "kg.nt", "kg.jsonld", "kg.rdf")
_CONFORMS = re.compile(rf"^(\S+): conforms: (\d+) {re.escape(TRIPLES)}", re.M)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int]]:
    """The bundled article as built and as reasoned, each with every export, and the count
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


def make_run_validation(out: Path) -> str:
    """The shell line with which `make run` validates what it wrote into ``out``."""
    recipe = subprocess.run(
        [
            "make",
            "-n",
            "--no-print-directory",
            "run",
            f"OUT={out}",
            f"BIN={Path(sys.executable).parent}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    export = next(i for i, line in enumerate(recipe) if "cakg export --format all" in line)
    return next(line for line in recipe[export + 1 :] if "cakg validate" in line)


def run_shell(line: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", line], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def make_validated(builds: dict[str, tuple[Path, int]]) -> dict[str, int]:
    """`make run`'s validation over the reasoned build and its exports: file name → count."""
    folder, _ = builds["reasoned"]
    done = run_shell(make_run_validation(folder))
    assert done.returncode == 0, done.stdout + done.stderr
    return {Path(name).name: int(n) for name, n in _CONFORMS.findall(done.stdout)}


def test_make_run_validates_every_rdf_file_it_writes(
    builds: dict[str, tuple[Path, int]], make_validated: dict[str, int]
) -> None:
    folder, _ = builds["reasoned"]
    written = {p.name for p in folder.iterdir() if rdf_format_for_suffix(p) is not None}
    assert set(DATA_EXPORTS) <= written
    assert set(make_validated) == written


def test_make_run_stops_on_a_violation(tmp_path: Path) -> None:
    line = make_run_validation(tmp_path)
    first = re.search(r"for f in (\S+)", line)
    assert first is not None
    # A state without its label, in an article graph of the first file make validates.
    path = tmp_path / first[1]
    fmt = rdf_format_for_suffix(path)
    assert fmt is not None
    bad = Dataset()
    article = bad.graph(URIRef(DEFAULT_BASE + "graph/article/a"))
    article.add((URIRef(DEFAULT_BASE + "state/nowhere"), RDF.type, CAKG.State))
    data = bad if fmt.keeps_graphs else article
    path.write_bytes(data.serialize(format=fmt.rdflib, encoding="utf-8"))
    done = run_shell(line)
    assert done.returncode != 0
    assert "SHACL violation" in done.stdout + done.stderr


def _void_triples(turtle: str, folder: Path) -> int:
    g = Graph().parse(data=turtle, format="turtle")
    value = g.value(dataset_iri(load_knowledge_graph(folder / "kg.trig")), VOID.triples)
    assert value is not None
    return int(value)


def _served(folder: Path) -> dict[str, int]:
    with running_server(data=(str(folder / "kg.trig"),), workers=1) as url:
        home = httpx.get(url, timeout=60).text
        void = httpx.get(
            f"{url}/.well-known/void", headers={"Accept": "text/turtle"}, timeout=60
        ).text
    shown = re.search(rf"<b>(\d+)</b>\s*{re.escape(TRIPLES)}", home)
    assert shown is not None, "the home page does not show the labelled triple count"
    return {"home page": int(shown[1]), "served VoID": _void_triples(void, folder)}


@pytest.mark.parametrize("stage", ["built", "reasoned"])
def test_every_place_reports_one_triple_count(
    builds: dict[str, tuple[Path, int]], make_validated: dict[str, int], stage: str
) -> None:
    folder, built_count = builds[stage]
    reported: dict[str, int] = {}
    if stage == "built":
        reported["cakg build"] = built_count
        for name in ("kg.trig", "kg.ttl"):
            reported[f"cakg validate {name}"] = validate_files(folder / name).triples
    else:
        for name in DATA_EXPORTS:
            reported[f"make run: cakg validate {name}"] = make_validated[name]
    for name in ("kg.trig", "kg.ttl"):
        reported[f"cakg info {name}"] = graph_info([folder / name])[TRIPLES]
    void_file = (folder / "void.ttl").read_text(encoding="utf-8")
    reported["void.ttl"] = _void_triples(void_file, folder)
    reported.update(_served(folder))
    assert len(set(reported.values())) == 1, reported
    if stage == "reasoned":
        assert reported["cakg info kg.trig"] > built_count


def test_triple_count_is_distinct_over_graphs(builds: dict[str, tuple[Path, int]]) -> None:
    # The bundled build states some triples in two graphs (the membership roles' types, in
    # the ontology and in the reference data): summing the graphs would count them twice.
    folder, built_count = builds["built"]
    kg = load_knowledge_graph(folder / "kg.trig")
    assert built_count == len(kg.merged()) < sum(len(g) for _, g in kg)


def test_validate_labels_its_count(builds: dict[str, tuple[Path, int]]) -> None:
    folder, built_count = builds["built"]
    result = CliRunner().invoke(cli, ["validate", str(folder / "kg.trig")])
    assert result.exit_code == 0, result.output
    assert f"{built_count} {TRIPLES}" in " ".join(result.output.split())
    assert "distinct" in TRIPLES and "all graphs" in TRIPLES
