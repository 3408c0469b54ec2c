"""Interactive HTML of a network: pyvis renders it, the page works offline from a file.

pyvis (0.3.2) builds the node and edge lists and renders them through this package's
template (``template.html``). Its own template pulls Bootstrap from a CDN even with
``cdn_resources="in_line"``, so the page is post-processed instead: vis-network and
Tom Select are inlined from the files the installed pyvis package ships
(``pyvis/lib/``), this package's ``view.css`` and ``view.js`` add the legend, search,
filters, analytics table and details panel, and any ``<script src>`` or
``<link href>`` pointing elsewhere is removed. A Content-Security-Policy forbids every
fetch, and all graph text reaches the page as JSON and is written with textContent.

>>> strip_external_resources('<link href="https://cdn.example/x.css" rel="stylesheet"><p>ok</p>')
'<p>ok</p>'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Mapping
from importlib import resources
from importlib.metadata import version
from typing import Any

import networkx as nx  # type: ignore[import-untyped, unused-ignore]
from jinja2 import Environment, FunctionLoader, select_autoescape

from cakg.viz.analytics import Analytics, analytics, top_nodes
from cakg.viz.capping import MAX_EDGES, MAX_NODES, cap, edges_with_data
from cakg.viz.layout import spring
from cakg.viz.styles import (
    CERTAINTY_SIZE,
    KIND_STYLE,
    TREND_COLOURS,
    TREND_TITLE,
    community_colour,
    edge_label,
    edge_style,
    role_label,
    short_label,
    vis_colour,
    vis_options,
)
from cakg.viz.trends import NONE, trend_labels, trends_counted

__all__ = [
    "CSP_MARKER",
    "OFFLINE_CSP",
    "PHYSICS_MAX_NODES",
    "fill_markers",
    "inline_asset",
    "render_html",
    "strip_external_resources",
    "template_source",
]

# Up to this many nodes vis-network's physics runs (bounded) and then stops; above it the
# positions come from Python and physics is off from the start.
PHYSICS_MAX_NODES = 400
# Above this many nodes only the most central ones are labelled large enough to read when fitted.
LABELLED_NODES = 120

# The third-party files, read from the installed pyvis package (never copied into cakg).
PYVIS_ASSETS = {
    "vis-network.css": ("lib", "vis-9.1.2", "vis-network.css"),
    "vis-network.min.js": ("lib", "vis-9.1.2", "vis-network.min.js"),
    "tom-select.css": ("lib", "tom-select", "tom-select.css"),
    "tom-select.complete.min.js": ("lib", "tom-select", "tom-select.complete.min.js"),
}
OWN_ASSETS = ("view.css", "view.js")


# --- assets and the offline guarantee ---------------------------------------------------------


# The policy of every offline page (the views and the timeline): nothing is fetched, scripts
# and styles are the inlined ones, images and fonts only as data: URLs.
OFFLINE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)
CSP_MARKER = "<!--cakg:csp-->"


def inline_asset(name: str) -> str:
    """A file to inline into a page: pyvis's own (PYVIS_ASSETS) or this package's; refused
    if it holds the closing tag of the element it goes into."""
    if name in PYVIS_ASSETS:
        path = resources.files("pyvis").joinpath(*PYVIS_ASSETS[name])
    else:
        path = resources.files("cakg.viz").joinpath(name)
    text = path.read_text(encoding="utf-8")
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower():
        raise RuntimeError(f"{name} contains {closing!r} and cannot be inlined")
    return text


_EXTERNAL_TAG = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?!data:)[^\"'\s>]+[^>]*>\s*</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?!data:|#)[^\"'\s>]+[^>]*/?>",
    re.IGNORECASE | re.DOTALL,
)


def strip_external_resources(html: str) -> str:
    """Remove every ``<script src>`` and ``<link href>`` (such as pyvis's Bootstrap tags)."""
    return _EXTERNAL_TAG.sub("", html)


def fill_markers(page: str, fills: Mapping[str, str]) -> str:
    """Put each text in place of its marker, which the page must hold exactly once; a
    filled text is never searched for the markers that follow.

    >>> fill_markers("<b>/*a*/</b><i>/*b*/</i>", {"/*a*/": "/*b*/", "/*b*/": "2"})
    '<b>/*b*/</b><i>2</i>'
    """
    for marker in fills:
        if page.count(marker) != 1:
            raise RuntimeError(f"template must hold {marker} exactly once")
    pattern = re.compile("|".join(re.escape(m) for m in fills))
    return pattern.sub(lambda m: fills[m.group(0)], page)


def _inline_assets(html: str) -> str:
    fills = {f"/*cakg:{name}*/": inline_asset(name) for name in (*PYVIS_ASSETS, *OWN_ASSETS)}
    return fill_markers(html, {**fills, CSP_MARKER: OFFLINE_CSP})


def template_source(name: str) -> str:
    """A page template of this package, as text."""
    return resources.files("cakg.viz").joinpath(name).read_text(encoding="utf-8")


# --- what a node's and an edge's tooltip and details panel say --------------------------------


def _node_experts(g: nx.Graph, n: Hashable, d: dict[str, Any]) -> list[str]:
    """The experts a node belongs to, for the expert filter."""
    kind = d.get("kind")
    if kind == "expert":
        return [str(n)]
    if kind == "claim":
        return [str(d["expert"])] if d.get("expert") else []
    if d.get("experts"):
        return [x for x in str(d["experts"]).split("; ") if x]
    out: set[str] = set()
    und = g.to_undirected(as_view=True) if g.is_directed() else g
    for m in und.neighbors(n):
        md = g.nodes[m]
        if md.get("kind") == "expert":
            out.add(str(m))
        elif md.get("kind") == "claim" and md.get("expert"):
            out.add(str(md["expert"]))
    return sorted(out)


def _node_rows(n: Hashable, d: dict[str, Any], stats: Analytics) -> list[list[str]]:
    """Rows [field, value(, 'panel')] for the tooltip and the details panel (plain text)."""
    rows: list[list[str]] = []
    if d.get("kind") == "claim":
        rows.append(["quote", str(d.get("quote") or d.get("text") or "")])
        if d.get("expert_label"):
            rows.append(["expert", str(d["expert_label"])])
        if d.get("question"):
            rows.append(["question", str(d["question"])])
        if "start" in d and "end" in d:
            rows.append(["offsets", f"{d['start']}–{d['end']} (characters in the article)"])
        rows.append(["trend", str(d.get("trend_label", ""))])
        for key, label in (
            ("claim_type", "type"),
            ("certainty", "certainty"),
            ("topics", "topics"),
        ):
            if d.get(key):
                rows.append([label, str(d[key])])
        if d.get("article_title"):
            rows.append(["article", str(d["article_title"]), "panel"])
    else:
        rows.append(["type", KIND_STYLE.get(str(d.get("kind")), KIND_STYLE["other"])[0]])
        if d.get("label") and d.get("name") != d.get("label"):
            rows.append(["label", str(d["label"])])
        if d.get("job_title"):
            rows.append(["position", str(d["job_title"])])
        if "claims" in d:
            rows.append(["claims", str(d["claims"])])
    key = str(n)
    rows.append(["degree centrality", f"{stats['degree'].get(key, 0.0):.3f}", "panel"])
    rows.append(["betweenness centrality", f"{stats['betweenness'].get(key, 0.0):.3f}", "panel"])
    rows.append(["community", str(stats["community"].get(key, "")), "panel"])
    rows.append(["IRI", key, "panel"])
    return rows


def _edge_rows(d: dict[str, Any]) -> list[list[str]]:
    """Rows [field, value] for an edge's tooltip (plain text)."""
    rows: list[list[str]] = []
    rel = str(d.get("relation", ""))
    if rel == "membership":
        rows.append(["role", role_label(str(d.get("role")))])
        if d.get("since"):
            rows.append(["since", str(d["since"])])
        if d.get("history"):
            rows.append(["history", str(d["history"])])
    if rel in ("mentions", "co-mentioned", "stance"):
        rows.append(["claims", str(d.get("weight", 1))])
    if rel == "stance":
        rows.append(["most frequent trend", trend_labels().get(str(d.get("trend")), "")])
        rows.append(["mean direction", f"{float(d.get('score', 0.0)):+.2f}"])
    counts = trends_counted(d)
    if counts and rel != "claimed":
        labels = trend_labels()
        rows.append(["trends", ", ".join(f"{labels[t]} {c}" for t, c in counts.items())])
    return rows


# --- rendering --------------------------------------------------------------------------------


def render_html(
    g: nx.Graph,
    stats: Analytics | None = None,
    *,
    max_nodes: int = MAX_NODES,
    max_edges: int = MAX_EDGES,
    physics_max_nodes: int = PHYSICS_MAX_NODES,
    seed: int = 7,
) -> str:
    """The self-contained HTML page of a network (analytics computed if not given)."""
    from pyvis.network import Network  # type: ignore[import-untyped, unused-ignore]

    stats = stats if stats is not None else analytics(g)
    kind = str(g.graph.get("kind", "network"))
    shown, banner = cap(g, stats, max_nodes, max_edges)
    n_shown = shown.number_of_nodes()
    physics = 0 < n_shown <= physics_max_nodes
    pos = spring(shown, seed=seed, iterations=50, weight="weight")
    spread = 120.0 + 45.0 * math.sqrt(max(n_shown, 1))
    max_degree = max((stats["degree"].get(str(x), 0.0) for x in shown), default=0.0) or 1.0
    # Labels grow with the network so that they stay legible when the whole view is fitted.
    font_scale = min(2.6, max(1.0, math.sqrt(n_shown / 45.0)))
    # Claims are read in tooltips, not labels. Labels are ranked by centrality: the page
    # hides a label that would overlap a more central one (view.js), and in a large view
    # only the most central get large labels, the others' being below vis-network's drawing
    # threshold until one zooms in.
    ranked = top_nodes(
        shown.subgraph(n for n, d in shown.nodes(data=True) if d.get("kind") != "claim"),
        stats,
        n_shown,
    )
    label_rank = {x: i for i, x in enumerate(ranked)}
    big_labels = set(ranked[:LABELLED_NODES])

    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    kinds_present: Counter[str] = Counter()
    expert_labels: dict[str, str] = dict(g.graph.get("expert_labels", {}))
    node_trends: Counter[str] = Counter()
    for n, d in shown.nodes(data=True):
        node_kind = str(d.get("kind", "other"))
        kinds_present[node_kind] += 1
        _, colour, shape = KIND_STYLE.get(node_kind, KIND_STYLE["other"])
        key = str(n)
        extra: dict[str, Any] = {}
        if node_kind == "claim":
            trend = str(d.get("trend", NONE))
            node_trends[trend] += 1
            colour = TREND_COLOURS.get(trend, TREND_COLOURS[NONE])
            size = CERTAINTY_SIZE.get(int(d.get("certainty_rank", 0) or 0), 10.0)
            extra["trend"] = trend
            extra["searchText"] = f"{d.get('text', '')} {d.get('quote', '')}"
        else:
            size = 11.0 + 27.0 * math.sqrt(stats["degree"].get(key, 0.0) / max_degree)
            extra["searchText"] = f"{d.get('label', '')} {d.get('name', '')}"
        if node_kind == "expert":
            expert_labels[key] = str(d.get("label", key))
        community = stats["community"].get(key, -1)
        x, y = pos.get(n, (0.0, 0.0))
        net.add_node(
            key,
            label=short_label(str(d.get("label", key))),
            shape=shape,
            color=vis_colour(colour),
            size=round(size, 1),
            x=round(x * spread, 1),
            y=round(y * spread, 1),
            kind=node_kind,
            # Whole, never cut: the tooltip and the details panel are where a cut label is read.
            tipTitle=str(
                (d.get("label") if node_kind == "claim" else d.get("name")) or d.get("label") or key
            ),
            labelRank=label_rank.get(n, -1),
            info=_node_rows(n, d, stats),
            experts=_node_experts(shown, n, d),
            community=community,
            communityColor=vis_colour(community_colour(community)),
            font={
                "size": round(
                    (14 if node_kind == "expert" else 16) * (font_scale if n in big_labels else 1.0)
                )
            },
            **extra,
        )
        if node_kind == "claim":
            net.node_map[key].pop("label", None)

    edge_legend: dict[str, tuple[str, str, list[int] | bool]] = {}
    edge_trends: Counter[str] = Counter()
    pair_count: Counter[tuple[str, str]] = Counter()
    for i, (u, v, d) in enumerate(edges_with_data(shown)):
        legend_key, colour, dashes, width = edge_style(d, kind)
        if not legend_key.startswith("trend:"):
            edge_legend[legend_key] = (edge_label(legend_key), colour, dashes)
        pair = (str(min(str(u), str(v))), str(max(str(u), str(v))))
        nth = pair_count[pair]
        pair_count[pair] += 1
        extra = {}
        if d.get("relation") == "stance":
            extra["trend"] = str(d.get("trend", NONE))
            edge_trends[extra["trend"]] += 1
        elif d.get("relation") in ("mentions", "co-mentioned") and kind in ("actors", "comentions"):
            counts = trends_counted(d)
            extra["trends"] = counts
            edge_trends.update(counts.keys())
        net.add_edge(
            str(u),
            str(v),
            id=f"e{i}",
            color={"color": colour, "highlight": "#111111", "hover": "#111111", "opacity": 0.85},
            width=round(width, 2),
            dashes=dashes,
            arrows={"to": {"enabled": False}},
            smooth={"enabled": True, "type": "curvedCW", "roundness": 0.18 * nth} if nth else False,
            relation=str(d.get("relation", "")),
            tipTitle=f"{shown.nodes[u].get('label', u)} – {shown.nodes[v].get('label', v)}",
            info=_edge_rows(d),
            **extra,
        )

    trends_drawn = node_trends if kind == "claims" else edge_trends
    legend_trends = [
        {
            "key": t,
            "label": label,
            "color": TREND_COLOURS[t],
            "count": trends_drawn[t],
            "shape": "dot",
        }
        for t, label in trend_labels().items()
        if trends_drawn.get(t)
    ]
    legend = {
        "kinds": [
            {
                "key": k,
                "label": KIND_STYLE[k][0],
                "color": KIND_STYLE[k][1],
                "shape": KIND_STYLE[k][2],
                "count": kinds_present[k],
            }
            for k in KIND_STYLE
            if kinds_present.get(k)
        ],
        "trends": legend_trends,
        "trendTitle": TREND_TITLE.get(kind, "Trends"),
        "trendColours": kind in ("claims", "stances"),
        "edges": [
            {"label": label, "color": colour, "dashes": dashes or None, "shape": "edge", "width": 2}
            for label, colour, dashes in edge_legend.values()
        ],
        "note": "Node size: degree centrality"
        + (", claims by certainty" if kind == "claims" else "")
        + ". Hover for details, click for the full record.",
    }
    meta = {
        "kind": kind,
        "title": str(g.graph.get("title", kind)),
        "banner": banner,
        "focus": str(g.graph.get("focus", "")),
        "legend": legend,
        "experts": sorted(
            ({"id": k, "label": v} for k, v in expert_labels.items()), key=lambda e: e["label"]
        ),
        "analytics": _analytics_meta(g, shown, stats),
        "counts": {
            "nodes": n_shown,
            "edges": shown.number_of_edges(),
            "total_nodes": g.number_of_nodes(),
            "total_edges": g.number_of_edges(),
        },
        "physics": physics,
    }
    options = vis_options(physics, n_shown)
    net.options = options

    env = Environment(
        loader=FunctionLoader(template_source), autoescape=select_autoescape(["html"])
    )
    env.globals["cakg"] = {
        "title": _page_title(g),
        "meta": meta,
        "options": options,
        "pyvis_version": version("pyvis"),
    }
    net.templateEnv = env
    net.path = "template.html"
    html = net.generate_html()
    return strip_external_resources(_inline_assets(html))


def _page_title(g: nx.Graph) -> str:
    title = str(g.graph.get("title", g.graph.get("kind", "network")))
    if g.graph.get("focus"):
        label = (
            g.nodes[g.graph["focus"]].get("label", g.graph["focus"])
            if g.graph["focus"] in g
            else ""
        )
        title = f"{title} — around {label} (depth {g.graph.get('depth', 1)})"
    return f"cakg · {title}"


def _analytics_meta(g: nx.Graph, shown: nx.Graph, stats: Analytics) -> dict[str, Any]:
    k = len(stats["communities"])
    approx = (
        f" (betweenness estimated from {stats['betweenness_samples']} sources)"
        if stats["approximate"]
        else ""
    )
    summary = (
        f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges. Louvain (seed 42): "
        f"{k} communities, modularity {stats['modularity']:.2f}{approx}."
    )
    top = []
    for x in top_nodes(g, stats, 15):
        c = stats["community"].get(x, -1)
        top.append(
            {
                "id": x,
                "label": str(g.nodes[x].get("label") or g.nodes[x].get("name") or x),
                "degree": stats["degree"].get(x, 0.0),
                "betweenness": stats["betweenness"].get(x, 0.0),
                "community": c,
                "color": community_colour(c),
                "shown": x in shown,
            }
        )
    communities = []
    for i, members in enumerate(stats["communities"][:12]):
        ranked = sorted(members, key=lambda m: -stats["degree"].get(m, 0.0))
        communities.append(
            {
                "size": len(members),
                "color": community_colour(i),
                "members": [str(g.nodes[m].get("label") or m) for m in ranked[:5]]
                + (["…"] if len(members) > 5 else []),
            }
        )
    return {"summary": summary, "top": top, "communities": communities}
