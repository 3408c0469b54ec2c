"""What the ``cakg`` command prints: errors, tables, query results and network statistics."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from cakg.errors import CakgError

if TYPE_CHECKING:
    from cakg.graph.corpus import StoreReport
    from cakg.queries import QueryAnswer
    from cakg.viz import ViewStats

__all__ = [
    "article_progress",
    "console",
    "err_console",
    "print_answer",
    "print_network_stats",
    "print_store_report",
    "print_table",
    "render_table",
    "report_error",
    "reports_errors",
    "stdout_console",
]

F = TypeVar("F", bound=Callable[..., Any])

# Piped output is as wide as a wide terminal, so tables stay readable in files and logs.
PIPED_WIDTH = 200


def stdout_console() -> Console:
    """stdout at its width now: the terminal's or COLUMNS, else (piped) PIPED_WIDTH."""
    columns = os.environ.get("COLUMNS", "")
    piped = not sys.stdout.isatty() and not columns.isdigit()
    # Without a width, rich takes COLUMNS, then the terminal's size.
    return Console(width=PIPED_WIDTH if piped else None)


console = stdout_console()
err_console = Console(stderr=True)


def report_error(exc: CakgError) -> NoReturn:
    """Print a CakgError as one line on stderr (plus its context) and exit with its code."""
    click.echo(f"cakg: error: {exc.one_line()}", err=True)
    context = exc.context()
    if context:
        click.echo(context, err=True)
    sys.exit(exc.exit_code)


def reports_errors(func: F) -> F:
    """Turn a CakgError into one line on stderr (plus its context) and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CakgError as exc:
            report_error(exc)

    return wrapper  # type: ignore[return-value]


CELL_MAX = 90  # characters of a table cell; --format csv/json give whole values


def _cell(text: str) -> str:
    """A cell's text on one line; prose is cut at CELL_MAX, identifiers (no spaces) never are."""
    text = " ".join(text.split())
    if len(text) <= CELL_MAX or " " not in text:
        return text
    return text[: CELL_MAX - 1] + "…"


# The narrowest a column may wrap to and still be read: below it, words break into letters.
READABLE = 16
# What a table spends on each column besides its text: a border and a space either side.
_COLUMN_CHROME = 3


def _readable_widths(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """The width each column needs to be read: its whole header, and READABLE for its cells."""
    natural = [max([len(c)] + [len(_cell(r[i])) for r in rows]) for i, c in enumerate(columns)]
    return [min(n, max(len(c), READABLE)) for c, n in zip(columns, natural, strict=True)]


def render_table(
    title: str | None, columns: Sequence[str], rows: Sequence[Sequence[str]], width: int
) -> RenderableType:
    """Rows as a table when each column gets a readable width, else one block per row.

    The blocks (``column  value``, as ``psql \\x`` prints) keep every column and the whole
    of each value, wrapped to the width, so a narrow terminal still shows the evidence.
    """
    needed = _readable_widths(columns, rows)
    if sum(needed) + _COLUMN_CHROME * len(columns) + 1 <= width:
        table = Table(title=title, show_lines=len(columns) > 4, header_style="bold")
        for col, least in zip(columns, needed, strict=True):
            # Short columns keep their width; long texts (quotes) take what is left and wrap.
            table.add_column(col, overflow="fold", min_width=least)
        for row in rows:
            # Text, not markup: "[the CSTO]" in a quote is shown as it is written.
            table.add_row(*(Text(_cell(c)) for c in row))
        return table
    return _records(title, columns, rows, width)


def _records(
    title: str | None, columns: Sequence[str], rows: Sequence[Sequence[str]], width: int
) -> Text:
    """One block per row, each column on its own line(s): the layout of ``psql \\x``."""
    key_width = max(len(c) for c in columns)
    value_width = max(width - key_width - 2, READABLE)
    out = Text()
    if title:
        out.append(title + "\n", style="italic")
    if not rows:
        out.append("no rows; the columns:\n" + "".join(f"{c}\n" for c in columns))
    for number, row in enumerate(rows, 1):
        head = f"─[ {number} of {len(rows)} ]"
        out.append(head + "─" * max(width - len(head), 0) + "\n", style="dim")
        for col, value in zip(columns, row, strict=True):
            # Whole values, wrapped at spaces (an IRI is cut where it must): a row's evidence
            # is the point of showing it. Appended as text, never read as markup.
            text = " ".join(value.split())
            lines = textwrap.wrap(text, value_width, break_on_hyphens=False) or [""]
            out.append(col.ljust(key_width), style="bold")
            out.append(f"  {lines[0]}\n")
            for line in lines[1:]:
                out.append(" " * (key_width + 2) + line + "\n")
    out.rstrip()
    return out


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    out: Console | None = None,
) -> None:
    """Print rows on stdout (or ``out``) at its width: a table, or blocks when it is narrow."""
    out = out or stdout_console()
    out.print(render_table(title, columns, rows, out.width))


def print_answer(answer: QueryAnswer, fmt: str, out: Console | None = None) -> None:
    """A query's result on stdout: a table (or true/false, or Turtle), else the W3C format."""
    from cakg.queries import format_term, serialize_result, table_columns

    result = answer.result
    if fmt != "table" or result.kind == "CONSTRUCT":
        sys.stdout.buffer.write(serialize_result(result, "ttl" if fmt == "table" else fmt))
        sys.stdout.flush()
    elif result.kind == "ASK":
        (out or stdout_console()).print("true" if result.boolean else "false")
    else:
        cols = table_columns(result.vars)
        rows = [[format_term(row.get(v), answer.base) for v in cols] for row in result.rows]
        print_table(f"{answer.query.name}: {len(rows)} row(s)", cols, rows, out)


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


@contextmanager
def article_progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar of articles done, with their rate (articles/s), on a terminal's stderr;
    elsewhere nothing is drawn. Yields the function to call as each article is done."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    if not err_console.is_terminal:
        yield lambda _source: None
        return
    columns = (
        TextColumn("[bold]articles"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} articles/s"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("articles", total=total, rate="–")

        def advance(_source: str) -> None:
            bar.advance(task)
            elapsed = bar.tasks[task].elapsed or 0.0
            done = bar.tasks[task].completed
            bar.update(task, rate=f"{done / elapsed:.1f}" if elapsed else "–")

        yield advance


def print_store_report(report: StoreReport) -> None:
    """What `cakg build --store` did: warnings, the counts, and each article not added."""
    for warning in report.warnings:
        click.echo(f"cakg: warning: {warning}", err=True)
    rows = [["added", str(len(report.added))], ["replaced", str(len(report.replaced))]]
    rows += [[k, str(v)] for k, v in report.counts.items()]
    print_table(f"cakg build --store {report.store}", ["", "count"], rows)
    for line in report.failed:
        click.echo(f"cakg: error: {line}", err=True)
