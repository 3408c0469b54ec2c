"""Named SPARQL queries (package data) and the functions that run them.

Each ``<name>.rq`` file opens with a comment header that says what it answers::

    # title: Experts who expect a bilateral relation to take a given trend
    # description: Which experts expect the relation between two states to ...
    # param relation: a bilateral relation (label like "Kazakhstan–Kyrgyzstan", or IRI); optional
    # param trend: strengthening | weakening | no change | uncertain; optional
    # example: cakg query experts-expecting-trend --param relation=Kazakhstan-Kyrgyzstan

Parameters are bound as values, never pasted into the query text: :func:`resolve_param`
turns what a person types (a label, an acronym, ``"Kazakhstan–Kyrgyzstan"``, ``"weakening"``
or an IRI) into an RDF term, and the store appends it as a trailing ``VALUES`` clause.
Because that clause is joined after grouping (SPARQL 1.1 Query §18.2.4.3), every parameter
is a projected variable bound by a required pattern of its query (checked by the tests).

From a notebook (``rows`` is a :class:`~cakg.graph.store.engines.QueryResult`)::

    import cakg.queries
    kg = cakg.queries.open("out/kg.trig")
    rows = kg.query("experts-expecting-trend", relation="Kazakhstan–Kyrgyzstan", trend="weakening")
    sorted({str(r["name"]) for r in rows.rows})   # ['Medet Tyulegenov']
    df = rows.to_dataframe()

>>> "experts-expecting-trend" in [nq.name for nq in list_queries()]
True
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph.namespaces import CAKG, PREFIXES, SCHEMA, graph_base, slugify
from cakg.graph.store.engines import QueryResult, Store, open_store, query_kind

__all__ = [
    "Graph",
    "NamedQuery",
    "Param",
    "format_term",
    "label_columns",
    "list_queries",
    "load_query",
    "open",
    "parse_header",
    "resolve_param",
    "run_query",
    "serialize_result",
    "table_columns",
]


@dataclass(frozen=True)
class Param:
    """One parameter of a named query, as its header declares it."""

    name: str
    description: str
    optional: bool = True

    @property
    def kind(self) -> str:
        """What the value names (state, organization, relation, trend, ...), from the name."""
        return PARAM_KINDS.get(self.name, "any")


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library: its name, header fields and SPARQL text."""

    name: str
    title: str
    description: str
    sparql: str
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """SELECT, ASK or CONSTRUCT (DESCRIBE counts as CONSTRUCT)."""
        return query_kind(self.sparql)

    @property
    def is_violation(self) -> bool:
        """A consistency check: it must return no rows (``*-violation.rq``)."""
        return self.name.endswith("-violation")

    def param(self, name: str) -> Param:
        """The parameter called ``name``; an InputError names the ones that exist."""
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise InputError(f"query {self.name} has no parameter {name!r} (parameters: {known})")


# What each parameter name refers to. A query's parameter is a variable of the same name.
PARAM_KINDS: dict[str, str] = {
    "state": "state",
    "country": "state",
    "neighbour": "state",
    "other": "state",
    "organization": "organization",
    "expert": "person",
    "person": "person",
    "relation": "relation",
    "trend": "trend",
    "type": "type",
    "certainty": "certainty",
    "topic": "topic",
    "template": "template",
    "claim": "iri",
    "statement": "iri",
    "article": "article",
    "subject": "subject",
}

# The class a looked-up label must belong to, per kind (standard vocabulary where one exists).
_KIND_CLASS: dict[str, URIRef] = {
    "state": SCHEMA.Country,
    "organization": SCHEMA.Organization,
    "person": SCHEMA.Person,
    "relation": CAKG.BilateralRelation,
    "template": CAKG.QuestionTemplate,
    "article": SCHEMA.Article,
}

