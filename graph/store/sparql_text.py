"""The text of a query: its result form, and parameters bound by a trailing VALUES clause.

Parameters are bound the same way on every engine (SPARQL 1.1 §18.2.4.3: the clause is
joined with the query's solutions after grouping, before projection).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal as RLiteral
from rdflib import URIRef
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph.store.results import QueryKind

__all__ = ["bound_term", "query_kind", "with_values"]


_KIND_RE = re.compile(
    r"^\s*(?:(?:BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)


def _strip_comments(sparql: str) -> str:
    # Comments start with '#' outside IRIs and strings (SPARQL 1.1 §19.4); for
    # classifying the query form, removing whole comment lines is enough.
    return "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))


def query_kind(sparql: str) -> QueryKind:
    """The result form of a query: SELECT, ASK, or CONSTRUCT (DESCRIBE gives a graph too)."""
    m = _KIND_RE.match(_strip_comments(sparql))
    if not m:
        return "SELECT"
    word = m.group(1).upper()
    if word in ("CONSTRUCT", "DESCRIBE"):
        return "CONSTRUCT"
    return "ASK" if word == "ASK" else "SELECT"


def with_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Append a trailing VALUES clause binding parameters to typed RDF terms.

    The terms are serialized by rdflib (``Node.n3()``), which escapes literals and
    checks IRIs, so a parameter can never change the query's structure.

    >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": URIRef("urn:a")})
    'SELECT ?x WHERE { ?x ?p ?o }\\nVALUES (?x) { (<urn:a>) }'
    """
    if not bindings:
        return sparql
    names = sorted(bindings)
    terms = [bound_term(name, bindings[name]) for name in names]
    head = " ".join(f"?{n}" for n in names)
    return f"{sparql.rstrip()}\nVALUES ({head}) {{ ({' '.join(terms)}) }}"


def bound_term(name: str, term: Node) -> str:
    """A parameter's term as SPARQL writes it, after the checks that keep it a term.

    >>> print(bound_term("x", URIRef("urn:a")), bound_term("y", RLiteral("Astana")))
    <urn:a> "Astana"
    """
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise InputError(f"invalid parameter name: {name!r}")
    if isinstance(term, URIRef) and re.search(r'[\s<>"{}|\\^`]', str(term)):
        raise InputError(f"invalid IRI for parameter {name}: {str(term)!r}")
    if not isinstance(term, URIRef | RLiteral):
        raise InputError(f"parameter {name} must be an IRI or a literal")
    return term.n3()
