"""Reading YAML with file:line errors, local paths (never URLs), and atomic output.

Every output file is written to a temporary sibling and renamed into place: a failed build
therefore never leaves a half-written file, and a reader of `out/` sees either the old file
or the new one (POSIX rename is atomic within a file system).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from cakg.errors import InputError

__all__ = [
    "LINE",
    "LINES",
    "LineList",
    "LineLoader",
    "atomic_write",
    "atomic_write_many",
    "local_path",
    "parse_yaml",
    "read_yaml",
]

#: Key under which :class:`LineLoader` records the line of a mapping.
LINE = "__line__"
#: Key under which :class:`LineLoader` records the line of each key of a mapping.
LINES = "__lines__"


# A URL where a file is expected. pathlib folds "https://x" to "https:/x", so one slash or
# more; a scheme of two letters or more, so a Windows drive ("C:/") is a path.
_URL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):/+(?=[^/])")


def local_path(path: Path | str) -> Path:
    """A path to read; a URL is refused, named as typed: cakg reads local files only.

    >>> local_path("out/kg.trig")
    PosixPath('out/kg.trig')
    >>> try:
    ...     local_path(Path("https://example.org/kg.trig"))
    ... except InputError as exc:
    ...     print(exc.path)
    https://example.org/kg.trig
    """
    text = str(path)
    m = _URL_RE.match(text)
    if m and not Path(text).exists():
        url = text if "://" in m.group() else f"{m.group(1)}://{text[m.end() :]}"
        raise InputError(
            "is a URL; cakg reads local files only (download it first, then give its path)",
            path=url,
        )
    return Path(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> Path:
    """Write bytes to path atomically (temporary file in the same folder, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates 0600 files; outputs are published data, so give them the
        # permissions an ordinary open() would (0666 less the umask).
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_many(files: Mapping[Path, bytes]) -> list[Path]:
    """Write several files: all are serialized first by the caller, then renamed one by one."""
    return [atomic_write(path, data) for path, data in files.items()]


class LineList(list[Any]):
    """A YAML sequence that knows the line of each of its items."""

    lines: list[int]


class LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records lines, so that a validator can say where a value is.

    A mapping gets the line of its start under :data:`LINE` and a dict of its keys' lines
    under :data:`LINES`; a sequence is a :class:`LineList`. Dates stay text: the validator
    checks them and reports the line.

    >>> data = yaml.load("a:\\n  - x\\n  - y\\n", Loader=LineLoader)
    >>> data[LINES], data["a"].lines
    ({'a': 1}, [2, 3])
    """


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    mapping[LINES] = {
        k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)
    }
    return mapping


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_sequence(node, deep=True))
    items.lines = [item.start_mark.line + 1 for item in node.value]
    return items


def _construct_timestamp(loader: LineLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse_yaml(text: str, where: Path | str, what: str = "YAML", *, lines: bool = False) -> Any:
    """Parse YAML text; a syntax error becomes an InputError naming the file and line.

    With ``lines``, mappings and sequences carry their lines (see :class:`LineLoader`).
    """
    try:
        return yaml.load(text, Loader=LineLoader) if lines else yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"invalid {what}: {getattr(exc, 'problem', exc)}",
            path=where,
            line=(mark.line + 1) if mark is not None else None,
        ) from None


def read_yaml(path: Path, what: str = "YAML") -> Any:
    """Read and parse a UTF-8 YAML file (see :func:`parse_yaml`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what} file is not UTF-8 text", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None
    return parse_yaml(text, path, what)
