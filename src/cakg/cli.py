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

VIEW_KINDS = ("actors", "claims", "stances", "comentions", "all")


@cli.command()
@click.option("--kind", type=click.Choice(VIEW_KINDS), default="all", show_default=True,
              help="Which network: actors, claims, stances, comentions, or all four.")
@click.option("--focus", metavar="ENTITY",
              help="An ego view around a state, organization or expert "
              "(IRI, label, acronym or slug).")
@click.option("--depth", type=click.IntRange(0, 10), default=1, show_default=True,
              help="Hops around --focus.")
@click.option("-o", "--out", "out", type=click.Path(path_type=Path), default=None,
              help="FILE.html for one view, or a folder (default out/); figures (PNG, SVG) and "
              "GraphML/GEXF are written beside the HTML.")
@click.option("--stats", is_flag=True,
              help="Print degree and betweenness centrality and Louvain communities of each "
              "network (files are then written only if -o is given).")
@click.option("--no-figures", is_flag=True, help="Skip the PNG/SVG figures.")
@click.option("--no-exports", is_flag=True, help="Skip the GraphML/GEXF exports.")
@DATA_OPTION
@reports_errors
def view(kind: str, focus: str | None, depth: int, out: Path | None, stats: bool,
         no_figures: bool, no_exports: bool, data: tuple[Path, ...]) -> None:
    """Network views of the graph: interactive offline HTML, figures, Gephi exports, analytics."""
    from cakg.graph.store import open_store
    from cakg.viz import KINDS, network_stats, render_all, render_view

    store = open_store(data_paths(data))
    kinds = list(KINDS) if kind == "all" else [kind]
    if stats:
        for vs in network_stats(store, kinds, focus=focus, depth=depth):
            a = vs.analytics
            g = vs.network
            where = f" around {focus} (depth {depth})" if focus else ""
            print_table(
                f"{vs.kind}{where}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
                f"{len(a['communities'])} Louvain communities (modularity {a['modularity']:.3f})"
                + (", betweenness estimated" if a["approximate"] else ""),
                ["node", "type", "degree", "betweenness", "community"],
                [[r["label"], r["kind"].replace("international-organization", "intl. organization"),
                  f"{r['degree']:.3f}", f"{r['betweenness']:.3f}", str(r["community"])]
                 for r in vs.top(10)],
            )
            print_table(None, ["community", "size", "members (most central first)"],
                        [[str(i), str(len(c)), ", ".join(
                            str(g.nodes[x].get("label") or x) for x in sorted(
                                c, key=lambda x: -a["degree"].get(x, 0.0))[:8])
                          + (" …" if len(c) > 8 else "")]
                         for i, c in enumerate(a["communities"][:10])])
        if out is None:
            return
    target = out if out is not None else Path("out")
    options = {"figures": not no_figures, "exports": not no_exports}
    if kind == "all":
        written = render_all(store, target, focus=focus, depth=depth, **options)
    else:
        written = render_view(store, kind, target, focus=focus, depth=depth, **options)
    for path in written:
        console.print(f"wrote {path}")


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="cakg")
