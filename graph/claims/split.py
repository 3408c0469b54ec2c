"""Split text into claims: paragraphs and list items, sentences, then independent clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from cakg.graph.claims.lexicon import read_lexicon

__all__ = ["read_words", "split_claims"]


@dataclass(frozen=True)
class _Words:
    abbreviations: frozenset[str]  # a period after these never ends a sentence
    abbreviations_before_number: frozenset[str]  # ... nor before a number ("No. 5")
    sentence_openers: frozenset[str]  # after an initialism ("U.S.") only these start one


def read_words(text: str | None = None) -> _Words:
    """The splitter's word lists from ``split.yaml``, or from `text` in its place."""
    lex = read_lexicon("split.yaml", text)
    words = _Words(
        abbreviations=lex.words("abbreviations"),
        abbreviations_before_number=lex.words("abbreviations-before-number"),
        sentence_openers=lex.words("sentence-openers"),
    )
    lex.close()
    return words


@cache
def _words() -> _Words:
    return read_words()


_LIST_MARKER = re.compile(r"[ \t]*(?:\(?\d{1,2}[.)]|\(?[a-zA-Z][)]|[-•*–—▪◦])[ \t]+(?=\S)")
_TERMINAL = re.compile(r"[.!?…]+")
_CLOSERS = "”»\"')]’"
_OPENERS = "“«\"'(['‘„"
_QUOTE_PAIRS = {"“": "”", "«": "»", "„": "“"}
_MAX_QUOTE = 300  # a quoted passage longer than this is split like ordinary text

_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|am|has|have|had|will|would|can|could|may|might|must|should|"
    r"shall|do|does|did|cannot|won't|can't|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|"
    r"hasn't|haven't|seems?|remains?|continues?|needs?|says?|think|believe|sees?|shows?|"
    r"affects?|works?|exists?|depends?|occurs?|becomes?|includes?|plays?|looks?|takes?|makes?|"
    r"gains?|grows?|shifts?|rests?|means?|requires?|lacks?|wants?|\w{3,}ed|"
    # common irregular past forms
    r"took|made|gave|came|went|saw|became|began|brought|kept|left|met|said|sent|held|grew|"
    r"fell|rose|won|lost|paid|put|set|led|felt|thought|found|got|built|spoke|chose|drew)\b",
    re.IGNORECASE,
)
_CLAUSE_SPLIT = re.compile(
    r";[ \t]+|,[ \t]+(?=(?:but|yet|although|though|while|whereas|however,)\s)", re.IGNORECASE
)
_MIN_CLAUSE_WORDS = 5


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs and list items: a blank line always ends one; a single newline too,
    unless the next line merely continues a hard-wrapped sentence."""
    blocks: list[tuple[int, int]] = []
    lines: list[tuple[int, int]] = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        lines.append((pos, line_end))
        if nl < 0:
            break
        pos = nl + 1
    cur: tuple[int, int] | None = None
    for ls, le in lines:
        content = text[ls:le].strip()
        if not content:  # blank line: paragraph break
            if cur is not None:
                blocks.append(cur)
            cur = None
            continue
        if cur is not None:
            prev = text[cur[0] : cur[1]].rstrip()
            continues = (
                content[0].islower()
                and prev[-1:] not in ".!?…:;"
                and _LIST_MARKER.match(text, ls, le) is None
            )
            if continues:
                cur = (cur[0], le)
                continue
            blocks.append(cur)
        cur = (ls, le)
    if cur is not None:
        blocks.append(cur)
    return blocks


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(open, close) positions of short balanced quotations inside one block."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for i in range(start, end):
        c = text[i]
        if stack and c == _QUOTE_PAIRS[stack[-1][0]]:
            _, pos = stack.pop()
            spans.append((pos, i))
        elif c in _QUOTE_PAIRS:
            stack.append((c, i))
        elif c == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i))
                straight = None
    return [(o, c) for o, c in spans if c - o <= _MAX_QUOTE]


def _is_boundary(text: str, punct_start: int, punct_end: int, nxt: int) -> bool:
    """Whether the terminal punctuation text[punct_start:punct_end] ends a sentence,
    given that the next sentence would start at nxt."""
    first = text[nxt]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if text[punct_start:punct_end] != ".":
        return True  # "?", "!", "…" and "..." before a capital end a sentence
    m = re.search(r"(\S+)$", text[max(0, punct_start - 40) : punct_start])
    word = m.group(1).lstrip(_OPENERS) if m else ""
    low = word.lower()
    words = _words()
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "J. Smith"
    if low in words.abbreviations:
        return False
    if low in words.abbreviations_before_number and first.isdigit():
        return False
    if re.fullmatch(r"(?:\w\.)+\w", word):  # "U.S", "U.N": an initialism
        nm = re.match(r"\w+", text[nxt : nxt + 30])
        return nm is not None and nm.group(0).lower() in words.sentence_openers
    return True


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside one block, respecting abbreviations, initials and quotes."""
    quotes = _quote_spans(text, start, end)
    spans: list[tuple[int, int]] = []
    sent_start = start
    for m in _TERMINAL.finditer(text, start, end):
        j = m.end()
        while j < end and text[j] in _CLOSERS:
            j += 1
        if j >= end or not text[j].isspace():
            continue
        nxt = j
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end:
            continue
        # A full stop inside a short quotation does not end the quoting sentence,
        # unless the quotation closes right after it.
        if any(o < m.start() and j <= c for o, c in quotes):
            continue
        if re.fullmatch(r"\s*\(?\d{1,2}", text[sent_start : m.start()]):
            continue  # "1. The positions ...": a list marker, not a sentence
        if _is_boundary(text, m.start(), m.end(), nxt):
            spans.append((sent_start, j))
            sent_start = nxt
    spans.append((sent_start, end))
    return spans


def _can_stand_alone(segment: str) -> bool:
    """A clause long enough to be its own claim: five words or more, with a verb."""
    return len(re.findall(r"\w+", segment)) >= _MIN_CLAUSE_WORDS and bool(_VERB.search(segment))


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one sentence at "; " or ", but/yet/although/while/however" into independent clauses."""
    pieces: list[tuple[int, int]] = []
    cur = start
    for m in _CLAUSE_SPLIT.finditer(text, start, end):
        left, right = text[cur : m.start()], text[m.end() : end]
        if re.match(r"but\s+(?:also|rather|not)\b", right, re.IGNORECASE):
            continue  # "not only X, but also Y" is one claim
        if _can_stand_alone(left) and _can_stand_alone(right):
            pieces.append((cur, m.start()))
            cur = m.end()
    pieces.append((cur, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace, and a dangling comma or semicolon left by a clause split."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def split_claims(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans (start, end) of the claims in text[start:end]: sentences, and clauses where one
    sentence makes two claims; trimmed of whitespace; offsets index the full text.

    >>> t = "Trade grew. 1. Exports will grow very fast; the border will stay closed for months."
    >>> [t[s:e] for s, e in split_claims(t)]
    ['Trade grew.', 'Exports will grow very fast', 'the border will stay closed for months.']
    """
    stop = len(text) if end is None else min(end, len(text))
    claims: list[tuple[int, int]] = []
    for bs, be in _blocks(text, start, stop):
        for ss, se in _sentences(text, bs, be):
            # the marker of a list item ("1. ", "2) ", "- ") is not part of the claim
            marker = _LIST_MARKER.match(text, ss, se)
            if marker is not None:
                ss = marker.end()
            for cs, ce in _clauses(text, ss, se):
                s, e = _trim(text, cs, ce)
                if s < e and re.search(r"\w", text[s:e]):
                    claims.append((s, e))
    return claims
