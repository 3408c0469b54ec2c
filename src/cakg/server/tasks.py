"""What a query worker does: run SPARQL under a row limit, describe entities, search, export.

Everything here runs inside a worker process (see :mod:`cakg.server.workers`) and returns
plain picklable values: bytes, rdflib terms, dicts and lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from cakg.errors import InputError
from cakg.graph.info import TRIPLES, triple_count
from cakg.graph.namespaces import (
    PREFIXES,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    bind_prefixes,
)
from cakg.graph.publish.export import ALL_FORMATS, export_payloads
from cakg.graph.store.dataset import KnowledgeGraph, load_knowledge_graph
from cakg.graph.store.engines import OxigraphStore, QueryResult
from cakg.queries.prefixes import Predeclared
from cakg.server.answers import answer, rdflib_answer, rows
from cakg.server.protocol import Dataset, VettedQuery, vet_query, vet_update
from cakg.server.verdicts import Refused, verdict
from cakg.server.workers import DataSource

__all__ = ["TASKS", "handle", "startup_info"]

_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_LABEL_PROPS = (SKOS.prefLabel, RDFS.label, SCHEMA.name)


# --- entities ------------------------------------------------------------------------------------


def _label(store: OxigraphStore, node: Node) -> str | None:
    if not isinstance(node, URIRef):
        return None
    best: str | None = None
    for prop in _LABEL_PROPS:
        for _, _, o in store.triples(node, prop, None, 20):
            if isinstance(o, Literal):
                if o.language in (None, "en"):
                    return str(o)
                best = best or str(o)
    return best


def _closure(store: OxigraphStore, iri: URIRef, limit: int) -> Graph:
    """The entity's own triples with its blank nodes' descriptions (a concise bounded
    description), the triples that point at it, and the labels of everything linked."""
    g = Graph()
    bind_prefixes(g)
    todo: list[Node] = [iri]
    seen: set[Node] = set()
    while todo and len(g) < limit:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for t in store.triples(subject, None, None, limit):
            g.add(t)
            if isinstance(t[2], BNode):
                todo.append(t[2])
    for t in store.triples(None, None, iri, limit):
        g.add(t)
    linked = {n for t in list(g) for n in (t[0], t[2]) if isinstance(n, URIRef) and n != iri}
    for node in sorted(linked)[:limit]:
        label = _label(store, node)
        if label is not None:
            g.add((node, RDFS.label, Literal(label)))
    return g


# How a claim relates to the entity of a page, in the order the page lists them.
_CLAIM_RELATIONS = (
    ("about", "schema:about"),
    ("mentions", "schema:mentions"),
    ("said by", "schema:author"),
    ("part of", "schema:isPartOf"),
)

_CLAIMS = (
    _PROLOGUE
    + """
SELECT DISTINCT ?claim ?how ?name ?trend ?type ?quote ?start ?end WHERE {
  ?claim a schema:Claim .
  """
    + "\n  UNION ".join(
        f'{{ ?claim {p} ?entity . BIND ("{how}" AS ?how) }}' for how, p in _CLAIM_RELATIONS
    )
    + """
  OPTIONAL { ?claim schema:author ?expert . ?expert schema:name ?name }
  OPTIONAL { ?claim cakg:hasTrend ?tr . ?tr skos:prefLabel ?trend }
  OPTIONAL { ?claim cakg:hasClaimType ?ty . ?ty skos:prefLabel ?type }
  OPTIONAL {
    ?claim prov:wasDerivedFrom ?evidence .
    ?evidence oa:hasSelector ?qs, ?ps .
    ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
    ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  }
}
ORDER BY ?start ?claim
LIMIT 300
"""
)


def _one_row_per_claim(rows: Iterable[Mapping[str, Node]]) -> list[dict[str, Any]]:
    """The claims in first-seen order, each once, with every way it relates (``how``: a list).

    A claim both about and mentioning a state comes back from the UNION twice.
    """
    order = [how for how, _ in _CLAIM_RELATIONS]
    claims: dict[str, dict[str, Any]] = {}
    for row in rows:
        plain = {k: str(v) for k, v in row.items()}
        claim = claims.setdefault(plain["claim"], {**plain, "how": []})
        if plain["how"] not in claim["how"]:
            claim["how"] = sorted([*claim["how"], plain["how"]], key=order.index)
    return list(claims.values())


_EVIDENCE = (
    _PROLOGUE
    + """
