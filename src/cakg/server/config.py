"""The options of `cakg serve`, each written once: its default, its flag and its help text.

:class:`ServerConfig` is the one definition; the command line is built from its fields
(:func:`command_options`), so an option added here appears in ``cakg serve --help``.

>>> ServerConfig().port
8000
>>> ServerConfig.from_options({"data": (), "port": 9000, "write_token": ""}).write_token is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import click

from cakg.errors import InputError

__all__ = ["ServerConfig", "command_options"]

F = TypeVar("F", bound=Callable[..., Any])


def _option(flag: str, help: str | None = None, **click_args: Any) -> dict[str, Any]:
    """Field metadata: how the option reads on the command line (passed on to click.option)."""
    if help is not None:
        click_args["help"] = help
    return {"flag": flag, "click": click_args}


@dataclass(frozen=True)
class ServerConfig:
    """How `cakg serve` runs: what it serves, where, and its limits."""

    data: tuple[str, ...] = field(
        default=("out/kg.trig",),
        metadata=_option(
            "--data",
            "Built graph (kg.trig, a folder holding it, or any RDF file); default out/kg.trig.",
            type=click.Path(path_type=Path),
            multiple=True,
        ),
    )
    store: str | None = field(
        default=None,
        metadata=_option(
            "--store",
            "Serve an on-disk Oxigraph store (opened read-only) instead of --data.",
            type=click.Path(path_type=Path, file_okay=False),
        ),
    )
    host: str = field(
        default="127.0.0.1",
        metadata=_option(
            "--host", "Interface to listen on (loopback by default).", show_default=True
        ),
    )
    port: int = field(
        default=8000,
        metadata=_option("--port", type=click.IntRange(0, 65535), show_default=True),
    )
    timeout: float = field(
        default=30.0,
        metadata=_option(
            "--timeout",
            "Seconds a query may run before its worker is killed (answer: 503).",
            type=click.FloatRange(min=0.1),
            show_default=True,
        ),
    )
    max_rows: int = field(
        default=10_000,
        metadata=_option(
            "--max-rows",
            "Rows (or triples) per result; longer results are cut (X-SPARQL-MaxRows).",
            type=click.IntRange(min=1),
            show_default=True,
        ),
    )
    workers: int = field(
        default=2,
        metadata=_option(
            "--workers",
            "Query worker processes, each holding the data.",
            type=click.IntRange(1, 64),
            show_default=True,
        ),
    )
    worker_memory: int = field(
        default=1024,
        metadata=_option(
            "--worker-memory",
            "Megabytes of address space per query worker; a query that needs more is stopped "
            "(answer: 503) and its worker replaced. 0: no limit. A worker holding the bundled "
            "article's graph uses about 70 MB.",
            type=click.IntRange(min=0),
            show_default=True,
        ),
    )
    # A quantum above the costliest named query (about 0.5 s of CPU for the bundled article,
    # its answer serialized included): at nice 19 a task gets about 1.5 % of a CPU against
    # each busy one at nice 0 (sched(7)), so a demoted query on a loaded machine hardly
    # moves until its time limit; only what runs longer than any ordinary query (a
    # runaway) should pay that.
    demote_after: float = field(
        default=1.0,
        metadata=_option(
            "--demote-after",
            "Seconds of CPU a query may use at normal priority; past that it runs at the "
            "lowest (nice 19), so that short queries go first on a busy machine. 0: never.",
            type=click.FloatRange(min=0),
            show_default=True,
        ),
    )
    spare_workers: int = field(
        default=2,
        metadata=_option(
            "--spare-workers",
            "Extra query workers started while every worker runs a demoted (long) query, so "
            "that a short one never waits for them; retired when they are done.",
            type=click.IntRange(min=0),
            show_default=True,
        ),
    )
    client_workers: int | None = field(
        default=None,
        metadata=_option(
            "--client-workers",
            "Query workers one client (address) may hold at once; past that it gets 429 "
            "(default: --workers minus one, at least one).",
            type=click.IntRange(min=1),
        ),
    )
    write_token: str | None = field(
        default=None,
        metadata=_option(
            "--write-token",
            "Accept SPARQL Update with Authorization: Bearer TOKEN (or env "
            "CAKG_WRITE_TOKEN); read-only without it.",
            envvar="CAKG_WRITE_TOKEN",
        ),
    )
    public_url: str | None = field(
        default=None,
        metadata=_option(
            "--public-url",
            "The server's origin as clients reach it (https://host[:port]); the links it "
            "writes (VoID, service description) start with it, never with a request's Host.",
        ),
    )
    base: str | None = field(
        default=None,
        metadata=_option(
            "--base", "Base IRI of the data, resolved under /id/ (default: read from the graph)."
        ),
    )
    views_dir: str | None = field(
        default=None,
        metadata=_option(
            "--views",
            "Folder of prebuilt *.html views to serve (default: the data's folder).",
            type=click.Path(path_type=Path, file_okay=False),
        ),
    )

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> ServerConfig:
        """The configuration from command-line values; an option not given keeps its default.

        ``--store`` replaces ``--data``: giving both is an error, and a store serves no files.
        """
        given = {k: _plain(v) for k, v in options.items() if v is not None and v != ()}
        if given.get("write_token") == "":
            del given["write_token"]  # an empty CAKG_WRITE_TOKEN means read-only
        if "store" in given:
            if "data" in given:
                raise InputError("give --data or --store, not both")
            given["data"] = ()
        return cls(**given)


def _plain(value: Any) -> Any:
    """Paths as the strings the configuration holds (click gives Path objects)."""
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return str(value) if isinstance(value, Path) else value


def command_options(command: F) -> F:
    """Decorate a click command with one option per field of :class:`ServerConfig`.

    The command receives each option under its field's name.
    """
    for f in reversed(fields(ServerConfig)):
        args = dict(f.metadata["click"])
        if not args.get("multiple"):
            # A repeated option starts empty, so that --store can tell --data was not given.
            args["default"] = f.default
        command = click.option(f.metadata["flag"], f.name, **args)(command)
    return command
