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

import heapq
import math
import re
from collections import Counter
from collections.abc import Hashable
from importlib import resources
from importlib.metadata import version
from typing import Any

import networkx as nx  # type: ignore[import-untyped, unused-ignore]
from jinja2 import Environment, FunctionLoader, select_autoescape

from cakg.viz.layout import spring
from cakg.viz.networks import TRENDS, Analytics, analytics, top_nodes

__all__ = [
    "EDGE_STYLE",
    "KIND_STYLE",
    "MAX_EDGES",
    "MAX_NODES",
    "PHYSICS_MAX_NODES",
    "ROLE_STYLE",
    "TREND_COLOURS",
    "cap",
    "render_html",
    "strip_external_resources",
]

# Views above this many nodes show the best-connected ones (and say so in a banner).
MAX_NODES = 1500
MAX_EDGES = 8000
STRUCTURAL_RELATIONS = frozenset(
    {"membership", "nationality", "affiliation", "claimed", "about", "mentions-claim"}
)
# Up to this many nodes vis-network's physics runs (bounded) and then stops; above it the
# positions come from Python and physics is off from the start.
PHYSICS_MAX_NODES = 400
STABILIZATION_ITERATIONS = 200
# Above this many nodes only the most central ones are labelled large enough to read when fitted.
LABELLED_NODES = 120

# kind -> (legend label, colour, vis-network shape)
KIND_STYLE: dict[str, tuple[str, str, str]] = {
    "state": ("state", "#1f6fb5", "square"),
    "international-organization": ("international organization", "#ef7d00", "diamond"),
    "organization": ("other organization", "#8d6e63", "triangle"),
    "expert": ("expert", "#7b3fa0", "dot"),
    "claim": ("claim (colour: trend, size: certainty)", "#9e9e9e", "dot"),
    "relation": ("bilateral relation", "#00897b", "hexagon"),
    "region": ("region", "#9e9d24", "triangleDown"),
    "place": ("place", "#9e9d24", "triangleDown"),
    "person": ("person", "#c2185b", "star"),
    "agreement": ("agreement", "#5d6d7e", "square"),
    "event": ("event", "#7a6a96", "diamond"),
    "other": ("other", "#90a4ae", "dot"),
}
TREND_COLOURS: dict[str, str] = {
    "strengthening": "#2e9d3a",
    "weakening": "#d62728",
    "no-change": "#7f8c99",
    "uncertain": "#f2b705",
    "mixed": "#17a2b8",
    "none": "#c7cdd3",
}
TREND_LABELS: dict[str, str] = {**TRENDS, "mixed": "mixed (tie)", "none": "not classified"}
# membership role -> (legend label, colour, dashes)
ROLE_STYLE: dict[str, tuple[str, str, list[int] | bool]] = {
    "member": ("member", "#4a6175", False),
    "observer": ("observer", "#6f93b3", [7, 5]),
    "suspended": ("suspended member", "#d62728", [2, 5]),
    "associate-member": ("associate member", "#4a6175", [12, 4]),
    "dialogue-partner": ("dialogue partner", "#9fb4c7", [8, 3, 2, 3]),
    "former-member": ("former member", "#b8c0c8", [1, 6]),
}
# relation -> (legend label, colour, dashes)
EDGE_STYLE: dict[str, tuple[str, str, list[int] | bool]] = {
    "nationality": ("expert from state", "#7b3fa0", False),
    "affiliation": ("expert affiliated with", "#8d6e63", [5, 3]),
    "mentions": ("mentions (width: claims)", "#a7b4c2", False),
    "claimed": ("expert made claim", "#b79bd0", False),
    "about": ("claim about", "#546e7a", False),
    "mentions-claim": ("claim mentions", "#b0bec5", [4, 4]),
    "co-mentioned": ("named together (width: claims)", "#7d8f9f", False),
}
COMMUNITY_COLOURS = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295",
]  # fmt: skip
CERTAINTY_SIZE = {3: 17.0, 2: 12.0, 1: 8.0, 0: 10.0}
TREND_TITLE = {
    "claims": "Claim trends (node colour)",
    "stances": "Stance (edge colour: most frequent trend)",
    "actors": "Trends (filter: claims behind mention edges)",
    "comentions": "Trends (filter: claims behind an edge)",
}

# The third-party files, read from the installed pyvis package (never copied into cakg).
PYVIS_ASSETS = {
    "vis-network.css": ("lib", "vis-9.1.2", "vis-network.css"),
    "vis-network.min.js": ("lib", "vis-9.1.2", "vis-network.min.js"),
    "tom-select.css": ("lib", "tom-select", "tom-select.css"),
    "tom-select.complete.min.js": ("lib", "tom-select", "tom-select.complete.min.js"),
}
OWN_ASSETS = ("view.css", "view.js")


# --- assets and the offline guarantee ---------------------------------------------------------


def _asset(name: str) -> str:
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


def _inline_assets(html: str) -> str:
    for name in (*PYVIS_ASSETS, *OWN_ASSETS):
        marker = f"/*cakg:{name}*/"
        if html.count(marker) != 1:
            raise RuntimeError(f"template must hold {marker} exactly once")
        before, after = html.split(marker)
        html = before + _asset(name) + after
    return html


