"""Parameters of named queries: what a person types, turned into the RDF term it names.

A parameter is bound as a value, never pasted into the query text: :func:`resolve_param`
turns a label, an acronym, ``"Kazakhstan–Kyrgyzstan"``, ``"weakening"`` or an IRI into an
RDF term, and the store appends it as a trailing ``VALUES`` clause. Because that clause is
joined after grouping (SPARQL 1.1 Query §18.2.4.3), every parameter is a projected
variable bound by a required pattern of its query (checked by the tests).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph import vocabulary
from cakg.graph.namespaces import CAKG, PREFIXES, SCHEMA
from cakg.graph.store.engines import QueryResult, Store
from cakg.graph.store.sparql_text import bound_term
from cakg.graph.text.dates import iso_date
from cakg.queries.library import PARAM_KINDS, NamedQuery

__all__ = ["inline_params", "parse_param_items", "resolve_param", "resolve_params"]

# The class a looked-up label must belong to, per kind (standard vocabulary where one exists).
_KIND_CLASS: dict[str, URIRef] = {
    "state": SCHEMA.Country,
    "organization": SCHEMA.Organization,
    "person": SCHEMA.Person,
    "relation": CAKG.BilateralRelation,
    "template": CAKG.QuestionTemplate,
    "article": SCHEMA.Article,
}

# Parameters that name a concept of a controlled vocabulary (cakg.graph.vocabulary).
_CONCEPT_KINDS = frozenset(k for k in set(PARAM_KINDS.values()) if k in vocabulary.KINDS)

# Everyday words for trends, so that "which experts expect relations to worsen" just works.
_TREND_SYNONYMS: dict[str, str] = {
    "worsen": "weakening",
    "worsening": "weakening",
    "worse": "weakening",
    "weaken": "weakening",
    "deteriorate": "weakening",
    "deteriorating": "weakening",
    "negative": "weakening",
    "improve": "strengthening",
    "improving": "strengthening",
    "better": "strengthening",
    "strengthen": "strengthening",
    "positive": "strengthening",
    "no-change": "no change",
    "nochange": "no change",
    "unchanged": "no change",
    "stable": "no change",
    "same": "no change",
    "unclear": "uncertain",
    "unknown": "uncertain",
}

_IRI_SCHEME_RE = re.compile(r"^(?:https?|urn|ftp|file|mailto|tag):", re.IGNORECASE)
_DASHES_RE = re.compile(r"\s*(?:[-‐‑‒–—―]+|/|\s+and\s+|\s*&\s*)\s*")

_LABEL_PROPS = (
    "rdfs:label skos:prefLabel skos:altLabel skos:hiddenLabel schema:name "
    "cakg:acronym cakg:adjective cakg:demonym"
)
_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

# The needle is bound as a value. A trailing VALUES clause is joined after the WHERE group,
# so a FILTER inside the group could not see it (SPARQL 1.1 Query §18.2.4.3): the lowered
# label is BIND-ed to ?needle instead, and the join with the VALUES row does the comparison.
# The class is one of _KIND_CLASS's own IRIs, written into the pattern rather than bound: a
# trailing VALUES is joined after the group, so a bound ?cls would still scan every label of
# the graph, a cost that grows with the corpus; the labels of one class's members do not.
_LOOKUP_EXACT = (
    _PROLOGUE
    + "SELECT DISTINCT ?x WHERE {\n  %s\n  VALUES ?p { "
    + _LABEL_PROPS
    + " }\n  ?x ?p ?l .\n  FILTER (isLiteral(?l))\n  BIND (LCASE(STR(?l)) AS ?needle)\n}"
    + " ORDER BY ?x"
)
_LABELS = (
    _PROLOGUE
    + "SELECT DISTINCT ?x ?l WHERE {\n  %s\n  VALUES ?p { "
    + _LABEL_PROPS
    + " }\n  ?x ?p ?l .\n  FILTER (isLiteral(?l))\n} ORDER BY ?x"
)
_RELATION_OF = (
    _PROLOGUE
    + "SELECT DISTINCT ?x WHERE { ?x a cakg:BilateralRelation ; "
    + "cakg:relationBetween ?a, ?b . } ORDER BY ?x"
)
_CONCEPT = (
    _PROLOGUE
    + "SELECT DISTINCT ?x WHERE {\n  VALUES ?p { skos:prefLabel rdfs:label skos:altLabel }\n"
    + "  ?x skos:inScheme ?scheme ; ?p ?l .\n  BIND (LCASE(STR(?l)) AS ?needle)\n} ORDER BY ?x"
)
_CLAIM_AT = (
    _PROLOGUE + "SELECT DISTINCT ?x WHERE { ?x a schema:Claim ; schema:position ?n . } ORDER BY ?x"
)


def _as_iri(value: str) -> URIRef | None:
    """An IRI written as <...>, with a scheme, or as a prefixed name of a known prefix."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if _IRI_SCHEME_RE.match(text) and " " not in text:
        return URIRef(text)
    m = re.fullmatch(r"([A-Za-z][\w-]*):([^\s:/][^\s]*)", text)
    if m and m.group(1) in PREFIXES:
        return URIRef(PREFIXES[m.group(1)] + m.group(2))
    return None


