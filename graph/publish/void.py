"""The dataset description: VoID statistics and linksets, and a DCAT 3 catalog of the exports.

``describe_dataset`` says what a build holds (``void:triples``, class and property
partitions, vocabularies, the Wikidata linkset, one subset per named graph) and where
to get it (one ``dcat:Distribution`` per file, a ``dcat:DataService`` for an endpoint).

The build date must not be the wall clock, or two builds of the same input would
differ. It is, in this order: ``SOURCE_DATE_EPOCH`` (the reproducible-builds.org
convention) as an ``xsd:dateTime``; else the newest ``schema:datePublished`` of the
source articles, as written there (e.g. ``"2022-01"^^xsd:gYearMonth``); else absent.

>>> from rdflib import URIRef
>>> from cakg.graph.store.dataset import KnowledgeGraph
>>> kg = KnowledgeGraph(); g = kg.graph(URIRef(kg.base + "graph/reference"))
>>> _ = g.add((URIRef(kg.base + "state/kazakhstan"), RDF.type, SCHEMA.Country))
>>> d = describe_dataset(kg, dumps=None, endpoint=None)
>>> int(d.value(dataset_iri(kg), VOID.triples))
1
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

import cakg
from cakg.errors import InputError
from cakg.graph.formats import rdf_format_for_suffix
from cakg.graph.info import triple_count
from cakg.graph.namespaces import (
    DCAT,
    DCT,
    ONTOLOGY_IRI,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SCHEMA,
    VOID,
    WD,
    XSD,
    bind_prefixes,
)
from cakg.graph.store.dataset import KnowledgeGraph

__all__ = [
    "DEFAULT_LICENSE",
    "WIKIDATA",
    "build_date",
    "dataset_iri",
    "describe_dataset",
]

FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
# DCAT 3 §6.4.18; rdflib's DCAT namespace predates DCAT 3 and lacks it.
DCAT_VERSION = URIRef(f"{DCAT}version")
DCT_FORMAT = URIRef(f"{DCT}format")

# The data is published under the same licence as the ontology (ontology/cakg.ttl).
# Quoted article text stays its publisher's: see dct:rights below.
DEFAULT_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
RIGHTS = (
    "The graph's structure and annotations: CC BY 4.0. Quoted passages (schema:text, "
    "oa:exact, oa:prefix, oa:suffix) remain the copyright of the source articles' "
    "publishers; cite and link the source article (dct:source) when reusing them."
)

# Wikidata, named by its own Wikidata item (Q2013), as the objects target of the linkset.
WIKIDATA = WD.Q2013


def dataset_iri(kg: KnowledgeGraph) -> URIRef:
    """The IRI of the dataset a build makes: ``<base>dataset``."""
    return URIRef(f"{kg.base}dataset")


def build_date(kg: KnowledgeGraph) -> Literal | None:
    """The build's date: SOURCE_DATE_EPOCH, else the newest article's datePublished, else None.

    >>> import os; os.environ["SOURCE_DATE_EPOCH"] = "0"
    >>> str(build_date(KnowledgeGraph()))
    '1970-01-01T00:00:00+00:00'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError) as exc:
            raise InputError(f"SOURCE_DATE_EPOCH must be an integer, not {epoch!r}") from exc
        return Literal(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    merged = _Merged(kg)
    dates = [
        d
        for a in merged.typed.get(SCHEMA.Article, ())
        for d in merged.objects(a, SCHEMA.datePublished)
        if isinstance(d, Literal)
    ]
    # ISO 8601 forms (gYear, gYearMonth, date, dateTime) order lexically by time.
    return max(dates, key=lambda d: (str(d), str(d.datatype))) if dates else None


class _Merged:
    """The union of the named graphs as plain sets and indexes (an rdflib Graph is slower)."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.triples = {t for _, g in kg for t in g}
        self._out: dict[tuple[Node, Node], list[Node]] = {}
        self.typed: dict[Node, set[Node]] = {}
        for s, p, o in self.triples:
            self._out.setdefault((s, p), []).append(o)
            if p == RDF.type:
                self.typed.setdefault(o, set()).add(s)

    def objects(self, s: Node, p: Node) -> list[Node]:
        return sorted(self._out.get((s, p), []), key=str)


def _slug(term: Node, graph: Graph) -> str:
    """A readable, stable IRI segment for a class or property (``schema-Country``)."""
    try:
        prefix, _ns, local = graph.namespace_manager.compute_qname_strict(str(term))
        if prefix and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}-{local}"
    except ValueError:
        pass
    return hashlib.sha256(str(term).encode()).hexdigest()[:16]


def _vocabulary(term: URIRef) -> URIRef | None:
    """The vocabulary a term belongs to (VoID §4.3), if it is one of the project's prefixes."""
    text = str(term)
    if text.startswith(str(ONTOLOGY_IRI)):
        return ONTOLOGY_IRI
    for prefix, ns in PREFIXES.items():
        if prefix not in ("xsd", "wd", "cakg") and text.startswith(ns):
            return URIRef(ns)
    return None


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def describe_dataset(
    kg: KnowledgeGraph,
    *,
    dumps: Mapping[str, str] | None = None,
    endpoint: str | None = None,
    sizes: Mapping[str, int] | None = None,
    license: URIRef = DEFAULT_LICENSE,
    publisher: URIRef | None = None,
) -> Graph:
    """VoID and DCAT 3 description of a build.

    ``dumps`` maps file names (``kg.ttl``) to the URLs they are published at;
    ``sizes`` their byte sizes; ``endpoint`` a SPARQL endpoint serving the data.
    """
    d = Graph()
    bind_prefixes(d)
    d.bind("foaf", FOAF)
    d.bind("sd", SD)
    merged = _Merged(kg)
    ds = dataset_iri(kg)
    add = d.add

    # --- VoID §4: the dataset and its statistics -------------------------------------------------
    add((ds, RDF.type, VOID.Dataset))
    add((ds, RDF.type, DCAT.Dataset))
    add((ds, DCT.title, Literal("cakg: regional relations in Central Asia", lang="en")))
    add(
        (
            ds,
            DCT.description,
            Literal(
                "A knowledge graph of the regional relations in Central Asia that experts "
                "describe in roundup articles: their answers and claims, the trend each claim "
                "sees, the states, organizations and memberships they talk about, and the "
                "passage each statement was extracted from.",
                lang="en",
            ),
        )
    )
    add((ds, DCT.license, license))
    add((ds, DCT.rights, Literal(RIGHTS, lang="en")))
    if publisher is not None:
        add((ds, DCT.publisher, publisher))
    add((ds, DCAT_VERSION, Literal(cakg.__version__)))
    add((ds, DCT.conformsTo, ONTOLOGY_IRI))
    add((ds, VOID.uriSpace, Literal(kg.base)))
    when = build_date(kg)
    if when is not None:
        add((ds, DCT.issued, when))
        add((ds, DCT.modified, when))
    for kw in ("Central Asia", "regional cooperation", "expert opinion", "international relations"):
        add((ds, DCAT.keyword, Literal(kw, lang="en")))
    add((ds, DCT.spatial, WD.Q27275))  # Central Asia

    subjects = {s for s, _, _ in merged.triples}
    objects = {o for _, _, o in merged.triples}
    predicates = Counter(p for _, p, _ in merged.triples)
    types = merged.typed
    # The number every command reports: distinct triples of all graphs together. The
    # subsets below count their own graph's triples, so they add up to more when a triple
    # is stated in two graphs.
    add((ds, VOID.triples, _int(triple_count(kg))))
    add((ds, VOID.entities, _int(len({s for s in subjects if isinstance(s, URIRef)}))))
    add((ds, VOID.distinctSubjects, _int(len(subjects))))
    add((ds, VOID.distinctObjects, _int(len(objects))))
    add((ds, VOID.properties, _int(len(predicates))))
    add((ds, VOID.classes, _int(len(types))))

    # VoID §4.6: class and property partitions.
    for cls in sorted(types, key=str):
        part = URIRef(f"{ds}/class/{_slug(cls, d)}")
        add((ds, VOID.classPartition, part))
        add((part, VOID["class"], cls))
        add((part, VOID.entities, _int(len(types[cls]))))
    for prop in sorted(predicates, key=str):
        part = URIRef(f"{ds}/property/{_slug(prop, d)}")
        add((ds, VOID.propertyPartition, part))
        add((part, VOID.property, prop))
        add((part, VOID.triples, _int(predicates[prop])))

    # VoID §4.3: vocabularies the data uses (predicates and classes).
    vocabularies = {_vocabulary(t) for t in [*predicates, *types] if isinstance(t, URIRef)}
    for voc in sorted((v for v in vocabularies if v is not None), key=str):
        add((ds, VOID.vocabulary, voc))

    # One subset per named graph (VoID §4.5), named by the graph's own IRI (SPARQL SD §3.4).
    for name, g in kg:
        add((ds, VOID.subset, name))
        add((name, RDF.type, VOID.Dataset))
        add((name, RDF.type, SD.NamedGraph))
        add((name, SD.name, name))
        add((name, VOID.triples, _int(len(g))))

    # VoID §5: the Wikidata linkset (owl:sameAs to wd: entities).
    links = [(s, o) for s, p, o in merged.triples if p == OWL.sameAs and str(o).startswith(str(WD))]
    linkset = URIRef(f"{ds}/linkset/wikidata")
    add((ds, VOID.subset, linkset))
    add((linkset, RDF.type, VOID.Linkset))
    add((linkset, VOID.linkPredicate, OWL.sameAs))
    add((linkset, VOID.subjectsTarget, ds))
    add((linkset, VOID.objectsTarget, WIKIDATA))
    add((linkset, VOID.triples, _int(len(links))))
    add((WIKIDATA, RDF.type, VOID.Dataset))
    add((WIKIDATA, DCT.title, Literal("Wikidata", lang="en")))
    add((WIKIDATA, FOAF.homepage, URIRef("https://www.wikidata.org/")))
    add((WIKIDATA, VOID.uriSpace, Literal(str(WD))))

    # Example resources (VoID §4.2) and the sources: the articles, with their publishers.
    articles = sorted(merged.typed.get(SCHEMA.Article, ()), key=str)
    for art in articles:
        add((ds, DCT.source, art))
        add((ds, VOID.exampleResource, art))
        add((art, RDF.type, SCHEMA.Article))
        for src, dst in (
            (SCHEMA.headline, DCT.title),
            (SCHEMA.datePublished, DCT.issued),
            (SCHEMA.url, DCAT.landingPage),
            (SCHEMA.publisher, DCT.publisher),
            (DCT.rights, DCT.rights),
            (SCHEMA.copyrightNotice, DCT.rights),
        ):
            for value in merged.objects(art, src):
                add((art, dst, value))
        for pub in merged.objects(art, SCHEMA.publisher):
            add((pub, RDF.type, FOAF.Agent))
            for label in merged.objects(pub, RDFS.label):
                add((pub, FOAF.name, label))

    # DCAT 3 §6.8: one distribution per file.
    files = dict(sorted((dumps or {}).items()))
    data_files = {f: u for f, u in files.items() if not f.startswith("ontology.")}
    onto_files = {f: u for f, u in files.items() if f.startswith("ontology.")}
    for fname, url in data_files.items():
        _distribution(d, ds, fname, url, sizes, license, "cakg knowledge graph")
        add((ds, VOID.dataDump, URIRef(url)))
        fmt = rdf_format_for_suffix(fname)
        if fmt is not None:
            add((ds, VOID.feature, URIRef(fmt.w3c)))
    if onto_files:
        # The ontology is a dataset of its own, which the data conforms to.
        add((ONTOLOGY_IRI, RDF.type, DCAT.Dataset))
        add((ONTOLOGY_IRI, DCT.title, Literal("cakg ontology", lang="en")))
        add((ONTOLOGY_IRI, DCT.license, DEFAULT_LICENSE))
        for fname, url in onto_files.items():
            _distribution(d, ONTOLOGY_IRI, fname, url, sizes, DEFAULT_LICENSE, "cakg ontology")
    catalog = URIRef(f"{kg.base}catalog")
    add((catalog, RDF.type, DCAT.Catalog))
    add((catalog, DCT.title, Literal("cakg catalog", lang="en")))
    add((catalog, DCAT.dataset, ds))
    if onto_files:
        add((catalog, DCAT.dataset, ONTOLOGY_IRI))

    # A SPARQL endpoint: VoID §6.3 and a DCAT 3 data service (§6.9).
    if endpoint:
        service = URIRef(endpoint)
        add((ds, VOID.sparqlEndpoint, service))
        add((service, RDF.type, DCAT.DataService))
        add((service, DCAT.endpointURL, service))
        add((service, DCAT.servesDataset, ds))
        add((service, DCT.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
        add((catalog, DCAT.service, service))
    _check_no_blank_nodes(d)
    return d


def _distribution(
    d: Graph,
    dataset: URIRef,
    fname: str,
    url: str,
    sizes: Mapping[str, int] | None,
    license: URIRef,
    what: str,
) -> None:
    fmt = rdf_format_for_suffix(fname)
    dist = URIRef(f"{dataset}/distribution/{fname}")
    d.add((dataset, DCAT.distribution, dist))
    d.add((dist, RDF.type, DCAT.Distribution))
    title = fmt.title if fmt is not None else fname
    d.add((dist, DCT.title, Literal(f"{what} ({title}, {fname})", lang="en")))
    d.add((dist, DCAT.downloadURL, URIRef(url)))
    d.add((dist, DCAT.accessURL, URIRef(url)))
    d.add((dist, DCT.license, license))
    if fmt is not None:
        d.add((dist, DCT.conformsTo, URIRef(fmt.w3c)))
        # DCAT 3 §6.8.14: the media type as an IANA registry IRI.
        iana = f"https://www.iana.org/assignments/media-types/{fmt.media_type}"
        d.add((dist, DCAT.mediaType, URIRef(iana)))
        d.add((dist, DCT_FORMAT, Literal(fmt.media_type)))
    if sizes and fname in sizes:
        d.add((dist, DCAT.byteSize, Literal(sizes[fname], datatype=XSD.nonNegativeInteger)))


def _check_no_blank_nodes(d: Graph) -> None:
    # Every node is named, so the description merges cleanly into other catalogs.
    assert not any(isinstance(x, BNode) for t in d for x in t)