def _template_source(name: str) -> str:
    return resources.files("cakg.viz").joinpath(name).read_text(encoding="utf-8")


# --- capping large networks -------------------------------------------------------------------


def core_nodes(
    g: nx.Graph, stats: Analytics, max_nodes: int, start: Hashable | None = None
) -> set[Hashable]:
    """Up to max_nodes nodes grown best-first from the hubs: always the most central node
    next to what is already kept, so the kept part stays connected around its hubs.

    (The plain top-by-degree nodes of a claims network are experts and subjects, which
    link only through claims: an induced subgraph of them would have no edges.)

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


# --- node and edge styling --------------------------------------------------------------------


def short_label(text: str, limit: int = 28) -> str:
    """A label cut at a word boundary to fit on the canvas (the tooltip has the full name).

    >>> short_label("Consultative Meeting of the Heads of State of Central Asia")
    'Consultative Meeting of the…'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]  # do not end on part of a word
    return (cut if len(cut) > limit // 2 else text[: limit - 1]).rstrip(" ,;:–-") + "…"


def _color(c: str) -> dict[str, Any]:
    return {
        "background": c,
        "border": _darker(c),
        "highlight": {"background": c, "border": "#111111"},
        "hover": {"background": c, "border": "#111111"},
    }


def _darker(c: str, f: float = 0.7) -> str:
    r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * f):02x}{int(g * f):02x}{int(b * f):02x}"


def _fmt(x: float) -> str:
    return f"{x:.3f}"


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


def _node_info(n: Hashable, d: dict[str, Any], stats: Analytics) -> list[list[str]]:
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
    rows.append(["degree centrality", _fmt(stats["degree"].get(key, 0.0)), "panel"])
    rows.append(["betweenness centrality", _fmt(stats["betweenness"].get(key, 0.0)), "panel"])
    rows.append(["community", str(stats["community"].get(key, "")), "panel"])
    rows.append(["IRI", key, "panel"])
    return rows


def _edge_style(d: dict[str, Any], kind: str) -> tuple[str, str, list[int] | bool, float]:
    """(legend key, colour, dashes, width) of an edge."""
    rel = str(d.get("relation", ""))
    w = float(d.get("weight", 1) or 1)
    if rel == "membership":
        role = str(d.get("role", "member"))
        _, colour, dashes = ROLE_STYLE.get(role, (role, "#4a6175", [3, 3]))
        return f"role:{role}", colour, dashes, 3.0 if role == "suspended" else 2.0
    if rel == "stance":
        trend = str(d.get("trend", "none"))
        return (
            f"trend:{trend}",
            TREND_COLOURS.get(trend, "#999999"),
            False,
            1.5 + 2.0 * math.log2(w),
        )
    if rel == "mentions" and kind == "claims":
        rel = "mentions-claim"
    _, colour, dashes = EDGE_STYLE.get(rel, (rel, "#999999", False))
    width = 1.0 + 1.6 * math.log2(w) if rel in ("mentions", "co-mentioned") else 1.5
    return rel, colour, dashes, width


def edge_label(key: str) -> str:
    """The legend label of an edge style key ('role:suspended', 'trend:weakening', 'about')."""
    if key.startswith("role:"):
        return "membership: " + ROLE_STYLE.get(key[5:], (key[5:], "", False))[0]
    if key.startswith("trend:"):
        return "trend: " + TREND_LABELS.get(key[6:], key[6:])
    return EDGE_STYLE.get(key, (key, "", False))[0]