# Concept parameters: SKOS scheme, IRI prefix of its concepts, and the concepts model.md fixes
# (used when the ontology graph is not loaded, e.g. against a store holding only the data).
_SCHEMES: dict[str, tuple[URIRef, str, tuple[str, ...]]] = {
    "trend": (CAKG.TrendScheme, "trend-", ("strengthening", "weakening", "no change", "uncertain")),
    "type": (
        CAKG.ClaimTypeScheme,
        "type-",
        ("prediction", "assessment", "recommendation", "observation"),
    ),
    "certainty": (CAKG.CertaintyScheme, "certainty-", ("high", "medium", "low")),
    "topic": (
        CAKG.TopicScheme,
        "topic-",
        (
            "security",
            "economy",
            "ecology",
            "geopolitics",
            "domestic politics",
            "extremism terrorism",
            "integration",
            "military",
            "public opinion",
            "diplomacy",
            "human rights",
            "succession",
        ),
    ),
}

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

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_HEADER_RE = re.compile(r"^#\s*(title|description|param|example)\b\s*([A-Za-z_][\w]*)?\s*:\s?(.*)$")
_IRI_SCHEME_RE = re.compile(r"^(?:https?|urn|ftp|file|mailto|tag):", re.IGNORECASE)
_DASHES_RE = re.compile(r"\s*(?:[-‐‑‒–—―]+|/|\s+and\s+|\s*&\s*)\s*")


def parse_header(name: str, text: str) -> NamedQuery:
    """Read the comment header of a query file into a NamedQuery.

    >>> text = ("# title: T\\n# description: D\\n#   more\\n# param state: a state; optional\\n"
    ...         "# example: cakg query x\\nSELECT * {}")
    >>> nq = parse_header("x", text)
    >>> (nq.title, nq.description, nq.params[0].name, nq.params[0].optional, nq.examples)
    ('T', 'D more', 'state', True, ('cakg query x',))
    """
    title = ""
    description: list[str] = []
    params: list[Param] = []
    examples: list[str] = []
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER_RE.match(stripped)
        if m:
            key, arg, value = m.group(1), m.group(2), m.group(3).strip()
            last = key
            if key == "title":
                title = value
            elif key == "description":
                description = [value]
            elif key == "example":
                examples.append(value)
            elif key == "param" and arg:
                optional = bool(re.search(r";\s*optional\s*$", value))
                desc = re.sub(r";\s*(optional|required)\s*$", "", value)
                params.append(Param(arg, desc, optional))
            continue
        # A continuation line ("#   more words") extends the field above it.
        more = stripped.lstrip("#").strip()
        if not more:
            continue
        if last == "description":
            description.append(more)
        elif last == "title":
            title = f"{title} {more}"
        elif last == "param" and params:
            p = params[-1]
            params[-1] = Param(p.name, f"{p.description} {more}", p.optional)
        elif last == "example" and examples:
            examples[-1] = f"{examples[-1]} {more}"
    return NamedQuery(
        name=name,
        title=title or name,
        description=" ".join(description),
        sparql=text,
        params=tuple(params),
        examples=tuple(examples),
    )


@cache
def _library() -> dict[str, NamedQuery]:
    out: dict[str, NamedQuery] = {}
    for entry in resources.files(__name__).iterdir():
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = parse_header(name, entry.read_text(encoding="utf-8"))
    return dict(sorted(out.items()))


def list_queries() -> list[NamedQuery]:
    """Every named query of the library, by name."""
    return list(_library().values())


