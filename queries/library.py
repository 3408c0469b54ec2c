"""The library of named queries: ``<name>.rq`` files of package data and their comment headers.

Each file opens with a comment header that says what it answers::

    # title: Experts who expect a bilateral relation to take a given trend
    # description: Which experts expect the relation between two states to ...
    # param relation: a bilateral relation (label like "Kazakhstan–Kyrgyzstan", or IRI); optional
    # example: cakg query experts-expecting-trend --param relation=Kazakhstan-Kyrgyzstan

>>> "experts-expecting-trend" in [nq.name for nq in list_queries()]
True
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

from cakg.errors import InputError
from cakg.graph.store.engines import query_kind

__all__ = [
    "PARAM_KINDS",
    "NamedQuery",
    "Param",
    "choose_query",
    "list_queries",
    "load_query",
    "parse_header",
    "query_from_file",
    "query_from_text",
]

# What each parameter name refers to. A query's parameter is a variable of the same name.
PARAM_KINDS: dict[str, str] = {
    "state": "state",
    "country": "state",
    "neighbour": "state",
    "other": "state",
    "organization": "organization",
    "expert": "person",
    "person": "person",
    "relation": "relation",
    "trend": "trend",
    "type": "type",
    "certainty": "certainty",
    "topic": "topic",
    "template": "template",
    "claim": "iri",
    "statement": "iri",
    "article": "article",
    "subject": "subject",
    "before": "date",
}


@dataclass(frozen=True)
class Param:
    """One parameter of a named query, as its header declares it."""

    name: str
    description: str
    optional: bool = True

    @property
    def kind(self) -> str:
        """What the value names (state, organization, relation, trend, ...), from the name."""
        return PARAM_KINDS.get(self.name, "any")


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library (or a file or text): its name, header fields and SPARQL text.

    ``origin`` names it in error messages (``query experts``, a file, ``--sparql``); an
    ``adhoc`` query (a file or a text) takes any parameter it is given, header or not.
    """

    name: str
    title: str
    description: str
    sparql: str
    params: tuple[Param, ...] = ()
    examples: tuple[str, ...] = ()
    origin: str = ""
    adhoc: bool = False

    @property
    def kind(self) -> str:
        """SELECT, ASK or CONSTRUCT (DESCRIBE counts as CONSTRUCT)."""
        return query_kind(self.sparql)

    @property
    def is_violation(self) -> bool:
        """A consistency check: it must return no rows (``*-violation.rq``)."""
        return self.name.endswith("-violation")

    def param(self, name: str) -> Param:
        """The parameter called ``name``; an InputError names the ones that exist."""
        for p in self.params:
            if p.name == name:
                return p
        if self.adhoc:
            return Param(name, "")
        known = ", ".join(p.name for p in self.params) or "none"
        raise InputError(f"query {self.name} has no parameter {name!r} (parameters: {known})")


_HEADER_RE = re.compile(r"^#\s*(title|description|param|example)\b\s*([A-Za-z_][\w]*)?\s*:\s?(.*)$")


def parse_header(name: str, text: str) -> NamedQuery:
    """Read the comment header of a query file into a NamedQuery.

    >>> text = ("# title: T\\n# description: D\\n#   more\\n# param state: a state; optional\\n"
    ...         "# example: cakg query x\\nSELECT * {}")
    >>> nq = parse_header("x", text)
    >>> (nq.title, nq.description, nq.params[0].name, nq.params[0].optional, nq.examples)
    ('T', 'D more', 'state', True, ('cakg query x',))
    """
    title = ""
    description: list[str] = []
    params: list[Param] = []
    examples: list[str] = []
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER_RE.match(stripped)
        if m:
            key, arg, value = m.group(1), m.group(2), m.group(3).strip()
            last = key
            if key == "title":
                title = value
            elif key == "description":
                description = [value]
            elif key == "example":
                examples.append(value)
            elif key == "param" and arg:
                optional = bool(re.search(r";\s*optional\s*$", value))
                desc = re.sub(r";\s*(optional|required)\s*$", "", value)
                params.append(Param(arg, desc, optional))
            continue
        # A continuation line ("#   more words") extends the field above it.
        more = stripped.lstrip("#").strip()
        if not more:
            continue
        if last == "description":
            description.append(more)
        elif last == "title":
            title = f"{title} {more}"
        elif last == "param" and params:
            p = params[-1]
            params[-1] = Param(p.name, f"{p.description} {more}", p.optional)
        elif last == "example" and examples:
            examples[-1] = f"{examples[-1]} {more}"
    return NamedQuery(
        name=name,
        title=title or name,
        description=" ".join(description),
        sparql=text,
        params=tuple(params),
        examples=tuple(examples),
        origin=f"query {name}",
    )


@cache
def _library() -> dict[str, NamedQuery]:
    out: dict[str, NamedQuery] = {}
    for entry in resources.files("cakg.queries").iterdir():
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = parse_header(name, entry.read_text(encoding="utf-8"))
    return dict(sorted(out.items()))


def list_queries() -> list[NamedQuery]:
    """Every named query of the library, by name."""
    return list(_library().values())


def load_query(name: str) -> NamedQuery:
    """The named query ``name`` (with or without ``.rq``); an InputError suggests close names."""
    key = name[: -len(".rq")] if name.endswith(".rq") else name
    lib = _library()
    if key in lib:
        return lib[key]
    close = difflib.get_close_matches(key, list(lib), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; see `cakg queries`"
    raise InputError(f"no named query {name!r}{hint}")


def query_from_text(text: str, origin: str = "query text") -> NamedQuery:
    """An ad-hoc query from SPARQL text (its header, if any, describes its parameters)."""
    return replace(parse_header("sparql", text), origin=origin, adhoc=True)


def query_from_file(path: Path) -> NamedQuery:
    """An ad-hoc query read from a .rq file, named after the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the query: {exc.strerror or exc}", path=path) from None
    except UnicodeDecodeError:
        raise InputError("the query file is not UTF-8 text", path=path) from None
    return replace(parse_header(path.stem, text), origin=str(path), adhoc=True)


def choose_query(
    name: str | None = None, *, file: Path | None = None, sparql: str | None = None
) -> NamedQuery:
    """The one query given by name, file (``--file``) or text (``--sparql``), as ``cakg query``
    takes them."""
    given = [x for x in (name, file, sparql) if x is not None]
    if len(given) != 1:
        raise InputError("give exactly one of NAME, --file FILE.rq or --sparql TEXT")
    if file is not None:
        return query_from_file(file)
    if sparql is not None:
        return query_from_text(sparql, origin="--sparql")
    return load_query(name or "")