def _iris(result: QueryResult, var: str = "x") -> list[URIRef]:
    return [x for row in result.rows if isinstance(x := row.get(var), URIRef)]


def _lookup(store: Store, value: str, cls: URIRef | None) -> list[URIRef]:
    """Entities with a label equal to ``value`` (case-insensitive), else containing it if unique."""
    needle = Literal(value.strip().lower())
    pattern = f"?x a {cls.n3()} ." if cls is not None else ""
    found = _iris(store.query(_LOOKUP_EXACT % pattern, {"needle": needle}))
    if found or len(value.strip()) < 3:
        return found
    # No exact label: accept a unique partial match ("Tyulegenov"), compared here because a
    # CONTAINS filter could not see a VALUES-bound needle.
    labels = store.query(_LABELS % pattern)
    lowered = str(needle)
    partial = sorted(
        {
            x
            for row in labels.rows
            if isinstance(x := row.get("x"), URIRef) and lowered in str(row.get("l", "")).lower()
        }
    )
    return partial if len(partial) == 1 else []


def _one(found: Sequence[URIRef], what: str, value: str) -> URIRef:
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(f"no {what} called {value!r} in the graph (give a label or an IRI)")
    names = ", ".join(f"<{f}>" for f in found[:5])
    raise InputError(f"{value!r} names more than one {what}: {names}; pass the IRI instead")


def _resolve_relation(store: Store, value: str) -> URIRef:
    found = _lookup(store, value, CAKG.BilateralRelation)
    if len(found) == 1:
        return found[0]
    # "Kazakhstan–Kyrgyzstan", "Kazakh-Kyrgyz", "Kazakhstan and Kyrgyzstan": try each split
    # point, so that a state whose own name holds a hyphen (Guinea-Bissau) still resolves.
    text = re.sub(r"\s+relations?$", "", value.strip(), flags=re.IGNORECASE)
    for m in _DASHES_RE.finditer(text):
        left, right = text[: m.start()].strip(), text[m.end() :].strip()
        if not left or not right:
            continue
        a = _lookup(store, left, SCHEMA.Country)
        b = _lookup(store, right, SCHEMA.Country)
        if len(a) == 1 and len(b) == 1:
            rel = _iris(store.query(_RELATION_OF, {"a": a[0], "b": b[0]}))
            if rel:
                return rel[0]
            raise InputError(
                f"no bilateral relation between {left} and {right} in the graph "
                "(the build creates one only where an article discusses it)"
            )
    return _one(found, "bilateral relation", value)


def _resolve_concept(store: Store, kind: str, value: str) -> URIRef:
    scheme, _ = vocabulary.KINDS[kind]
    text = " ".join(value.strip().lower().replace("_", " ").split())
    if kind == "trend":
        text = _TREND_SYNONYMS.get(text, text)
    found = _iris(store.query(_CONCEPT, {"scheme": scheme, "needle": Literal(text)}))
    if len(found) == 1:
        return found[0]
    # Against a store that holds only the data (no ontology graph), the ontology shipped
    # with cakg names the concepts.
    concept = vocabulary.lookup(kind, text)
    if concept is not None:
        return concept.iri
    known = ", ".join(c.label for c in vocabulary.vocabulary(kind))
    raise InputError(f"unknown {kind} {value!r}; one of: {known}")


