"""JSON-LD in a stable order: nodes by id, keys with id and type first, value sets sorted."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rdflib import Graph

__all__ = ["jsonld"]


def _list_terms(ctx: Mapping[str, Any]) -> set[str]:
    """Terms whose values are ordered lists (``@container: @list``), which must not be sorted."""
    out = set()
    for term, definition in ctx.items():
        if isinstance(definition, dict) and definition.get("@container") in ("@list", ["@list"]):
            out.add(term)
    return out


def _json_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _keyword_aliases(ctx: Mapping[str, Any]) -> dict[str, str]:
    """Terms that alias keywords (``"id": "@id"``), so the id and type can be written first."""
    return {t: d for t, d in ctx.items() if isinstance(d, str) and d.startswith("@")}


_KEY_RANK = {"@context": 0, "@id": 1, "@type": 2, "@value": 3, "@language": 4}


def _key_order(key: str, aliases: Mapping[str, str]) -> tuple[int, str]:
    return (_KEY_RANK.get(aliases.get(key, key), 9), key)


def _sort_json(
    value: Any, ordered: set[str], aliases: Mapping[str, str], key: str | None = None
) -> Any:
    # JSON-LD arrays are unordered sets of values (JSON-LD 1.1 §4.3) except lists;
    # object keys: the node's id and type first (as people read them), then by name.
    if isinstance(value, dict):
        return {
            k: value[k] if k == "@context" else _sort_json(value[k], ordered, aliases, k)
            for k in sorted(value, key=lambda k: _key_order(k, aliases))
        }
    if isinstance(value, list):
        items = [_sort_json(v, ordered, aliases) for v in value]
        if key == "@list" or key in ordered:
            return items
        return sorted(items, key=_json_key)
    return value


def jsonld(graph: Graph, context: Mapping[str, Any]) -> bytes:
    """A graph as compacted JSON-LD under ``context``, nodes, keys and value sets sorted."""
    raw = graph.serialize(format="json-ld", context=dict(context), auto_compact=False)
    doc = json.loads(raw)
    if isinstance(doc, list):
        doc = {"@graph": doc}
    nodes = doc.get("@graph")
    if nodes is None:
        nodes = [{k: v for k, v in doc.items() if k != "@context"}] if len(doc) > 1 else []
    ordered = _list_terms(context)
    aliases = _keyword_aliases(context)
    id_keys = [k for k, v in aliases.items() if v == "@id"] + ["@id"]

    def node_id(node: Mapping[str, Any]) -> str:
        return next((str(node[k]) for k in id_keys if k in node), "")

    nodes = sorted(
        (_sort_json(n, ordered, aliases) for n in nodes), key=lambda n: (node_id(n), _json_key(n))
    )
    out = {"@context": dict(context), "@graph": nodes}
    return (json.dumps(out, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
