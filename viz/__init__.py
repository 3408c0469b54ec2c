"""Network views of the graph: networkx projections, offline pyvis HTML, figures, Gephi exports.

>>> from cakg.viz import KINDS
>>> KINDS
('actors', 'claims', 'stances', 'comentions')
"""

from __future__ import annotations

from cakg.viz.analytics import Analytics, analytics
from cakg.viz.exports import export_network
from cakg.viz.projections import KINDS, ego, project, resolve_focus
from cakg.viz.viewdata import ViewData
from cakg.viz.views import ViewStats, build_network, network_stats, render_all, render_view

__all__ = [
    "KINDS",
    "Analytics",
    "ViewData",
    "ViewStats",
    "analytics",
    "build_network",
    "ego",
    "export_network",
    "network_stats",
    "project",
    "render_all",
    "render_view",
    "resolve_focus",
]
