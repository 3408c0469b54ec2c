"""The word lists of the classifiers, read from YAML files in ``graph/data/lexicons``.

Each file is read once per process by the module that uses it; every value is checked on
the way (a pattern must compile, a label must be a concept of its vocabulary in the
ontology, a section must be known), and an error is one line naming the file and line.

>>> lex = read_lexicon("example.yaml", "words: a b\\ncues:\\n  - 'x+'\\n  - 'y('\\n")
>>> sorted(lex.words("words"))
['a', 'b']
>>> lex.alternation("cues")
Traceback (most recent call last):
...
cakg.errors.InputError: graph/data/lexicons/example.yaml:4: invalid pattern 'y(': missing ), \
unterminated subpattern at position 1
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

from cakg.errors import InputError
from cakg.graph.io import LINE, LINES, LineList, parse_yaml
from cakg.graph.vocabulary import Concept, lookup, vocabulary

__all__ = ["WHOLE_WORDS", "Lexicon", "read_lexicon"]

_PACKAGE = "cakg.graph.data"
_FOLDER = "lexicons"
#: Around an alternation of patterns: match whole words only (neither a letter, digit,
#: underscore nor hyphen on either side).
WHOLE_WORDS = (r"(?<![\w-])(?:", r")(?![\w-])")
_FRAGMENT = re.compile(r"\{([a-z][a-z-]*)\}")  # "{relation}"; quantifiers ("{0,3}") have digits


def _read(name: str, where: str) -> str:
    try:
        folder = resources.files(_PACKAGE).joinpath(_FOLDER)
        return folder.joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise InputError(f"lexicon file is missing ({exc})", path=where) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason}", path=where) from None


def read_lexicon(name: str, text: str | None = None) -> Lexicon:
    """Parse the lexicon file `name`, or `text` in its place (for tests).

    A mapping ``fragments`` at the top defines pieces that later patterns, and later
    fragments, use as ``{name}``.
    """
    where = f"graph/data/{_FOLDER}/{name}"
    data = parse_yaml(_read(name, where) if text is None else text, where, "YAML", lines=True)
    if not isinstance(data, dict):
        raise InputError("expected a mapping at the top level", path=where, line=1)
    lexicon = Lexicon(where, data, {})
    if "fragments" in data:
        fragments = lexicon.section("fragments")
        for key in fragments.names():
            lexicon._fragments[key] = fragments.text(key)
        fragments.close()
    return lexicon


class Lexicon:
    """One lexicon file (or one section of it), read key by key with file:line errors."""

    def __init__(self, where: str, data: dict[str, Any], fragments: dict[str, str]) -> None:
        self.where = where
        self._data = data
        self._taken: set[str] = set()
        self._fragments = fragments

    # --- structure ----------------------------------------------------------------------

    def names(self) -> Iterator[str]:
        """The keys of this mapping, in file order."""
        return (k for k in self._data if k not in (LINE, LINES))

    def line(self, key: str | None = None) -> int:
        """The line of `key`, else of this mapping."""
        lines = self._data.get(LINES, {})
        if key is not None and key in lines:
            return int(lines[key])
        line = self._data.get(LINE)
        return line if isinstance(line, int) else 1

    def error(self, message: str, key: str | None = None, line: int | None = None) -> InputError:
        """An InputError at `line`, else at the line of `key`, else of this mapping."""
        return InputError(message, path=self.where, line=line or self.line(key))

    def _take(self, key: str) -> Any:
        if key not in self._data:
            raise self.error(f"missing '{key}'")
        self._taken.add(key)
        return self._data[key]

    def section(self, key: str) -> Lexicon:
        """The mapping under `key`, read like a file of its own."""
        value = self._take(key)
        if not isinstance(value, dict):
            raise self.error(f"'{key}' must be a mapping", key)
        return Lexicon(self.where, value, self._fragments)

    def close(self) -> None:
        """Reject the keys nobody read: a misspelt section would otherwise be ignored."""
        for key in self.names():
            if key not in self._taken:
                raise self.error(f"unknown section '{key}'", key)

    # --- values -------------------------------------------------------------------------

    def text(self, key: str) -> str:
        """A string, with {fragment} references replaced."""
        value = self._take(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"'{key}' must be a non-empty string", key)
        return self._expand(value, self.line(key))

    def words(self, key: str) -> frozenset[str]:
        """A word list written as one string of whitespace-separated words."""
        return frozenset(self.text(key).split())

    def strings(self, key: str) -> list[tuple[str, int]]:
        """A list of strings, each with its line, {fragment} references replaced."""
        value = self._take(key)
        if not isinstance(value, LineList) or not value:
            raise self.error(f"'{key}' must be a non-empty list", key)
        out = []
        for item, line in zip(value, value.lines, strict=True):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"an entry of '{key}' must be a non-empty string", line=line)
            out.append((self._expand(item, line), line))
        return out

    def regex(self, key: str) -> re.Pattern[str]:
        """One regular expression, as written."""
        return self._compile(self.text(key), self.line(key))

    def alternation(self, key: str, around: tuple[str, str] = WHOLE_WORDS) -> re.Pattern[str]:
        """One regex matching any pattern of a list."""
        return re.compile(around[0] + "|".join(self._patterns(key)) + around[1])

    def each(self, key: str) -> list[re.Pattern[str]]:
        """One whole-word regex per pattern of a list."""
        before, after = WHOLE_WORDS
        return [re.compile(before + p + after) for p in self._patterns(key)]

    def concepts(self, kind: str) -> Iterator[tuple[Concept, str]]:
        """Each concept of a vocabulary with the key that names it here, in the ontology's
        order; every key must name a concept, and every concept must have a key."""
        found: dict[str, str] = {}
        for key in self.names():
            concept = lookup(kind, key)
            if concept is None:
                known = ", ".join(c.label for c in vocabulary(kind))
                raise self.error(f"{key!r} is not a {kind} of the ontology (one of: {known})", key)
            if concept.key in found:
                raise self.error(f"{key!r} names the same {kind} as {found[concept.key]!r}", key)
            found[concept.key] = key
        for concept in vocabulary(kind):
            if concept.key not in found:
                raise self.error(f"no entry for the {kind} {concept.label!r}")
            yield concept, found[concept.key]

    # --- helpers ------------------------------------------------------------------------

    def _patterns(self, key: str) -> list[str]:
        """The patterns of a list, each checked on its own so that an error has its line."""
        patterns = self.strings(key)
        for pattern, line in patterns:
            self._compile(pattern, line)
        return [p for p, _ in patterns]

    def _expand(self, pattern: str, line: int) -> str:
        def fragment(m: re.Match[str]) -> str:
            if m.group(1) not in self._fragments:
                raise self.error(f"unknown fragment {{{m.group(1)}}} in {pattern!r}", line=line)
            return self._fragments[m.group(1)]

        return _FRAGMENT.sub(fragment, pattern)

    def _compile(self, pattern: str, line: int) -> re.Pattern[str]:
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise self.error(f"invalid pattern {pattern!r}: {exc}", line=line) from None
