"""Static figures of the views for papers: PNG and SVG via matplotlib (no display needed).

Figures are drawn on a bare :class:`matplotlib.figure.Figure` (the Agg canvas), never
through pyplot's global state, and written atomically. SVG text stays text (editable
in a paper) and the files carry no date, so the same graph gives the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx  # type: ignore[import-untyped, unused-ignore]
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patheffects import withStroke

from cakg.graph.io import atomic_write
from cakg.viz.analytics import Analytics, analytics, top_nodes
from cakg.viz.capping import cap, edges_with_data
from cakg.viz.layout import spring
from cakg.viz.styles import (
    CERTAINTY_SIZE,
    KIND_STYLE,
    TREND_COLOURS,
    edge_label,
    edge_style,
    short_label,
)
from cakg.viz.trends import NONE, trend_labels

__all__ = ["FIGURE_MAX_NODES", "draw_heatmap", "draw_network", "save_figure"]

FIGURE_MAX_NODES = 400
FIGURE_SPREAD = 2.2  # figures are read at a glance: open dense cores up
_MARKERS = {
    "square": "s", "diamond": "D", "triangle": "^", "dot": "o", "hexagon": "h",
    "triangleDown": "v", "star": "*", "box": "s",
}  # fmt: skip
_RC: Any = {"svg.fonttype": "none", "svg.hashsalt": "cakg", "font.family": "DejaVu Sans"}


def _save(fig: Figure, stem: Path) -> list[Path]:
    FigureCanvasAgg(fig)
    out = []
    for fmt in ("png", "svg"):
        buf = io.BytesIO()
        with matplotlib.rc_context(_RC):
            fig.savefig(
                buf,
                format=fmt,
                dpi=160,
                bbox_inches="tight",  # labels at the edge are never cut off
                pad_inches=0.15,
                metadata={"Date": None} if fmt == "svg" else {"Software": None},
            )
        out.append(atomic_write(stem.with_name(f"{stem.name}.{fmt}"), buf.getvalue()))
    return out


def save_figure(fig: Figure, stem: Path) -> list[Path]:
    """Write a figure as ``STEM.png`` and ``STEM.svg`` (reproducible bytes); return the paths."""
    return _save(fig, stem)


def _dash(dashes: list[int] | bool) -> Any:
    if not dashes or dashes is True:
        return "solid"
    return (0, tuple(float(d) * 0.6 for d in dashes))


def draw_network(
    g: nx.Graph, stem: Path, stats: Analytics | None = None, *, max_nodes: int = FIGURE_MAX_NODES
) -> list[Path]:
    """Draw a view (nodes by type or trend, sized by centrality) to STEM.png and STEM.svg."""
    stats = stats if stats is not None else analytics(g)
    kind = str(g.graph.get("kind", ""))
    shown, banner = cap(g, stats, max_nodes)
    pos = spring(shown, seed=7, iterations=150, spread=FIGURE_SPREAD)
    n = shown.number_of_nodes()
    xy_all = np.array(list(pos.values())) if pos else np.zeros((1, 2))
    lo, hi = xy_all.min(axis=0) - 0.12, xy_all.max(axis=0) + 0.12
    span = np.maximum(hi - lo, 0.5)
    # The axes take the layout's own aspect ratio; the legend gets a column on the right.
    width = min(14.0, 7.0 + n / 40.0)
    height = float(np.clip(width * span[1] / span[0], 0.55 * width, 1.1 * width))
    legend_w, title_h = 3.6, 0.6
    fig = Figure(figsize=(width + legend_w, height + title_h))
    W, H = width + legend_w, height + title_h
    ax = fig.add_axes((0.0, 0.0, width / W, height / H))
    ax.set_axis_off()
    title = str(g.graph.get("title", kind))
    if g.graph.get("focus") in g:
        title += f" — around {g.nodes[g.graph['focus']].get('label', '')}"
    fig.suptitle(title, fontsize=14, x=0.02, ha="left")
    if banner:
        fig.text(0.02, 0.005, f"{n:,} of {g.number_of_nodes():,} nodes shown", fontsize=8)

    groups: dict[tuple[str, Any, float], list[list[tuple[float, float]]]] = {}
    for u, v, d in edges_with_data(shown):
        _, colour, dashes, edge_w = edge_style(d, kind)
        key = (colour, _dash(dashes), round(min(edge_w, 6.0) * 0.7, 1))
        groups.setdefault(key, []).append([pos[u], pos[v]])
    for (colour, style, lw), segs in groups.items():
        ax.add_collection(
            LineCollection(
                segs,
                colors=colour,
                linestyles=[style],
                linewidths=lw,
                alpha=0.75,
                zorder=1.5 if style != "solid" else 1,  # dashed roles (suspended) stay visible
            )
        )

    max_degree = max((stats["degree"].get(str(x), 0.0) for x in shown), default=0.0) or 1.0
    by_style: dict[tuple[str, str], list[tuple[Hashable, float]]] = {}
    for x, d in shown.nodes(data=True):
        k = str(d.get("kind", "other"))
        _, colour, shape = KIND_STYLE.get(k, KIND_STYLE["other"])
        if k == "claim":
            colour = TREND_COLOURS.get(str(d.get("trend", NONE)), TREND_COLOURS[NONE])
            size = CERTAINTY_SIZE.get(int(d.get("certainty_rank", 0) or 0), 10.0) * 0.42
        else:
            size = 7.0 + 11.0 * math.sqrt(stats["degree"].get(str(x), 0.0) / max_degree)
        by_style.setdefault((colour, _MARKERS.get(shape, "o")), []).append((x, size))
    for (colour, marker), items in by_style.items():
        xy = np.array([pos[x] for x, _ in items])
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=[s**2 for _, s in items],
            c=colour,
            marker=marker,
            edgecolors="#333333",
            linewidths=0.6,
            zorder=2,
        )

    entities = shown.subgraph([x for x, d in shown.nodes(data=True) if d.get("kind") != "claim"])
    labelled = top_nodes(entities, stats, 45)
    for x in labelled:
        ax.annotate(
            short_label(str(shown.nodes[x].get("label", x))),
            pos[x],
            fontsize=8.5,
            ha="center",
            va="bottom",
            xytext=(0, 6),
            textcoords="offset points",
            zorder=3,
            path_effects=[withStroke(linewidth=3, foreground="white")],
        )
    ax.set_xlim(lo[0], lo[0] + span[0])
    ax.set_ylim(lo[1], lo[1] + span[1])

    handles: list[Line2D] = []
    present = {str(d.get("kind", "other")) for _, d in shown.nodes(data=True)}
    for k, (label, colour, shape) in KIND_STYLE.items():
        if k in present:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=_MARKERS.get(shape, "o"),
                    linestyle="",
                    markerfacecolor=colour,
                    markeredgecolor="#333333",
                    markersize=9,
                    label=label,
                )
            )
    trends = {
        str(d.get("trend")) for _, _, d in edges_with_data(shown) if d.get("relation") == "stance"
    }
    trends |= {str(d.get("trend")) for _, d in shown.nodes(data=True) if d.get("kind") == "claim"}
    for t, label in trend_labels().items():
        if t in trends:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o" if kind == "claims" else None,
                    linestyle="" if kind == "claims" else "-",
                    color=TREND_COLOURS[t],
                    linewidth=3,
                    markersize=8,
                    label=f"trend: {label}",
                )
            )
    seen: set[str] = set()
    for _, _, d in edges_with_data(shown):
        style_key, colour, dashes, _ = edge_style(d, kind)
        if style_key in seen or style_key.startswith("trend:"):
            continue
        seen.add(style_key)
        handles.append(
            Line2D(
                [],
                [],
                color=colour,
                linestyle=_dash(dashes),
                linewidth=2,
                label=edge_label(style_key),
            )
        )
    fig.legend(
        handles=handles,
        loc="upper left",
        fontsize=9,
        frameon=False,
        bbox_to_anchor=(width / W + 0.005, height / H),
    )
    return _save(fig, stem)


def draw_heatmap(
    g: nx.Graph, stem: Path, *, max_experts: int = 40, max_subjects: int = 30
) -> list[Path]:
    """The stances matrix as a heat-map: mean direction per expert x subject, claims annotated."""
    experts = [x for x, d in g.nodes(data=True) if d.get("bipartite") == 0]
    subjects = [x for x, d in g.nodes(data=True) if d.get("bipartite") == 1]

    def by_claims(xs: list[Hashable], limit: int) -> list[Hashable]:
        ranked = sorted(
            xs, key=lambda x: (-int(g.nodes[x].get("claims", 0)), str(g.nodes[x].get("label", x)))
        )
        return ranked[:limit]

    rows, cols = by_claims(experts, max_experts), by_claims(subjects, max_subjects)
    values = np.full((max(len(rows), 1), max(len(cols), 1)), np.nan)
    counts = np.zeros_like(values)
    for i, e in enumerate(rows):
        for j, s in enumerate(cols):
            if g.has_edge(e, s):
                values[i, j] = float(g[e][s].get("score", 0.0))
                counts[i, j] = float(g[e][s].get("weight", 1))
    w = 4.0 + 0.45 * len(cols)
    h = 2.5 + 0.38 * len(rows)
    fig = Figure(figsize=(w, h))
    ax = fig.add_subplot()
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#f0f2f4")
    im = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(
        range(len(cols)),
        [str(g.nodes[s].get("label", s)) for s in cols],
        rotation=45,
        ha="right",
        fontsize=9,
    )
    ax.set_yticks(range(len(rows)), [str(g.nodes[e].get("label", e)) for e in rows], fontsize=9)
    for i in range(len(rows)):
        for j in range(len(cols)):
            if counts[i, j]:
                ax.text(
                    j,
                    i,
                    str(int(counts[i, j])),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="#111111",
                )
    ax.set_xticks(np.arange(-0.5, len(cols), 1), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows), 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label("mean trend: −1 weakening … +1 strengthening", fontsize=9)
    shown = (
        ""
        if (len(rows), len(cols)) == (len(experts), len(subjects))
        else (
            f" (top {len(rows)} of {len(experts)} experts, {len(cols)} of {len(subjects)} subjects)"
        )
    )
    ax.set_title("Stances: experts x subjects; numbers are claims" + shown, fontsize=11, loc="left")
    fig.tight_layout()
    return _save(fig, stem)
