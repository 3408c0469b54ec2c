"""The drawable core of a network too large to show whole: hubs, their neighbours, heavy edges.

The page and the figures both draw ``cap(g, ...)``; the GraphML and GEXF exports always
hold the whole network.

>>> import networkx as nx
>>> from cakg.viz.analytics import analytics
>>> g = nx.star_graph(5)
>>> shown, banner = cap(g, analytics(g), max_nodes=3)
>>> sorted(shown), banner.startswith("Large network (6 nodes, 5 edges)")
([0, 1, 2], True)
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable
from typing import Any

import networkx as nx  # type: ignore[import-untyped, unused-ignore]

from cakg.viz.analytics import Analytics

__all__ = ["MAX_EDGES", "MAX_NODES", "cap", "core_nodes", "edges_with_data"]

# Views above this many nodes show the best-connected ones (and say so in a banner).
MAX_NODES = 1500
MAX_EDGES = 8000
STRUCTURAL_RELATIONS = frozenset(
    {"membership", "nationality", "affiliation", "claimed", "about", "mentions-claim"}
)


def edges_with_data(g: nx.Graph) -> list[tuple[Hashable, Hashable, dict[str, Any]]]:
    """Every edge as (u, v, attributes), one per parallel edge of a multigraph."""
    if g.is_multigraph():
        return [(u, v, d) for u, v, _, d in g.edges(keys=True, data=True)]
    return list(g.edges(data=True))


def core_nodes(
    g: nx.Graph, stats: Analytics, max_nodes: int, start: Hashable | None = None
) -> set[Hashable]:
    """Up to max_nodes nodes grown best-first from the hubs: always the most central node
    next to what is already kept, so the kept part stays connected around its hubs.

    (The plain top-by-degree nodes of a claims network are experts and subjects, which
    link only through claims: an induced subgraph of them would have no edges.)

    >>> from cakg.viz.analytics import analytics
    >>> g = nx.star_graph(5)
    >>> sorted(core_nodes(g, analytics(g), 3))
    [0, 1, 2]
    """
    degree = stats["degree"]

    def rank(x: Hashable) -> tuple[float, str]:
        return (-degree.get(str(x), 0.0), str(x))

    seeds = iter(sorted(g, key=rank))
    keep: set[Hashable] = set()
    heap: list[tuple[float, str, int, Hashable]] = []
    tie = 0
    if start is not None and start in g:
        heap.append((*rank(start), tie, start))
    while len(keep) < max_nodes:
        if not heap:
            seed = next((x for x in seeds if x not in keep), None)
            if seed is None:
                break
            heap.append((*rank(seed), tie, seed))
        *_, x = heapq.heappop(heap)
        if x in keep:
            continue
        keep.add(x)
        for y in nx.all_neighbors(g, x) if g.is_directed() else g.neighbors(x):
            if y not in keep:
                tie += 1
                heapq.heappush(heap, (*rank(y), tie, y))
    return keep


def cap(
    g: nx.Graph, stats: Analytics, max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES
) -> tuple[nx.Graph, str]:
    """The core of a network too large to draw, and a banner saying so.

    Nodes are grown best-first from the hubs (:func:`core_nodes`, from the focus in an
    ego view); edges among the kept nodes beyond ``max_edges`` are dropped lightest first.
    """
    total_n, total_e = g.number_of_nodes(), g.number_of_edges()
    sub = g
    notes = []
    if total_n > max_nodes:
        focus = g.graph.get("focus")
        keep = core_nodes(g, stats, max_nodes, start=focus)
        sub = g.subgraph(keep).copy()
        notes.append(f"the {sub.number_of_nodes():,} nodes around its hubs, of {total_n:,}")
    if sub.number_of_edges() > max_edges:
        sub = sub.copy()
        # Structural edges (memberships, nationality, a claim's expert and subjects) stay;
        # the lightest counted ones (mentions, co-mentions, stances) go first.
        ranked = sorted(
            sub.edges(keys=True, data=True) if sub.is_multigraph() else sub.edges(data=True),
            key=lambda e: (
                e[-1].get("relation") in STRUCTURAL_RELATIONS,
                float(e[-1].get("weight", 1) or 1),
            ),
        )
        drop = ranked[: sub.number_of_edges() - max_edges]
        sub.remove_edges_from([e[:-1] for e in drop])
        notes.append(f"the {max_edges:,} heaviest of their edges")
    if not notes:
        return g, ""
    banner = (
        f"Large network ({total_n:,} nodes, {total_e:,} edges): showing "
        + " and ".join(notes)
        + ". Use `cakg view --focus ENTITY --depth N` for any node's full neighbourhood; "
        "the GraphML and GEXF exports hold the whole network."
    )
    return sub, banner
