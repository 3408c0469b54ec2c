"""The `cakg` command: a thin layer, each subcommand calls one library function.

Exit codes are a contract: 0 ok, 1 invalid data (SHACL violations, an inconsistent
ontology, a violation query with rows), 2 bad input or usage.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table

from cakg.errors import CakgError

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
err_console = Console(stderr=True)


def reports_errors(func: F) -> F:
    """Turn a CakgError into one line on stderr and its exit code, without a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CakgError as exc:
            click.echo(f"cakg: error: {exc.one_line()}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def print_table(title: str | None, columns: list[str], rows: list[list[str]]) -> None:
    """Print rows as a Rich table (readable in a terminal, plain when piped)."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)


DATA_OPTION = click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Built graph (kg.trig, a folder holding it, or any RDF file); default out/kg.trig.",
)


def data_paths(data: tuple[Path, ...]) -> list[Path]:
    return list(data) if data else [Path("out") / "kg.trig"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cakg")
def cli() -> None:
    """cakg: a knowledge graph of regional relations in Central Asia."""


# --- build, validate, reason, info (foundation) -----------------------------------------------


@cli.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
              show_default=True, help="Folder for kg.trig and kg.ttl.")
@click.option("--base", default=None, help="Base IRI of the data (default https://cakg.example.org/id/).")
@click.option("--curation", type=click.Path(path_type=Path), multiple=True,
              help="Curation overlay (YAML) to apply; default: <article>.curation.yaml beside each article.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation of the result.")
@reports_errors
def build(articles: tuple[Path, ...], out_dir: Path, base: str | None,
          curation: tuple[Path, ...], no_validate: bool) -> None:
    """Build the graph from ARTICLES (default: the bundled CABAR roundup)."""
    from cakg.graph.build import build_graph

    report = build_graph(list(articles), out_dir, base=base, curation=list(curation),
                         validate=not no_validate, progress=err_console)
    for warning in report.warnings:
        click.echo(f"cakg: warning: {warning}", err=True)
    print_table("cakg build", ["", "count"], [[k, str(v)] for k, v in report.counts.items()])
    for path in report.written:
        console.print(f"wrote {path}")
    if report.violations:
        click.echo(f"cakg: error: {report.violations} SHACL violation(s); see `cakg validate`", err=True)
        sys.exit(1)


@cli.command()
@click.argument("graph", nargs=-1, type=click.Path(path_type=Path))
@reports_errors
def validate(graph: tuple[Path, ...]) -> None:
    """Validate a built graph against the SHACL shapes (exit 1 on violations)."""
    from cakg.graph.validate import validate_files

    report = validate_files(data_paths(graph))
    if report.conforms:
        console.print(f"[green]conforms[/green]: {report.triples} triples, no violations")
        return
    print_table(f"{len(report.results)} SHACL violation(s)", ["focus", "path", "message"],
                [[r.focus, r.path, r.message] for r in report.results])
    sys.exit(1)


@cli.command()
@click.argument("graph", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=None,
              help="Where to write the dataset with the inferred graph (default: in place).")
@reports_errors
def reason(graph: tuple[Path, ...], out: Path | None) -> None:
    """Run HermiT over ontology + data: check consistency, store inferences in their own graph."""
    from cakg.graph.reason import reason_files

    report = reason_files(data_paths(graph), out=out)
    if not report.consistent:
        click.echo(f"cakg: error: inconsistent: {report.explanation}", err=True)
        sys.exit(1)
    console.print(f"[green]consistent[/green]: {report.inferred} inferred triples "
                  f"in <{report.graph}> ({report.seconds:.1f} s)")
    if report.written:
        console.print(f"wrote {report.written}")


@cli.command()
@click.argument("graph", nargs=-1, type=click.Path(path_type=Path))
@reports_errors
def info(graph: tuple[Path, ...]) -> None:
    """Counts of states, organizations, experts, claims and triples in a built graph."""
    from cakg.graph.info import graph_info

    counts = graph_info(data_paths(graph))
    print_table("cakg info", ["", "count"], [[k, str(v)] for k, v in counts.items()])


@cli.command()
@click.argument("article", type=click.Path(path_type=Path))
@click.argument("gold", type=click.Path(path_type=Path))
@reports_errors
def evaluate(article: Path, gold: Path) -> None:
    """Precision and recall of extraction from ARTICLE against a GOLD annotation (YAML)."""
    from cakg.graph.evaluate import evaluate_article

    report = evaluate_article(article, gold)
    print_table(f"evaluation of {article.name}", ["measure", "precision", "recall", "n"],
                [[m.name, f"{m.precision:.2f}", f"{m.recall:.2f}", str(m.support)]
                 for m in report.measures])
    console.print(f"answer trend accuracy: {report.trend_accuracy:.2f} ({report.trend_n} answers)")
    console.print(f"evidence offsets exact: {report.offsets_exact}/{report.offsets_total}")


# --- query, queries (issue: queries and endpoint) ----------------------------------------------

# --- serve ---------------------------------------------------------------------------------------

# --- export, push --------------------------------------------------------------------------------

# --- view ----------------------------------------------------------------------------------------


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="cakg")
