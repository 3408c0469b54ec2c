"""Errors that the CLI turns into one line and an exit code (2 input, 1 invalid data)."""

from __future__ import annotations

from pathlib import Path


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


class InputError(CakgError):
    """Bad input or usage: a missing file, unreadable bytes, no experts found (exit 2)."""

    exit_code = 2


class InvalidDataError(CakgError):
    """The data is invalid: SHACL violations, an inconsistent ontology (exit 1)."""

    exit_code = 1