def resolve_param(store: Store, query: NamedQuery | None, name: str, value: object) -> Node:
    """The RDF term a parameter value stands for: IRIs pass through, labels are looked up.

    A state or organization may be given by label, alternative label or acronym
    ("Kazakhstan", "CSTO"), a person by name, a bilateral relation as
    "Kazakhstan–Kyrgyzstan" or "Kazakhstan-Kyrgyzstan", a trend as "weakening" (or "worsen").

    >>> from cakg.graph.store.engines import OxigraphStore
    >>> str(resolve_param(OxigraphStore(), None, "trend", "worsen"))
    'https://cakg.example.org/ontology#trend-weakening'
    >>> str(resolve_param(OxigraphStore(), None, "state", "<urn:x>"))
    'urn:x'
    """
    if query is not None:
        query.param(name)
    if isinstance(value, URIRef | Literal):
        return value
    if isinstance(value, bool | int | float):
        return Literal(value)
    text = str(value)
    if not text.strip():
        raise InputError(f"parameter {name} is empty")
    kind = PARAM_KINDS.get(name, "any")
    iri = _as_iri(text)
    if iri is not None:
        return iri
    if kind in _CONCEPT_KINDS:
        return _resolve_concept(store, kind, text)
    if kind == "relation":
        return _resolve_relation(store, text)
    if kind == "subject":
        try:
            return _resolve_relation(store, text)
        except InputError:
            return _one(_lookup(store, text, None), "thing", text)
    if kind == "date":
        day = text.strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) or iso_date(day) != day:
            raise InputError(f"parameter {name} takes a day (YYYY-MM-DD), got {text!r}")
        return Literal(day, datatype=XSD.date)
    if kind == "iri":
        if text.strip().isdigit():
            found = _iris(store.query(_CLAIM_AT, {"n": Literal(int(text))}))
            return _one(found, "claim at that position", text)
        raise InputError(f"parameter {name} takes an IRI, got {text!r}")
    cls = _KIND_CLASS.get(kind)
    what = {"person": "person", "template": "question template"}.get(kind, kind)
    return _one(_lookup(store, text, cls), what if kind != "any" else "thing", text)


def resolve_params(
    store: Store, query: NamedQuery, params: Mapping[str, object]
) -> dict[str, Node]:
    """Resolve every given parameter of ``query``; None and empty strings leave it unbound."""
    out: dict[str, Node] = {}
    for name, value in params.items():
        query.param(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        out[name] = resolve_param(store, query, name, value)
    return out


def parse_param_items(items: Iterable[str]) -> dict[str, str]:
    """Parameters written ``KEY=VALUE`` (as ``cakg query --param`` takes them), by key.

    >>> parse_param_items(["trend=weakening", "relation=Kazakhstan=Kyrgyzstan"])
    {'trend': 'weakening', 'relation': 'Kazakhstan=Kyrgyzstan'}
    """
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param takes KEY=VALUE, got {item!r}")
        values[key.strip()] = value
    return values


def inline_params(query: NamedQuery, bindings: Mapping[str, Node]) -> tuple[str, dict[str, Node]]:
    """The query's text with each parameter that has a slot bound there, and the bindings
    left for the trailing VALUES clause.

    A query marks where a parameter belongs with ``VALUES ?name { UNDEF }``: where it is
    compared (a trailing VALUES clause is joined after the query's filters, SPARQL 1.1
    Query §18.2.4.3, so ``before`` would be unbound there), or where the answers are found
    (bound after the whole result was built, ``stance-timeline`` took 18 s at 100 articles;
    bound in its slot 0.02 s). The slot's ``UNDEF`` (no value given) becomes the term,
    written by rdflib (``Node.n3()``) after the same checks as the trailing clause, and a
    date must be a day.

    >>> from cakg.queries.library import query_from_text
    >>> q = query_from_text("SELECT ?before WHERE { VALUES ?before { UNDEF } }")
    >>> text, rest = inline_params(q, {"before": Literal("2024-01-01", datatype=XSD.date)})
    >>> (text.split("{ ")[2], rest)
    ('"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> } }', {})
    >>> inline_params(q, {"other": Literal("x")})
    ('SELECT ?before WHERE {  }', {'other': rdflib.term.Literal('x')})
    """
    text, rest = query.sparql, dict(bindings)
    for name, value in bindings.items():
        slot = re.compile(rf"VALUES\s+\?{re.escape(name)}\s*\{{\s*UNDEF\s*\}}")
        if slot.search(text) is None:
            continue
        if PARAM_KINDS.get(name) == "date" and (
            not isinstance(value, Literal)
            or value.datatype != XSD.date
            or iso_date(str(value)) != str(value)
        ):
            raise InputError(f"parameter {name} takes a day (YYYY-MM-DD), got {str(value)!r}")
        # The same term as the trailing clause would write (checked there, never pasted).
        bound = bound_term(name, value)
        # Every slot of the name: a query may bind it on both sides of a join.
        # (A plain replacement string would read backslashes in the term as escapes.)
        text = slot.sub(_replacement(f"VALUES ?{name} {{ {bound} }}"), text)
        del rest[name]
    # A slot left without a value joins the one empty solution, which changes nothing
    # (SPARQL 1.1 Query §18.2.4.3); it is dropped, since Virtuoso loses the variable from
    # the solutions of a group that holds such a clause.
    return _EMPTY_SLOT.sub("", text), rest


def _replacement(filled: str) -> Callable[[re.Match[str]], str]:
    return lambda _: filled


_EMPTY_SLOT = re.compile(r"VALUES\s+\?[A-Za-z_][A-Za-z0-9_]*\s*\{\s*UNDEF\s*\}")
