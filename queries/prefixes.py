"""Predeclared prefixes: a query may use the well-known prefixes without declaring them.

As in Wikidata's query service, ``schema:Claim`` works in ``cakg query`` (a name, a file or
a text) and in the server's editor and ``/sparql`` endpoint without ``PREFIX schema: <…>``.
Each prefix of :data:`cakg.graph.namespaces.PREFIXES` that a query uses and does not declare
gets a ``PREFIX`` line put before the query; its own declarations win. Errors are told on the
query's own lines (:meth:`Predeclared.user_error`), and a prefix no one declared is named.

>>> p = predeclare("SELECT ?c WHERE { ?c a schema:Claim }")
>>> p.text.splitlines()[0], p.added
('PREFIX schema: <http://schema.org/>', 1)
>>> predeclare("PREFIX schema: <https://schema.org/> SELECT * { ?c a schema:Claim }").added
0
>>> e = unknown_prefix("SELECT * WHERE {\\n  ?c a shema:Claim }")
>>> e.line, e.column, e.detail.split(" (")[0]
(2, 8, 'unknown prefix shema:')
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from cakg.errors import QuerySyntaxError
from cakg.graph.namespaces import PREFIXES

__all__ = ["Predeclared", "predeclare", "unknown_prefix"]

# Strings, IRIs and comments (SPARQL 1.1 Query §19.8 STRING_LITERAL*, IRIREF; §19.4): what
# looks like a prefixed name inside them is text. Longest string forms first.
_OPAQUE_RE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*"
)
# The prefix of a prefixed name (PN_PREFIX, §19.8), not the tail of a variable or a name.
_PNAME_RE = re.compile(r"(?<![\w.:?$-])([A-Za-z](?:[\w.-]*\w)?)?:")
_DECLARED_RE = re.compile(r"\bPREFIX\s+([A-Za-z](?:[\w.-]*\w)?)?:", re.IGNORECASE)


def _code(sparql: str) -> str:
    """The query with its strings, IRIs and comments blanked (same length, same lines)."""
    return _OPAQUE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), sparql)


def _undeclared(sparql: str) -> dict[str, int]:
    """Each prefix the query uses without declaring it, with the offset of its first use."""
    code = _code(sparql)
    declared = {m.group(1) or "" for m in _DECLARED_RE.finditer(code)}
    uses: dict[str, int] = {}
    for m in _PNAME_RE.finditer(code):
        prefix = m.group(1) or ""
        if prefix not in declared:
            uses.setdefault(prefix, m.start())
    return uses


@dataclass(frozen=True)
class Predeclared:
    """A query with PREFIX lines for the well-known prefixes it uses but does not declare."""

    query: str  # as the user wrote it
    text: str  # what runs: ``added`` PREFIX lines, then the query
    added: int

    def user_error(
        self, exc: QuerySyntaxError, source: Path | str | None = None
    ) -> QuerySyntaxError:
        """The error of running :attr:`text`, told on the user's lines; an unknown prefix
        used before the place the parser stopped is named instead."""
        line = exc.line - self.added if exc.line is not None and exc.line > self.added else None
        column = exc.column if line is not None else None
        unknown = unknown_prefix(self.query, source)
        if unknown is not None and (
            line is None or (line, column or 0) >= (unknown.line or 0, unknown.column or 0)
        ):
            return unknown
        return QuerySyntaxError(
            exc.detail,
            line=line,
            column=column,
            source=source if source is not None else exc.path,
            query=self.query,
        )


def predeclare(sparql: str) -> Predeclared:
    """The query with the well-known prefixes it uses and does not declare declared first."""
    missing = sorted(p for p in _undeclared(sparql) if p in PREFIXES)
    head = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in missing)
    return Predeclared(sparql, head + sparql, len(missing))


def unknown_prefix(sparql: str, source: Path | str | None = None) -> QuerySyntaxError | None:
    """The first use of a prefix that is neither declared nor predeclared, as an error there."""
    for prefix, offset in _undeclared(sparql).items():
        if prefix in PREFIXES:
            continue
        line = sparql.count("\n", 0, offset) + 1
        column = offset - (sparql.rfind("\n", 0, offset) + 1) + 1
        close = difflib.get_close_matches(prefix, list(PREFIXES), n=1)
        hint = f"did you mean {close[0]}:? " if close else ""
        return QuerySyntaxError(
            f"unknown prefix {prefix}: ({hint}declare it with PREFIX {prefix}: <…>, "
            f"or use a predeclared one: {', '.join(sorted(PREFIXES))})",
            line=line,
            column=column,
            source=source,
            query=sparql,
        )
    return None