def load_query(name: str) -> NamedQuery:
    """The named query ``name`` (with or without ``.rq``); an InputError suggests close names."""
    key = name[: -len(".rq")] if name.endswith(".rq") else name
    lib = _library()
    if key in lib:
        return lib[key]
    close = difflib.get_close_matches(key, list(lib), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `cakg queries`"
    raise InputError(f"no named query {name!r}{hint}")


def query_from_file(path: Path) -> NamedQuery:
    """A query read from a .rq file (its header, if any, describes its parameters)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the query: {exc.strerror or exc}", path=path) from None
    except UnicodeDecodeError:
        raise InputError("the query file is not UTF-8 text", path=path) from None
    return parse_header(path.stem, text)


# --- resolving parameters ------------------------------------------------------------------


_LABEL_PROPS = (
    "rdfs:label skos:prefLabel skos:altLabel skos:hiddenLabel schema:name "
    "cakg:acronym cakg:adjective cakg:demonym"
)
_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

# The needle is bound as a value. A trailing VALUES clause is joined after the WHERE group,
# so a FILTER inside the group could not see it (SPARQL 1.1 Query §18.2.4.3): the lowered
# label is BIND-ed to ?needle instead, and the join with the VALUES row does the comparison.
_LOOKUP_EXACT = (
    _PROLOGUE
    + "SELECT DISTINCT ?x WHERE {\n  VALUES ?p { "
    + _LABEL_PROPS
    + " }\n  ?x ?p ?l .\n  FILTER (isLiteral(?l))\n  BIND (LCASE(STR(?l)) AS ?needle)\n  %s\n}"
    + " ORDER BY ?x"
)
_LABELS = (
    _PROLOGUE
    + "SELECT DISTINCT ?x ?l WHERE {\n  VALUES ?p { "
    + _LABEL_PROPS
    + " }\n  ?x ?p ?l .\n  FILTER (isLiteral(?l))\n  %s\n} ORDER BY ?x"
)
_CLASS_PATTERN = "?x a ?cls ."
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
    pattern = _CLASS_PATTERN if cls is not None else ""
    bindings: dict[str, Node] = {"needle": needle}
    if cls is not None:
        bindings["cls"] = cls
    found = _iris(store.query(_LOOKUP_EXACT % pattern, bindings))
    if found or len(value.strip()) < 3:
        return found
    # No exact label: accept a unique partial match ("Tyulegenov"), compared here because a
    # CONTAINS filter could not see a VALUES-bound needle.
    labels = store.query(_LABELS % pattern, {"cls": cls} if cls is not None else None)
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
    scheme, prefix, known = _SCHEMES[kind]
    text = " ".join(value.strip().lower().replace("_", " ").split())
    if kind == "trend":
        text = _TREND_SYNONYMS.get(text, text)
    found = _iris(store.query(_CONCEPT, {"scheme": scheme, "needle": Literal(text)}))
    if len(found) == 1:
        return found[0]
    norm = text.replace(" and ", " ")
    if norm in known:
        return CAKG[prefix + slugify(norm)]
    raise InputError(f"unknown {kind} {value!r}; one of: {', '.join(known)}")


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
    if kind in _SCHEMES:
        return _resolve_concept(store, kind, text)
    if kind == "relation":
        return _resolve_relation(store, text)
    if kind == "subject":
        try:
            return _resolve_relation(store, text)
        except InputError:
            return _one(_lookup(store, text, None), "thing", text)
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


def run_query(store: Store, name: str | NamedQuery, **params: object) -> QueryResult:
    """Run a named query with keyword parameters (labels, acronyms or IRIs)."""
    query = name if isinstance(name, NamedQuery) else load_query(name)
    return store.query(query.sparql, resolve_params(store, query, params))


# --- showing terms -------------------------------------------------------------------------


def format_term(term: Node | None, base: str | None = None) -> str:
    """A term as a person reads it: literal text, or an IRI shortened by a prefix or the base.

    >>> format_term(URIRef("http://schema.org/Claim")), format_term(Literal("5", datatype=None))
    ('schema:Claim', '5')
    >>> format_term(URIRef("https://kg.example/id/state/kazakhstan"), base="https://kg.example/id/")
    'state/kazakhstan'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        if base and text.startswith(base) and len(text) > len(base):
            return text[len(base) :]
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns) and re.fullmatch(r"[\w.-]*", text[len(ns) :]):
                return f"{prefix}:{text[len(ns) :]}"
        return text
    return str(term)


# Label columns that name an IRI column without the ``...Label`` suffix.
_NAME_OF = {"name": "expert", "name1": "expert1", "name2": "expert2", "question": "template"}


