"""Gephi exports of a view: GraphML and GEXF, with centralities and community per node."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx  # type: ignore[import-untyped, unused-ignore]

from cakg.graph.io import atomic_write
from cakg.viz.analytics import Analytics, analytics

__all__ = ["export_network"]


def export_network(g: nx.Graph, stem: Path, stats: Analytics | None = None) -> list[Path]:
    """Write STEM.graphml and STEM.gexf (centralities and community as node attributes)."""
    stats = stats if stats is not None else analytics(g)
    h = (
        nx.MultiDiGraph()
        if g.is_multigraph()
        else (nx.DiGraph() if g.is_directed() else nx.Graph())
    )
    h.graph.update({k: v for k, v in g.graph.items() if _legal(v)})
    for x, d in g.nodes(data=True):
        attrs = {k: v for k, v in d.items() if _legal(v)}
        attrs.update(
            degree_centrality=stats["degree"].get(str(x), 0.0),
            betweenness_centrality=stats["betweenness"].get(str(x), 0.0),
            community=stats["community"].get(str(x), -1),
        )
        h.add_node(x, **attrs)
    if g.is_multigraph():
        for i, (u, v, _, d) in enumerate(g.edges(keys=True, data=True)):
            h.add_edge(u, v, key=f"e{i}", **{k: val for k, val in d.items() if _legal(val)})
    else:
        for u, v, d in g.edges(data=True):
            h.add_edge(u, v, **{k: val for k, val in d.items() if _legal(val)})
    graphml = "\n".join(nx.generate_graphml(h, encoding="utf-8", prettyprint=True)) + "\n"
    gexf_buf = io.BytesIO()
    nx.write_gexf(h, gexf_buf, encoding="utf-8", prettyprint=True)
    return [
        atomic_write(stem.with_name(stem.name + ".graphml"), graphml.encode("utf-8")),
        atomic_write(stem.with_name(stem.name + ".gexf"), gexf_buf.getvalue()),
    ]


def _legal(v: object) -> bool:
    """Whether GraphML and GEXF can hold the value as it is (a graph-level dict cannot)."""
    return isinstance(v, str | int | float | bool)
