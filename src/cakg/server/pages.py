"""View models for the HTML pages: table cells, links to entities, the neighbourhood drawing.

Every value reaches the page through a Jinja2 template with autoescaping on; nothing here
builds HTML. Links to IRIs under the data's base IRI stay on this server (``/id/...``);
other IRIs go to ``/describe?iri=...``, which shows what the graph says about them.

>>> links = Links("https://kg.example/id/")
>>> links.href("https://kg.example/id/state/kazakhstan")
'/id/state/kazakhstan'
>>> links.href("http://schema.org/Claim")
'/describe?iri=http%3A%2F%2Fschema.org%2FClaim'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from cakg.queries import format_term, label_columns, table_columns

__all__ = ["Links", "clip", "neighbourhood", "result_table"]

# Long quotes stay whole in CSV/JSON; a page cell shows this much and the rest on demand.
CELL_CHARS = 600


@dataclass(frozen=True)
class Links:
    """Where an IRI points on this server, and how it reads."""

    base: str | None

    def local_path(self, iri: str) -> str | None:
        """The path below /id/ that resolves an IRI minted under the base, else None."""
        if self.base and iri.startswith(self.base) and len(iri) > len(self.base):
            rest = iri[len(self.base) :]
            if "#" not in rest and "?" not in rest:
                return rest
        return None

    def href(self, iri: str) -> str:
        rest = self.local_path(iri)
        if rest is not None:
            return "/id/" + quote(rest, safe="/-_.~")
        return "/describe?iri=" + quote(iri, safe="")

    def short(self, iri: str) -> str:
        """How an IRI reads: a prefixed name, or its path under the base (long paths cut to
        their last two steps: ``…/claim/17``).

        >>> Links("https://kg.example/id/").short("https://kg.example/id/article/a-b/claim/17")
        '…/claim/17'
        """
        text = format_term(URIRef(iri), self.base)
        if self.local_path(iri) is not None and text.count("/") > 1:
            return "…/" + "/".join(text.rsplit("/", 2)[-2:])
        return text

    def cell(
        self, node: Node | Mapping[str, Any] | None, label: str | None = None
    ) -> dict[str, Any]:
        """A table cell: text, optional link, optional full text when cut."""
        if node is None:
            return {"text": ""}
        if isinstance(node, Mapping):
            kind, value = node.get("kind"), str(node.get("value", ""))
            label = label or node.get("label")
            if kind == "iri":
                return {
                    "text": label or self.short(value),
                    "href": self.href(value),
                    "title": value,
                }
            if kind == "bnode":
                return {"text": f"_:{value}"}
            lang = node.get("lang")
            return self._text(value, lang=str(lang) if lang else None)
        if isinstance(node, URIRef):
            return {
                "text": label or self.short(str(node)),
                "href": self.href(str(node)),
                "title": str(node),
            }
        if isinstance(node, BNode):
            return {"text": f"_:{node}"}
        assert isinstance(node, Literal)
        return self._text(str(node), lang=node.language)

    @staticmethod
    def _text(value: str, lang: str | None = None) -> dict[str, Any]:
        if len(value) > CELL_CHARS:
            return {"text": value[:CELL_CHARS] + "…", "full": value, "lang": lang}
        return {"text": value, "lang": lang}


def result_table(
    links: Links, variables: Sequence[str], rows: Sequence[Mapping[str, Node]]
) -> dict[str, Any]:
    """Columns and cells of a SELECT result for a page.

    An IRI column with a ``...Label`` companion is folded into it: the cell shows the label
    and links the IRI.
    """
    cols = table_columns(variables)
    labels = label_columns(variables)
    body = []
    for row in rows:
        cells = []
        for v in cols:
            iri = row.get(labels[v]) if v in labels else None
            if isinstance(iri, URIRef):
                cells.append(links.cell(iri, str(row[v]) if v in row else None))
            else:
                cells.append(links.cell(row.get(v)))
        body.append(cells)
    return {"columns": cols, "rows": body}


def neighbourhood(
    links: Links,
    center: str,
    label: str,
    edges: Sequence[tuple[str, str, str, str]],
    limit: int = 24,
) -> dict[str, Any]:
    """A radial drawing of an entity and its linked IRIs: (direction, predicate, iri, label).

    Labelled things minted under the base come first; web pages and external IRIs last.
    Every label cut to fit carries its full text as a tooltip (``title``).
    """
    width, height, radius = 900, 480, 180
    cx, cy = width / 2, height / 2
    grouped: dict[str, dict[str, Any]] = {}
    for direction, pred, iri, text in edges:
        if iri == center:
            continue
        node = grouped.setdefault(
            iri, {"iri": iri, "label": text, "preds": set(), "dir": direction}
        )
        node["preds"].add(links.short(pred))

    def rank(node: dict[str, Any]) -> tuple[int, str]:
        local = links.local_path(node["iri"]) is not None
        return (0 if local and node["label"] else 1 if node["label"] else 2 if local else 3,
                node["label"] or node["iri"])  # fmt: skip

    chosen = sorted(grouped.values(), key=rank)[:limit]
    show_edges = len(chosen) <= 12
    nodes = []
    n = max(len(chosen), 1)
    for i, node in enumerate(chosen):
        angle = 2 * math.pi * i / n - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        preds = ", ".join(sorted(node["preds"]))
        about = f"{preds}: {node['iri']}"
        edge, edge_title = clip(preds, 26) if show_edges else ("", "")
        # A label centred above or below its node spans both neighbours: set it further out.
        anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
        out = radius + (24 if anchor == "middle" else 12)
        nodes.append(
            {
                "x": round(cx + radius * cos, 1),
                "y": round(cy + radius * sin, 1),
                "lx": round(cx + out * cos, 1),
                "ly": round(cy + out * sin, 1),
                "anchor": anchor,
                "mx": round(cx + radius * 0.62 * cos, 1),
                "my": round(cy + radius * 0.62 * sin - 4, 1),
                "href": links.href(node["iri"]),
                "label": clip(node["label"] or links.short(node["iri"]), 30)[0],
                # The link's tooltip: the full label (a shortened IRI is in full below it).
                "title": f"{node['label']}\n{about}" if node["label"] else about,
                "edge": edge,
                "edge_title": edge_title,
                "incoming": node["dir"] == "in",
            }
        )
    shown, full = clip(label, 40)
    return {
        "width": width,
        "height": height,
        "cx": cx,
        "cy": cy,
        "label": shown,
        "label_title": full,
        "nodes": nodes,
        "more": max(len(grouped) - len(nodes), 0),
    }


def clip(text: str, n: int) -> tuple[str, str]:
    """The text cut to ``n`` characters, and the full text for a tooltip if it was cut.

    >>> clip("Kazakhstan–Kyrgyzstan relations", 12)
    ('Kazakhstan–…', 'Kazakhstan–Kyrgyzstan relations')
    >>> clip("CSTO", 12)
    ('CSTO', '')
    """
    return (text, "") if len(text) <= n else (text[: n - 1] + "…", text)
