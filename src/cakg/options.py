"""Options and arguments the `cakg` commands share: paths to read, the graph to read, -o."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cakg.errors import InputError
from cakg.graph.io import local_path

__all__ = [
    "DATA_OPTION",
    "STORE_OPTION",
    "LocalPath",
    "data_paths",
    "out_option",
    "store_build_options",
]


class LocalPath(click.Path):
    """A file or folder to read: a URL is refused with one line that names it as typed."""

    def __init__(self, **options: Any) -> None:
        super().__init__(path_type=Path, **options)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            local_path(value)  # before Path(), which folds the "//" of the URL
        return super().convert(value, param, ctx)


DATA_OPTION = click.option(
    "--data",
    "data",
    type=LocalPath(),
    multiple=True,
    help="Built graph (kg.trig, a folder holding it, or any RDF file); default out/kg.trig.",
)


STORE_OPTION = click.option(
    "--store",
    "store",
    type=LocalPath(),
    default=None,
    help="An on-disk corpus store (made by `cakg build --store DIR`) instead of built files.",
)


def data_paths(data: tuple[Path, ...], store: Path | None = None) -> list[Path]:
    """The graph to read: the files given, an on-disk store, or out/kg.trig."""
    if store is not None:
        from cakg.graph.store.dataset import is_store_folder

        if data:
            raise InputError("give the graph files or --store, not both")
        if not is_store_folder(store):
            raise InputError("not a corpus store (make one with `cakg build --store`)", path=store)
        return [store]
    return list(data) if data else [Path("out") / "kg.trig"]


_F = TypeVar("_F", bound=Callable[..., Any])


def out_option(
    help_text: str, *, dest: str = "out", default: str | None = None
) -> Callable[[_F], _F]:
    """The ``-o/--out`` option of the commands that write files (default shown when set)."""
    return click.option(
        "-o",
        "--out",
        dest,
        type=click.Path(path_type=Path),
        default=Path(default) if default is not None else None,
        show_default=default is not None,
        help=help_text,
    )


def store_build_options(func: _F) -> _F:
    """`cakg build`'s options for growing a corpus store: --store, --strict, --reason, --jobs."""
    for option in reversed(_STORE_BUILD):
        func = option(func)
    return func


_STORE_BUILD = [
    click.option(
        "--store",
        "store",
        type=LocalPath(file_okay=False),
        default=None,
        help="Add the articles to this on-disk corpus store (created when missing) instead of "
        "writing kg.trig; an article already there is replaced.",
    ),
    click.option(
        "--strict",
        is_flag=True,
        help="With --store: add nothing unless every article is good (default: add the good "
        "ones, name the bad ones, exit 2).",
    ),
    click.option(
        "--reason",
        is_flag=True,
        help="With --store: check each article against the ontology as it is added and keep "
        "what it entails (inverse links, types) in the article's inferred graph.",
    ),
    click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, None),
        default=None,
        help="With --store: processes extracting articles (default: one per core).",
    ),
]