SELECT DISTINCT ?source ?prefix ?exact ?suffix ?start ?end WHERE {
  ?entity prov:wasDerivedFrom|cakg:hasEvidence ?evidence .
  ?evidence oa:hasSource ?source ; oa:hasSelector ?qs, ?ps .
  ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?qs oa:prefix ?prefix }
  OPTIONAL { ?qs oa:suffix ?suffix }
  ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}
"""
)


def _plain(node: Node, labels: Mapping[Node, str | None]) -> dict[str, Any]:
    """A term for a template: kind, value, label, language, datatype."""
    if isinstance(node, URIRef):
        return {"kind": "iri", "value": str(node), "label": labels.get(node)}
    if isinstance(node, BNode):
        return {"kind": "bnode", "value": str(node), "label": None}
    assert isinstance(node, Literal)
    return {
        "kind": "literal",
        "value": str(node),
        "lang": node.language,
        "datatype": str(node.datatype) if node.datatype else None,
    }


def describe(store: OxigraphStore, iri: str, limit: int = 2000) -> dict[str, Any]:
    """Everything an entity page shows: labels, types, links out and in, claims, evidence."""
    node = URIRef(iri)
    outgoing = store.triples(node, None, None, limit)
    incoming = store.triples(None, None, node, limit)
    if not outgoing and not incoming:
        return {"iri": iri, "exists": False}
    labels: dict[Node, str | None] = {}
    for t in outgoing + incoming:
        for n in t:
            if isinstance(n, URIRef) and n not in labels:
                labels[n] = _label(store, n)
    # Blank nodes (membership intervals and instants) are shown inline, one level down.
    blank: dict[str, list[dict[str, Any]]] = {}
    for _, _, o in outgoing:
        if isinstance(o, BNode):
            rows = []
            for _, p2, o2 in store.triples(o, None, None, 50):
                inner = _plain(o2, labels)
                if isinstance(o2, BNode):
                    inner["children"] = [
                        {"p": _plain(p3, labels), "o": _plain(o3, labels)}
                        for _, p3, o3 in store.triples(o2, None, None, 50)
                    ]
                rows.append({"p": _plain(p2, labels), "o": inner})
            blank[str(o)] = rows
    claims = store.query(_CLAIMS, {"entity": node}).rows
    evidence = store.query(_EVIDENCE, {"entity": node}).rows
    types = [o for _, p, o in outgoing if p == RDF.type]
    names = [
        {"p": _plain(p, labels), "o": _plain(o, labels)}
        for _, p, o in outgoing
        if p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SCHEMA.name)
    ]
    text = next(
        (str(o) for _, p, o in outgoing if p in (SCHEMA.headline, SCHEMA.text, SCHEMA.name)), None
    )
    return {
        "iri": iri,
        "exists": True,
        "label": _label(store, node),
        "text": text,
        "names": names,
        "types": [_plain(t, labels) for t in types],
        "out": [
            {"p": _plain(p, labels), "o": _plain(o, labels)}
            for _, p, o in sorted(outgoing, key=lambda t: (str(t[1]), str(t[2])))
            if p != RDF.type
        ],
        "in": [
            {"s": _plain(s, labels), "p": _plain(p, labels)}
            for s, p, _ in sorted(incoming, key=lambda t: (str(t[1]), str(t[0])))
        ],
        "blank": blank,
        "claims": _one_row_per_claim(claims),
        "evidence": [{k: str(v) for k, v in r.items()} for r in evidence],
    }


# --- search --------------------------------------------------------------------------------------

_SEARCH = (
    _PROLOGUE
    + """
