"""Writing views to files: each projection's page, figures and exports, and an index page."""

from __future__ import annotations

import html as htmllib
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
from cakg.viz.projections import KINDS, ego, project, resolve_focus
from cakg.viz.viewdata import ViewData

__all__ = ["ViewStats", "build_network", "network_stats", "render_all", "render_view"]


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
    """The projection `kind`, or the ego network of `focus` (an IRI, label or slug) in it."""
    g = project(store, kind, data)
    if focus is None:
        return g
    return ego(g, resolve_focus(g, focus), depth)


def network_stats(
    store: Store,
    kinds: tuple[str, ...] | list[str] = KINDS,
    focus: str | None = None,
    depth: int = 1,
) -> list[ViewStats]:
    """Analytics of each view (or of each view's ego network around `focus`)."""
    out = []
    data = ViewData(store)
    for kind in kinds:
        g = _network_or_skip(store, kind, focus, depth, data, strict=len(kinds) == 1)
        if g is not None:
            out.append(ViewStats(kind, g, analytics(g)))
    return out


def _network_or_skip(
    store: Store, kind: str, focus: str | None, depth: int, data: ViewData, *, strict: bool
) -> nx.Graph | None:
    try:
        return build_network(store, kind, focus, depth, data)
    except InputError:
        if strict or focus is None:
            raise
        return None  # the focus is not part of this view (e.g. an expert in co-mentions)


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
    from cakg.viz.figures import draw_heatmap, draw_network
    from cakg.viz.html import render_html

    out = Path(out)
    g = build_network(store, kind, focus, depth, data)
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
) -> list[Path]:
    """Write every view (HTML, figures, GraphML, GEXF) into OUT_DIR, with an index page."""
    out_dir = Path(out_dir)
    if out_dir.suffix.lower() in (".html", ".htm"):
        raise InputError("--kind all writes several files: give a folder to -o, not an .html file")
    written: list[Path] = []
    pages: list[tuple[str, Path]] = []
    data = ViewData(store)
    for kind in KINDS:
        try:
            files = render_view(
                store, kind, out_dir, focus, depth, figures=figures, exports=exports, data=data
            )
        except InputError:
            if focus is None:
                raise
            continue  # the focus is not part of this view
        pages.append((kind, files[0]))
        written += files
    if not pages:
        raise InputError(f"no view contains {focus!r}")
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
