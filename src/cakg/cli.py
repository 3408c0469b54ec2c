"""The `cakg` command: a thin layer, each subcommand calls one library function.

Exit codes are a contract: 0 ok, 1 invalid data (SHACL violations, an inconsistent
ontology, a violation query with rows), 2 bad input or usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cakg.curate_cli import curate
from cakg.errors import CakgError, InputError, InvalidDataError
from cakg.graph.formats import RESULT_FORMATS
from cakg.options import (
    DATA_OPTION,
    STORE_OPTION,
    LocalPath,
    data_paths,
    out_option,
    store_build_options,
)
from cakg.publish_cli import export, push
from cakg.server.config import ServerConfig
from cakg.server.config import command_options as server_options
from cakg.terminal import (
    console,
    err_console,
    print_answer,
    print_network_stats,
    print_table,
    report_error,
    reports_errors,
)


class CakgGroup(click.Group):
    """The command group: a CakgError while reading arguments is reported like any other."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CakgError as exc:
            report_error(exc)


@click.group(cls=CakgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cakg")
def cli() -> None:
    """cakg: a knowledge graph of regional relations in Central Asia."""


cli.add_command(curate)
cli.add_command(export)
cli.add_command(push)


# --- build, validate, reason, info, evaluate -----------------------------------------------------


@cli.command()
@click.argument("articles", nargs=-1)
@out_option("Folder for kg.trig and kg.ttl.", dest="out_dir", default="out")
@click.option(
    "--base", default=None, help="Base IRI of the data (default https://cakg.example.org/id/)."
)
@click.option(
    "--curation",
    type=LocalPath(),
    multiple=True,
    help="Curation overlay (YAML) to apply; default: <article>.curation.yaml beside each article.",
)
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation of the result.")
@store_build_options
@reports_errors
def build(
    articles: tuple[str, ...],
    out_dir: Path,
    base: str | None,
    curation: tuple[Path, ...],
    no_validate: bool,
    store: Path | None,
    strict: bool,
    reason: bool,
    jobs: int | None,
) -> None:
    """Build the graph from ARTICLES: files, folders, - (standard input) or http(s) URLs.

    Without ARTICLES, the bundled CABAR roundup. Fetched pages are kept in OUT/sources.
    """
    from cakg.graph.build import build_graph

    if store is not None:
        options = {"base": base, "curation": list(curation), "strict": strict, "jobs": jobs}
        options["reason"] = reason
        from cakg.graph.text.sources import local_articles

        _build_store(local_articles(articles), store, validate=not no_validate, **options)
        return

    report = build_graph(
        list(articles),
        out_dir,
        base=base,
        curation=list(curation),
        validate=not no_validate,
        progress=err_console if err_console.is_terminal else None,
    )
    for warning in report.warnings:
        click.echo(f"cakg: warning: {warning}", err=True)
    print_table("cakg build", ["", "count"], [[k, str(v)] for k, v in report.counts.items()])
    for path in report.written:
        console.print(f"wrote {path}")
    if report.violations:
        raise InvalidDataError(f"{report.violations} SHACL violation(s); see `cakg validate`")


def _build_store(articles: list[Path], store: Path, **options: Any) -> None:
    """`cakg build --store`: add articles to a corpus store, with a progress bar (articles/s)."""
    from cakg.graph.corpus import build_store
    from cakg.terminal import article_progress, print_store_report

    with article_progress(max(len(articles), 1)) as advance:
        report = build_store(articles, store, on_article=advance, **options)
    print_store_report(report)
    if report.failed:
        raise InputError(f"{len(report.failed)} article(s) not added; the others were")
    if report.inconsistent:
        raise InvalidDataError(f"{len(report.inconsistent)} inconsistent article(s)")
    if report.violations:
        raise InvalidDataError(f"{report.violations} SHACL violation(s); see `cakg validate`")


@cli.command()
@click.argument("article")
@click.option(
    "--store",
    "store",
    type=LocalPath(file_okay=False),
    required=True,
    help="The on-disk corpus store to take the article out of.",
)
@reports_errors
def remove(article: str, store: Path) -> None:
    """Take ARTICLE (its IRI, or its graph's IRI) out of a corpus store."""
    from cakg.graph.corpus import remove_article

    for name in remove_article(store, article):
        console.print(f"removed <{name}>")


@cli.command()
@click.argument("graph", nargs=-1, type=LocalPath())
@STORE_OPTION
@reports_errors
def validate(graph: tuple[Path, ...], store: Path | None) -> None:
    """Validate a built graph against the SHACL shapes (exit 1 on violations)."""
    from cakg.graph.check.validate import validate_files
    from cakg.graph.info import TRIPLES

    report = validate_files(data_paths(graph, store))
    warnings = len(report.results) - len(report.violations)
    if report.results:
        print_table(
            f"{len(report.violations)} SHACL violation(s), {warnings} warning(s)",
            ["severity", "focus", "path", "message"],
            [[r.severity, r.focus, r.path, r.message] for r in report.results],
        )
    if report.conforms:
        also = f", {warnings} warning(s)" if warnings else ""
        console.print(f"[green]conforms[/green]: {report.triples} {TRIPLES}, no violations{also}")
        return
    raise InvalidDataError(f"{len(report.violations)} SHACL violation(s)")


@cli.command()
@click.argument("graph", nargs=-1, type=LocalPath())
@out_option(
    "Where to write the dataset with the inferred graph (default: in place).",
    dest="out",
    default=None,
)
@click.option(
    "--store",
    "store",
    type=LocalPath(file_okay=False),
    default=None,
    help="Check a corpus store article by article (the ontology classified once) and keep "
    "each article's inferences in its inferred graph, instead of HermiT over files.",
)
@reports_errors
def reason(graph: tuple[Path, ...], out: Path | None, store: Path | None) -> None:
    """Run HermiT over ontology + data: check consistency, store inferences in their own graph."""
    if store is not None:
        if graph or out is not None:
            raise InputError("give the graph files or --store, not both")
        _reason_store(store)
        return
    from cakg.graph.check.reason import reason_files

    report = reason_files(data_paths(graph), out=out)
    if not report.consistent:
        raise InvalidDataError(f"inconsistent: {report.explanation}")
    console.print(
        f"[green]consistent[/green]: {report.inferred} inferred triples "
        f"in <{report.graph}> ({report.seconds:.1f} s)"
    )
    if report.written:
        console.print(f"wrote {report.written}")


def _reason_store(store: Path) -> None:
    """`cakg reason --store`: every article checked on its own, one line per inconsistent one."""
    from cakg.graph.check.corpus_reason import reason_store

    report = reason_store(store)
    bad = [c for c in report.checks if not c.consistent]
    for check in bad:
        click.echo(f"cakg: error: <{check.graph}> inconsistent: {check.explanation}", err=True)
    if bad:
        raise InvalidDataError(f"{len(bad)} of {len(report.checks)} graphs inconsistent")
    each = report.seconds / max(len(report.checks), 1)
    console.print(
        f"[green]consistent[/green]: {len(report.checks)} graphs checked one by one, "
        f"{report.inferred} inferred triples ({report.seconds:.1f} s, {each:.2f} s each)"
    )


@cli.command()
@click.argument("graph", nargs=-1, type=LocalPath())
@STORE_OPTION
@reports_errors
def info(graph: tuple[Path, ...], store: Path | None) -> None:
    """Counts of states, organizations, experts, claims and triples in a built graph."""
    from cakg.graph.info import graph_info

    counts = graph_info(data_paths(graph, store))
    print_table("cakg info", ["", "count"], [[k, str(v)] for k, v in counts.items()])


@cli.command()
@click.argument("article", type=LocalPath())
@click.argument("gold", type=LocalPath(), required=False)
@click.option("-v", "--verbose", is_flag=True, help="With folders: list every miss.")
@reports_errors
def evaluate(article: Path, gold: Path | None, verbose: bool) -> None:
    """Measure extraction from ARTICLE against a GOLD annotation (YAML).

    With a folder and no GOLD: every article that has gold/<stem>.yaml, one row per layout
    family (the gold's `layout`).
    """
    from cakg.graph.check.evaluate import FAMILY_COLUMNS, evaluate_article, evaluate_families

    if gold is None:
        if not article.is_dir():
            raise click.UsageError("give the GOLD file, or a folder of articles with gold/")
        rows = evaluate_families([article])
        title = f"evaluation of {article} by layout family"
        print_table(title, list(FAMILY_COLUMNS), [r.cells() for r in rows])
        for r in rows:
            errors = r.total.errors
            for error in errors if verbose else [e for e in errors if "not built" in e]:
                console.print(f"{r.family}: {error}", markup=False)
        return
    report = evaluate_article(article, gold)
    print_table(
        f"evaluation of {article.name}",
        ["measure", "precision", "recall", "n"],
        [
            [m.name, f"{m.precision:.2f}", f"{m.recall:.2f}", str(m.support)]
            for m in report.measures
        ],
    )
    console.print(f"answer trend accuracy: {report.trend_accuracy:.2f} ({report.trend_n} answers)")
    console.print(f"evidence offsets exact: {report.offsets_exact}/{report.offsets_total}")
    if report.time is not None:
        t = report.time
        console.print(
            f"date: {t.date_found or 'none'} ({t.source_found}); gold {t.date_expected or 'none'} "
            f"({t.source_expected}): {'right' if t.date_right else 'wrong'}"
        )
        console.print(
            f"horizons right: {t.stated_right}/{t.stated} ({t.horizon_accuracy:.2f}); invented: "
            f"{t.invented} of {t.unstated} without one; predictions not found: {t.missing}"
        )


# --- query, queries -------------------------------------------------------------------------------

# xml is RDF/XML for a graph, as it is SPARQL XML for rows.
QUERY_FORMATS = ("table", *RESULT_FORMATS, "ttl", "jsonld", "nt")


@cli.command()
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter: a label, an acronym, 'Kazakhstan-Kyrgyzstan', a trend or an IRI.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(QUERY_FORMATS),
    default="table",
    show_default=True,
    help="table (terminal), SPARQL results csv/tsv/json/xml, "
    "or ttl/jsonld/nt (xml = RDF/XML) for CONSTRUCT and DESCRIBE.",
)
@click.option(
    "--file",
    "query_file",
    type=LocalPath(dir_okay=False),
    help="Run the SPARQL query in this .rq file.",
)
@click.option("--sparql", "sparql_text", help="Run this SPARQL query text.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    help="At most this many rows (a SPARQL LIMIT, in the query's own order).",
)
@click.option(
    "--offset", type=click.IntRange(min=0), help="Skip this many rows first (a SPARQL OFFSET)."
)
@DATA_OPTION
@STORE_OPTION
@click.option("--endpoint", help="Query a remote SPARQL endpoint (URL) instead of --data.")
@click.option("--user", envvar="CAKG_ENDPOINT_USER", help="User for --endpoint (or env).")
@click.option(
    "--password", envvar="CAKG_ENDPOINT_PASSWORD", help="Password for --endpoint (or env)."
)
@reports_errors
def query(
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    query_file: Path | None,
    sparql_text: str | None,
    limit: int | None,
    offset: int | None,
    data: tuple[Path, ...],
    store: Path | None,
    endpoint: str | None,
    user: str | None,
    password: str | None,
) -> None:
    """Run the named query NAME (see `cakg queries`), a --file or a --sparql text.

    Exits 1 when a *-violation query returns rows, 2 on bad input (a syntax error shows the
    query's line and column).
    """
    from cakg.queries import parse_param_items
    from cakg.queries import query as run_query

    answer = run_query(
        name,
        file=query_file,
        sparql=sparql_text,
        params=parse_param_items(params),
        data=data_paths(data, store),
        endpoint=endpoint,
        user=user,
        password=password,
        limit=limit,
        offset=offset,
    )
    print_answer(answer, fmt)
    if answer.violations:
        raise InvalidDataError(f"{answer.query.name}: {answer.violations} violation(s)")


@cli.command()
@click.option(
    "-v", "--verbose", is_flag=True, help="Also show each query's description and example."
)
@click.option(
    "--check",
    is_flag=True,
    help="Run every *-violation query on the graph; exit 1 if any returns rows.",
)
@DATA_OPTION
@STORE_OPTION
@click.option("--endpoint", help="With --check: a remote SPARQL endpoint instead of --data.")
@reports_errors
def queries(
    verbose: bool, check: bool, data: tuple[Path, ...], store: Path | None, endpoint: str | None
) -> None:
    """List the named queries with their parameters and what they answer."""
    from cakg.queries import format_term, list_queries, open_graph, violation_results

    library = list_queries()
    if not check:
        if verbose:
            for nq in library:
                console.print(f"[bold]{nq.name}[/bold]: {nq.title}")
                console.print(f"  {nq.description}", highlight=False)
                for p in nq.params:
                    opt = "optional" if p.optional else "required"
                    console.print(f"  --param {p.name}=…  {p.description} ({opt})", highlight=False)
                for ex in nq.examples:
                    console.print(f"  e.g. {ex}", highlight=False)
            return
        print_table(
            f"{len(library)} named queries",
            ["name", "parameters", "answers"],
            [[nq.name, ", ".join(p.name for p in nq.params), nq.title] for nq in library],
        )
        return
    results = violation_results(open_graph(data_paths(data, store), endpoint=endpoint).store)
    for nq, result in results:
        if result.rows:
            print_table(
                f"{nq.name}: {len(result.rows)} violation(s)",
                list(result.vars),
                [[format_term(r.get(v)) for v in result.vars] for r in result.rows[:50]],
            )
    summary = [[nq.name, str(len(result.rows))] for nq, result in results]
    print_table("consistency report", ["violation query", "rows"], summary)
    failed = sum(1 for _, result in results if result.rows)
    if failed:
        raise InvalidDataError(f"{failed} violation query(ies) returned rows")


# --- serve ---------------------------------------------------------------------------------------


@cli.command()
@server_options
@reports_errors
def serve(**options: Any) -> None:
    """Serve the graph: SPARQL endpoint at /sparql, linked data under /id/, browser pages at /."""
    from cakg.server import serve as run_server

    config = ServerConfig.from_options(options)
    mode = "updates with the write token" if config.write_token else "read-only"

    def announce(url: str) -> None:
        err_console.print(f"cakg serve: {url} (SPARQL endpoint /sparql); {mode}")

    # The data and the port are checked before the server says where it listens.
    run_server(config, announce)


# --- view ----------------------------------------------------------------------------------------

VIEW_KINDS = ("actors", "claims", "stances", "comentions", "timeline", "all")


@cli.command()
@click.option(
    "--kind",
    type=click.Choice(VIEW_KINDS),
    default="all",
    show_default=True,
    help="Which network: actors, claims, stances, comentions, or all four; or the timeline "
    "of claims by date (around --focus: a relation, state or organization).",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    help="An ego view around a state, organization or expert (IRI, label, acronym or slug).",
)
@click.option(
    "--depth", type=click.IntRange(0, 10), default=1, show_default=True, help="Hops around --focus."
)
@out_option(
    "FILE.html for one view, or a folder (default out/views); figures (PNG, SVG) and "
    "GraphML/GEXF are written beside the HTML.",
    dest="out",
    default=None,
)
@click.option(
    "--stats",
    is_flag=True,
    help="Print degree and betweenness centrality and Louvain communities of each "
    "network (files are then written only if -o is given).",
)
@click.option("--no-figures", is_flag=True, help="Skip the PNG/SVG figures.")
@click.option("--no-exports", is_flag=True, help="Skip the GraphML/GEXF exports.")
@DATA_OPTION
@STORE_OPTION
@reports_errors
def view(
    kind: str,
    focus: str | None,
    depth: int,
    out: Path | None,
    stats: bool,
    no_figures: bool,
    no_exports: bool,
    data: tuple[Path, ...],
    store: Path | None,
) -> None:
    """Network views of the graph: interactive offline HTML, figures, Gephi exports, analytics."""
    from cakg.graph.store.engines import open_store
    from cakg.viz import KINDS, network_stats, render_all, render_view

    graph = open_store(data_paths(data, store))
    if kind == "timeline":
        from cakg.viz.timeline import render_timeline

        target = out if out is not None else Path("out") / "views"
        for path in render_timeline(graph, target, focus, figures=not no_figures):
            console.print(f"wrote {path}")
        return
    kinds: list[str] = list(KINDS) if kind == "all" else [kind]

    def skipped(line: str) -> None:
        click.echo(f"cakg: {line}", err=True)

    if stats:
        # With -o the files' pass below reports the skipped views, once.
        on_skip = skipped if out is None else None
        for vs in network_stats(graph, kinds, focus=focus, depth=depth, on_skip=on_skip):
            print_network_stats(vs, focus, depth)
        if out is None:
            return
    target = out if out is not None else Path("out") / "views"
    figures, exports = not no_figures, not no_exports
    if kind == "all":
        written = render_all(
            graph, target, focus, depth, figures=figures, exports=exports, on_skip=skipped
        )
    else:
        written = render_view(graph, kind, target, focus, depth, figures=figures, exports=exports)
    for path in written:
        console.print(f"wrote {path}")


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="cakg")