SELECT ?x ?label ?type WHERE {
  VALUES ?p { rdfs:label skos:prefLabel skos:altLabel schema:name cakg:acronym }
  ?x ?p ?label .
  FILTER (isIRI(?x) && isLiteral(?label))
  OPTIONAL { ?x a ?type }
}
"""
)


def search(store: OxigraphStore, text: str, limit: int) -> list[dict[str, str]]:
    """Entities whose label contains the text (case-insensitive), exact and prefix matches first."""
    needle = text.strip().lower()
    if not needle:
        return []
    found: dict[str, dict[str, Any]] = {}
    for row in store.query(_SEARCH).rows:
        label = str(row["label"])
        low = label.lower()
        if needle not in low:
            continue
        iri = str(row["x"])
        rank = 0 if low == needle else 1 if low.startswith(needle) else 2
        hit = found.setdefault(iri, {"iri": iri, "label": label, "rank": rank, "types": set()})
        if rank < hit["rank"]:
            hit.update(label=label, rank=rank)
        if "type" in row:
            hit["types"].add(str(row["type"]))
    hits = sorted(found.values(), key=lambda h: (h["rank"], len(h["label"]), h["label"]))
    return [
        {"iri": h["iri"], "label": h["label"], "types": ", ".join(sorted(h["types"]))}
        for h in hits[:limit]
    ]


# --- exports, views ------------------------------------------------------------------------------


def export(
    store: OxigraphStore, paths: Sequence[str], base: str, dump_base: str, endpoint: str
) -> dict[str, bytes]:
    """Every file of ``cakg export --format all``, by its code, with this server's URLs in VoID.

    Written from the built files while the data is as built: a store keeps numbers as values
    (Oxigraph reads ``"0812"^^xsd:nonNegativeInteger`` back as ``"812"^^xsd:integer``), so
    only the files give the exported bytes. After an update, or from an on-disk store
    (``paths`` empty), what the store holds is the data.
    """
    if paths:
        kg = load_knowledge_graph(list(paths))
    else:
        kg = KnowledgeGraph()
        for name in store.graph_names():
            kg.graphs[name] = store.graph(name)
    kg.base = base
    try:
        return export_payloads(kg, ["all"], dump_base=dump_base, endpoint=endpoint)
    except InputError:
        # Its ontology graph has no owl:Ontology header (data built elsewhere): `cakg export`
        # refuses `all` then, but the data formats and their VoID can still be served.
        return export_payloads(kg, [*ALL_FORMATS, "void"], dump_base=dump_base, endpoint=endpoint)


def render_view(store: OxigraphStore, kind: str, focus: str | None, depth: int) -> str:
    """One interactive network view (cakg.viz) as a self-contained HTML page."""
    from cakg.viz import analytics, build_network
    from cakg.viz.html import render_html

    g = build_network(store, kind, focus, depth)
    return render_html(g, analytics(g))


# --- dispatch ------------------------------------------------------------------------------------


def startup_info(store: OxigraphStore, source: DataSource) -> dict[str, Any]:
    """What the server needs to know about the data: graph names and the base IRI."""
    names = [str(n) for n in store.graph_names()]
    base = source.base
    if base is None:
        for name in names:
            if "/graph/" in name:
                base = name.split("/graph/")[0] + "/"
                break
    return {"graphs": names, "base": base}


def _counts(store: OxigraphStore) -> dict[str, int]:
    text = (
        _PROLOGUE
        + """
SELECT
  (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?expert) AS ?experts)
  (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?relation) AS ?relations)
