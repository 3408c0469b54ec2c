"""Centralities and communities of a view's network, computed with networkx.

>>> import networkx as nx
>>> stats = analytics(nx.Graph([("a", "b"), ("b", "c"), ("c", "d")]))
>>> round(stats["betweenness"]["b"], 3)
0.667
"""

from __future__ import annotations

import math
from typing import TypedDict

import networkx as nx  # type: ignore[import-untyped, unused-ignore]

__all__ = ["Analytics", "analytics", "betweenness_samples", "simple_undirected", "top_nodes"]


class Analytics(TypedDict):
    """Centralities and communities of one network (node id -> value)."""

    degree: dict[str, float]
    strength: dict[str, float]
    betweenness: dict[str, float]
    community: dict[str, int]
    communities: list[list[str]]
    modularity: float
    approximate: bool
    betweenness_samples: int


def simple_undirected(g: nx.Graph) -> nx.Graph:
    """The network as a simple undirected graph whose edge weights add up parallel edges."""
    out = nx.Graph()
    out.add_nodes_from(g.nodes)
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        w = float(d.get("weight", 1) or 1)
        if out.has_edge(u, v):
            out[u][v]["weight"] += w
        else:
            out.add_edge(u, v, weight=w)
    return out


# Betweenness costs one breadth-first search per source node; past this many visited
# adjacency entries in total, it is estimated from a sample of sources (seeded, so stable).
BETWEENNESS_BUDGET = 1_500_000
BETWEENNESS_MIN_SAMPLES = 8


def betweenness_samples(n: int, m: int, budget: int = BETWEENNESS_BUDGET) -> int:
    """How many source nodes betweenness uses: all of them (exact) when the budget allows.

    >>> betweenness_samples(150, 300)
    150
    >>> betweenness_samples(100_000, 300_000)
    8
    """
    per_source = n + 2 * m
    return max(min(n, BETWEENNESS_MIN_SAMPLES), min(n, budget // max(per_source, 1)))


def analytics(g: nx.Graph, seed: int = 42) -> Analytics:
    """Degree and betweenness centrality and Louvain communities (fixed seed, so stable).

    Betweenness is exact up to ``BETWEENNESS_BUDGET``, estimated from a seeded sample of
    source nodes beyond (``approximate`` true, ``betweenness_samples`` says how many).
    """
    s = simple_undirected(g)
    n = s.number_of_nodes()
    if n == 0:
        return Analytics(
            degree={},
            strength={},
            betweenness={},
            community={},
            communities=[],
            modularity=0.0,
            approximate=False,
            betweenness_samples=0,
        )
    degree = (
        {str(k): float(v) for k, v in nx.degree_centrality(s).items()}
        if n > 1
        else {str(k): 0.0 for k in s}
    )
    strength = {str(k): float(v) for k, v in s.degree(weight="weight")}
    samples = betweenness_samples(n, s.number_of_edges())
    approximate = samples < n
    bc = nx.betweenness_centrality(s, k=samples if approximate else None, seed=seed)
    betweenness = {str(k): float(v) for k, v in bc.items()}
    if s.number_of_edges():
        parts = nx.community.louvain_communities(s, weight="weight", seed=seed)
        modularity = float(nx.community.modularity(s, parts, weight="weight"))
    else:
        parts = [{x} for x in s]
        modularity = 0.0
    communities = sorted((sorted(str(x) for x in p) for p in parts), key=lambda p: (-len(p), p[0]))
    community = {x: i for i, p in enumerate(communities) for x in p}
    return Analytics(
        degree=degree,
        strength=strength,
        betweenness=betweenness,
        community=community,
        communities=communities,
        modularity=0.0 if math.isnan(modularity) else modularity,
        approximate=approximate,
        betweenness_samples=samples,
    )


def top_nodes(g: nx.Graph, stats: Analytics, n: int = 10) -> list[str]:
    """The n most central nodes: by degree centrality, then betweenness, then label."""
    return sorted(
        g.nodes,
        key=lambda x: (
            -stats["degree"].get(x, 0.0),
            -stats["betweenness"].get(x, 0.0),
            str(g.nodes[x].get("label", x)),
        ),
    )[:n]
