"""Exports: every format reads back as the built graph, builds are byte-identical, VoID counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from cakg.cli import cli
from cakg.graph.formats import RDF_FORMATS
from cakg.graph.namespaces import DCAT, DCT, ONTOLOGY_IRI, OWL, RDF, SCHEMA, VOID, WD, XSD
from cakg.graph.ontology import context as jsonld_context
from cakg.graph.ontology import ontology_graph
from cakg.graph.publish.export import (
    ALL_FORMATS,
    default_dump_base,
    export_file_name,
    export_ontology,
    serialize,
    write_exports,
)
from cakg.graph.publish.void import build_date, dataset_iri, describe_dataset
from cakg.graph.store.dataset import KnowledgeGraph, load_knowledge_graph

SAMPLE = Path(__file__).parent / "fixtures" / "sample" / "export-sample.trig"

RDFLIB_FORMAT = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "trig": "trig",
    "nq": "nquads",
}
OX_FORMAT = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}


@pytest.fixture(scope="module", params=["sample", "built"])
def kg(request: pytest.FixtureRequest) -> KnowledgeGraph:
    """The hand-written sample (blank nodes, odd literals) and the bundled article's build."""
    if request.param == "sample":
        return load_knowledge_graph(SAMPLE)
    built: Path = request.getfixturevalue("built")
    return load_knowledge_graph(built / "kg.trig")


@pytest.fixture(scope="module")
def merged(kg: KnowledgeGraph) -> Graph:
    return kg.merged()