WHERE {
  { ?article a schema:Article } UNION { ?a a schema:Answer ; schema:author ?expert }
  UNION { ?claim a schema:Claim } UNION { ?relation a cakg:BilateralRelation }
}"""
    )
    row = store.query(text).rows[0]
    counts = {k: int(str(v)) for k, v in row.items()}
    counts[TRIPLES] = triple_count(store)
    return counts


def _named(
    store: OxigraphStore,
    name: str,
    params: Mapping[str, str],
    max_rows: int,
    limit: int | None = None,
    offset: int | None = None,
) -> dict[str, Any]:
    from cakg.queries import load_query, paged, resolve_params
    from cakg.queries.params import inline_params

    nq = load_query(name)
    bindings = resolve_params(store, nq, params)
    text, rest = inline_params(nq, bindings)
    result, truncated = store.query_capped(paged(text, limit, offset), max_rows, rest)
    return {"result": result, "truncated": truncated, "bindings": bindings}


def _describe_rdf(store: OxigraphStore, iri: str, fmt: str) -> bytes | None:
    """An entity's description as an RDF document, or None when the graph says nothing."""
    g = _closure(store, URIRef(iri), 5000)
    if len(g) == 0:
        return None
    return QueryResult("CONSTRUCT", graph=g).serialize(fmt)


def _update(store: OxigraphStore, text: str) -> None:
    store.update(text)


def _vet(store: OxigraphStore, text: str, base: str | None) -> VettedQuery | Refused:
    """A query's verdict (see :mod:`cakg.server.verdicts`); the store is not read."""
    return verdict(vet_query, text, base)


def _vet_update(
    store: OxigraphStore, text: str, base: str | None, using: Dataset | None
) -> Predeclared | Refused:
    """An update's verdict: the text to run, or the refusal; the store is not read."""
    return verdict(vet_update, text, base, using)


def _suggestions(store: OxigraphStore, kinds: Iterable[str]) -> dict[str, list[str]]:
    """Labels to offer in a parameter's input (datalist), per parameter kind."""
    patterns = {
        "state": "?x a schema:Country ; rdfs:label ?l . FILTER EXISTS { ?s schema:mentions ?x }",
        "organization": "?x a schema:Organization ; cakg:acronym|rdfs:label ?l .",
        "person": "?x a schema:Person ; schema:name ?l .",
        "relation": "?x a cakg:BilateralRelation ; rdfs:label ?label . "
        'BIND (REPLACE(STR(?label), " relations$", "") AS ?l)',
        "trend": "?x skos:inScheme cakg:TrendScheme ; skos:prefLabel ?l .",
        "topic": "?x skos:inScheme cakg:TopicScheme ; skos:prefLabel ?l .",
        "template": "?x a cakg:QuestionTemplate ; rdfs:label ?l .",
        "subject": "?q a schema:Question ; schema:about ?x . ?x rdfs:label ?label . "
        'BIND (REPLACE(STR(?label), " relations$", "") AS ?l)',
    }
    out: dict[str, list[str]] = {}
    for kind in kinds:
        if kind not in patterns:
            continue
        rows = store.query(
            f"{_PROLOGUE}SELECT DISTINCT ?l WHERE {{ {patterns[kind]} }} ORDER BY ?l"
        )
        out[kind] = [str(r["l"]) for r in rows.rows if "l" in r][:500]
    return out


# A task is a tuple (kind, *args): the kind names the function, the args follow the store.
TASKS: dict[str, Callable[..., Any]] = {
    "sparql": rdflib_answer,
    "answer": answer,
    "rows": rows,
    "named": _named,
    "describe": describe,
    "describe_rdf": _describe_rdf,
    "search": search,
    "counts": _counts,
    "suggest": _suggestions,
    "export": export,
    "view": render_view,
    "update": _update,
    "vet": _vet,
    "vet_update": _vet_update,
}


def handle(store: OxigraphStore, task: tuple[Any, ...]) -> Any:
    """Run one task in the worker."""
    kind, *args = task
    if kind not in TASKS:
        raise InputError(f"unknown task {kind!r}")
    return TASKS[kind](store, *args)