def label_columns(variables: Sequence[str]) -> dict[str, str]:
    """Which column labels which IRI column: ``{"relationLabel": "relation", "name": "expert"}``.

    >>> label_columns(["relation", "relationLabel", "expert", "name", "trend"])
    {'relationLabel': 'relation', 'name': 'expert'}
    """
    names = set(variables)
    out: dict[str, str] = {}
    for v in variables:
        iri = v[: -len("Label")] if v.endswith("Label") else _NAME_OF.get(v)
        if iri and iri in names:
            out[v] = iri
    return out


def table_columns(variables: Sequence[str]) -> list[str]:
    """The columns worth showing in a terminal: ``x`` is left out where ``xLabel`` says it.

    >>> table_columns(["relation", "relationLabel", "expert", "name", "start"])
    ['relationLabel', 'name', 'start']
    """
    hidden = set(label_columns(variables).values())
    return [v for v in variables if v not in hidden]


def data_base(store: Store) -> str | None:
    """The base IRI the data was minted under, read from its graph names (``<base>graph/…``)."""
    try:
        names = store.graph_names()
    except Exception:  # a remote store may not list graphs; the display just stays longer
        return None
    return next((b for name in names if (b := graph_base(str(name)))), None)


# --- results as text -----------------------------------------------------------------------------


def serialize_result(result: QueryResult, fmt: str) -> bytes:
    r"""A result in a W3C format: json, xml, csv, tsv for rows; ttl, jsonld, nt, rdfxml for graphs.

    >>> r = QueryResult("SELECT", vars=["x"], rows=[{"x": Literal("a\tb", lang="en")}])
    >>> serialize_result(r, "tsv")
    b'?x\n"a\\tb"@en\n'
    """
    return result.serialize(fmt)


# --- notebook facade -----------------------------------------------------------------------


@dataclass
class Graph:
    """A built graph (or any store) to run named queries on, from Python or a notebook."""

    store: Store
    _resolved: dict[tuple[str, str], Node] = field(default_factory=dict, repr=False)

    def query(self, name: str, **params: object) -> QueryResult:
        """Run the named query ``name`` with keyword parameters; ``.rows`` / ``.to_dataframe()``."""
        return run_query(self.store, name, **params)

    def dataframe(self, name: str, **params: object) -> Any:
        """The rows of a named query as a pandas DataFrame."""
        return self.query(name, **params).to_dataframe()

    def sparql(self, text: str, **bindings: object) -> QueryResult:
        """Run any SPARQL text; keyword values (terms, IRIs or labels) are bound as VALUES."""
        nq = NamedQuery("sparql", "", "", text, tuple(Param(k, "") for k in bindings))
        return self.store.query(text, resolve_params(self.store, nq, bindings))

    def resolve(self, name: str, value: str) -> Node:
        """The term a value stands for: ``resolve("relation", "Kazakhstan-Kyrgyzstan")``."""
        key = (name, value)
        if key not in self._resolved:
            self._resolved[key] = resolve_param(self.store, None, name, value)
        return self._resolved[key]

    @staticmethod
    def queries() -> list[NamedQuery]:
        """The named queries of the library."""
        return list_queries()

    def violations(self) -> dict[str, QueryResult]:
        """Every ``*-violation`` query that returns rows, by name (empty when consistent)."""
        out: dict[str, QueryResult] = {}
        for nq in list_queries():
            if nq.is_violation:
                result = run_query(self.store, nq)
                if result.rows:
                    out[nq.name] = result
        return out


def open(  # cakg.queries.open(path) reads like builtins.open on purpose
    source: str | Path | Sequence[str | Path] | Store | None = None,
    *,
    endpoint: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> Graph:
    """Open a built graph (default ``out/kg.trig``), a store, or a remote SPARQL endpoint."""
    if endpoint is not None:
        from cakg.graph.store.remote import RemoteStore

        return Graph(RemoteStore(endpoint, user=user, password=password))
    if source is None:
        source = Path("out") / "kg.trig"
    if isinstance(source, str | Path):
        return Graph(open_store(source))
    if isinstance(source, Store):
        return Graph(source)
    paths: Iterable[str | Path] = source
    return Graph(open_store(list(paths)))
