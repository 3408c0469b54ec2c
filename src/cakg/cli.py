"""The `cakg` command: a thin layer, each subcommand calls one library function.

Exit codes are a contract: 0 ok, 1 invalid data (SHACL violations, an inconsistent
ontology, a violation query with rows), 2 bad input or usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cakg.errors import CakgError, InputError, InvalidDataError
from cakg.graph.formats import RDF_FORMATS, RESULT_FORMATS
from cakg.options import (
    DATA_OPTION,
    STORE_OPTION,
    LocalPath,
    data_paths,
    out_option,
    store_build_options,
)
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


# --- build, validate, reason, info, evaluate -----------------------------------------------------


@cli.command()
@click.argument("articles", nargs=-1, type=LocalPath())
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
    articles: tuple[Path, ...],
    out_dir: Path,
    base: str | None,
    curation: tuple[Path, ...],
    no_validate: bool,
    store: Path | None,
    strict: bool,
    jobs: int | None,
) -> None:
    """Build the graph from ARTICLES (default: the bundled CABAR roundup)."""
    from cakg.graph.build import build_graph

    if store is not None:
        options = {"base": base, "curation": list(curation), "strict": strict, "jobs": jobs}
        _build_store(list(articles), store, validate=not no_validate, **options)
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
    if report.conforms:
        console.print(f"[green]conforms[/green]: {report.triples} {TRIPLES}, no violations")
        return
    print_table(
        f"{len(report.results)} SHACL violation(s)",
        ["focus", "path", "message"],
        [[r.focus, r.path, r.message] for r in report.results],
    )
    raise InvalidDataError(f"{len(report.results)} SHACL violation(s)")


@cli.command()
@click.argument("graph", nargs=-1, type=LocalPath())
@out_option(
    "Where to write the dataset with the inferred graph (default: in place).",
    dest="out",
    default=None,
)
@reports_errors
def reason(graph: tuple[Path, ...], out: Path | None) -> None:
    """Run HermiT over ontology + data: check consistency, store inferences in their own graph."""
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
@click.argument("gold", type=LocalPath())
@reports_errors
def evaluate(article: Path, gold: Path) -> None:
    """Precision and recall of extraction from ARTICLE against a GOLD annotation (YAML)."""
    from cakg.graph.check.evaluate import evaluate_article

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


# --- export, push --------------------------------------------------------------------------------

EXPORT_FORMATS = (*RDF_FORMATS, "ontology", "void", "all")


@cli.command()
@click.argument("graph", nargs=-1, type=LocalPath())
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(EXPORT_FORMATS),
    multiple=True,
    default=("all",),
    show_default=True,
    help="Format(s) to write (repeatable); all = every format, the ontology and void.ttl.",
)
@out_option("Folder for kg.<ext> (or a file name for one format).", dest="out", default="out")
@click.option(
    "--dump-base",
    default=None,
    help="URL the files will be published under, for the VoID/DCAT download links "
    "(default dump/ beside the base's id/: <base>../dump/, where `cakg serve` serves them).",
)
@click.option("--endpoint", default=None, help="A SPARQL endpoint serving the data, for VoID.")
@STORE_OPTION
@reports_errors
def export(
    graph: tuple[Path, ...],
    formats: tuple[str, ...],
    out: Path,
    dump_base: str | None,
    endpoint: str | None,
    store: Path | None,
) -> None:
    """Export a built graph as Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads.

    TriG and N-Quads keep the named graphs; the others merge them. The files are
    deterministic: the same graph gives byte-identical files.
    """
    from cakg.graph.publish.export import export_files

    written = export_files(
        data_paths(graph, store), out, formats, dump_base=dump_base, endpoint=endpoint
    )
    print_table(
        "cakg export", ["file", "bytes"], [[str(p), f"{p.stat().st_size:,}"] for p in written]
    )


@cli.command()
@click.argument("graph", nargs=-1, type=LocalPath())
@click.option(
    "--endpoint",
    required=True,
    help="The store's SPARQL query endpoint (e.g. http://localhost:8890/sparql).",
)
@click.option(
    "--graph",
    "target",
    default=None,
    help="Load everything into this one named graph (default: keep the build's graphs).",
)
@click.option("--user", envvar="CAKG_ENDPOINT_USER", help="User (or env CAKG_ENDPOINT_USER).")
@click.option(
    "--password", envvar="CAKG_ENDPOINT_PASSWORD", help="Password (or env CAKG_ENDPOINT_PASSWORD)."
)
@click.option(
    "--token",
    envvar="CAKG_WRITE_TOKEN",
    help="Send Authorization: Bearer TOKEN, the write token of `cakg serve --write-token` "
    "(or env CAKG_WRITE_TOKEN, as `cakg serve` reads it; --user wins over the env).",
)
@click.option("--replace", is_flag=True, help="Empty the target graphs first.")
@click.option(
    "--method",
    type=click.Choice(["auto", "gsp", "update"]),
    default="auto",
    show_default=True,
    help="Graph Store Protocol, SPARQL Update, or whichever the "
    "server offers (Graph Store preferred).",
)
@click.option("--gsp-endpoint", default=None, help="Graph Store endpoint, if not derivable.")
@click.option("--update-endpoint", default=None, help="SPARQL Update endpoint, if not derivable.")
@click.option(
    "--timeout",
    type=float,
    default=120.0,
    show_default=True,
    help="Seconds to wait for each request.",
)
@STORE_OPTION
@reports_errors
def push(
    graph: tuple[Path, ...],
    endpoint: str,
    target: str | None,
    user: str | None,
    password: str | None,
    token: str | None,
    replace: bool,
    method: str,
    gsp_endpoint: str | None,
    update_endpoint: str | None,
    timeout: float,
    store: Path | None,
) -> None:
    """Load a built graph into a SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, ...).

    Named graphs are kept. Then `cakg query NAME --endpoint URL` runs the named
    queries there.
    """
    from typing import cast

    from click.core import ParameterSource

    from cakg.graph.store.push import push as push_graph
    from cakg.graph.store.remote import Method

    from_env = click.get_current_context().get_parameter_source("token")
    if user is not None and from_env == ParameterSource.ENVIRONMENT:
        token = None  # the server's token in the shell must not block pushing elsewhere

    report = push_graph(
        data_paths(graph, store),
        endpoint,
        graph=target,
        user=user,
        password=password,
        replace=replace,
        method=cast(Method, method),
        gsp_endpoint=gsp_endpoint,
        update_endpoint=update_endpoint,
        timeout=timeout,
        progress=err_console,
        token=token or None,
    )
    print_table(
        f"cakg push ({report.server}, {report.method})",
        ["graph", "triples"],
        [[g, f"{n:,}"] for g, n in report.graphs.items()],
    )
    console.print(
        f"pushed {report.triples:,} triples (summed graph by graph) "
        f"in {len(report.graphs)} graph(s) "
        f"to {report.endpoint} in {report.seconds:.1f} s"
        + (" (graphs replaced)" if report.replaced else "")
    )


# --- view ----------------------------------------------------------------------------------------

VIEW_KINDS = ("actors", "claims", "stances", "comentions", "all")


@cli.command()
@click.option(
    "--kind",
    type=click.Choice(VIEW_KINDS),
    default="all",
    show_default=True,
    help="Which network: actors, claims, stances, comentions, or all four.",
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
