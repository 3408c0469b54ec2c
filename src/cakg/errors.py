"""Every error cakg reports to a person: one line (plus context where it helps) and an exit code.

The hierarchy, with the exit code of the ``cakg`` command::

    CakgError (2)                 a problem the user can act on; no traceback
    ├── InputError (2)            bad input or usage: a missing file, unreadable bytes, bad RDF
    │   ├── QuerySyntaxError (2)  a SPARQL query that does not parse: line, column, context
    │   └── ForbiddenQuery (2)    a query asking what `cakg serve` never does (SERVICE, LOAD)
    ├── RemoteError (2)           a remote store refused or failed a request
    ├── ServerError (2)           `cakg serve` could not answer a request
    │   ├── QueryTimeout          a query ran past the time limit; its worker was killed
    │   ├── ServerBusy            no query worker became free within the time limit
    │   ├── WorkerCrashed         a query worker died while answering
    │   └── WorkerError           a task failed inside a query worker (syntax, input, internal)
    └── InvalidDataError (1)      the data is invalid: SHACL violations, an inconsistent
                                  ontology, a violation query that returns rows

``RemoteError`` is not an ``InputError`` on purpose: code that tries another reading of a
value on an ``InputError`` must not take a failing server for a wrong guess.

>>> QuerySyntaxError.from_message("error at 1:8: expected one of BASE").one_line()
'SPARQL syntax error at line 1, column 8: expected one of BASE'
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "CakgError",
    "ForbiddenQuery",
    "InputError",
    "InvalidDataError",
    "QuerySyntaxError",
    "QueryTimeout",
    "RemoteError",
    "ServerBusy",
    "ServerError",
    "WorkerCrashed",
    "WorkerError",
    "syntax_error_position",
]


class CakgError(Exception):
    """Base class: a problem the user can act on, reported in one line, no traceback."""

    exit_code = 2

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"

    def context(self) -> str:
        """Lines that show where the problem is (empty when one line says it all)."""
        return ""


class InputError(CakgError):
    """Bad input or usage: a missing file, unreadable bytes, no experts found (exit 2)."""

    exit_code = 2


class InvalidDataError(CakgError):
    """The data is invalid: SHACL violations, an inconsistent ontology (exit 1)."""

    exit_code = 1


class RemoteError(CakgError):
    """The remote store refused or failed a request (exit 2: fix the endpoint or credentials)."""

    exit_code = 2


# Oxigraph's parsers say where they stopped in three ways: "error at 3:11: ..." (SPARQL),
# "at line 1 between columns 1 and 4" and "between line 3 column 9 and line 4 column 1"
# (Turtle, TriG, N-Triples and N-Quads). The first line and column named is where it begins.
_POSITION = re.compile(r"(?:line|at)\s+(\d+)\D+(?:column\s+)?(\d+)", re.IGNORECASE)
_POSITION_PREFIX = re.compile(r"^.*?error at \d+:\d+:\s*")


def syntax_error_position(message: str) -> tuple[int | None, int | None]:
    """The line and column (1-based) a parser's error message points at, where it says.

    >>> syntax_error_position("Parser error between line 3 column 9 and line 4 column 1: EOF")
    (3, 9)
    >>> syntax_error_position("no position")
    (None, None)
    """
    m = _POSITION.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


class QuerySyntaxError(InputError):
    """A SPARQL query that does not parse; carries the line and column where known.

    ``source`` names the query for the reader (a file, ``--sparql``, ``query NAME``) and
    ``query`` is its text, from which :meth:`context` shows the line with a caret.
    """

    def __init__(
        self,
        detail: str,
        *,
        line: int | None = None,
        column: int | None = None,
        source: Path | str | None = None,
        query: str | None = None,
    ):
        self.detail = detail
        self.column = column
        self.query = query
        super().__init__(detail, path=source, line=line)

    @classmethod
    def from_message(cls, text: str) -> QuerySyntaxError:
        """The error a parser's message describes (Oxigraph's ``error at L:C: ...`` and others)."""
        first = text.strip().splitlines()[0] if text.strip() else "invalid query"
        line, column = syntax_error_position(text)
        return cls(_POSITION_PREFIX.sub("", first).strip() or first, line=line, column=column)

    def one_line(self) -> str:
        where = f"{self.path}: " if self.path is not None else ""
        at = f" at line {self.line}, column {self.column}" if self.line is not None else ""
        return f"{where}SPARQL syntax error{at}: {self.detail}"

    def context(self) -> str:
        """The offending line of the query with a caret under the column."""
        lines = (self.query or "").splitlines()
        if self.line is None or not 1 <= self.line <= len(lines):
            return ""
        caret = " " * (max(self.column or 1, 1) - 1) + "^"
        return f"  {self.line:>4} | {lines[self.line - 1]}\n       | {caret}"


class ForbiddenQuery(InputError):
    """A query or update asking for what `cakg serve` never does: SERVICE or LOAD (HTTP 400)."""


class ServerError(CakgError):
    """`cakg serve` could not answer a request; the subclass says why."""


class QueryTimeout(ServerError):
    """The task ran past the time limit; its worker was killed and is being replaced."""


class ServerBusy(ServerError):
    """No query worker became free within the time limit."""


class WorkerCrashed(ServerError):
    """The worker died while running the task (out of memory, a crash); it is being replaced."""


class WorkerError(ServerError):
    """A task failed inside a worker; ``kind`` says how (syntax, input, internal).

    A syntax error keeps the parser's own words (``detail``), to be told again on the lines
    the user wrote.
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        detail: str | None = None,
    ) -> None:
        self.kind = kind
        self.column = column
        self.detail = detail
        super().__init__(message, line=line)
