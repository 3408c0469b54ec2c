"""The RDF and SPARQL result formats cakg reads and writes, in one table each.

Every place that maps a format name, a file suffix or a media type to a parser, a
serializer or an Oxigraph format looks it up here.

>>> rdf_format("turtle").media_type, rdf_format_for_suffix("kg.nq").name
('text/turtle', 'nq')
>>> rdf_format_for_media_type("text/plain; charset=utf-8").rdflib
'nt11'
>>> result_format("tsv").media_type
'text/tab-separated-values'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from rdflib import Namespace, URIRef

from cakg.errors import InputError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "RdfFormat",
    "ResultFormat",
    "find_rdf_format",
    "rdf_format",
    "rdf_format_for_media_type",
    "rdf_format_for_suffix",
    "result_format",
]

# W3C's IRIs for formats (https://www.w3.org/ns/formats/), used by VoID and DCAT.
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")


@dataclass(frozen=True)
class RdfFormat:
    """One RDF serialization: cakg's name for it and what each library and registry calls it."""

    name: str
    title: str
    suffixes: tuple[str, ...]  # the first is the one cakg writes
    media_type: str  # the IANA media type
    rdflib: str  # rdflib's parser and serializer name
    oxigraph_name: str  # the member of pyoxigraph.RdfFormat
    keeps_graphs: bool  # a dataset format: named graphs survive a round trip
    w3c: URIRef
    aliases: tuple[str, ...] = ()
    other_media_types: tuple[str, ...] = ()  # older or generic types clients still send

    @property
    def suffix(self) -> str:
        """The file suffix cakg writes (``.ttl``)."""
        return self.suffixes[0]

    @property
    def oxigraph(self) -> pyoxigraph.RdfFormat:
        """The same format as pyoxigraph names it (imported on use: exports do not need it)."""
        import pyoxigraph

        fmt: pyoxigraph.RdfFormat = getattr(pyoxigraph.RdfFormat, self.oxigraph_name)
        return fmt


RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("ttl", "Turtle", (".ttl",), "text/turtle", "turtle", "TURTLE", False,
                  W3C_FORMATS.Turtle, ("turtle",), ("application/x-turtle",)),
        # rdflib's "nt11" writes UTF-8 as is; its "nt" escapes every non-ASCII character.
        RdfFormat("nt", "N-Triples", (".nt",), "application/n-triples", "nt11", "N_TRIPLES",
                  False, W3C_FORMATS["N-Triples"], ("ntriples", "n-triples"), ("text/plain",)),
        RdfFormat("jsonld", "JSON-LD", (".jsonld",), "application/ld+json", "json-ld", "JSON_LD",
                  False, W3C_FORMATS["JSON-LD"], ("json-ld",)),
        RdfFormat("rdfxml", "RDF/XML", (".rdf", ".owl", ".xml"), "application/rdf+xml", "xml",
                  "RDF_XML", False, W3C_FORMATS.RDF_XML, ("xml", "rdf")),
        RdfFormat("trig", "TriG", (".trig",), "application/trig", "trig", "TRIG", True,
                  W3C_FORMATS.TriG),
        RdfFormat("nq", "N-Quads", (".nq", ".nquads"), "application/n-quads", "nquads",
                  "N_QUADS", True, W3C_FORMATS["N-Quads"], ("nquads", "n-quads")),
    )
}  # fmt: skip


def find_rdf_format(name: str) -> RdfFormat | None:
    """The RDF format called ``name`` (cakg's name or an alias, any case), else None."""
    key = name.strip().lower()
    for fmt in RDF_FORMATS.values():
        if key == fmt.name or key in fmt.aliases:
            return fmt
    return None


def rdf_format(name: str) -> RdfFormat:
    """The RDF format called ``name``; an InputError names the known ones."""
    fmt = find_rdf_format(name)
    if fmt is None:
        raise InputError(f"unknown RDF format {name!r} (use one of {', '.join(RDF_FORMATS)})")
    return fmt


def rdf_format_for_suffix(path: str | PurePath) -> RdfFormat | None:
    """The RDF format of a file, by its suffix (``kg.trig``, ``.ttl``), else None."""
    text = str(path).lower()
    suffix = text if text.startswith(".") else PurePath(text).suffix
    for fmt in RDF_FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt
    return None


def rdf_format_for_media_type(content_type: str | None) -> RdfFormat | None:
    """The RDF format of a media type (parameters such as ``charset`` ignored), else None."""
    mime = (content_type or "").split(";")[0].strip().lower()
    for fmt in RDF_FORMATS.values():
        if mime == fmt.media_type or mime in fmt.other_media_types:
            return fmt
    return None


@dataclass(frozen=True)
class ResultFormat:
    """A SPARQL 1.1 results format of SELECT and ASK (JSON, XML, CSV, TSV)."""

    name: str
    title: str
    media_type: str
    suffix: str
    has_boolean: bool  # CSV and TSV have no form for an ASK answer (SPARQL 1.1 CSV/TSV §1)


RESULT_FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat("json", "SPARQL JSON", "application/sparql-results+json", ".srj", True),
        ResultFormat("xml", "SPARQL XML", "application/sparql-results+xml", ".srx", True),
        ResultFormat("csv", "CSV", "text/csv", ".csv", False),
        ResultFormat("tsv", "TSV", "text/tab-separated-values", ".tsv", False),
    )
}


def result_format(name: str) -> ResultFormat:
    """The SPARQL results format called ``name``; an InputError names the known ones."""
    fmt = RESULT_FORMATS.get(name.strip().lower())
    if fmt is None:
        known = ", ".join(RESULT_FORMATS)
        raise InputError(f"unknown results format {name!r} (use one of {known})")
    return fmt
