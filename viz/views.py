"""Writing views to files: each projection's page, figures and exports, and an index page."""

from __future__ import annotations

import html as htmllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx  # type: ignore[import-untyped, unused-ignore]

from cakg.errors import InputError
from cakg.graph.io import atomic_write
from cakg.graph.namespaces import slugify
from cakg.graph.store.engines import Store
from cakg.viz.analytics import Analytics, analytics, top_nodes
from cakg.viz.exports import export_network
from cakg.viz.projections import (
    KINDS,
    close_names,
    did_you_mean,
    ego,
    focus_candidates,
    project,
    resolve_focus,
    word_list,
)
from cakg.viz.styles import KIND_STYLE
from cakg.viz.viewdata import ViewData

__all__ = [
    "ViewStats",
    "build_network",
    "focused_networks",
    "network_stats",
    "render_all",
    "render_view",
]


@dataclass
class ViewStats:
    """A view's network and its analytics."""

    kind: str
    network: nx.Graph
    analytics: Analytics

    def top(self, n: int = 10) -> list[dict[str, Any]]:
        """The n most central nodes with their label, kind, centralities and community."""
        out = []
        for x in top_nodes(self.network, self.analytics, n):
            d = self.network.nodes[x]
            out.append(
                {
                    "id": x,
                    "label": str(d.get("label") or x),
                    "kind": str(d.get("kind", "")),
                    "degree": self.analytics["degree"].get(x, 0.0),
                    "betweenness": self.analytics["betweenness"].get(x, 0.0),
                    "community": self.analytics["community"].get(x, -1),
                }
            )
        return out


def build_network(
    store: Store, kind: str, focus: str | None = None, depth: int = 1, data: ViewData | None = None
) -> nx.Graph:
    """The projection `kind`, or the ego network of `focus` (an IRI, label or slug) in it.

    A focus the view lacks but another view holds is an error that names those views.
    """
    data = data or ViewData(store)
    g = project(store, kind, data)
    if focus is None:
        return g
    if not focus_candidates(g, focus):
        elsewhere = {k: _label_in(store, k, focus, data) for k in KINDS if k != kind}
        found = [k for k, label in elsewhere.items() if label is not None]
        if found:
            label = elsewhere[found[0]]
            raise InputError(
                f"{label} is not in the {kind} view (it shows {_node_kinds(g)}); "
                f"try --kind {word_list(found)}"
            )
    return ego(g, resolve_focus(g, focus), depth)


def _label_in(store: Store, kind: str, focus: str, data: ViewData) -> str | None:
    """The label of the node `focus` names in view `kind`, None if it names none there."""
    g = project(store, kind, data)
    hits = focus_candidates(g, focus)
    return str(g.nodes[hits[0]].get("label") or hits[0]) if hits else None


def _node_kinds(g: nx.Graph) -> str:
    """What a network's nodes are, in words: 'experts, states and regions'."""
    present = {
        d.get("kind") if d.get("kind") in KIND_STYLE else "other" for _, d in g.nodes(data=True)
    }
    words = [KIND_STYLE[k][0].split(" (")[0] + "s" for k in KIND_STYLE if k in present]
    return word_list(words, "and") if words else "no nodes"


