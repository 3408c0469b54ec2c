"""SPARQL 1.1 Query Results JSON (§3) read into rdflib terms, in Oxigraph's canonical form.

A remote store's rows then compare equal to the embedded store's: Virtuoso writes booleans
as 1/0 and keeps derived integer types, Oxigraph keeps values in canonical lexical form.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rdflib import BNode, URIRef
from rdflib import Literal as RLiteral
from rdflib.term import Node

from cakg.graph.namespaces import XSD
from cakg.graph.store.engines import QueryResult

__all__ = ["canonical_literal", "result_from_json"]


_BOOLEAN = {"1": "true", "0": "false", "true": "true", "false": "false"}
_INTEGERS = {
    str(XSD[name])
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
}  # fmt: skip
_SPECIAL_FLOATS = {"inf": "INF", "+inf": "INF", "-inf": "-INF", "nan": "NaN"}


def _plain_decimal(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _float32(value: float) -> str:
    # The shortest decimal that reads back as the same 32-bit float.
    packed = struct.pack("<f", value)
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if struct.pack("<f", float(text)) == packed:
            return _plain_decimal(Decimal(text))
    return _plain_decimal(Decimal(repr(value)))


def canonical_literal(value: str, datatype: str) -> tuple[str, str]:
    """The literal as Oxigraph stores it: by value, in canonical lexical form.

    Oxigraph keeps values, not spellings: every integer type becomes ``xsd:integer``,
    numbers lose leading and trailing zeros and exponents, booleans are ``true``/``false``,
    a zero time zone is ``Z`` (XSD 1.1 Part 2 §3.3 canonical mappings). Rows from a
    remote store are put in the same form, so they compare equal to the embedded ones.

    >>> canonical_literal("0812", str(XSD.nonNegativeInteger))[0]
    '812'
    >>> canonical_literal("1.0E2", str(XSD.double))[0], canonical_literal("1", str(XSD.boolean))[0]
    ('100', 'true')
    """
    text = value.strip()
    try:
        if datatype in _INTEGERS:
            return str(int(text)), str(XSD.integer)
        if datatype == str(XSD.decimal):
            return _plain_decimal(Decimal(text)), datatype
        if datatype in (str(XSD.double), str(XSD.float)):
            if text.lower() in _SPECIAL_FLOATS:
                return _SPECIAL_FLOATS[text.lower()], datatype
            number = float(text)
            if datatype == str(XSD.float):
                return _float32(number), datatype
            return _plain_decimal(Decimal(repr(number))), datatype
    except (ValueError, ArithmeticError):
        return value, datatype  # an ill-typed literal stays as written
    if datatype == str(XSD.boolean):
        return _BOOLEAN.get(text, value), datatype
    if datatype in (str(XSD.dateTime), str(XSD.time), str(XSD.date), str(XSD.dateTimeStamp)):
        text = re.sub(r"(\.\d*?)0+(?=$|[Z+-])", r"\1", text)  # trailing zeros of seconds
        text = re.sub(r"\.(?=$|[Z+-])", "", text)
        text = re.sub(r"[+-]00:00$", "Z", text)
        return text, datatype
    return value, datatype


def _term(binding: Mapping[str, str]) -> Node:
    kind = binding["type"]
    value = binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        # Virtuoso labels blank nodes `nodeID://b10003`.
        return BNode(value.removeprefix("nodeID://"))
    lang = binding.get("xml:lang")
    if lang:
        return RLiteral(value, lang=lang)
    datatype = binding.get("datatype")
    if datatype is None or datatype == str(XSD.string):
        # RDF 1.1: a simple literal is an xsd:string; OxigraphStore returns both plain.
        return RLiteral(value)
    # Virtuoso writes booleans as 1/0 and keeps derived integer types; Oxigraph does not.
    value, datatype = canonical_literal(value, datatype)
    return RLiteral(value, datatype=URIRef(datatype))


def result_from_json(doc: Mapping[str, Any]) -> QueryResult:
    """A parsed SPARQL JSON results document as a QueryResult (rows or a boolean)."""
    if "boolean" in doc:
        return QueryResult("ASK", boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    rows = [
        {k: _term(v) for k, v in b.items() if k in names or not names}
        for b in doc.get("results", {}).get("bindings", [])
    ]
    return QueryResult("SELECT", vars=names, rows=rows)