@pytest.fixture(scope="module")
def exported(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    write_exports(kg, out, ["all"])
    return out


def _same(a: Graph, b: Graph) -> bool:
    """Isomorphism, quickly: ground triples compared as sets, blank-node triples by rdflib."""

    def split(g: Graph) -> tuple[set[tuple[Node, Node, Node]], Graph]:
        ground, blank = set(), Graph()
        for t in g:
            if isinstance(t[0], BNode) or isinstance(t[2], BNode):
                blank.add(t)
            else:
                ground.add(t)
        return ground, blank

    (ga, ba), (gb, bb) = split(a), split(b)
    return ga == gb and isomorphic(ba, bb)


def _env(seed: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONHASHSEED"] = seed
    return env


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_format_reads_back_as_the_built_graph(
    kg: KnowledgeGraph, merged: Graph, exported: Path, fmt: str
) -> None:
    data = (exported / export_file_name(fmt)).read_bytes()
    if RDF_FORMATS[fmt].keeps_graphs:
        ds = Dataset()
        ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
        names = {g.identifier for g in ds.graphs() if len(g)}
        assert names == {name for name, g in kg if len(g)}
        for name, g in kg:
            assert _same(ds.graph(name), g), f"{fmt}: graph {name} differs"
    else:
        back = Graph()
        back.parse(data=data, format=RDFLIB_FORMAT[fmt])
        assert len(back) == len(merged)
        assert _same(back, merged)


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_oxigraph_reads_every_format(
    kg: KnowledgeGraph, merged: Graph, exported: Path, fmt: str
) -> None:
    """The embedded store's own parser agrees (it reads kg.trig for every query)."""
    store = ox.Store()
    data = (exported / export_file_name(fmt)).read_bytes()
    target = None if RDF_FORMATS[fmt].keeps_graphs else ox.NamedNode("urn:x-test:g")
    store.load(data, format=OX_FORMAT[fmt], to_graph=target)
    quads = sum(len(g) for _, g in kg)
    assert len(store) == (quads if RDF_FORMATS[fmt].keeps_graphs else len(merged))


def test_jsonld_expands_to_the_same_triples(merged: Graph, exported: Path) -> None:
    from pyld import jsonld

    doc = json.loads((exported / "kg.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    back = Graph()
    back.parse(data=nquads, format="nt")
    assert _same(back, merged)


def test_jsonld_is_compacted_with_the_project_context(exported: Path) -> None:
    doc = json.loads((exported / "kg.jsonld").read_text(encoding="utf-8"))
    assert list(doc) == ["@context", "@graph"]
    assert doc["@context"] == jsonld_context()
    text = json.dumps(doc["@graph"])
    # Compacted: the vocabulary's IRIs are terms, not full IRIs.
    assert "http://schema.org/" not in text
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" not in text
    ids = [n.get("id", n.get("@id")) for n in doc["@graph"]]
    assert all(ids) and ids == sorted(ids)


def test_turtle_is_readable(exported: Path) -> None:
    text = (exported / "kg.ttl").read_text(encoding="utf-8")
    head = text.split("\n\n", 1)[0].splitlines()
    assert head and all(line.startswith("@prefix ") for line in head)
    assert "@prefix schema: <http://schema.org/> ." in head
    assert " a schema:" in text


def test_trig_keeps_a_blank_node_shared_by_two_graphs() -> None:
    kg = KnowledgeGraph()
    b = BNode()
    g1, g2 = (
        URIRef("https://cakg.example.org/id/graph/a"),
        URIRef("https://cakg.example.org/id/graph/b"),
    )
    kg.graph(g1).add((URIRef("urn:x"), URIRef("urn:p"), b))
    kg.graph(g2).add((b, URIRef("urn:q"), Literal("v")))
    for fmt in ("trig", "nq"):
        ds = Dataset()
        ds.parse(data=serialize(kg, fmt), format=RDFLIB_FORMAT[fmt])
        (o,) = ds.graph(g1).objects(URIRef("urn:x"), URIRef("urn:p"))
        (s,) = ds.graph(g2).subjects(URIRef("urn:q"), Literal("v"))
        assert o == s, fmt


def test_awkward_literals_survive_every_format() -> None:
    kg = KnowledgeGraph()
    g = kg.graph(URIRef("https://cakg.example.org/id/graph/x"))
    s = URIRef("https://cakg.example.org/id/x")
    values = [
        Literal('a "quoted" <tag> & ampersand'),
        Literal('two\nlines\r\nand a tab\t and a backslash \\ and """ triple'),
        Literal('ends with a quote"\nsecond line'),
        Literal("Ўзбекистон", lang="uz"),
        Literal("-0012", datatype=XSD.integer),
        Literal("1.50", datatype=XSD.decimal),
        Literal("1.5E3", datatype=XSD.double),
        Literal("x", datatype=XSD.string),
        Literal("2022-01", datatype=XSD.gYearMonth),
    ]
    for i, v in enumerate(values):
        g.add((s, URIRef(f"https://cakg.example.org/ontology#p{i}"), v))
    for fmt in ALL_FORMATS:
        data = serialize(kg, fmt)
        back = Dataset() if RDF_FORMATS[fmt].keeps_graphs else Graph()
        back.parse(data=data, format=RDFLIB_FORMAT[fmt])
        got = back.graph(g.identifier) if isinstance(back, Dataset) else back
        if fmt == "jsonld":
            # JSON-LD writes an xsd:string literal as a plain string: the same RDF 1.1
            # term (Concepts §3.3), which rdflib nevertheless tells apart.
            got.remove((s, URIRef("https://cakg.example.org/ontology#p7"), Literal("x")))
            got.add((s, URIRef("https://cakg.example.org/ontology#p7"), values[7]))
        assert isomorphic(got, g), fmt


# --- determinism --------------------------------------------------------------------------------


def test_blank_node_labels_do_not_depend_on_insertion_order() -> None:
    def make(order: list[int]) -> KnowledgeGraph:
        kg = KnowledgeGraph()
        g = kg.graph(URIRef("https://cakg.example.org/id/graph/reference"))
        for i in order:
            m, interval, start = URIRef(f"urn:m{i}"), BNode(), BNode()
            g.add((m, URIRef("urn:during"), interval))
            g.add((interval, URIRef("urn:begins"), start))
            g.add((start, URIRef("urn:date"), Literal(f"20{i:02d}", datatype=XSD.gYear)))
        return kg

    a, b = make([1, 2, 3, 4]), make([4, 2, 3, 1])
    for fmt in ALL_FORMATS:
        assert serialize(a, fmt) == serialize(b, fmt), fmt


def test_two_exports_are_byte_identical(tmp_path: Path) -> None:
    """Separate processes with different hash seeds write the same bytes."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        subprocess.run(
            [sys.executable, "-m", "cakg", "export", str(SAMPLE), "-o", str(out)],
            env=_env(seed),
            check=True,
            capture_output=True,
        )
        outs.append(out)
    files = sorted(p.name for p in outs[0].iterdir())
    assert files == sorted(p.name for p in outs[1].iterdir())
    assert {"kg.ttl", "kg.trig", "kg.nq", "void.ttl", "ontology.rdf"} <= set(files)
    for name in files:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """`cakg build` twice on the same input, different hash seeds, in parallel processes."""
    procs = []
    for seed in ("3", "4"):
        out = tmp_path / f"build{seed}"
        cmd = [sys.executable, "-m", "cakg", "build", "-o", str(out), "--no-validate"]
        procs.append(
            (
                out,
                subprocess.Popen(
                    cmd, env=_env(seed), stdout=subprocess.PIPE, stderr=subprocess.PIPE
                ),
            )
        )
    for _, proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode(errors="replace")
    (a, _), (b, _) = procs
    for name in ("kg.trig", "kg.ttl"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


# --- VoID and DCAT ------------------------------------------------------------------------------


def _int(g: Graph, s: URIRef, p: URIRef) -> int:
    value = g.value(s, p)
    assert isinstance(value, Literal), (s, p)
    return int(value)


def test_void_counts_are_right(kg: KnowledgeGraph, merged: Graph, exported: Path) -> None:
    d = Graph()
    d.parse(exported / "void.ttl", format="turtle")
    ds = dataset_iri(kg)
    assert (ds, RDF.type, VOID.Dataset) in d and (ds, RDF.type, DCAT.Dataset) in d
    assert _int(d, ds, VOID.triples) == len(merged)
    assert _int(d, ds, VOID.distinctSubjects) == len(set(merged.subjects()))
    # One subset per named graph, with its own count.
    for name, g in kg:
        assert (ds, VOID.subset, name) in d
        assert _int(d, name, VOID.triples) == len(g)
    # Class partitions: distinct instances of each class.
    parts = list(d.objects(ds, VOID.classPartition))
    classes = set(merged.objects(None, RDF.type))
    assert len(parts) == len(classes)
    for part in parts:
        cls = d.value(part, VOID["class"])
        assert _int(d, part, VOID.entities) == len(set(merged.subjects(RDF.type, cls)))
    for part in d.objects(ds, VOID.propertyPartition):
        prop = d.value(part, VOID.property)
        assert _int(d, part, VOID.triples) == len(list(merged.triples((None, prop, None))))
    # The Wikidata linkset.
    (linkset,) = d.subjects(RDF.type, VOID.Linkset)
    links = [o for o in merged.objects(None, OWL.sameAs) if str(o).startswith(str(WD))]
    assert _int(d, linkset, VOID.triples) == len(links) > 0
    assert d.value(linkset, VOID.linkPredicate) == OWL.sameAs
    assert (ds, VOID.subset, linkset) in d
    # Vocabularies the data uses.
    vocabularies = set(d.objects(ds, VOID.vocabulary))
    assert URIRef("http://schema.org/") in vocabularies
    assert ONTOLOGY_IRI in vocabularies


def test_dcat_has_one_distribution_per_file(kg: KnowledgeGraph, exported: Path) -> None:
    d = Graph()
    d.parse(exported / "void.ttl", format="turtle")
    ds = dataset_iri(kg)
    assert d.value(ds, DCT.license) is not None
    dists = {}
    for dataset in (ds, ONTOLOGY_IRI):
        for dist in d.objects(dataset, DCAT.distribution):
            url = str(d.value(dist, DCAT.downloadURL))
            dists[url.rsplit("/", 1)[-1]] = dist
    files = {p.name for p in exported.iterdir()} - {"void.ttl"}
    assert set(dists) == files
    for name, dist in dists.items():
        assert (dist, RDF.type, DCAT.Distribution) in d
        assert str(d.value(dist, DCAT.mediaType)).startswith("https://www.iana.org/assignments/")
        assert _int(d, dist, DCAT.byteSize) == (exported / name).stat().st_size
    dumps = {str(u).rsplit("/", 1)[-1] for u in d.objects(ds, VOID.dataDump)}
    assert dumps == {export_file_name(f) for f in ALL_FORMATS}
    # The sources: every article, with its publisher.
    articles = set(kg.merged().subjects(RDF.type, SCHEMA.Article))
    assert set(d.objects(ds, DCT.source)) == articles
    for article in articles:
        assert d.value(article, DCT.publisher) is not None


def test_void_dumps_are_beside_the_entity_iris(kg: KnowledgeGraph, exported: Path) -> None:
    """Dumps are documents: published at ../dump/ from the base, outside the 303 IRI space."""
    d = Graph().parse(exported / "void.ttl", format="turtle")
    urls = {str(u) for u in d.objects(None, DCAT.downloadURL)}
    assert urls == {default_dump_base(kg.base) + p.name for p in exported.iterdir()} - {
        default_dump_base(kg.base) + "void.ttl"
    }
    assert not any(u.startswith(kg.base) for u in urls)
    if kg.base == "https://cakg.example.org/id/":
        assert "https://cakg.example.org/dump/kg.ttl" in urls


def test_build_date_is_not_the_wall_clock(
    kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    date = build_date(kg)
    published = {str(d) for d in kg.merged().objects(None, SCHEMA.datePublished)}
    assert date is not None and str(date) == max(published)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert str(build_date(kg)).startswith("2023-11-14T22:13:20")
    d = describe_dataset(kg, dumps=None, endpoint="http://localhost:8000/sparql")
    assert d.value(dataset_iri(kg), VOID.sparqlEndpoint) == URIRef("http://localhost:8000/sparql")


# --- the ontology -------------------------------------------------------------------------------


def test_ontology_export_parses_with_its_version_iri(tmp_path: Path) -> None:
    ttl, rdf = export_ontology(tmp_path)
    a = Graph().parse(ttl, format="turtle")
    b = Graph().parse(rdf, format="xml")
    assert isomorphic(a, b)
    assert len(a) == len(ontology_graph())
    version = a.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert isinstance(version, URIRef) and str(version).startswith(str(ONTOLOGY_IRI))
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in b


# --- the command --------------------------------------------------------------------------------


def test_cli_exports_one_format_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "data.nq"
    res = CliRunner().invoke(cli, ["export", str(SAMPLE), "--format", "nq", "-o", str(out)])
    assert res.exit_code == 0, res.output
    ds = Dataset()
    ds.parse(out, format="nquads")
    assert len(list(ds.quads())) == len(load_knowledge_graph(SAMPLE))


def test_cli_rejects_an_unknown_format(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["export", str(SAMPLE), "--format", "n3", "-o", str(tmp_path)])
    assert res.exit_code == 2


def test_cli_reports_a_missing_input(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["export", str(tmp_path / "nope.trig"), "-o", str(tmp_path)])
    assert res.exit_code == 2
    assert "no such file" in res.output