def focused_networks(
    store: Store,
    kinds: tuple[str, ...] | list[str],
    focus: str | None = None,
    depth: int = 1,
    data: ViewData | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> dict[str, nx.Graph]:
    """The networks of `kinds` (each around `focus` if given), by kind.

    With several kinds, a kind whose view lacks the focus is left out and `on_skip` told
    in one line; it is an error only when no view holds the focus.
    """
    data = data or ViewData(store)
    if focus is None or len(kinds) == 1:
        return {k: build_network(store, k, focus, depth, data) for k in kinds}
    out: dict[str, nx.Graph] = {}
    skipped: list[str] = []
    similar: list[str] = []
    for kind in kinds:
        g = project(store, kind, data)
        if focus_candidates(g, focus):
            out[kind] = ego(g, resolve_focus(g, focus), depth)
        else:
            skipped.append(f"the {kind} view has no node {focus!r}; skipped")
            similar += close_names(g, focus)
    if not out:
        raise InputError(f"no view has a node {focus!r}{did_you_mean(similar)}")
    for line in skipped:
        if on_skip is not None:
            on_skip(line)
    return out


def network_stats(
    store: Store,
    kinds: tuple[str, ...] | list[str] = KINDS,
    focus: str | None = None,
    depth: int = 1,
    on_skip: Callable[[str], None] | None = None,
) -> list[ViewStats]:
    """Analytics of each view (or of each view's ego network around `focus`)."""
    networks = focused_networks(store, kinds, focus, depth, on_skip=on_skip)
    return [ViewStats(kind, g, analytics(g)) for kind, g in networks.items()]


def _stem(out: Path, kind: str, g: nx.Graph) -> tuple[Path, Path]:
    """(html path, stem for figures and exports) for a view written to `out`."""
    if out.suffix.lower() in (".html", ".htm"):
        return out, out.with_suffix("")
    name = kind
    focus = g.graph.get("focus")
    if focus:
        name += "-" + slugify(str(g.nodes[focus].get("label") or focus))
        if g.graph.get("depth", 1) != 1:
            name += f"-depth{g.graph['depth']}"
    return out / f"{name}.html", out / name


def render_view(
    store: Store,
    kind: str,
    out: Path,
    focus: str | None = None,
    depth: int = 1,
    *,
    figures: bool = True,
    exports: bool = True,
    data: ViewData | None = None,
) -> list[Path]:
    """Write one view: HTML (to OUT if it ends in .html, else OUT/KIND.html), figures, exports."""
    g = build_network(store, kind, focus, depth, data)
    return _write_view(g, kind, Path(out), figures=figures, exports=exports)


def _write_view(g: nx.Graph, kind: str, out: Path, *, figures: bool, exports: bool) -> list[Path]:
    """Write the page of network `g`, then its figures and exports beside it."""
    from cakg.viz.figures import draw_heatmap, draw_network
    from cakg.viz.html import render_html

    stats = analytics(g)
    html_path, stem = _stem(out, kind, g)
    written = [atomic_write(html_path, render_html(g, stats).encode("utf-8"))]
    if figures:
        written += draw_network(g, stem, stats)
        if kind == "stances":
            written += draw_heatmap(g, stem.with_name(stem.name + "-heatmap"))
    if exports:
        written += export_network(g, stem, stats)
    return written


def render_all(
    store: Store,
    out_dir: Path,
    focus: str | None = None,
    depth: int = 1,
    *,
    figures: bool = True,
    exports: bool = True,
    on_skip: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write every view (HTML, figures, GraphML, GEXF) into OUT_DIR, with an index page.

    Around `focus`, the views that lack it are skipped (`on_skip` is told which).
    """
    out_dir = Path(out_dir)
    if out_dir.suffix.lower() in (".html", ".htm"):
        raise InputError("--kind all writes several files: give a folder to -o, not an .html file")
    written: list[Path] = []
    pages: list[tuple[str, Path]] = []
    for kind, g in focused_networks(store, KINDS, focus, depth, on_skip=on_skip).items():
        files = _write_view(g, kind, out_dir, figures=figures, exports=exports)
        pages.append((kind, files[0]))
        written += files
    written.append(_write_index(out_dir, pages, written))
    return written


def _write_index(out_dir: Path, pages: list[tuple[str, Path]], files: list[Path]) -> Path:
    """A small offline page linking the views, their figures and exports."""
    items = []
    for kind, page in pages:
        siblings = sorted(
            p.name
            for p in files
            if p.parent == page.parent and p.stem.startswith(page.stem) and p != page
        )
        links = " · ".join(
            f'<a href="{htmllib.escape(s)}">{htmllib.escape(s)}</a>' for s in siblings
        )
        items.append(
            f'<li><a href="{htmllib.escape(page.name)}"><b>{htmllib.escape(kind)}</b></a>'
            f"<br><small>{links}</small></li>"
        )
    body = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\"><title>cakg views</title>"
        "<style>body{font:15px/1.5 system-ui,sans-serif;margin:2em;max-width:50em}"
        "li{margin:.6em 0}</style></head><body><h1>cakg network views</h1><ul>"
        + "".join(items)
        + "</ul><p>Interactive pages work offline (vis-network and Tom Select are inlined from "
        "the installed pyvis package). PNG/SVG figures for papers; GraphML and GEXF for "
        "Gephi.</p></body></html>\n"
    )
    return atomic_write(out_dir / "views.html", body.encode("utf-8"))
