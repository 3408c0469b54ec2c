"""What the ``cakg`` command prints: errors, tables, query results and network statistics."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from cakg.errors import CakgError

if TYPE_CHECKING:
    from cakg.queries import QueryAnswer
    from cakg.viz import ViewStats

__all__ = [
    "console",
    "err_console",
    "print_answer",
    "print_network_stats",
    "print_table",
    "reports_errors",
]

F = TypeVar("F", bound=Callable[..., Any])

# Piped output is as wide as a wide terminal, so tables stay readable in files and logs.
console = Console(width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True)


def reports_errors(func: F) -> F:
    """Turn a CakgError into one line on stderr (plus its context) and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CakgError as exc:
            click.echo(f"cakg: error: {exc.one_line()}", err=True)
            context = exc.context()
            if context:
                click.echo(context, err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


CELL_MAX = 90  # characters of a table cell; --format csv/json give whole values


def _cell(text: str) -> str:
    """A cell's text on one line; prose is cut at CELL_MAX, identifiers (no spaces) never are."""
    text = " ".join(text.split())
    if len(text) <= CELL_MAX or " " not in text:
        return text
    return text[: CELL_MAX - 1] + "…"


def print_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print rows as a Rich table: whole headers, long texts cut (use csv/json for all of it)."""
    table = Table(title=title, show_lines=len(columns) > 4, header_style="bold")
    widths = [max([len(c)] + [len(_cell(r[i])) for r in rows]) for i, c in enumerate(columns)]
    for col, width in zip(columns, widths, strict=True):
        # Short columns keep their width; long texts (quotes) take what is left and wrap.
        table.add_column(col, overflow="fold", min_width=min(width, max(len(col), 12)))
    for row in rows:
        table.add_row(*(_cell(c) for c in row))
    console.print(table)


def print_answer(answer: QueryAnswer, fmt: str) -> None:
    """A query's result on stdout: a table (or true/false, or Turtle), else the W3C format."""
    from cakg.queries import format_term, serialize_result, table_columns

    result = answer.result
    if fmt != "table":
        sys.stdout.buffer.write(serialize_result(result, fmt))
        sys.stdout.flush()
    elif result.kind == "ASK":
        console.print("true" if result.boolean else "false")
    elif result.kind == "CONSTRUCT":
        sys.stdout.write(result.serialize("ttl").decode("utf-8"))
    else:
        cols = table_columns(result.vars)
        rows = [[format_term(row.get(v), answer.base) for v in cols] for row in result.rows]
        print_table(f"{answer.query.name}: {len(rows)} row(s)", cols, rows)


def print_network_stats(stats: ViewStats, focus: str | None, depth: int) -> None:
    """Centralities and Louvain communities of one network, in two tables."""
    a = stats.analytics
    g = stats.network
    where = f" around {focus} (depth {depth})" if focus else ""
    print_table(
        f"{stats.kind}{where}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
        f"{len(a['communities'])} Louvain communities (modularity {a['modularity']:.3f})"
        + (
            f", betweenness estimated from {a['betweenness_samples']} sources"
            if a["approximate"]
            else ""
        ),
        ["node", "type", "degree", "betweenness", "community"],
        [
            [
                r["label"],
                r["kind"].replace("international-organization", "intl. organization"),
                f"{r['degree']:.3f}",
                f"{r['betweenness']:.3f}",
                str(r["community"]),
            ]
            for r in stats.top(10)
        ],
    )
    print_table(
        None,
        ["community", "size", "members (most central first)"],
        [
            [
                str(i),
                str(len(c)),
                ", ".join(
                    str(g.nodes[x].get("label") or x)
                    for x in sorted(c, key=lambda x: -a["degree"].get(x, 0.0))[:8]
                )
                + (" …" if len(c) > 8 else ""),
            ]
            for i, c in enumerate(a["communities"][:10])
        ],
    )
