"""The graph projected as networks: actors, claims, stances, co-mentions, and ego views.

Node ids are IRIs; node and edge attributes are GraphML-legal (str, int, float, bool), so a
network can be written for Gephi as it is.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
>>> sorted(ego(g, "a", 2))
['a', 'b', 'c']
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any, Literal

import networkx as nx  # type: ignore[import-untyped, unused-ignore]

from cakg.errors import InputError
from cakg.graph.namespaces import slugify
from cakg.graph.store.engines import Store
from cakg.viz.trends import NONE, TREND_SCORE, dominant, trend_counts, trend_keys, trend_labels
from cakg.viz.viewdata import ACTOR_KINDS, ClaimView, NodeInfo, ViewData, fallback_label, select

__all__ = [
    "CERTAINTY_RANK",
    "KINDS",
    "ViewKind",
    "actors",
    "claims",
    "close_names",
    "comentions",
    "did_you_mean",
    "ego",
    "focus_candidates",
    "project",
    "resolve_focus",
    "stances",
    "word_list",
]

ViewKind = Literal["actors", "claims", "stances", "comentions"]
KINDS: tuple[ViewKind, ...] = ("actors", "claims", "stances", "comentions")
# A claim node's size grows with its certainty (tests/test_views.py checks the keys
# against the certainty vocabulary).
CERTAINTY_RANK: dict[str, int] = {"low": 1, "medium": 2, "high": 3}


def _add_entity(g: nx.Graph, ent: NodeInfo, **extra: Any) -> None:
    """Add the node of ``ent`` once; ``extra`` attributes (None aside) update it every time."""
    if ent.iri not in g:
        g.add_node(ent.iri, label=ent.label, name=ent.name, kind=ent.kind, iri=ent.iri)
    if extra:
        g.nodes[ent.iri].update({k: v for k, v in extra.items() if v is not None})


def _actors_named(rec: ClaimView, data: ViewData) -> list[str]:
    """The states and organizations a claim names, a bilateral relation standing for its states."""
    named: set[str] = set()
    for x in rec.named():
        named.update(data.relation_states.get(x, [x]))
    return sorted(x for x in named if data.catalog.entity(x).kind in ACTOR_KINDS)


def actors(store: Store, data: ViewData | None = None) -> nx.MultiDiGraph:
    """States, international organizations, experts and other organizations, and how they link.

    Edges (keyed by relation): ``membership`` state -> organization with its current
    ``role`` (member, observer, suspended, ...), ``nationality`` expert -> state,
    ``affiliation`` expert -> organization, ``mentions`` expert -> state/organization
    weighted by the number of the expert's claims that name it. The states and
    organizations drawn are those the articles involve (named by claims, experts'
    states and affiliations); memberships are drawn among them.
    """
    data = data or ViewData(store)
    cat = data.catalog
    g = nx.MultiDiGraph(kind="actors", title="Actors: states, organizations and experts")
    recs = data.claims
    for row in select(
        store,
        """SELECT ?p ?nat ?aff ?job WHERE { ?p a cakg:Expert .
             OPTIONAL { ?p cakg:nationality ?nat } OPTIONAL { ?p cakg:affiliation ?aff }
             OPTIONAL { ?p cakg:jobTitle ?job } }""",
    ):
        p = row.get("p")
        if p is None:
            continue
        _add_entity(g, cat.entity(p), job_title=row.get("job"))
        for key, rel in (("nat", "nationality"), ("aff", "affiliation")):
            target = row.get(key)
            if target is None:
                continue
            ent = cat.entity(target)
            if rel == "affiliation" and ent.kind not in ACTOR_KINDS:
                ent.kind = "organization"
            _add_entity(g, ent)
            g.add_edge(p, target, key=rel, relation=rel, weight=1)
    named: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    for rec in recs.values():
        if rec.expert is None:
            continue
        for x in _actors_named(rec, data):
            named[(rec.expert, x)].append(rec.trend)
    for (expert, x), trends in sorted(named.items()):
        _add_entity(g, cat.entity(expert))
        _add_entity(g, cat.entity(x))
        g.add_edge(
            expert,
            x,
            key="mentions",
            relation="mentions",
            weight=len(trends),
            **trend_counts(trends),
        )
    for (member, organization), m in sorted(data.memberships.items()):
        if member in g and organization in g:
            g.add_edge(member, organization, key="membership", relation="membership", weight=1, **m)
    by_expert = Counter(r.expert for r in recs.values() if r.expert)
    by_entity: Counter[str] = Counter()
    for (_, x), trends in named.items():
        by_entity[x] += len(trends)
    for n, d in g.nodes(data=True):
        d["claims"] = by_expert[n] if d["kind"] == "expert" else by_entity[n]
    return g


def claims(store: Store, data: ViewData | None = None) -> nx.DiGraph:
    """Experts -> claims -> subjects; a claim node carries its quote, question, offsets, trend.

    Edges: ``claimed`` expert -> claim, ``about`` and ``mentions`` claim -> subject.
    """
    data = data or ViewData(store)
    cat = data.catalog
    titles = data.titles
    g = nx.DiGraph(kind="claims", title="Claims: experts, their claims and what they are about")
    for iri, rec in sorted(data.claims.items(), key=lambda kv: _claim_order(kv[1])):
        attrs: dict[str, Any] = {
            "label": _claim_label(rec),
            "name": rec.text or rec.quote,
            "kind": "claim",
            "iri": iri,
            "text": rec.text,
            "quote": rec.quote or rec.text,
            "question": rec.question,
            "trend": rec.trend or NONE,
            "trend_label": trend_labels()[rec.trend if rec.trend in trend_keys() else NONE],
            "claim_type": rec.claim_type or "",
            "certainty": rec.certainty or "",
            "certainty_rank": CERTAINTY_RANK.get(rec.certainty or "", 0),
            "topics": "; ".join(rec.topics),
            "article": rec.article or "",
            "article_title": titles.get(rec.article or "", ""),
        }
        if rec.start is not None and rec.end is not None:
            attrs["start"], attrs["end"] = rec.start, rec.end
        if rec.ordinal is not None:
            attrs["ordinal"] = rec.ordinal
        if rec.expert:
            ent = cat.entity(rec.expert)
            attrs["expert"] = rec.expert
            attrs["expert_label"] = ent.label
        g.add_node(iri, **attrs)
        if rec.expert:
            _add_entity(g, cat.entity(rec.expert))
            g.add_edge(rec.expert, iri, relation="claimed", weight=1, trend=rec.trend or NONE)
        for rel, targets in (("about", rec.about), ("mentions", rec.mentions)):
            for x in targets:
                _add_entity(g, cat.entity(x))
                g.add_edge(iri, x, relation=rel, weight=1, trend=rec.trend or NONE)
    for n, d in g.nodes(data=True):
        if d["kind"] != "claim":
            d["claims"] = sum(
                1 for _ in (g.successors(n) if d["kind"] == "expert" else g.predecessors(n))
            )
    return g


def _claim_order(rec: ClaimView) -> tuple[str, int, str]:
    return (rec.article or "", rec.ordinal if rec.ordinal is not None else 1 << 30, rec.iri)


def _claim_label(rec: ClaimView) -> str:
    """A short label: 'claim 12'."""
    return f"claim {rec.ordinal}" if rec.ordinal is not None else fallback_label(rec.iri)


def stances(store: Store, data: ViewData | None = None) -> nx.Graph:
    """The expert x subject matrix as a bipartite network; edges carry claim counts per trend.

    A claim's subjects are what it is about (``cakg:about``), or, for a claim about
    nothing in particular, what it mentions. An edge's ``trend`` is the most frequent
    trend of the expert's claims on the subject ('mixed' on a tie), its ``score`` the
    mean direction (strengthening +1, weakening -1, no change and uncertain 0).
    """
    data = data or ViewData(store)
    cat = data.catalog
    g = nx.Graph(kind="stances", title="Stances: experts x subjects, by trend")
    cells: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    for rec in data.claims.values():
        if rec.expert is None:
            continue
        for x in rec.about or rec.mentions:
            cells[(rec.expert, x)].append(rec.trend)
    for (expert, x), trends in sorted(cells.items()):
        _add_entity(g, cat.entity(expert), bipartite=0)
        _add_entity(g, cat.entity(x), bipartite=1)
        counts = Counter(t for t in trends if t)
        scored = [TREND_SCORE[t] for t in trends if t in TREND_SCORE]
        g.add_edge(
            expert,
            x,
            relation="stance",
            weight=len(trends),
            trend=dominant(counts),
            score=round(sum(scored) / len(scored), 3) if scored else 0.0,
            **trend_counts(trends),
        )
    for n in g:
        g.nodes[n]["claims"] = sum(d["weight"] for _, _, d in g.edges(n, data=True))
    return g


def comentions(store: Store, data: ViewData | None = None) -> nx.Graph:
    """States and organizations linked by how many claims name them together.

    A claim names what it is about and what it mentions; a bilateral relation names
    its two states. Node ``claims`` counts the claims naming the node, edge ``weight``
    the claims naming both ends.
    """
    data = data or ViewData(store)
    cat = data.catalog
    g = nx.Graph(kind="comentions", title="Co-mentions: states and organizations named together")
    pairs: dict[tuple[str, str], list[str | None]] = defaultdict(list)
    single: dict[str, list[str | None]] = defaultdict(list)
    experts: dict[str, set[str]] = defaultdict(set)
    for rec in data.claims.values():
        actors_named = _actors_named(rec, data)
        for i, a in enumerate(actors_named):
            single[a].append(rec.trend)
            if rec.expert:
                experts[a].add(rec.expert)
            for b in actors_named[i + 1 :]:
                pairs[(a, b)].append(rec.trend)
    for x, trends in sorted(single.items()):
        _add_entity(g, cat.entity(x), claims=len(trends), experts="; ".join(sorted(experts[x])))
    for (a, b), trends in sorted(pairs.items()):
        g.add_edge(a, b, relation="co-mentioned", weight=len(trends), **trend_counts(trends))
    # Not a GraphML attribute (exports keep scalar graph attributes only): the page's expert filter.
    g.graph["expert_labels"] = {e: cat.entity(e).label for es in experts.values() for e in es}
    return g


_PROJECTIONS = {"actors": actors, "claims": claims, "stances": stances, "comentions": comentions}


def project(store: Store, kind: str, data: ViewData | None = None) -> nx.Graph:
    """The projection named `kind` (actors, claims, stances, comentions)."""
    if kind not in _PROJECTIONS:
        raise InputError(f"unknown view {kind!r}; choose one of {', '.join(KINDS)}")
    result: nx.Graph = _PROJECTIONS[kind](store, data)
    return result


# --- ego views and focus ----------------------------------------------------------------------


def ego(network: nx.Graph, focus_iri: str, depth: int = 1) -> nx.Graph:
    """The neighbourhood of a node up to `depth` hops, edges followed in both directions."""
    if focus_iri not in network:
        raise InputError(f"{focus_iri} is not in the {network.graph.get('kind', '')} network")
    if depth < 0:
        raise InputError("--depth must be 0 or more")
    sub: nx.Graph = nx.ego_graph(network, focus_iri, radius=depth, undirected=True)
    sub.graph = dict(network.graph, focus=focus_iri, depth=depth)
    return sub


def focus_candidates(network: nx.Graph, text: str) -> list[str]:
    """The nodes of the network that an IRI, a label, an acronym or a slug names."""
    if text in network:
        return [text]
    want = text.strip().casefold()
    slug = slugify(text)
    hits: list[str] = []
    for n, d in network.nodes(data=True):
        tail = str(n).rstrip("/").rsplit("/", 1)[-1]
        if want in _names(d) or tail == slug or str(n).endswith("/" + text.strip("/")):
            hits.append(str(n))
    return hits


def _names(d: dict[str, Any]) -> set[str]:
    return {str(d.get(key, "")).casefold() for key in ("label", "name")} - {""}


def close_names(network: nx.Graph, text: str, n: int = 3) -> list[str]:
    """Labels of the network's nodes that look like `text` (for a "did you mean" hint).

    >>> g = nx.Graph()
    >>> g.add_node("https://x.org/id/state/kz", label="Kazakhstan", name="Kazakhstan")
    >>> close_names(g, "Kazakstan"), close_names(g, "CSTO")
    (['Kazakhstan'], [])
    """
    labels: dict[str, str] = {}
    for _, d in network.nodes(data=True):
        if d.get("kind") == "claim":
            continue  # claims are named by their ordinal, never typed as a focus
        for name in _names(d):
            labels.setdefault(name, str(d.get("label") or d.get("name")))
    found = difflib.get_close_matches(text.strip().casefold(), labels, n=n, cutoff=0.75)
    return list(dict.fromkeys(labels[x] for x in found))


def did_you_mean(names: list[str]) -> str:
    """The end of a message about a name not found: the similar names, or what to give.

    >>> did_you_mean(["Kazakhstan", "Kyrgyzstan"]), did_you_mean([])
    ('; did you mean Kazakhstan or Kyrgyzstan?', " (give a node's IRI, label or slug)")
    """
    if not names:
        return " (give a node's IRI, label or slug)"
    return f"; did you mean {word_list(list(dict.fromkeys(names)))}?"


def word_list(words: Sequence[str], last: str = "or") -> str:
    """Words joined for a sentence.

    >>> word_list(["actors"]), word_list(["actors", "claims", "stances"], "and")
    ('actors', 'actors, claims and stances')
    """
    return f"{', '.join(words[:-1])} {last} {words[-1]}" if len(words) > 1 else "".join(words)


def resolve_focus(network: nx.Graph, text: str) -> str:
    """A node of the network named by an IRI, a label, an acronym or a slug.

    A name the network lacks is an error whose hint suggests only names the network holds.

    >>> g = nx.Graph(kind="actors")
    >>> g.add_node("https://x.org/id/org/csto", label="CSTO", name="Collective Security")
    >>> resolve_focus(g, "csto")
    'https://x.org/id/org/csto'
    >>> resolve_focus(g, "CTSO")
    Traceback (most recent call last):
    cakg.errors.InputError: no node 'CTSO' in the actors view; did you mean CSTO?
    """
    hits = focus_candidates(network, text)
    if len(hits) == 1:
        return hits[0]
    if not hits:
        hint = did_you_mean(close_names(network, text))
        raise InputError(f"no node {text!r} in the {network.graph.get('kind', '')} view{hint}")
    raise InputError(f"{text!r} is ambiguous: {', '.join(sorted(hits)[:5])}")