def _edge_info(d: dict[str, Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    rel = str(d.get("relation", ""))
    if rel == "membership":
        rows.append(["role", edge_label(f"role:{d.get('role')}")[len("membership: ") :]])
        if d.get("since"):
            rows.append(["since", str(d["since"])])
        if d.get("history"):
            rows.append(["history", str(d["history"])])
    if rel in ("mentions", "co-mentioned", "stance"):
        rows.append(["claims", str(d.get("weight", 1))])
    if rel == "stance":
        rows.append(["most frequent trend", TREND_LABELS.get(str(d.get("trend")), "")])
        rows.append(["mean direction", f"{float(d.get('score', 0.0)):+.2f}"])
    counts = _trend_dict(d)
    if counts and rel != "claimed":
        rows.append(["trends", ", ".join(f"{TREND_LABELS[t]} {c}" for t, c in counts.items())])
    return rows


def _trend_dict(d: dict[str, Any]) -> dict[str, int]:
    out = {}
    for t in [*TRENDS, "none"]:
        c = int(d.get(f"n_{t.replace('-', '_')}", 0) or 0)
        if c:
            out[t] = c
    return out


# --- rendering --------------------------------------------------------------------------------


def _edges(g: nx.Graph) -> list[tuple[Hashable, Hashable, dict[str, Any]]]:
    if g.is_multigraph():
        return [(u, v, d) for u, v, _, d in g.edges(keys=True, data=True)]
    return list(g.edges(data=True))


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
    # In a large view only the most central nodes get large labels; the others' labels are
    # below vis-network's drawing threshold until one zooms in.
    big_labels = set(top_nodes(shown, stats, LABELLED_NODES)) if n_shown > LABELLED_NODES else None

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
            trend = str(d.get("trend", "none"))
            node_trends[trend] += 1
            colour = TREND_COLOURS.get(trend, TREND_COLOURS["none"])
            size = CERTAINTY_SIZE.get(int(d.get("certainty_rank", 0) or 0), 10.0)
            extra["trend"] = trend
            extra["searchText"] = f"{d.get('text', '')} {d.get('quote', '')}"
        else:
            size = 11.0 + 27.0 * math.sqrt(stats["degree"].get(key, 0.0) / max_degree)
            extra["searchText"] = f"{d.get('label', '')} {d.get('name', '')}"
        if node_kind == "expert":
            expert_labels[key] = str(d.get("label", key))
        community = stats["community"].get(key, -1)
        ccol = (
            COMMUNITY_COLOURS[community] if 0 <= community < len(COMMUNITY_COLOURS) else "#c7cdd3"
        )
        x, y = pos.get(n, (0.0, 0.0))
        net.add_node(
            key,
            label=short_label(str(d.get("label", key))),
            shape=shape,
            color=_color(colour),
            size=round(size, 1),
            x=round(x * spread, 1),
            y=round(y * spread, 1),
            kind=node_kind,
            tipTitle=str(
                (d.get("label") if node_kind == "claim" else d.get("name")) or d.get("label") or key
            )[:200],
            info=_node_info(n, d, stats),
            experts=_node_experts(shown, n, d),
            community=community,
            communityColor=_color(ccol),
            font={
                "size": round(
                    (14 if node_kind == "expert" else 16)
                    * (font_scale if big_labels is None or n in big_labels else 1.0)
                )
            },
            **extra,
        )
        if node_kind == "claim":
            net.node_map[key].pop("label", None)  # claims are read in tooltips, not labels

    edge_legend: dict[str, tuple[str, str, list[int] | bool]] = {}
    edge_trends: Counter[str] = Counter()
    pair_count: Counter[tuple[str, str]] = Counter()
    for i, (u, v, d) in enumerate(_edges(shown)):
        legend_key, colour, dashes, width = _edge_style(d, kind)
        if not legend_key.startswith("trend:"):
            edge_legend[legend_key] = (edge_label(legend_key), colour, dashes)
        pair = (str(min(str(u), str(v))), str(max(str(u), str(v))))
        nth = pair_count[pair]
        pair_count[pair] += 1
        extra = {}
        if d.get("relation") == "stance":
            extra["trend"] = str(d.get("trend", "none"))
            edge_trends[extra["trend"]] += 1
        elif d.get("relation") in ("mentions", "co-mentioned") and kind in ("actors", "comentions"):
            counts = _trend_dict(d)
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
            info=_edge_info(d),
            **extra,
        )

    trend_keys = node_trends if kind == "claims" else edge_trends
    legend_trends = [
        {
            "key": t,
            "label": TREND_LABELS[t],
            "color": TREND_COLOURS[t],
            "count": trend_keys[t],
            "shape": "dot",
        }
        for t in TREND_COLOURS
        if trend_keys.get(t)
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
    options = _options(physics, n_shown)
    net.options = options

    env = Environment(
        loader=FunctionLoader(_template_source), autoescape=select_autoescape(["html"])
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
                "color": COMMUNITY_COLOURS[c] if 0 <= c < len(COMMUNITY_COLOURS) else "#c7cdd3",
                "shown": x in shown,
            }
        )
    communities = []
    for i, members in enumerate(stats["communities"][:12]):
        ranked = sorted(members, key=lambda m: -stats["degree"].get(m, 0.0))
        communities.append(
            {
                "size": len(members),
                "color": COMMUNITY_COLOURS[i] if i < len(COMMUNITY_COLOURS) else "#c7cdd3",
                "members": [str(g.nodes[m].get("label") or m) for m in ranked[:5]]
                + (["…"] if len(members) > 5 else []),
            }
        )
    return {"summary": summary, "top": top, "communities": communities}


def _options(physics: bool, n: int) -> dict[str, Any]:
    """vis-network options: bounded stabilization for small networks, no physics for large."""
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1.5,
            "font": {
                "face": "system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif",
                "color": "#1f2328",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 7}},
        },
        "edges": {"smooth": False, "selectionWidth": 1.5, "hoverWidth": 0.5},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": n > 800,
            "hideEdgesOnZoom": n > 800,
            "navigationButtons": False,
            "keyboard": False,
        },
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -110,
                "centralGravity": 0.012,
                "springLength": 140,
                "springConstant": 0.06,
                "avoidOverlap": 0.8,
            },
            "stabilization": {
                "enabled": physics,
                "iterations": STABILIZATION_ITERATIONS,
                "updateInterval": 50,
                "fit": True,
            },
            "minVelocity": 1.0,
            "maxVelocity": 40,
            "timestep": 0.5,
        },
    }
