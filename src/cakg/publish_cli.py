"""`cakg export` and `cakg push`: the graph written as files, or sent to a SPARQL store.

Part of the `cakg` command (:mod:`cakg.cli` registers them); each calls one library function.
"""

from __future__ import annotations

from pathlib import Path

import click

from cakg.graph.formats import RDF_FORMATS
from cakg.options import STORE_OPTION, LocalPath, data_paths, out_option
from cakg.terminal import console, err_console, print_table, reports_errors

__all__ = ["export", "push"]


EXPORT_FORMATS = (*RDF_FORMATS, "ontology", "void", "all")


@click.command()
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


@click.command()
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
