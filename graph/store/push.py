"""``cakg push``: load a built graph into a SPARQL 1.1 store, keeping its named graphs.

Graphs go by the Graph Store HTTP Protocol where the server has one, else by SPARQL Update
(see :class:`~cakg.graph.store.remote.RemoteStore`), with progress on stderr for large graphs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from cakg.errors import InputError
from cakg.graph.store.chunks import GSP_CHUNK, UPDATE_CHUNK, chunk_triples
from cakg.graph.store.dataset import KnowledgeGraph, load_knowledge_graph
from cakg.graph.store.remote import DEFAULT_TIMEOUT, Method, RemoteStore

__all__ = ["PushReport", "push"]

PROGRESS_FROM = 5_000  # triples: smaller pushes take well under a second


@dataclass
class PushReport:
    """What a push did: graphs and triples sent, how, and how long it took."""

    endpoint: str
    method: str
    server: str
    graphs: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    replaced: bool = False

    @property
    def triples(self) -> int:
        """Triples sent, summed over the graphs: each graph is loaded whole, so a triple two
        graphs hold is sent twice (unlike :func:`cakg.graph.info.triple_count`, a set)."""
        return sum(self.graphs.values())


def push(
    source: KnowledgeGraph | Path | Sequence[Path],
    endpoint: str,
    *,
    graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
    replace: bool = False,
    update_endpoint: str | None = None,
    gsp_endpoint: str | None = None,
    method: Method = "auto",
    timeout: float = DEFAULT_TIMEOUT,
    progress: Any = None,
    chunk_size: int | None = None,
    token: str | None = None,
) -> PushReport:
    """Load a built graph into a SPARQL 1.1 store, keeping its named graphs.

    ``graph`` loads everything into that one graph instead; ``replace`` empties the
    target graphs first (otherwise triples are added to what the graphs hold).
    ``progress`` is a Rich console to draw a progress bar on (stderr in the CLI).
    ``token`` is sent as ``Authorization: Bearer`` (`cakg serve --write-token`), instead of
    ``user`` and ``password``.
    """
    kg = source if isinstance(source, KnowledgeGraph) else load_knowledge_graph(source)
    if graph is not None and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", graph):
        raise InputError(f"--graph must be an absolute IRI: {graph!r}")
    targets: dict[URIRef, Graph] = {}
    if graph is not None:
        merged = kg.merged()
        targets[URIRef(graph)] = merged
    else:
        targets = {name: g for name, g in kg if len(g)}
    store = RemoteStore(
        endpoint,
        update_endpoint=update_endpoint,
        gsp_endpoint=gsp_endpoint,
        user=user,
        password=password,
        timeout=timeout,
        base=kg.base,
        method=method,
        token=token,
    )
    began = time.monotonic()
    with store:
        ep = store.endpoints
        use_gsp = store.uses_graph_store()
        report = PushReport(
            endpoint, "graph-store" if use_gsp else "sparql-update", ep.server, replaced=replace
        )
        size = chunk_size or (GSP_CHUNK if use_gsp else UPDATE_CHUNK)
        plan = [(name, chunk_triples(g, size)) for name, g in targets.items()]
        total = sum(len(c) for _, chunks in plan for c in chunks)
        advance = _progress_bar(progress, total)
        try:
            if replace:
                for name in targets:
                    store.clear_graph(name)
            for name, chunks in plan:
                for chunk in chunks:
                    store.add_triples(name, chunk)
                    advance(len(chunk), str(name))
                report.graphs[str(name)] = sum(len(c) for c in chunks)
        finally:
            advance(0, None)
    report.seconds = time.monotonic() - began
    return report


def _progress_bar(console: Any, total: int) -> Callable[[int, str | None], None]:
    """A Rich progress bar on ``console``; ``advance(0, None)`` closes it."""
    if console is None or total < PROGRESS_FROM:
        return lambda n, label: None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("pushing {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("triples"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    task = bar.add_task("", total=total)
    bar.start()

    def advance(n: int, label: str | None) -> None:
        if label is None:
            bar.stop()
            return
        bar.update(task, advance=n, description=label.rsplit("/graph/", 1)[-1])

    return advance
