"""How a view looks: colour, shape and dashes per node kind, trend, role and relation.

The page (:mod:`cakg.viz.html`, drawn by vis-network with :func:`vis_options`) and the
figures (:mod:`cakg.viz.figures`) draw with the same styles, so a figure's legend reads like
the page's. Which trends and roles exist comes from the ontology's vocabularies; a style
table gives each of them a colour (a test checks that the tables cover exactly the
vocabularies' keys).

>>> edge_label("role:suspended"), edge_label("trend:no-change")
('membership: suspended member', 'trend: no change')
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from cakg.graph.vocabulary import vocabulary
from cakg.viz.trends import NONE, trend_labels

__all__ = [
    "CERTAINTY_SIZE",
    "EDGE_STYLE",
    "KIND_STYLE",
    "ROLE_STYLE",
    "STABILIZATION_ITERATIONS",
    "TREND_COLOURS",
    "TREND_TITLE",
    "community_colour",
    "edge_label",
    "edge_style",
    "role_label",
    "short_label",
    "vis_colour",
    "vis_options",
]

# vis-network's physics, when on, stops after this many iterations (a bounded first layout).
STABILIZATION_ITERATIONS = 200

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
# trend (a key of the trend vocabulary, or the view's 'mixed' and 'none') -> colour
TREND_COLOURS: dict[str, str] = {
    "strengthening": "#2e9d3a",
    "weakening": "#d62728",
    "no-change": "#7f8c99",
    "uncertain": "#c4bba8",
    "mixed": "#17a2b8",
    "none": "#c7cdd3",
}
# membership role (a key of the role vocabulary) -> (colour, dashes)
ROLE_STYLE: dict[str, tuple[str, list[int] | bool]] = {
    "member": ("#4a6175", False),
    "observer": ("#6f93b3", [7, 5]),
    "suspended": ("#d62728", [2, 5]),
    "associate-member": ("#4a6175", [12, 4]),
    "dialogue-partner": ("#9fb4c7", [8, 3, 2, 3]),
    "former-member": ("#b8c0c8", [1, 6]),
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


def community_colour(community: int) -> str:
    """The colour of a Louvain community (numbered by size); grey past the palette or for -1."""
    return COMMUNITY_COLOURS[community] if 0 <= community < len(COMMUNITY_COLOURS) else "#c7cdd3"


@cache
def _role_labels() -> dict[str, str]:
    return {c.key: c.label for c in vocabulary("role")}


def role_label(role: str) -> str:
    """The label of a membership role key (its key when the vocabulary has no such role).

    >>> role_label("dialogue-partner")
    'dialogue partner'
    """
    return _role_labels().get(role, role)


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


def vis_colour(c: str) -> dict[str, Any]:
    """A vis-network node colour: ``c`` filled, a darker border, black when highlighted."""
    return {
        "background": c,
        "border": _darker(c),
        "highlight": {"background": c, "border": "#111111"},
        "hover": {"background": c, "border": "#111111"},
    }


def _darker(c: str, f: float = 0.7) -> str:
    r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * f):02x}{int(g * f):02x}{int(b * f):02x}"


def edge_style(d: dict[str, Any], kind: str) -> tuple[str, str, list[int] | bool, float]:
    """(legend key, colour, dashes, width) of an edge with attributes ``d`` in view ``kind``."""
    rel = str(d.get("relation", ""))
    w = float(d.get("weight", 1) or 1)
    if rel == "membership":
        role = str(d.get("role", "member"))
        colour, dashes = ROLE_STYLE.get(role, ("#4a6175", [3, 3]))
        return f"role:{role}", colour, dashes, 3.0 if role == "suspended" else 2.0
    if rel == "stance":
        trend = str(d.get("trend", NONE))
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
        return "membership: " + role_label(key.removeprefix("role:"))
    if key.startswith("trend:"):
        trend = key.removeprefix("trend:")
        return "trend: " + trend_labels().get(trend, trend)
    return EDGE_STYLE.get(key, (key, "", False))[0]


def vis_options(physics: bool, n: int) -> dict[str, Any]:
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
