"""The ontology against docs/model.md and the export contract; materialization; JSON-LD context."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from cakg.graph.namespaces import CAKG, OA, ONTOLOGY_IRI, ORG, PREFIXES, SCHEMA
from cakg.graph.ontology import (
    closure,
    context,
    materialize,
    ontology_graph,
    ontology_version,
    ontology_version_iri,
    shapes_graph,
)

ROOT = Path(__file__).resolve().parents[1]
MODEL = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
VALID = Path(__file__).parent / "fixtures" / "shapes" / "valid.ttl"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return ontology_graph()


def expand(name: str) -> URIRef:
    """`schema:author` -> IRI; a bare name is a cakg term (as in model.md's class table)."""
    prefix, _, local = name.partition(":")
    if not local:
        return CAKG[name]
    return URIRef(PREFIXES[prefix] + local)


def section(title: str) -> str:
    """The text of one `## title` section of model.md."""
    m = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## |\Z)", MODEL, re.M | re.S)
    assert m, f"model.md has no section {title!r}"
    return m.group(1)


def table_rows(text: str) -> list[list[str]]:
    """Body rows of the markdown tables in text, as lists of cells."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("|") or re.match(r"^\|[\s\-|]+\|$", line):
            continue
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return [r for r in rows if r and r[0] not in ("class", "property", "scheme", "thing", "graph")]


def ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def is_subsumed(onto: Graph, sub: URIRef, sup: URIRef) -> bool:
    c = closure(onto)
    return sup in c.classes.get(sub, frozenset()) or sup in c.properties.get(sub, frozenset())


# --- the ontology document -----------------------------------------------------------------------


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    version = onto.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert isinstance(version, URIRef) and version != ONTOLOGY_IRI
    assert re.fullmatch(re.escape(str(ONTOLOGY_IRI)) + r"/\d{4}-\d{2}-\d{2}", str(version))
    assert version == ontology_version_iri()
    assert ontology_version() == str(onto.value(ONTOLOGY_IRI, OWL.versionInfo))
    for p in (DCTERMS.title, DCTERMS.description, DCTERMS.created, DCTERMS.creator):
        assert onto.value(ONTOLOGY_IRI, p) is not None, p
    assert onto.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )


def cakg_terms(onto: Graph) -> set[URIRef]:
    return {s for s in onto.subjects() if isinstance(s, URIRef) and s.startswith(str(CAKG))}


def test_every_cakg_term_has_english_label_and_definition(onto: Graph) -> None:
    missing = []
    for term in sorted(cakg_terms(onto)):
        labels = [x for x in onto.objects(term, RDFS.label) if getattr(x, "language", None) == "en"]
        definitions = [
            x for x in onto.objects(term, SKOS.definition) if getattr(x, "language", None) == "en"
        ]
        if not labels or not definitions:
            missing.append(term)
    assert not missing, f"terms without rdfs:label@en or skos:definition@en: {missing}"


def test_every_cakg_iri_used_is_defined(onto: Graph) -> None:
    # A typo in an axiom would silently mint a new term; every cakg IRI must be declared.
    used = {t for triple in onto for t in triple if isinstance(t, URIRef) and t.startswith(CAKG)}
    undeclared = sorted(t for t in used if onto.value(t, RDF.type) is None)
    assert not undeclared


ENTITY_KINDS = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}


def test_owl2_dl_one_entity_kind_per_iri(onto: Graph) -> None:
    # OWL 2 DL forbids an IRI being two kinds of property, or a property and a class
    # (OWL 2 Structural Specification §5.9, typing constraints); class/individual punning
    # is allowed but this ontology does not need it.
    kinds: dict[URIRef, set[URIRef]] = {}
    for s, o in onto.subject_objects(RDF.type):
        if isinstance(s, URIRef) and o in ENTITY_KINDS:
            kinds.setdefault(s, set()).add(o)
    punned = {s: k for s, k in kinds.items() if len(k) > 1}
    assert not punned
    # Every property used in an axiom or annotation is declared (RDF mapping §3.1.2).
    builtin = (str(RDF), str(RDFS), str(OWL))
    predicates = {p for p in onto.predicates() if not str(p).startswith(builtin)}
    assert not {p for p in predicates if p not in kinds}


def test_ontology_is_turtle_from_package_data() -> None:
    from importlib import resources

    text = resources.files("cakg.ontology").joinpath("cakg.ttl").read_text(encoding="utf-8")
    assert isomorphic(Graph().parse(data=text, format="turtle"), ontology_graph())
    assert len(shapes_graph()) > 100


# --- docs/model.md cross-check --------------------------------------------------------------------


def model_terms() -> set[str]:
    """Every `cakg:` name model.md mentions, plus the class table's bare class names."""
    names = set(re.findall(r"cakg:([A-Za-z][\w-]*)", MODEL))
    for row in table_rows(section("Classes")):
        names.update(n for n in ticked(row[0]) if ":" not in n)
    return names


def test_model_md_names_many_terms() -> None:
    # Guards the parser: model.md names ~17 classes, ~40 properties and ~30 concepts/roles.
    assert len(model_terms()) > 80


@pytest.mark.parametrize("name", sorted(model_terms()))
def test_every_term_of_model_md_is_defined(onto: Graph, name: str) -> None:
    term = CAKG[name]
    assert onto.value(term, RDF.type) is not None, f"cakg:{name} (docs/model.md) is not defined"


def class_alignments() -> list[tuple[str, str]]:
    pairs = []
    for row in table_rows(section("Classes")):
        if len(row) < 2 or "not" in row[1]:
            continue
        for cls in ticked(row[0]):
            pairs += [(cls, sup) for sup in ticked(row[1])]
    return pairs


def property_alignments() -> list[tuple[str, str]]:
    pairs = []
    for row in table_rows(section("Properties the build writes")):
        if len(row) < 3:
            continue
        for prop in ticked(row[0]):
            pairs += [(prop, sup) for sup in ticked(row[2])]
    return pairs


def test_model_md_alignment_tables_parse() -> None:
    assert len(class_alignments()) >= 20
    assert len(property_alignments()) >= 18


@pytest.mark.parametrize(("sub", "sup"), class_alignments() + property_alignments())
def test_model_md_alignment_axioms(onto: Graph, sub: str, sup: str) -> None:
    assert is_subsumed(onto, expand(sub), expand(sup)), f"{sub} should be under {sup}"


def test_class_table_pairwise_disjoint(onto: Graph) -> None:
    line = next(ln for ln in MODEL.splitlines() if ln.startswith("Disjoint:"))
    expected = {CAKG[n] for n in ticked(line)}
    assert len(expected) == 11
    lists = [onto.value(n, OWL.members) for n in onto.subjects(RDF.type, OWL.AllDisjointClasses)]
    from rdflib.collection import Collection

    declared = [set(Collection(onto, lst)) for lst in lists if lst is not None]
    assert any(expected <= members for members in declared)


# The standard-vocabulary view (docs/standard-view.md) in the project's terms: what the build
# materializes from.
STANDARD_ALIGNMENTS = [
    (CAKG.Claim, SCHEMA.Claim),
    (CAKG.Answer, SCHEMA.Answer),
    (CAKG.Question, SCHEMA.Question),
    (CAKG.Article, SCHEMA.Article),
    (CAKG.State, SCHEMA.Country),
    (CAKG.InternationalOrganization, SCHEMA.Organization),
    (CAKG.InternationalOrganization, ORG.FormalOrganization),
    (CAKG.Organization, SCHEMA.Organization),
    (CAKG.Person, SCHEMA.Person),
    (CAKG.Expert, SCHEMA.Person),
    (CAKG.Membership, ORG.Membership),
    (CAKG.Evidence, OA.SpecificResource),
    (CAKG.claimedBy, SCHEMA.author),
    (CAKG.claimedBy, PROV.wasAttributedTo),
    (CAKG.answeredBy, SCHEMA.author),
    (CAKG.answers, SCHEMA.parentItem),
    (CAKG.inArticle, SCHEMA.isPartOf),
    (CAKG.inAnswer, SCHEMA.isPartOf),
    (CAKG.mentions, SCHEMA.mentions),
    (CAKG.about, SCHEMA.about),
    (CAKG.hasTrend, DCTERMS.subject),
    (CAKG.hasEvidence, PROV.wasDerivedFrom),
    (CAKG.nationality, SCHEMA.nationality),
    (CAKG.affiliation, SCHEMA.affiliation),
    (CAKG.jobTitle, SCHEMA.jobTitle),
    (CAKG.publisher, SCHEMA.publisher),
    (CAKG.acronym, SKOS.altLabel),
]


@pytest.mark.parametrize(("sub", "sup"), STANDARD_ALIGNMENTS)
def test_contract_alignment(onto: Graph, sub: URIRef, sup: URIRef) -> None:
    assert is_subsumed(onto, sub, sup)


def test_inverses_and_functional_properties(onto: Graph) -> None:
    assert (CAKG.inAnswer, OWL.inverseOf, CAKG.hasClaim) in onto
    assert (CAKG.answers, OWL.inverseOf, CAKG.hasAnswer) in onto
    for p in (CAKG.claimedBy, CAKG.answers, CAKG.hasTrend, CAKG.hasClaimType, CAKG.hasCertainty):
        assert (p, RDF.type, OWL.FunctionalProperty) in onto, p


# --- SKOS schemes and roles -------------------------------------------------------------------


def scheme_rows() -> list[tuple[str, list[str]]]:
    return [
        (ticked(row[0])[0], ticked(row[1]))
        for row in table_rows(section("SKOS concepts"))
        if len(row) > 1 and ticked(row[0])
    ]


@pytest.mark.parametrize(("scheme", "concepts"), scheme_rows())
def test_schemes_hold_exactly_model_concepts(onto: Graph, scheme: str, concepts: list[str]) -> None:
    scheme_iri = expand(scheme)
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in onto
    members = set(onto.subjects(SKOS.inScheme, scheme_iri))
    expected = {expand(c) for c in concepts if c.startswith("cakg:")}
    assert members == expected
    for c in members:
        assert (c, RDF.type, SKOS.Concept) in onto
        assert (c, RDF.type, OWL.NamedIndividual) in onto
        assert (c, SKOS.topConceptOf, scheme_iri) in onto
        assert len([x for x in onto.objects(c, SKOS.prefLabel) if x.language == "en"]) == 1


def test_trend_prefLabels_exactly(onto: Graph) -> None:
    labels = {
        str(label)
        for c in onto.subjects(SKOS.inScheme, CAKG.TrendScheme)
        for label in onto.objects(c, SKOS.prefLabel)
    }
    assert labels == {"strengthening", "weakening", "no change", "uncertain"}
    no_change = set(onto.objects(CAKG["trend-no-change"], SKOS.prefLabel))
    assert Literal("no change", lang="en") in no_change


def test_roles_are_org_roles(onto: Graph) -> None:
    roles = set(re.findall(r"`cakg:(role-[\w-]+)`", MODEL))
    assert len(roles) == 6
    for r in roles:
        assert (CAKG[r], RDF.type, ORG.Role) in onto
        assert onto.value(CAKG[r], RDFS.label) is not None


# --- materialization ----------------------------------------------------------------------------


def test_materialize_adds_standard_triples() -> None:
    claim, expert, org = URIRef("urn:claim"), URIRef("urn:expert"), URIRef("urn:org")
    g = Graph()
    g.add((claim, RDF.type, CAKG.Claim))
    g.add((claim, CAKG.claimedBy, expert))
    g.add((claim, CAKG.hasTrend, CAKG["trend-no-change"]))
    g.add((expert, RDF.type, CAKG.Expert))
    g.add((org, RDF.type, CAKG.InternationalOrganization))
    g.add((org, CAKG.acronym, Literal("CSTO")))
    g.add((claim, RDF.type, SCHEMA.Claim))  # already there: not returned again
    out = materialize(g)
    expected = {
        (claim, RDF.type, PROV.Entity),
        (claim, SCHEMA.author, expert),
        (claim, PROV.wasAttributedTo, expert),
        (claim, DCTERMS.subject, CAKG["trend-no-change"]),
        (expert, RDF.type, CAKG.Person),
        (expert, RDF.type, SCHEMA.Person),
        (expert, RDF.type, PROV.Agent),
        (org, RDF.type, CAKG.Organization),
        (org, RDF.type, SCHEMA.Organization),
        (org, RDF.type, ORG.Organization),
        (org, RDF.type, ORG.FormalOrganization),
        (org, RDF.type, PROV.Agent),
        (org, SKOS.altLabel, Literal("CSTO")),
    }
    assert set(out) == expected
    assert not any(isinstance(o, BNode) or o == OWL.Thing for _, _, o in out)


def test_materialize_is_idempotent_and_uses_given_ontology() -> None:
    g = Graph().parse(VALID)
    once = materialize(g)
    merged = g + once
    assert len(materialize(merged)) == 0
    tiny = Graph()
    tiny.add((URIRef("urn:A"), RDFS.subClassOf, URIRef("urn:B")))
    tiny.add((URIRef("urn:B"), RDFS.subClassOf, URIRef("urn:C")))
    data = Graph()
    data.add((URIRef("urn:x"), RDF.type, URIRef("urn:A")))
    assert set(materialize(data, tiny).objects(URIRef("urn:x"), RDF.type)) == {
        URIRef("urn:B"),
        URIRef("urn:C"),
    }


def claims_graph(n: int) -> Graph:
    g = Graph()
    for i in range(n):
        c = URIRef(f"urn:claim/{i}")
        g.add((c, RDF.type, CAKG.Claim))
        g.add((c, CAKG.claimedBy, URIRef(f"urn:expert/{i % 50}")))
        g.add((c, CAKG.hasTrend, CAKG["trend-uncertain"]))
        g.add((c, CAKG.ordinal, Literal(i)))
    return g


def test_materialize_adds_exactly_the_implied_triples_at_scale() -> None:
    # Speed is measured in benchmarks/run.py (materialize vs. data size), not here: a
    # timed test fails on a busy machine. This checks the result on a large graph.
    g = claims_graph(10_000)
    out = materialize(g)
    # per claim: 2 superclass types (schema:Claim, prov:Entity) and the super-properties
    # of claimedBy (2), hasTrend (1) and ordinal (1) -- see the alignment axioms.
    assert len(out) == len(g) // 4 * 6


# --- the JSON-LD context --------------------------------------------------------------------------


def test_context_file_is_json_ld_11() -> None:
    from importlib import resources

    doc = json.loads(resources.files("cakg.ontology").joinpath("context.jsonld").read_text())
    assert doc["@context"] == context()
    ctx = context()
    assert ctx["@version"] == 1.1
    for prefix, ns in PREFIXES.items():
        assert ctx[prefix] == ns
    assert ctx["schema"] == "http://schema.org/"


def test_context_terms_expand_to_known_terms(onto: Graph) -> None:
    ctx = context()
    for term, value in ctx.items():
        if term.startswith("@") or (isinstance(value, str) and value.endswith(("/", "#"))):
            continue
        iri = value if isinstance(value, str) else value["@id"]
        if iri.startswith("@"):
            continue
        full = expand(iri)
        if full.startswith(str(CAKG)):
            assert onto.value(full, RDF.type) is not None, f"{term} -> {iri} is not in the ontology"
    assert ctx["author"] == {"@id": "schema:author", "@type": "@id"}
    assert ctx["trend"]["@id"] == "cakg:hasTrend"
    assert ctx["start"]["@type"] == "xsd:nonNegativeInteger"


@pytest.fixture(scope="module")
def compacted() -> tuple[Graph, dict[str, object]]:
    g = Graph().parse(VALID)
    g += materialize(g)
    text = g.serialize(format="json-ld", context=context(), auto_compact=True)
    return g, json.loads(text)


def test_context_round_trip_with_rdflib(compacted: tuple[Graph, dict[str, object]]) -> None:
    g, doc = compacted
    back = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert isomorphic(g, back)


def test_context_round_trip_with_pyld(compacted: tuple[Graph, dict[str, object]]) -> None:
    from pyld import jsonld

    g, doc = compacted
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert isomorphic(g, Graph().parse(data=nquads, format="nt"))  # default graph only
    # and pyld compacts the expanded form with the same context back to the same terms
    again = jsonld.compact(jsonld.expand(doc), context())
    assert isomorphic(g, Graph().parse(data=json.dumps(again), format="json-ld"))


def test_compacted_export_reads_like_plain_json(compacted: tuple[Graph, dict[str, object]]) -> None:
    _, doc = compacted
    nodes = {n["id"]: n for n in doc["@graph"]}  # type: ignore[index, union-attr]
    claim = nodes["https://cakg.example.org/id/article/roundup/claim/1"]
    assert claim["text"] == "Relations will not change."
    assert claim["author"] == "https://cakg.example.org/id/person/rustam-burnashev"
    assert claim["trend"] == "cakg:trend-no-change"
    assert set(claim["mentions"]) == {
        "https://cakg.example.org/id/state/uzbekistan",
        "https://cakg.example.org/id/state/kazakhstan",
    }
    position = nodes["https://cakg.example.org/id/article/roundup/claim/1/evidence/position"]
    assert (position["start"], position["end"]) == ("100", "126")
    state = nodes["https://cakg.example.org/id/state/kazakhstan"]
    assert state["label"] == "Kazakhstan"
