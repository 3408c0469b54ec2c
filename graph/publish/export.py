"""Linked-data exports of a built graph: Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads.

Every export is deterministic: the same graph gives the same bytes on every run, in
every process (whatever ``PYTHONHASHSEED``), so two builds of the same input can be
compared with ``cmp``. Three things make it so:

* blank nodes are relabelled canonically (:mod:`cakg.graph.publish.canonical`);
* line formats (N-Triples, N-Quads) are sorted; graph-shaped formats are written from
  graphs filled in sorted order, TriG graph by graph in IRI order
  (:mod:`~cakg.graph.publish.turtle`, :mod:`~cakg.graph.publish.rdfxml`);
* JSON-LD nodes, keys and (unordered) value arrays are sorted
  (:mod:`~cakg.graph.publish.jsonld`).

TriG and N-Quads keep the named graphs (one per article, reference data, inferred
triples); the other formats merge them (``KnowledgeGraph.merged``).

>>> from rdflib import Graph, URIRef, Literal, BNode
>>> kg = KnowledgeGraph(); g = kg.graph(URIRef("https://cakg.example.org/id/graph/x"))
>>> b = BNode(); _ = g.add((URIRef("urn:s"), URIRef("urn:p"), b))
>>> _ = g.add((b, URIRef("urn:q"), Literal(1)))
>>> print(serialize(kg, "nt").decode(), end="")
<urn:s> <urn:p> _:b0 .
_:b0 <urn:q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urljoin

from rdflib import Graph

from cakg.errors import InputError
from cakg.graph.formats import RDF_FORMATS, find_rdf_format
from cakg.graph.io import atomic_write
from cakg.graph.namespaces import ONTOLOGY_IRI, OWL, RDF, bind_prefixes
from cakg.graph.ontology import context, ontology_graph
from cakg.graph.publish.canonical import Prepared, canonical_quads, prepare, prepare_graph
from cakg.graph.publish.jsonld import jsonld
from cakg.graph.publish.rdfxml import rdfxml
from cakg.graph.publish.turtle import nquads, ntriples, trig, turtle
from cakg.graph.store.dataset import KnowledgeGraph, load_knowledge_graph

__all__ = [
    "ALL_FORMATS",
    "VOID_FILE",
    "Prepared",
    "canonical_quads",
    "default_dump_base",
    "export_file_name",
    "export_files",
    "export_ontology",
    "export_payloads",
    "prepare",
    "serialize",
    "serialize_graph",
    "write_exports",
]

ALL_FORMATS: tuple[str, ...] = tuple(RDF_FORMATS)

# The VoID description `write_exports` writes besides the data formats.
VOID_FILE = "void.ttl"


def export_file_name(fmt: str) -> str:
    """The file an export format is written to: ``kg`` and the format's suffix.

    >>> export_file_name("rdfxml")
    'kg.rdf'
    """
    return "kg" + RDF_FORMATS[_format_name(fmt)].suffix


def _format_name(fmt: str) -> str:
    spec = find_rdf_format(fmt)
    if spec is None:
        known = ", ".join(ALL_FORMATS)
        raise InputError(f"unknown export format {fmt!r} (use one of {known}, all)")
    return spec.name


def _write(prep: Prepared, name: str) -> bytes:
    if name == "trig":
        return trig(prep)
    if name == "nq":
        return nquads(prep.quads)
    if name == "nt":
        return ntriples(prep.triples)
    if name == "ttl":
        return turtle(prep)
    if name == "jsonld":
        return jsonld(prep.graph(), context())
    return rdfxml(prep)


def serialize_graph(graph: Graph, fmt: str) -> bytes:
    """One graph in any format, deterministically (TriG and N-Quads name it by its identifier)."""
    return _write(prepare_graph(graph), _format_name(fmt))


def serialize(kg: KnowledgeGraph, fmt: str) -> bytes:
    """The whole graph in one format; TriG and N-Quads keep named graphs, the rest merge them."""
    return _write(prepare(kg), _format_name(fmt))


def _expand_formats(formats: Iterable[str]) -> tuple[list[str], bool, bool]:
    """Data formats, and whether the ontology and the VoID description are wanted."""
    data: list[str] = []
    ontology = void = False
    for fmt in formats:
        low = fmt.lower()
        if low == "all":
            data.extend(ALL_FORMATS)
            ontology = void = True
        elif low == "ontology":
            ontology = True
        elif low == "void":
            void = True
        else:
            data.append(_format_name(low))
    return list(dict.fromkeys(data)), ontology, void


def default_dump_base(base: str) -> str:
    """Where the files are published by default: ``dump/`` beside the entity IRIs' folder.

    The IRIs under ``<base>`` name things and answer 303 (``cakg serve`` serves ``<base>``
    at ``/id/``); a dump is a document, so it gets a URL outside that space ("Cool URIs for
    the Semantic Web" §4.3), resolved like a relative link from the base: ``../dump/``.
    ``cakg serve`` resolves the same link from its ``/id/``, so both announce ``/dump/``.

    >>> default_dump_base("https://cakg.example.org/id/")
    'https://cakg.example.org/dump/'
    >>> default_dump_base("https://kg.example/")
    'https://kg.example/dump/'
    """
    return urljoin(base, "../dump/")


def export_payloads(
    kg: KnowledgeGraph,
    formats: Iterable[str],
    *,
    dump_base: str | None = None,
    endpoint: str | None = None,
) -> dict[str, bytes]:
    """The bytes of every file :func:`write_exports` writes, by file name.

    ``dump_base`` is the URL under which the files will be published (for the VoID /
    DCAT description's download URLs); default :func:`default_dump_base` of the graph's base.
    """
    data, ontology, void = _expand_formats(formats)
    files: dict[str, bytes] = {}
    if data:
        prep = prepare(kg)
        for name in data:
            files[export_file_name(name)] = _write(prep, name)
    if ontology:
        files.update(_ontology_payloads(kg))
    if void:
        from cakg.graph.publish.void import describe_dataset

        where = dump_base if dump_base is not None else default_dump_base(kg.base)
        sizes = {fname: len(payload) for fname, payload in files.items()}
        dumps = {fname: where + fname for fname in sizes}
        description = describe_dataset(kg, dumps=dumps, endpoint=endpoint, sizes=sizes)
        files[VOID_FILE] = serialize_graph(description, "ttl")
    return files


def write_exports(
    kg: KnowledgeGraph,
    out_dir: Path,
    formats: Iterable[str],
    *,
    dump_base: str | None = None,
    endpoint: str | None = None,
) -> list[Path]:
    """Write kg.<ext> per format (``all``: every format, the ontology and void.ttl), atomically."""
    files = export_payloads(kg, formats, dump_base=dump_base, endpoint=endpoint)
    return [atomic_write(out_dir / name, payload) for name, payload in files.items()]


def _ontology_of(kg: KnowledgeGraph | None) -> Graph:
    """The ontology a build holds (its ``<base>graph/ontology``), else the one cakg ships."""
    if kg is not None:
        for name, g in kg:
            if str(name).endswith("/graph/ontology") and len(g):
                out = Graph()
                bind_prefixes(out)
                for t in g:
                    out.add(t)
                return out
    return ontology_graph()


def _ontology_payloads(kg: KnowledgeGraph | None) -> dict[str, bytes]:
    """ontology.ttl and ontology.rdf (RDF/XML): the ontology a build holds, for Protégé."""
    g = _ontology_of(kg)
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) not in g:
        raise InputError(f"the ontology graph has no owl:Ontology header <{ONTOLOGY_IRI}>")
    return {"ontology.ttl": serialize_graph(g, "ttl"), "ontology.rdf": serialize_graph(g, "rdfxml")}


def export_ontology(out_dir: Path, kg: KnowledgeGraph | None = None) -> list[Path]:
    """Write the ontology as ontology.ttl and ontology.rdf (RDF/XML; Protégé opens both)."""
    return [atomic_write(out_dir / n, b) for n, b in _ontology_payloads(kg).items()]


def export_files(
    data: Sequence[Path],
    out: Path,
    formats: Iterable[str],
    *,
    dump_base: str | None = None,
    endpoint: str | None = None,
) -> list[Path]:
    """The library function behind ``cakg export``: read built graph(s), write exports.

    ``out`` is a folder, or a file name when exactly one data format is asked for.
    """
    kg = load_knowledge_graph(data)
    fmts = list(formats)
    names, ontology, void = _expand_formats(fmts)
    if out.suffix and not out.is_dir() and len(names) == 1 and not (ontology or void):
        return [atomic_write(out, serialize(kg, names[0]))]
    if out.exists() and not out.is_dir():
        raise InputError("several files to write, but this is a file, not a folder", path=out)
    return write_exports(kg, out, fmts, dump_base=dump_base, endpoint=endpoint)
